//! Waiting for asynchronous tasks on the client: poll with backoff, report progress, return
//! the final answer or a typed failure.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::Client;
use crate::waiter::{classify, decide, Progress, TaskKind, WaitPolicy};
use crate::Error;

/// One progress report, after each poll.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitUpdate {
    /// The task kind.
    pub kind: TaskKind,
    /// The task id.
    pub task_id: String,
    /// The poll number, from 1.
    pub attempt: u32,
    /// Time since the first poll.
    pub elapsed: Duration,
    /// What the poll found.
    pub progress: Progress,
    /// When the next poll happens (`None` when finished or giving up).
    pub next_poll_in: Option<Duration>,
}

type ProgressFn = Box<dyn FnMut(&WaitUpdate) + Send>;

/// Polls one task until it finishes, fails or the deadline passes. Made by
/// [`Client::waiter`] or [`Client::start_task`].
///
/// ```no_run
/// # async fn demo(client: essbasic::client::Client) -> Result<(), essbasic::Error> {
/// use essbasic::waiter::TaskKind;
/// use serde_json::json;
///
/// let params = json!({"Agent": {"AppId": "yD..."}, "ResourceType": "docx",
///                     "ResourceName": "contract", "ResourceId": "yD..."});
/// let done = client
///     .start_task(TaskKind::FileConvert, &params)
///     .await?
///     .on_progress(|u| eprintln!("{} after {:?}", u.progress.status(), u.elapsed))
///     .wait()
///     .await?;
/// println!("converted: {}", done["ResourceId"]);
/// # Ok(()) }
/// ```
pub struct Waiter {
    client: Client,
    kind: TaskKind,
    poll_params: Value,
    task_id: String,
    policy: WaitPolicy,
    on_progress: Option<ProgressFn>,
}

impl std::fmt::Debug for Waiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiter")
            .field("kind", &self.kind)
            .field("task_id", &self.task_id)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A waiter for the task `task_id` of `kind`; `base` supplies `Agent` (typically the
    /// parameters that started the task).
    pub fn waiter(&self, kind: TaskKind, base: &Value, task_id: &str) -> Waiter {
        Waiter {
            client: self.clone(),
            kind,
            poll_params: kind.poll_params(base, task_id),
            task_id: task_id.to_owned(),
            policy: WaitPolicy::default(),
            on_progress: None,
        }
    }

    /// Starts a task with its start action (`CreateFileConvertTask`, ...) and returns the
    /// waiter for it.
    pub async fn start_task(&self, kind: TaskKind, params: &Value) -> Result<Waiter, Error> {
        let response = self.call(kind.start_action(), params).await?;
        let task_id = kind.task_id(&response).ok_or_else(|| Error::Decode {
            message: format!(
                "{} answered without a task id: {response}",
                kind.start_action()
            ),
        })?;
        Ok(self.waiter(kind, params, &task_id))
    }
}

impl Waiter {
    /// The task id.
    pub fn task_id(&self) -> &str {
        &self.task_id
    }

    /// The backoff and deadline ([`WaitPolicy::default`]: 1 s ×1.5 up to 15 s, 10 minutes).
    pub fn policy(mut self, policy: WaitPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Gives up after `deadline` (from the first poll) with [`Error::Timeout`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.policy.deadline_ms = deadline.as_millis().min(u64::MAX as u128) as u64;
        self
    }

    /// Called after every poll, finished or not.
    pub fn on_progress(mut self, f: impl FnMut(&WaitUpdate) + Send + 'static) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Polls until the task is done (its final `Response` object), failed
    /// ([`Error::Task`]) or the deadline passed ([`Error::Timeout`]). A polling call that
    /// fails after the client's retries ends the wait with that error.
    pub async fn wait(mut self) -> Result<Value, Error> {
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            attempt = attempt.saturating_add(1);
            let response = self
                .client
                .call(self.kind.poll_action(), &self.poll_params)
                .await?;
            let progress = classify(self.kind, &response);
            let elapsed = started.elapsed();
            let pending = matches!(progress, Progress::Pending { .. });
            let delay = if pending {
                decide(&self.policy, attempt, elapsed.as_millis() as u64)
            } else {
                None
            };
            if let Some(report) = self.on_progress.as_mut() {
                report(&WaitUpdate {
                    kind: self.kind,
                    task_id: self.task_id.clone(),
                    attempt,
                    elapsed,
                    progress: progress.clone(),
                    next_poll_in: delay.map(Duration::from_millis),
                });
            }
            if !pending {
                return progress
                    .into_result(self.kind, &self.task_id)
                    .map(Option::unwrap_or_default);
            }
            match delay {
                Some(ms) => {
                    self.client
                        .inner
                        .transport
                        .sleep(Duration::from_millis(ms))
                        .await
                }
                None => {
                    return Err(Error::Timeout {
                        after_ms: self.policy.deadline_ms,
                    })
                }
            }
        }
    }
}
