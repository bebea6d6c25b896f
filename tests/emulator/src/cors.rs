//! CORS, so that a page in a browser can call the emulator.

use hyper::header::{HeaderMap, HeaderValue};

/// The request headers a browser may send.
pub const ALLOW_HEADERS: &str = "Authorization, Content-Type, X-TC-Action, X-TC-Version, \
X-TC-Timestamp, X-TC-Region, X-TC-Token, X-TC-Language, X-TC-RequestClient, \
X-TC-Content-SHA256, X-TC-TraceId, X-Emulator-Fault";

/// Adds the headers every response carries.
pub fn decorate(headers: &mut HeaderMap) {
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("Date, Content-Length"),
    );
}

/// Adds the preflight answer's headers.
pub fn preflight(headers: &mut HeaderMap) {
    decorate(headers);
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(ALLOW_HEADERS),
    );
    headers.insert("access-control-max-age", HeaderValue::from_static("600"));
}
