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

    /// The attempt loop: build (validation first, before any I/O), send, classify; retry
    /// what the policy allows; re-sign once with the server's clock on
    /// `AuthFailure.SignatureExpire`.
    async fn execute<T>(
        &self,
        action: &str,
        params: &Value,
        parse: impl Fn(&str) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let inner = &self.inner;
        let spec = crate::validate::lookup_action(action)?;
        let started = std::time::Instant::now();
        let mut resigned = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let offset = inner.clock_offset.load(Ordering::Relaxed);
            let stamp = stamp::fresh(offset);
            let request = build_request(action, params, &inner.config, &inner.credentials, &stamp)?;
            let (error, date) = match inner.transport.send(request, inner.timeout).await {
                Ok(response) => {
                    match classify_response(response.status, &response.body, inner.max_body_bytes) {
                        Ok(view) => return parse(view.raw),
                        Err(e) => (e, header(&response.headers, "date")),
                    }
                }
                Err(e) => (e, None),
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
                attempt,
                &error,
                spec,
                elapsed,
                stamp::jitter(),
            ) {
                Decision::Retry { delay_ms } => {
                    inner.transport.sleep(Duration::from_millis(delay_ms)).await
                }
                Decision::Stop => return Err(error),
            }
        }
    }
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}
