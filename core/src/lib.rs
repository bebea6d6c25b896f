//! # essbasic
//!
//! The Tencent E-Sign partner API (腾讯电子签 第三方应用集成, service `essbasic`, version
//! `2021-05-26`) as a sans-I/O core: sign, build a request for any of the 101 actions,
//! validate parameters against the spec, and parse the response into a value or a typed
//! error. Time, nonces and credentials are arguments; nothing here reads a clock, an RNG,
//! the network or the environment, so the same crate serves Rust, Node, WebAssembly and
//! Python.
#![warn(missing_docs, missing_debug_implementations)]

pub mod credentials;
pub mod error;
pub mod generated;
pub mod signing;
pub mod spec;

pub use credentials::Credentials;
pub use error::Error;
