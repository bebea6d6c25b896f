//! An async client over a pluggable [`Transport`] (feature `client`), with a default
//! transport on reqwest (feature `reqwest`).
//!
//! This is the host layer: it reads the clock, makes nonces and trace ids, and performs I/O
//! through the transport; every protocol decision stays in the pure functions it calls.
//!
//! ```no_run
//! # #[cfg(feature = "reqwest")]
//! # async fn demo() -> Result<(), essbasic::Error> {
//! use essbasic::client::Client;
//! use essbasic::models::ChannelCancelFlowRequest;
//!
//! let client = Client::builder().from_env()?.region("ap-guangzhou").build()?;
//! let out = client
//!     .send(&ChannelCancelFlowRequest { flow_id: "yDwF...".into(), ..Default::default() })
//!     .await?;
//! println!("{:?}", out.request_id);
//! # Ok(()) }
//! ```

mod builder;
mod observe;
mod paginate;
mod stamp;
mod transport;
mod upload;
mod waiter;

#[cfg(feature = "reqwest")]
mod reqwest_transport;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub use builder::ClientBuilder;
pub use observe::{CallInfo, CallMeta, CallOptions, Hooks, NoHooks};
pub use paginate::{Items, Pages};
pub use transport::{BoxFuture, HttpResponse, Transport};
pub use waiter::{WaitUpdate, Waiter};

#[cfg(feature = "reqwest")]
pub use reqwest_transport::ReqwestTransport;

use crate::generated::Action;
use crate::request::{build_request, Config};
use crate::response::classify_response;
use crate::retry::{self, Decision, RetryPolicy};
use crate::{Credentials, Error};

/// The async essbasic client. Cheap to clone; share one per process to reuse connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    credentials: Credentials,
    transport: Arc<dyn Transport>,
    timeout: Duration,
    max_body_bytes: usize,
    retry: RetryPolicy,
    hooks: Arc<dyn Hooks>,
    /// Seconds to add to the local clock, learnt from `AuthFailure.SignatureExpire`.
    clock_offset: AtomicI64,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder: credentials, region, endpoint, transport, timeout.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The configuration requests are built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Calls `action` with JSON parameters; returns the `Response` object (RequestId
    /// included, unknown members kept).
    pub async fn call(&self, action: &str, params: &Value) -> Result<Value, Error> {
        self.execute(action, params, |raw| {
            serde_json::from_str(raw).map_err(|e| Error::Decode {
                message: e.to_string(),
            })
        })
        .await
    }

    /// Calls the action of a typed request from [`crate::models`] and returns its typed
    /// response.
    pub async fn send<A: Action>(&self, request: &A) -> Result<A::Output, Error> {
        let params = serde_json::to_value(request).map_err(|e| Error::Validation {
            action: A::NAME.to_owned(),
            path: String::new(),
            message: format!("cannot serialize the parameters: {e}"),
        })?;
        self.execute(A::NAME, &params, |raw| {
            serde_json::from_str(raw).map_err(|e| Error::Decode {
                message: format!("the Response does not fit the model: {e}"),
            })
        })
        .await
    }

    /// Like [`Client::call`], with per-call options (a trace id), returning the call's
    /// metadata (trace id, RequestId, attempts, status) whether it succeeded or not.
    pub async fn call_with(
        &self,
        action: &str,
        params: &Value,
        options: &CallOptions,
    ) -> (Result<Value, Error>, CallMeta) {
        self.run(action, params, options, |raw| {
            serde_json::from_str(raw).map_err(|e| Error::Decode {
                message: e.to_string(),
            })
        })
        .await
    }

    async fn execute<T>(
        &self,
        action: &str,
        params: &Value,
        parse: impl Fn(&str) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.run(action, params, &CallOptions::default(), parse)
            .await
            .0
    }

    /// The attempt loop: build (validation first, before any I/O), send, classify; retry
    /// what the policy allows; re-sign once with the server's clock on
    /// `AuthFailure.SignatureExpire`. Hooks and DEBUG events around each attempt.
    async fn run<T>(
        &self,
        action: &str,
        params: &Value,
        options: &CallOptions,
        parse: impl Fn(&str) -> Result<T, Error>,
    ) -> (Result<T, Error>, CallMeta) {
        let inner = &self.inner;
        let started = std::time::Instant::now();
        let mut meta = CallMeta {
            trace_id: options.trace_id.clone().unwrap_or_else(stamp::trace_id),
            ..CallMeta::default()
        };
        let spec = match crate::validate::lookup_action(action) {
            Ok(spec) => spec,
            Err(e) => return (Err(e), meta),
        };
        let log_bytes = options.log_body_bytes.unwrap_or(2048);
        let mut resigned = false;
        loop {
            meta.attempts += 1;
            let info = CallInfo {
                action,
                attempt: meta.attempts,
                trace_id: &meta.trace_id,
                elapsed: started.elapsed(),
            };
            let offset = inner.clock_offset.load(Ordering::Relaxed);
            let mut stamp = stamp::fresh(offset);
            stamp.trace_id = Some(meta.trace_id.clone());
            let mut request =
                match build_request(action, params, &inner.config, &inner.credentials, &stamp) {
                    Ok(r) => r,
                    Err(e) => {
                        inner.hooks.on_error(&info, &e);
                        return (Err(e), finish(meta, started));
                    }
                };
            let mut extra = Vec::new();
            inner.hooks.before_send(&info, &mut extra);
            for (k, v) in extra {
                if request.header(&k).is_none() {
                    request.headers.push((k, v));
                }
            }
            let host = request.header("Host").unwrap_or_default().to_owned();
            // Kept for the DEBUG event only when DEBUG is on.
            let request_body = if observe::debug_enabled() {
                request.body.clone()
            } else {
                Vec::new()
            };
            let sent_at = std::time::Instant::now();
            let (error, date) = match inner.transport.send(request, inner.timeout).await {
                Ok(response) => {
                    meta.status = response.status;
                    let classified =
                        classify_response(response.status, &response.body, inner.max_body_bytes);
                    let request_id = match &classified {
                        Ok(view) => view.request_id.clone(),
                        Err(e) => e.request_id().map(str::to_owned),
                    };
                    meta.request_id = request_id.clone();
                    inner
                        .hooks
                        .after_receive(&info, response.status, request_id.as_deref());
                    let (answered, outcome) = match classified {
                        Ok(view) => (true, parse(view.raw)),
                        Err(e) => (false, Err(e)),
                    };
                    observe::log_attempt(
                        &info,
                        &host,
                        response.status,
                        request_id.as_deref(),
                        sent_at.elapsed(),
                        &request_body,
                        &response.body,
                        outcome.as_ref().err(),
                        log_bytes,
                    );
                    match outcome {
                        Ok(value) => return (Ok(value), finish(meta, started)),
                        // A whole answer that parses into no value is final.
                        Err(e) if answered => {
                            inner.hooks.on_error(&info, &e);
                            return (Err(e), finish(meta, started));
                        }
                        Err(e) => (e, header(&response.headers, "date")),
                    }
                }
                Err(e) => {
                    observe::log_attempt(
                        &info,
                        &host,
                        0,
                        None,
                        sent_at.elapsed(),
                        &request_body,
                        b"",
                        Some(&e),
                        log_bytes,
                    );
                    (e, None)
                }
            };
            if error.code() == "AuthFailure.SignatureExpire" && !resigned {
                if let Some(offset) =
                    date.and_then(|d| retry::clock_offset(&d, stamp.timestamp - offset))
                {
                    inner.clock_offset.store(offset, Ordering::Relaxed);
                    resigned = true;
                    continue;
                }
            }
            let elapsed = started.elapsed().as_millis() as u64;
            match retry::decide(
                &inner.retry,
                meta.attempts,
                &error,
                spec,
                elapsed,
                stamp::jitter(),
            ) {
                Decision::Retry { delay_ms } => {
                    let delay = Duration::from_millis(delay_ms);
                    inner.hooks.on_retry(&info, &error, delay);
                    inner.transport.sleep(delay).await
                }
                Decision::Stop => {
                    inner.hooks.on_error(&info, &error);
                    return (Err(error), finish(meta, started));
                }
            }
        }
    }
}

fn finish(mut meta: CallMeta, started: std::time::Instant) -> CallMeta {
    meta.elapsed = started.elapsed();
    meta
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}
