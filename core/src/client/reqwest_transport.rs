//! The default transport: reqwest with rustls and a keep-alive connection pool.

use std::time::Duration;

use super::transport::{BoxFuture, HttpResponse, Transport};
use crate::request::HttpRequest;
use crate::Error;

/// A [`Transport`] on a shared `reqwest::Client` (connection pool, HTTP/1.1 keep-alive).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with a fresh connection pool.
    pub fn new() -> Result<Self, Error> {
        let client = reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .build()
            .map_err(|e| Error::Transport {
                message: format!("cannot start the HTTP client: {e}"),
                not_sent: true,
            })?;
        Ok(ReqwestTransport { client })
    }

    /// A transport over a `reqwest::Client` you configured (proxy, TLS roots, ...).
    pub fn with_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }
}

impl Transport for ReqwestTransport {
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn send(
        &self,
        request: HttpRequest,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let method = match request.method {
                "GET" => reqwest::Method::GET,
                _ => reqwest::Method::POST,
            };
            let mut builder = self.client.request(method, &request.url).timeout(timeout);
            for (name, value) in &request.headers {
                // reqwest sets Host from the URL; the signed value is the same authority.
                if !name.eq_ignore_ascii_case("host") {
                    builder = builder.header(name, value);
                }
            }
            let response = builder
                .body(request.body)
                .send()
                .await
                .map_err(|e| map_error(e, timeout))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = response
                .bytes()
                .await
                .map_err(|e| map_error(e, timeout))?
                .to_vec();
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

fn map_error(e: reqwest::Error, timeout: Duration) -> Error {
    if e.is_timeout() {
        return Error::Timeout {
            after_ms: timeout.as_millis() as u64,
        };
    }
    Error::Transport {
        not_sent: e.is_connect(),
        message: e.without_url().to_string(),
    }
}
