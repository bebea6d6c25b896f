//! When to retry, as pure decisions every binding applies the same way.
//!
//! A contract created twice is a legal and billing problem, so the rule is: retry only what
//! cannot duplicate a side effect.
//!
//! - Throttling (`RequestLimitExceeded*`): the service refused the request unexecuted, so it
//!   is retried for every action, with exponential backoff and jitter.
//! - A transport failure where the request provably never left (connection refused, DNS,
//!   TLS before sending): retried for every action.
//! - 5xx, timeouts, resets after sending, truncated or malformed answers: the request may
//!   have been executed, so only read-only actions (Describe*, Get*, Verify*, marked in the
//!   spec table) are retried; never an action that creates or changes state.
//! - Everything else (validation, signing, other API errors, 4xx): never.
//!
//! Clock skew is separate: on `AuthFailure.SignatureExpire`, [`clock_offset`] derives the
//! offset from the response's `Date` header, and the host re-signs once with it.

use crate::error::Error;
use crate::spec::ActionSpec;

/// How many attempts, how long to wait between them, and the overall deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries). Default 3.
    pub max_attempts: u32,
    /// The first backoff, in milliseconds. Default 300.
    pub base_delay_ms: u64,
    /// The largest backoff, in milliseconds. Default 10 000.
    pub max_delay_ms: u64,
    /// No retry starts after this many milliseconds since the first attempt. Default 60 000.
    pub deadline_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay_ms: 300,
            max_delay_ms: 10_000,
            deadline_ms: 60_000,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send again after this many milliseconds.
    Retry {
        /// The backoff before the next attempt.
        delay_ms: u64,
    },
    /// Give up and return the error.
    Stop,
}

/// Whether an error may be retried for `action`, ignoring attempt counts and deadlines.
pub fn is_retriable(error: &Error, action: &ActionSpec) -> bool {
    match error {
        Error::Api { code, .. } if code.starts_with("RequestLimitExceeded") => true,
        Error::Transport { not_sent: true, .. } => true,
        Error::Api { code, .. } => {
            action.read_only
                && matches!(
                    code.as_str(),
                    "InternalError" | "ServiceUnavailable" | "InternalError.SystemError"
                )
        }
        Error::Http { status, .. } => action.read_only && (*status >= 500 || *status == 429),
        // An answer over the size limit would come again: never retried.
        Error::Decode { .. } if error.code() == "DecodeError.TooLarge" => false,
        Error::Timeout { .. } | Error::Transport { .. } | Error::Decode { .. } => action.read_only,
        Error::Validation { .. }
        | Error::Signing { .. }
        | Error::Callback { .. }
        | Error::Crypto { .. }
        | Error::Task { .. } => false,
    }
}

/// Decides after attempt number `attempt` (1 for the first) failed with `error`,
/// `elapsed_ms` after the first attempt started. `jitter` is a random number in `[0, 1)`
/// from the host (core has no RNG); the delay is "equal jitter": half fixed, half random.
pub fn decide(
    policy: &RetryPolicy,
    attempt: u32,
    error: &Error,
    action: &ActionSpec,
    elapsed_ms: u64,
    jitter: f64,
) -> Decision {
    if attempt >= policy.max_attempts || !is_retriable(error, action) {
        return Decision::Stop;
    }
    let exp = policy
        .base_delay_ms
        .saturating_mul(1u64 << (attempt - 1).min(30))
        .min(policy.max_delay_ms);
    let jitter = jitter.clamp(0.0, 1.0);
    let delay_ms = exp / 2 + ((exp / 2) as f64 * jitter) as u64;
    if elapsed_ms.saturating_add(delay_ms) >= policy.deadline_ms {
        return Decision::Stop;
    }
    Decision::Retry { delay_ms }
}

/// The offset (server − local, seconds) from an HTTP `Date` header, to re-sign a request
/// refused with `AuthFailure.SignatureExpire`. `None` when the header is not an IMF-fixdate.
pub fn clock_offset(date_header: &str, local_now: i64) -> Option<i64> {
    parse_http_date(date_header).map(|server| server - local_now)
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into Unix seconds.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, sec] = hms.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *sec > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::action;

    fn api(code: &str) -> Error {
        Error::Api {
            code: code.into(),
            message: String::new(),
            request_id: None,
        }
    }

    #[test]
    fn creations_are_never_retried_after_they_may_have_run() {
        let create = action("ChannelCreateFlowByFiles").unwrap();
        let read = action("DescribeFlowDetailInfo").unwrap();
        let p = RetryPolicy::default();
        let timeout = Error::Timeout { after_ms: 1 };
        let sent = Error::Transport {
            message: String::new(),
            not_sent: false,
        };
        let http = Error::Http {
            status: 503,
            body_excerpt: String::new(),
        };
        for e in [&timeout, &sent, &http, &api("InternalError")] {
            assert_eq!(decide(&p, 1, e, create, 0, 0.5), Decision::Stop, "{e:?}");
            assert!(
                matches!(decide(&p, 1, e, read, 0, 0.5), Decision::Retry { .. }),
                "{e:?}"
            );
        }
        let throttled = api("RequestLimitExceeded.UinLimitExceeded");
        let refused = Error::Transport {
            message: String::new(),
            not_sent: true,
        };
        for e in [&throttled, &refused] {
            assert!(matches!(
                decide(&p, 1, e, create, 0, 0.5),
                Decision::Retry { .. }
            ));
        }
        assert_eq!(
            decide(&p, 1, &api("InvalidParameter"), read, 0, 0.0),
            Decision::Stop
        );
        assert_eq!(
            decide(&p, 1, &api("AuthFailure.SignatureExpire"), read, 0, 0.0),
            Decision::Stop
        );
    }

    #[test]
    fn backoff_grows_and_respects_limits() {
        let read = action("DescribeTemplates").unwrap();
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay_ms: 100,
            max_delay_ms: 1000,
            deadline_ms: 5000,
        };
        let e = Error::Timeout { after_ms: 1 };
        let delay = |attempt, jitter| match decide(&p, attempt, &e, read, 0, jitter) {
            Decision::Retry { delay_ms } => delay_ms,
            Decision::Stop => u64::MAX,
        };
        assert_eq!((delay(1, 0.0), delay(1, 1.0)), (50, 100));
        assert_eq!((delay(2, 0.0), delay(3, 0.0)), (100, 200));
        assert_eq!(delay(9, 1.0), 1000);
        assert_eq!(decide(&p, 10, &e, read, 0, 0.0), Decision::Stop);
        assert_eq!(decide(&p, 1, &e, read, 4990, 0.0), Decision::Stop);
        assert_eq!(
            decide(&RetryPolicy::none(), 1, &e, read, 0, 0.0),
            Decision::Stop
        );
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784111777)
        );
        assert_eq!(
            parse_http_date("Sat, 28 Nov 2026 21:33:29 GMT"),
            Some(1_795_901_609)
        );
        assert_eq!(
            clock_offset("Sun, 06 Nov 1994 08:59:37 GMT", 784111777),
            Some(600)
        );
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("garbage"), None);
    }
}

/// [`decide`] over plain values, for bindings whose errors are host objects: the error's
/// `kind` (`api`, `http`, `timeout`, `transport`, `decode`, ...), its `code`, the HTTP
/// `status` (0 when none) and whether a transport failure provably happened before
/// sending. Returns the delay in milliseconds, or `None` to stop (also for an unknown
/// action or kind).
#[allow(clippy::too_many_arguments)]
pub fn decide_parts(
    policy: &RetryPolicy,
    attempt: u32,
    action: &str,
    kind: &str,
    code: &str,
    status: u16,
    not_sent: bool,
    elapsed_ms: u64,
    jitter: f64,
) -> Option<u64> {
    let action = crate::spec::action(action)?;
    let error = match kind {
        "api" => Error::Api {
            code: code.to_owned(),
            message: String::new(),
            request_id: None,
        },
        "http" => Error::Http {
            status,
            body_excerpt: String::new(),
        },
        "timeout" => Error::Timeout { after_ms: 0 },
        "transport" => Error::Transport {
            message: String::new(),
            not_sent,
        },
        "decode" if code == "DecodeError.TooLarge" => Error::Decode {
            message: crate::response::TOO_LARGE.to_owned(),
        },
        "decode" => Error::Decode {
            message: String::new(),
        },
        _ => return None,
    };
    match decide(policy, attempt, &error, action, elapsed_ms, jitter) {
        Decision::Retry { delay_ms } => Some(delay_ms),
        Decision::Stop => None,
    }
}

#[cfg(test)]
mod parts_tests {
    use super::*;

    #[test]
    fn decide_parts_matches_decide() {
        let p = RetryPolicy::default();
        let d = |action, kind, code, not_sent| {
            decide_parts(&p, 1, action, kind, code, 503, not_sent, 0, 0.0)
        };
        assert_eq!(d("DescribeTemplates", "http", "", false), Some(150));
        assert_eq!(d("ChannelCreateFlowByFiles", "http", "", false), None);
        assert_eq!(
            d("ChannelCreateFlowByFiles", "transport", "", true),
            Some(150)
        );
        assert_eq!(
            d(
                "ChannelCreateFlowByFiles",
                "api",
                "RequestLimitExceeded",
                false
            ),
            Some(150)
        );
        assert_eq!(d("NoSuchAction", "http", "", false), None);
        assert_eq!(d("DescribeTemplates", "validation", "", false), None);
        assert_eq!(
            d("DescribeTemplates", "decode", "DecodeError", false),
            Some(150)
        );
        assert_eq!(
            d("DescribeTemplates", "decode", "DecodeError.TooLarge", false),
            None
        );
    }
}
