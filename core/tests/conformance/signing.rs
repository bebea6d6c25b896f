//! Cases of kind `signing`: the exact bytes → canonical request, string to sign,
//! signature, headers, v1 body or query.

#[path = "../signing_vectors.rs"]
#[allow(dead_code)]
mod vectors;

pub fn check(case: &serde_json::Value) -> Result<(), String> {
    vectors::check_signing_case(case)
}
