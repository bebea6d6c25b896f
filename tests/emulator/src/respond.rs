//! Building responses: `Date` and CORS on every one, and the post-processing faults
//! (delay, reset after processing, truncation, malformed / nested / oversized bodies, slow
//! bodies, a wrong Content-Type, a skewed `Date`).

use std::cell::RefCell;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, DATE};
use hyper::Response;

use crate::body::Body;
use crate::cors;
use crate::faults::{Fault, ResetPhase};
use crate::stats::Stats;

/// Chunk size of streamed bodies.
const CHUNK: usize = 64 << 10;

/// The connection-level error that makes hyper drop the connection without an answer.
#[derive(Debug)]
pub struct Abort;

impl std::fmt::Display for Abort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection aborted on purpose")
    }
}

impl std::error::Error for Abort {}

/// Per-connection switch: when set, the socket is closed with a TCP RST.
#[derive(Debug, Default)]
pub struct ResetFlag(AtomicBool);

impl ResetFlag {
    /// Asks for a reset when the connection is dropped.
    pub fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether a reset was asked for.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// A plain response, before faults.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content-Type.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A 200 JSON reply.
    pub fn json(body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            content_type: "application/json",
            body,
        }
    }
}

/// A response with `Date` (from `now`) and CORS headers.
pub fn plain(status: u16, content_type: &str, body: Body, now: SystemTime) -> Response<Body> {
    let mut resp = Response::new(body);
    *resp.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    let h = resp.headers_mut();
    let content_type = match content_type {
        "application/json" => Ok(HeaderValue::from_static("application/json")),
        other => HeaderValue::from_str(other),
    };
    if let Ok(v) = content_type {
        h.insert(CONTENT_TYPE, v);
    }
    h.insert(DATE, http_date(now));
    cors::decorate(h);
    resp
}

/// The `Date` header for `now`, formatted once per second (per thread).
fn http_date(now: SystemTime) -> HeaderValue {
    thread_local! {
        static LAST: RefCell<Option<(SystemTime, HeaderValue)>> = const { RefCell::new(None) };
    }
    // An HTTP date has whole seconds: the same second formats the same.
    let second = match now.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => now - Duration::from_nanos(u64::from(d.subsec_nanos())),
        Err(_) => return format_date(now),
    };
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((t, v)) = &*last {
            if *t == second {
                return v.clone();
            }
        }
        let v = format_date(second);
        *last = Some((second, v.clone()));
        v
    })
}

fn format_date(t: SystemTime) -> HeaderValue {
    HeaderValue::from_str(&httpdate::fmt_http_date(t)).expect("an HTTP date is ASCII")
}

/// Applies the post-processing part of `fault` to `reply`.
pub async fn finish(
    reply: Reply,
    fault: Option<&Fault>,
    now: SystemTime,
    reset: &ResetFlag,
    stats: &Stats,
    request_id: &str,
) -> Result<Response<Body>, Abort> {
    let Some(f) = fault else {
        return Ok(plain(
            reply.status,
            reply.content_type,
            Body::full(reply.body),
            now,
        ));
    };
    if f.reset == Some(ResetPhase::After) {
        stats.fault("reset_after");
        reset.set();
        return Err(Abort);
    }
    if let Some(d) = f.delay {
        stats.fault("delay");
        tokio::time::sleep(d).await;
    }
    let now = match f.date_skew_s {
        Some(s) => {
            stats.fault("date_skew");
            shift(now, s)
        }
        None => now,
    };
    let content_type = f.content_type.as_deref().unwrap_or(reply.content_type);
    if f.content_type.is_some() {
        stats.fault("content_type");
    }
    let mut body = reply.body;
    if f.malformed {
        stats.fault("malformed");
        body =
            format!(r#"{{"Response":{{"RequestId":"{request_id}","Error":{{"Code":"#).into_bytes();
        body.extend_from_slice(b"<not json>\xff");
    }
    if let Some(depth) = f.nested {
        stats.fault("nested");
        body = nested_body(request_id, depth as usize);
    }
    if let Some(mb) = f.oversize_mb {
        stats.fault("oversize");
        return Ok(oversized(request_id, mb, content_type, now, f.slow_body));
    }
    if f.truncate {
        stats.fault("truncate");
    }
    if f.slow_body.is_some() {
        stats.fault("slow_body");
    }
    if !f.truncate && f.slow_body.is_none() {
        return Ok(plain(reply.status, content_type, Body::full(body), now));
    }
    let total = body.len();
    let sent = if f.truncate { total / 2 } else { total };
    let chunks = split(Bytes::from(body).slice(..sent), 10);
    let pause = f.slow_body.map(|d| d / 10);
    let (tx, stream) = Body::channel();
    let truncate = f.truncate;
    tokio::spawn(async move {
        for chunk in chunks {
            if let Some(p) = pause {
                tokio::time::sleep(p).await;
            }
            if tx.send(Ok(chunk)).await.is_err() {
                return;
            }
        }
        if truncate {
            let _ = tx
                .send(Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "truncated",
                )))
                .await;
        }
    });
    let mut resp = plain(reply.status, content_type, stream, now);
    resp.headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(total));
    Ok(resp)
}

fn shift(t: SystemTime, s: i64) -> SystemTime {
    if s >= 0 {
        t + Duration::from_secs(s as u64)
    } else {
        t - Duration::from_secs(s.unsigned_abs())
    }
}

/// `n` roughly equal pieces (at least one byte each, none when empty).
fn split(b: Bytes, n: usize) -> Vec<Bytes> {
    if b.is_empty() {
        return Vec::new();
    }
    let size = b.len().div_ceil(n).max(1);
    (0..b.len())
        .step_by(size)
        .map(|i| b.slice(i..(i + size).min(b.len())))
        .collect()
}

/// A valid response whose `Nested` member is `depth` arrays deep.
fn nested_body(request_id: &str, depth: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(depth * 2 + 64);
    b.extend_from_slice(br#"{"Response":{"Nested":"#);
    b.resize(b.len() + depth, b'[');
    b.resize(b.len() + depth, b']');
    b.extend_from_slice(format!(r#","RequestId":"{request_id}"}}}}"#).as_bytes());
    b
}

/// A valid response padded to `mb` MiB, streamed.
fn oversized(
    request_id: &str,
    mb: u64,
    content_type: &str,
    now: SystemTime,
    slow: Option<Duration>,
) -> Response<Body> {
    let head = Bytes::from(format!(
        r#"{{"Response":{{"RequestId":"{request_id}","Padding":""#
    ));
    let tail = Bytes::from_static(b"\"}}");
    let padding = (mb as usize) << 20;
    let total = head.len() + padding + tail.len();
    let (tx, stream) = Body::channel();
    tokio::spawn(async move {
        let filler = Bytes::from(vec![b'x'; CHUNK]);
        if tx.send(Ok(head)).await.is_err() {
            return;
        }
        let mut left = padding;
        let pause = slow.map(|d| d / (padding / CHUNK + 1).max(1) as u32);
        while left > 0 {
            let n = left.min(CHUNK);
            if let Some(p) = pause {
                tokio::time::sleep(p).await;
            }
            if tx.send(Ok(filler.slice(..n))).await.is_err() {
                return;
            }
            left -= n;
        }
        let _ = tx.send(Ok(tail)).await;
    });
    let mut resp = plain(200, content_type, stream, now);
    resp.headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(total));
    resp
}

/// Shared with the request path: the `Arc` a connection and its requests hold.
pub type SharedReset = Arc<ResetFlag>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_dates_are_the_formatted_ones() {
        let base = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for t in [
            base,
            base + Duration::from_millis(999),
            base + Duration::from_millis(1000),
            base + Duration::from_millis(1500),
            base - Duration::from_millis(1),
            base + Duration::from_secs(86_400 * 400),
            base,
        ] {
            assert_eq!(
                http_date(t).to_str().unwrap(),
                httpdate::fmt_http_date(t),
                "{t:?}"
            );
        }
    }
}
