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
mod stamp;
mod transport;

#[cfg(feature = "reqwest")]
mod reqwest_transport;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub use builder::ClientBuilder;
pub use transport::{BoxFuture, HttpResponse, Transport};

#[cfg(feature = "reqwest")]
pub use reqwest_transport::ReqwestTransport;

use crate::generated::Action;
use crate::request::{build_request, Config};
use crate::response::classify_response;
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
        let (status, body) = self.roundtrip(action, params).await?;
        let view = classify_response(status, &body, self.inner.max_body_bytes)?;
        serde_json::from_str(view.raw).map_err(|e| Error::Decode {
            message: e.to_string(),
        })
    }

    /// Calls the action of a typed request from [`crate::models`] and returns its typed
    /// response.
    pub async fn send<A: Action>(&self, request: &A) -> Result<A::Output, Error> {
        let params = serde_json::to_value(request).map_err(|e| Error::Validation {
            action: A::NAME.to_owned(),
            path: String::new(),
            message: format!("cannot serialize the parameters: {e}"),
        })?;
        let (status, body) = self.roundtrip(A::NAME, &params).await?;
        let view = classify_response(status, &body, self.inner.max_body_bytes)?;
        serde_json::from_str(view.raw).map_err(|e| Error::Decode {
            message: format!("the Response does not fit the model: {e}"),
        })
    }

    async fn roundtrip(&self, action: &str, params: &Value) -> Result<(u16, Vec<u8>), Error> {
        let inner = &self.inner;
        let stamp = stamp::fresh();
        let request = build_request(action, params, &inner.config, &inner.credentials, &stamp)?;
        let response = inner.transport.send(request, inner.timeout).await?;
        Ok((response.status, response.body))
    }
}
