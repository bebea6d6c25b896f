//! The transport seam: the host's HTTP, injected.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::request::HttpRequest;
use crate::Error;

/// A boxed future, so that [`Transport`] stays object-safe without extra crates.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What came back: plain data, no HTTP library types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// Sends one request. Implement it to use your own HTTP stack, a proxy or a test double.
///
/// Map failures to [`Error::Transport`] (with `not_sent: true` only when the request
/// provably never left, e.g. connection refused) or [`Error::Timeout`].
pub trait Transport: Send + Sync {
    /// Sends `request`, giving up after `timeout`.
    fn send(
        &self,
        request: HttpRequest,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<HttpResponse, Error>>;
}

impl<F> Transport for F
where
    F: Fn(HttpRequest, Duration) -> BoxFuture<'static, Result<HttpResponse, Error>> + Send + Sync,
{
    fn send(
        &self,
        request: HttpRequest,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        self(request, timeout)
    }
}
