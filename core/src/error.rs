//! The one error type of the crate, split by where the failure happened.

use std::fmt;

/// Everything that can go wrong, from parameter validation to the service's answer.
///
/// Local kinds ([`Error::Validation`], [`Error::Signing`]) happen before any I/O; remote kinds
/// ([`Error::Api`], [`Error::Http`], [`Error::Decode`]) classify what the server sent;
/// [`Error::Transport`] and [`Error::Timeout`] come from the host's HTTP. No variant ever
/// holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The parameters do not fit the spec (or the action is unknown); nothing was sent.
    Validation {
        /// The action as the caller named it.
        action: String,
        /// Where in the parameters: `FlowApprovers[0].ApproverType`; empty for the action
        /// itself or the whole parameter object.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The request could not be signed (bad configuration); nothing was sent.
    Signing {
        /// What is wrong.
        message: String,
    },
    /// The service answered with `Response.Error`.
    Api {
        /// `Error.Code`, e.g. `OperationDenied` or `AuthFailure.SignatureExpire`.
        code: String,
        /// `Error.Message`.
        message: String,
        /// `Response.RequestId`, when present.
        request_id: Option<String>,
    },
    /// A non-2xx HTTP status without a readable API error.
    Http {
        /// The HTTP status.
        status: u16,
        /// The first bytes of the body, for diagnosis.
        body_excerpt: String,
    },
    /// A 2xx answer that is not the `{"Response": {...}}` envelope.
    Decode {
        /// Why it could not be decoded.
        message: String,
    },
    /// The host's HTTP stack failed (connect, TLS, reset, ...).
    Transport {
        /// What failed.
        message: String,
        /// Whether the request provably never left (safe to retry for any action).
        not_sent: bool,
    },
    /// The call did not finish within its timeout (for a waiter: its deadline).
    Timeout {
        /// The timeout that elapsed, in milliseconds.
        after_ms: u64,
    },
    /// A callback was refused: bad `Content-Signature`, wrong key, undecryptable or
    /// malformed body. Answer the sender with an error status; never process it.
    Callback {
        /// Why it was refused (never the key, the token or the body).
        message: String,
    },
    /// A `CreateRequestWithEncryption` envelope could not be sealed or opened: bad key
    /// length, integrity check failed, bad padding or base64.
    Crypto {
        /// What failed (never a key or the plaintext).
        message: String,
    },
    /// An asynchronous task (file conversion, batch cancel, registration, evidence report)
    /// ended in failure.
    Task {
        /// The task kind, e.g. `file_convert`.
        task: String,
        /// The task id.
        task_id: String,
        /// The final status the service reported, e.g. `-6` or `TIMEOUT`.
        status: String,
        /// The service's message, if any.
        message: String,
    },
}

impl Error {
    /// The kind as a short stable word: `validation`, `signing`, `api`, `http`, `decode`,
    /// `transport`, `timeout`, `callback`, `crypto` or `task` (the names the conformance
    /// vectors and bindings use).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::Signing { .. } => "signing",
            Error::Api { .. } => "api",
            Error::Http { .. } => "http",
            Error::Decode { .. } => "decode",
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::Callback { .. } => "callback",
            Error::Crypto { .. } => "crypto",
            Error::Task { .. } => "task",
        }
    }

    /// The code in the official SDKs' sense: the API error code, or a local one
    /// (`ValidationError`, `HttpError`, `DecodeError`, ...).
    pub fn code(&self) -> &str {
        match self {
            Error::Api { code, .. } => code,
            Error::Validation { .. } => "ValidationError",
            Error::Signing { .. } => "SigningError",
            Error::Http { .. } => "HttpError",
            Error::Decode { message } if message.starts_with(crate::response::TOO_LARGE) => {
                "DecodeError.TooLarge"
            }
            Error::Decode { .. } => "DecodeError",
            Error::Transport { .. } => "TransportError",
            Error::Timeout { .. } => "TimeoutError",
            Error::Callback { .. } => "CallbackError",
            Error::Crypto { .. } => "CryptoError",
            Error::Task { .. } => "TaskFailed",
        }
    }

    /// The RequestId the service gave, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn validation(action: &str, path: String, message: impl Into<String>) -> Self {
        Error::Validation {
            action: action.to_owned(),
            path,
            message: message.into(),
        }
    }

    pub(crate) fn callback(message: impl Into<String>) -> Self {
        Error::Callback {
            message: message.into(),
        }
    }

    pub(crate) fn crypto(message: impl Into<String>) -> Self {
        Error::Crypto {
            message: message.into(),
        }
    }

    pub(crate) fn decode(message: impl Into<String>) -> Self {
        Error::Decode {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation {
                action,
                path,
                message,
            } if path.is_empty() => write!(f, "{action}: {message}"),
            Error::Validation {
                action,
                path,
                message,
            } => write!(f, "{action}: {path}: {message}"),
            Error::Signing { message } => write!(f, "cannot sign the request: {message}"),
            Error::Api {
                code,
                message,
                request_id,
            } => {
                write!(f, "[{code}] {message}")?;
                if let Some(id) = request_id {
                    write!(f, " (RequestId {id})")?;
                }
                Ok(())
            }
            Error::Http {
                status,
                body_excerpt,
            } => write!(f, "HTTP {status}: {body_excerpt}"),
            Error::Decode { message } => write!(f, "cannot decode the response: {message}"),
            Error::Transport { message, .. } => write!(f, "transport error: {message}"),
            Error::Timeout { after_ms } => write!(f, "timed out after {after_ms} ms"),
            Error::Callback { message } => write!(f, "callback refused: {message}"),
            Error::Crypto { message } => write!(f, "encryption envelope: {message}"),
            Error::Task {
                task,
                task_id,
                status,
                message,
            } => {
                write!(f, "{task} task {task_id} failed with status {status}")?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}
