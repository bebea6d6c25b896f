//! Support for the demo and the end-to-end tests. Its doc tests compile the README's Rust
//! snippets (kept here, outside the published crate, so the packaged crate stays
//! self-contained).

#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
