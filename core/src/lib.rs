//! # essbasic
//!
//! The Tencent E-Sign partner API (腾讯电子签 第三方应用集成, service `essbasic`, version
//! `2021-05-26`) as a sans-I/O core: sign, build a request for any of the 101 actions,
//! validate parameters against the spec, and parse the response into a value or a typed
//! error. Time, nonces and credentials are arguments; nothing here reads a clock, an RNG,
//! the network or the environment, so the same crate serves Rust, Node, WebAssembly and
//! Python.
//!
//! The call order is `build_*` → send (your HTTP) → `parse_*`:
//!
//! ```
//! use essbasic::{build_request, parse_response, Config, Credentials, Stamp};
//! use serde_json::json;
//!
//! let creds = Credentials::new("AKIDexample", "secret");
//! let stamp = Stamp { timestamp: 1_700_000_000, nonce: 7, trace_id: None };
//! let req = build_request(
//!     "DescribeTemplates",
//!     &json!({"Agent": {"AppId": "app"}, "Limit": 20}),
//!     &Config::default(),
//!     &creds,
//!     &stamp,
//! )?;
//! assert_eq!(req.method, "POST");
//! assert!(req.header("Authorization").unwrap().starts_with("TC3-HMAC-SHA256 "));
//!
//! // ... send `req` with any HTTP client, then:
//! let body = br#"{"Response":{"Templates":[],"TotalCount":0,"RequestId":"r-1"}}"#;
//! let response = parse_response(200, body)?;
//! assert_eq!(response["RequestId"], "r-1");
//! # Ok::<(), essbasic::Error>(())
//! ```
//!
//! A host that drives its runtime's sockets itself (the Node and Python bindings do) frames
//! the request and reads the answer with [`http1`], HTTP/1.1 without I/O.
#![warn(missing_docs, missing_debug_implementations)]

pub mod bigint;
pub mod body;
pub mod callback;
#[doc(hidden)]
pub mod conformance;
pub mod credentials;
mod decimal;
pub mod encryption;
pub mod endpoint;
mod envelope_scan;
pub mod error;
pub mod generated;
pub mod http1;
mod json_text;
mod member_index;
mod mirror;
pub mod paginate;
pub mod profile;
pub mod redact;
pub mod remote;
pub mod request;
pub mod response;
pub mod retry;
pub mod signing;
pub mod spec;
pub mod transcode;
pub mod upload;
pub mod validate;
pub mod waiter;

pub use credentials::Credentials;
pub use error::Error;
pub use request::{
    build_request, build_request_json, build_typed, Config, HttpMethod, HttpRequest, Stamp,
};
pub use response::{classify_response, parse_response, parse_typed, ResponseView};
pub use signing::SignMethod;

#[cfg(feature = "client")]
pub mod client;

/// Typed request, response and object models of every action, generated from the spec.
pub use generated::models;
