//! Observability of the Rust client: trace ids, `tracing` events with redacted bodies, and
//! hooks — the same hook points as the Node and Python bindings.
//!
//! Every call carries one `X-TC-TraceId` (made here, or the caller's via
//! [`CallOptions::trace_id`]), shared by all its attempts. With a `tracing` subscriber at
//! DEBUG, each attempt logs action, host, attempt, status, duration, RequestId and trace id,
//! and the request and response bodies redacted by [`crate::redact::body_for_log`] (cut to
//! [`CallOptions::log_body_bytes`]); nothing is formatted when DEBUG is off.

use std::time::Duration;

use crate::Error;

/// Per-call options of [`super::Client::call_with`].
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// The `X-TC-TraceId` to send (a fresh UUID v4 when `None`).
    pub trace_id: Option<String>,
    /// How many bytes of each redacted body a DEBUG event keeps (default 2048).
    pub log_body_bytes: Option<usize>,
}

/// What a finished call reports besides its result.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallMeta {
    /// The `X-TC-TraceId` sent with every attempt.
    pub trace_id: String,
    /// `Response.RequestId` of the last answer, when there was one.
    pub request_id: Option<String>,
    /// Attempts made (re-signing after a clock-skew answer counts as one).
    pub attempts: u32,
    /// The HTTP status of the last answer (0 when none came).
    pub status: u16,
    /// From the first attempt to the end.
    pub elapsed: Duration,
}

/// Where a call stands, given to every hook.
#[derive(Debug, Clone, Copy)]
pub struct CallInfo<'a> {
    /// The action.
    pub action: &'a str,
    /// The attempt number, from 1.
    pub attempt: u32,
    /// The trace id of the call.
    pub trace_id: &'a str,
    /// Since the first attempt started.
    pub elapsed: Duration,
}

/// Hooks around each attempt, for metrics and tracing without monkey-patching. Every method
/// has an empty default; implement the ones you need. Hooks run inline: keep them fast.
pub trait Hooks: Send + Sync {
    /// Before an attempt is sent; may add headers (the signed ones cannot be replaced: a
    /// header whose name is already present is ignored).
    fn before_send(&self, info: &CallInfo<'_>, extra_headers: &mut Vec<(String, String)>) {
        let _ = (info, extra_headers);
    }
    /// After an answer arrived (any status), before it is classified.
    fn after_receive(&self, info: &CallInfo<'_>, status: u16, request_id: Option<&str>) {
        let _ = (info, status, request_id);
    }
    /// When a failed attempt will be retried after `delay`.
    fn on_retry(&self, info: &CallInfo<'_>, error: &Error, delay: Duration) {
        let _ = (info, error, delay);
    }
    /// When the call fails for good.
    fn on_error(&self, info: &CallInfo<'_>, error: &Error) {
        let _ = (info, error);
    }
}

/// The hooks used when none are set.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHooks;

impl Hooks for NoHooks {}

/// Whether a `tracing` subscriber wants DEBUG events of this crate.
pub(crate) fn debug_enabled() -> bool {
    tracing::enabled!(target: "essbasic", tracing::Level::DEBUG)
}

/// Logs one attempt at DEBUG through `tracing` (bodies redacted by core).
#[allow(clippy::too_many_arguments)]
pub(crate) fn log_attempt(
    info: &CallInfo<'_>,
    host: &str,
    status: u16,
    request_id: Option<&str>,
    duration: Duration,
    request_body: &[u8],
    response_body: &[u8],
    error: Option<&Error>,
    log_body_bytes: usize,
) {
    if !debug_enabled() {
        return;
    }
    let request = crate::redact::body_for_log(request_body, log_body_bytes);
    let response = crate::redact::body_for_log(response_body, log_body_bytes);
    tracing::debug!(
        target: "essbasic",
        action = info.action,
        host,
        attempt = info.attempt,
        status,
        duration_ms = duration.as_millis() as u64,
        request_id = request_id.unwrap_or(""),
        trace_id = info.trace_id,
        error = error.map(ToString::to_string).unwrap_or_default(),
        request = %request,
        response = %response,
        "essbasic attempt"
    );
}

/// Shared hooks: keep an `Arc` to read what they recorded.
impl<H: Hooks + ?Sized> Hooks for std::sync::Arc<H> {
    fn before_send(&self, info: &CallInfo<'_>, extra_headers: &mut Vec<(String, String)>) {
        (**self).before_send(info, extra_headers)
    }
    fn after_receive(&self, info: &CallInfo<'_>, status: u16, request_id: Option<&str>) {
        (**self).after_receive(info, status, request_id)
    }
    fn on_retry(&self, info: &CallInfo<'_>, error: &Error, delay: Duration) {
        (**self).on_retry(info, error, delay)
    }
    fn on_error(&self, info: &CallInfo<'_>, error: &Error) {
        (**self).on_error(info, error)
    }
}
