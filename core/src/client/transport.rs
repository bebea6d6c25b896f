//! The transport seam: the host's HTTP, injected.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
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

    /// Waits `duration` before a retry. The default works on any executor (a timer
    /// thread); transports tied to a runtime override it with the runtime's timer.
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(ThreadSleep::new(duration))
    }
}

type SleepState = Arc<Mutex<(bool, Option<Waker>)>>;

/// A runtime-agnostic sleep: a short-lived thread wakes the task.
struct ThreadSleep {
    state: SleepState,
}

impl ThreadSleep {
    fn new(duration: Duration) -> Self {
        let state: SleepState = Arc::default();
        let shared = state.clone();
        std::thread::spawn(move || {
            std::thread::sleep(duration);
            let mut s = shared.lock().unwrap_or_else(|p| p.into_inner());
            s.0 = true;
            if let Some(w) = s.1.take() {
                w.wake();
            }
        });
        ThreadSleep { state }
    }
}

impl Future for ThreadSleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if s.0 {
            Poll::Ready(())
        } else {
            s.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
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
