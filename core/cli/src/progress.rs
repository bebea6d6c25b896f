//! Progress of `essbasic wait`: a bar redrawn in place on a terminal, JSON lines otherwise.

use std::io::Write as _;

use essbasic::client::WaitUpdate;
use essbasic::waiter::Progress;
use serde_json::json;

/// Reports waiter updates on stderr.
pub struct Reporter {
    terminal: bool,
    deadline_ms: u64,
}

impl Reporter {
    /// A reporter drawing a bar when `terminal`, else printing one JSON line per update.
    pub fn new(terminal: bool, deadline_ms: u64) -> Self {
        Reporter {
            terminal,
            deadline_ms,
        }
    }

    /// Reports one update.
    pub fn update(&mut self, u: &WaitUpdate) {
        let (state, percent) = match &u.progress {
            Progress::Pending { percent, .. } => ("pending", *percent),
            Progress::Done(_) => ("done", Some(100)),
            Progress::Failed { .. } => ("failed", None),
        };
        let mut err = std::io::stderr().lock();
        if self.terminal {
            // With no percentage from the service, the bar shows the time used of the deadline.
            let fraction = match percent {
                Some(p) => f64::from(p) / 100.0,
                None if self.deadline_ms > 0 => {
                    (u.elapsed.as_millis() as f64 / self.deadline_ms as f64).min(1.0)
                }
                None => 0.0,
            };
            let width = 30;
            let filled = (fraction * width as f64).round() as usize;
            let label = match percent {
                Some(p) => format!("{p:>3}%"),
                None => format!("{:>5.1}s", u.elapsed.as_secs_f64()),
            };
            let _ = write!(
                err,
                "\r\x1b[2K{} [{}{}] {label} {} (poll {})",
                u.kind.poll_action(),
                "#".repeat(filled.min(width)),
                "-".repeat(width - filled.min(width)),
                u.progress.status(),
                u.attempt
            );
        } else {
            let line = json!({
                "Task": u.kind.name(),
                "TaskId": u.task_id,
                "Attempt": u.attempt,
                "ElapsedMs": u.elapsed.as_millis() as u64,
                "State": state,
                "Status": u.progress.status(),
                "Percent": percent,
                "NextPollMs": u.next_poll_in.map(|d| d.as_millis() as u64),
            });
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
    }
}

/// Ends the bar's line.
pub fn finish_line() {
    let _ = writeln!(std::io::stderr());
}
