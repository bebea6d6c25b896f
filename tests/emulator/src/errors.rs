//! Errors in the service's shape: HTTP 200,
//! `{"Response":{"Error":{"Code":"...","Message":"..."},"RequestId":"<uuid>"}}`.

use serde_json::json;

/// An API error: a Tencent Cloud error code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The code, e.g. `AuthFailure.SignatureFailure`.
    pub code: String,
    /// The message.
    pub message: String,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// `MissingParameter` for `name`.
    pub fn missing(name: &str) -> ApiError {
        ApiError::new(
            "MissingParameter",
            format!("The request is missing a required parameter `{name}`."),
        )
    }

    /// `InvalidParameter` for `name`.
    pub fn invalid(name: &str, why: &str) -> ApiError {
        ApiError::new(
            "InvalidParameter",
            format!("The parameter `{name}` is invalid: {why}."),
        )
    }

    /// `InvalidParameterValue` for `name`.
    pub fn invalid_value(name: &str, why: &str) -> ApiError {
        ApiError::new(
            "InvalidParameterValue",
            format!("The value of parameter `{name}` is invalid: {why}."),
        )
    }

    /// `ResourceNotFound.Flow` for a flow id.
    pub fn flow_not_found(id: &str) -> ApiError {
        ApiError::new(
            "ResourceNotFound.Flow",
            format!("The flow `{id}` does not exist (合同流程不存在)."),
        )
    }

    /// The response body.
    pub fn body(&self, request_id: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "Response": {
                "Error": { "Code": self.code, "Message": self.message },
                "RequestId": request_id,
            }
        }))
        .expect("serializes")
    }
}

/// A fresh RequestId (a UUID v4).
pub fn request_id() -> String {
    crate::rng::uuid_v4()
}
