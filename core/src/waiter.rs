//! Waiting for the service's asynchronous tasks, as pure decisions: what to poll, how to read
//! each answer, and how long to wait before the next poll.
//!
//! | [`TaskKind`] | started by | polled with | done | failed |
//! | --- | --- | --- | --- | --- |
//! | `FileConvert` | `CreateFileConvertTask` | `DescribeFileConvertTask` | `TaskStatus` 8 | negative `TaskStatus` (-2 download, -6 conversion, -13 timeout) |
//! | `LegacyFileConvert` | `ChannelCreateConvertTaskApi` | `ChannelGetTaskResultApi` | 8 | negative |
//! | `CancelFlows` | `ChannelBatchCancelFlows` | `DescribeCancelFlowsTask` | `END` | `TIMEOUT` |
//! | `OrganizationRegistration` | `CreateBatchOrganizationRegistrationTasks` | `DescribeBatchOrganizationRegistrationTasks` | no detail `Processing` | every detail `Failed` |
//! | `EvidenceReport` | `CreateChannelFlowEvidenceReport` | `DescribeChannelFlowEvidenceReport` | `EvidenceStatusSuccess` | `EvidenceStatusFailed` |
//!
//! The backoff ([`WaitPolicy::default`]): 1 s, then ×1.5 per poll, at most 15 s between
//! polls, giving up after 10 minutes. The host (the Rust `Client`, a binding) owns the clock
//! and the sleeping; core only decides.
//!
//! ```
//! use essbasic::waiter::{classify, decide, Progress, TaskKind, WaitPolicy};
//! use serde_json::json;
//!
//! let p = WaitPolicy::default();
//! assert_eq!(decide(&p, 1, 0), Some(1000));
//! assert_eq!(decide(&p, 2, 1000), Some(1500));
//! let answer = json!({"TaskId": "t", "TaskStatus": 8, "ResourceId": "yDpdf", "RequestId": "r"});
//! assert!(matches!(classify(TaskKind::FileConvert, &answer), Progress::Done(_)));
//! ```

use serde_json::{json, Map, Value};

use crate::error::Error;

/// An asynchronous task the service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskKind {
    /// File conversion (`CreateFileConvertTask` → `DescribeFileConvertTask`).
    FileConvert,
    /// The legacy pair (`ChannelCreateConvertTaskApi` → `ChannelGetTaskResultApi`).
    LegacyFileConvert,
    /// Batch cancellation (`ChannelBatchCancelFlows` → `DescribeCancelFlowsTask`).
    CancelFlows,
    /// Batch organization registration (`CreateBatchOrganizationRegistrationTasks` →
    /// `DescribeBatchOrganizationRegistrationTasks`).
    OrganizationRegistration,
    /// Evidence report (`CreateChannelFlowEvidenceReport` →
    /// `DescribeChannelFlowEvidenceReport`).
    EvidenceReport,
}

impl TaskKind {
    /// Every kind.
    pub const ALL: [TaskKind; 5] = [
        TaskKind::FileConvert,
        TaskKind::LegacyFileConvert,
        TaskKind::CancelFlows,
        TaskKind::OrganizationRegistration,
        TaskKind::EvidenceReport,
    ];

    /// A stable snake_case name: `file_convert`, `legacy_file_convert`, `cancel_flows`,
    /// `organization_registration`, `evidence_report`.
    pub fn name(self) -> &'static str {
        match self {
            TaskKind::FileConvert => "file_convert",
            TaskKind::LegacyFileConvert => "legacy_file_convert",
            TaskKind::CancelFlows => "cancel_flows",
            TaskKind::OrganizationRegistration => "organization_registration",
            TaskKind::EvidenceReport => "evidence_report",
        }
    }

    /// Parses a [`name`](Self::name), a short alias (`convert`, `convert-legacy`, `cancel`,
    /// `registration`, `evidence`) or the polling action's name.
    pub fn from_name(name: &str) -> Option<TaskKind> {
        let n = name.to_ascii_lowercase().replace('-', "_");
        TaskKind::ALL.into_iter().find(|k| {
            k.name() == n
                || k.poll_action().eq_ignore_ascii_case(name)
                || k.start_action().eq_ignore_ascii_case(name)
                || match k {
                    TaskKind::FileConvert => n == "convert",
                    TaskKind::LegacyFileConvert => n == "convert_legacy" || n == "legacy_convert",
                    TaskKind::CancelFlows => n == "cancel",
                    TaskKind::OrganizationRegistration => n == "registration",
                    TaskKind::EvidenceReport => n == "evidence",
                }
        })
    }

    /// The action that starts the task.
    pub fn start_action(self) -> &'static str {
        match self {
            TaskKind::FileConvert => "CreateFileConvertTask",
            TaskKind::LegacyFileConvert => "ChannelCreateConvertTaskApi",
            TaskKind::CancelFlows => "ChannelBatchCancelFlows",
            TaskKind::OrganizationRegistration => "CreateBatchOrganizationRegistrationTasks",
            TaskKind::EvidenceReport => "CreateChannelFlowEvidenceReport",
        }
    }

    /// The action that reports the task's state.
    pub fn poll_action(self) -> &'static str {
        match self {
            TaskKind::FileConvert => "DescribeFileConvertTask",
            TaskKind::LegacyFileConvert => "ChannelGetTaskResultApi",
            TaskKind::CancelFlows => "DescribeCancelFlowsTask",
            TaskKind::OrganizationRegistration => "DescribeBatchOrganizationRegistrationTasks",
            TaskKind::EvidenceReport => "DescribeChannelFlowEvidenceReport",
        }
    }

    /// The task id in the start action's `Response` (`TaskId`, or `ReportId` for evidence
    /// reports).
    pub fn task_id(self, start_response: &Value) -> Option<String> {
        let member = match self {
            TaskKind::EvidenceReport => "ReportId",
            _ => "TaskId",
        };
        start_response
            .get(member)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }

    /// The polling action's parameters: `Agent` (and `ReportType` for evidence reports) from
    /// `base` — typically the start parameters — plus the task id.
    pub fn poll_params(self, base: &Value, task_id: &str) -> Value {
        let mut map = Map::new();
        let keep: &[&str] = match self {
            TaskKind::EvidenceReport => &["Agent", "ReportType"],
            _ => &["Agent"],
        };
        for k in keep {
            if let Some(v) = base.get(*k).filter(|v| !v.is_null()) {
                map.insert((*k).to_owned(), v.clone());
            }
        }
        match self {
            TaskKind::EvidenceReport => {
                map.insert("ReportId".into(), json!(task_id));
            }
            TaskKind::OrganizationRegistration => {
                map.insert("TaskIds".into(), json!([task_id]));
            }
            _ => {
                map.insert("TaskId".into(), json!(task_id));
            }
        }
        Value::Object(map)
    }
}

/// Where a task stands after one poll.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// Still running.
    Pending {
        /// The status as the service reported it (`4`, `PROCESSING`, ...).
        status: String,
        /// A percentage when the answer allows one (batch registration: finished details).
        percent: Option<u8>,
    },
    /// Finished: the polling action's `Response` object.
    Done(Value),
    /// Finished in failure.
    Failed {
        /// The final status (`-6`, `TIMEOUT`, `EvidenceStatusFailed`, ...).
        status: String,
        /// The service's message, when it gave one.
        message: String,
    },
}

impl Progress {
    /// The status text, `Done` for a finished task.
    pub fn status(&self) -> &str {
        match self {
            Progress::Pending { status, .. } | Progress::Failed { status, .. } => status,
            Progress::Done(_) => "Done",
        }
    }

    /// `Ok(Some(response))` when done, `Ok(None)` while pending, [`Error::Task`] on failure.
    pub fn into_result(self, kind: TaskKind, task_id: &str) -> Result<Option<Value>, Error> {
        match self {
            Progress::Pending { .. } => Ok(None),
            Progress::Done(v) => Ok(Some(v)),
            Progress::Failed { status, message } => Err(Error::Task {
                task: kind.name().to_owned(),
                task_id: task_id.to_owned(),
                status,
                message,
            }),
        }
    }
}

/// Reads one `Response` of the polling action.
pub fn classify(kind: TaskKind, response: &Value) -> Progress {
    let str_of = |k: &str| {
        response
            .get(k)
            .map(|v| match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            })
            .unwrap_or_default()
    };
    match kind {
        TaskKind::FileConvert | TaskKind::LegacyFileConvert => {
            let status = str_of("TaskStatus");
            let code: Option<i64> = status.trim().parse().ok();
            match code {
                Some(8) => Progress::Done(response.clone()),
                Some(c) if c < 0 => Progress::Failed {
                    status,
                    message: str_of("TaskMessage"),
                },
                _ => Progress::Pending {
                    status: pending_label(&status, &str_of("TaskMessage")),
                    percent: None,
                },
            }
        }
        TaskKind::CancelFlows => {
            let status = str_of("TaskStatus");
            match status.to_ascii_uppercase().as_str() {
                "END" => Progress::Done(response.clone()),
                "TIMEOUT" => Progress::Failed {
                    status,
                    message: "the batch cancel link expired before the user acted".to_owned(),
                },
                _ => Progress::Pending {
                    status,
                    percent: None,
                },
            }
        }
        TaskKind::OrganizationRegistration => {
            let details = response
                .get("Details")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let status_of = |d: &Value| {
                d.get("Status")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            if details.is_empty() {
                return Progress::Pending {
                    status: "Processing".to_owned(),
                    percent: Some(0),
                };
            }
            let total = details.len();
            let processing = details
                .iter()
                .filter(|d| {
                    status_of(d).eq_ignore_ascii_case("Processing") || status_of(d).is_empty()
                })
                .count();
            if processing > 0 {
                return Progress::Pending {
                    status: "Processing".to_owned(),
                    percent: Some((((total - processing) * 100) / total) as u8),
                };
            }
            if details
                .iter()
                .all(|d| status_of(d).eq_ignore_ascii_case("Failed"))
            {
                let messages: Vec<String> = details
                    .iter()
                    .filter_map(|d| d.get("ErrorMessage").and_then(Value::as_str))
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .collect();
                return Progress::Failed {
                    status: "Failed".to_owned(),
                    message: messages.join("; "),
                };
            }
            Progress::Done(response.clone())
        }
        TaskKind::EvidenceReport => {
            let status = str_of("Status");
            match status.as_str() {
                "EvidenceStatusSuccess" => Progress::Done(response.clone()),
                "EvidenceStatusFailed" => Progress::Failed {
                    status,
                    message: String::new(),
                },
                _ => Progress::Pending {
                    status,
                    percent: None,
                },
            }
        }
    }
}

fn pending_label(status: &str, message: &str) -> String {
    match (status.is_empty(), message.is_empty()) {
        (false, false) => format!("{status} {message}"),
        (false, true) => status.to_owned(),
        (true, _) => message.to_owned(),
    }
}

/// How long to wait between polls and when to give up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitPolicy {
    /// The first wait, in milliseconds. Default 1000.
    pub initial_delay_ms: u64,
    /// The growth of each next wait. Default 1.5.
    pub multiplier: f64,
    /// The longest wait, in milliseconds. Default 15 000.
    pub max_delay_ms: u64,
    /// Give up this many milliseconds after the first poll. Default 600 000 (10 minutes).
    pub deadline_ms: u64,
}

impl Default for WaitPolicy {
    fn default() -> Self {
        WaitPolicy {
            initial_delay_ms: 1000,
            multiplier: 1.5,
            max_delay_ms: 15_000,
            deadline_ms: 600_000,
        }
    }
}

/// The wait after poll number `attempt` (1 for the first): `initial × multiplier^(attempt−1)`,
/// at most `max_delay_ms`.
pub fn next_delay_ms(policy: &WaitPolicy, attempt: u32) -> u64 {
    let exp = attempt.saturating_sub(1).min(64) as i32;
    let raw = policy.initial_delay_ms as f64 * policy.multiplier.max(1.0).powi(exp);
    if raw.is_finite() {
        (raw as u64).min(policy.max_delay_ms)
    } else {
        policy.max_delay_ms
    }
}

/// After poll number `attempt` found the task pending `elapsed_ms` after the first poll: the
/// wait before the next poll (cut to the time left, so the last poll lands on the deadline),
/// or `None` when the deadline has passed and the host gives up with [`Error::Timeout`].
pub fn decide(policy: &WaitPolicy, attempt: u32, elapsed_ms: u64) -> Option<u64> {
    if elapsed_ms >= policy.deadline_ms {
        return None;
    }
    Some(next_delay_ms(policy, attempt).min(policy.deadline_ms - elapsed_ms))
}
