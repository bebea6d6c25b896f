//! Credentials: a SecretId, a SecretKey and an optional session token, never printed.

use std::fmt;
use std::sync::Arc;

use crate::signing::tc3::KeyCache;

/// A SecretId / SecretKey pair with an optional temporary-credential token.
///
/// `Debug` prints the SecretId only; the key and the token are redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    /// The TC3 signing key of the last day signed for (shared by clones: same key).
    key_cache: SharedKeyCache,
}

/// A [`KeyCache`] shared by clones; it takes no part in equality.
#[derive(Clone, Default)]
struct SharedKeyCache(Arc<KeyCache>);

impl PartialEq for SharedKeyCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for SharedKeyCache {}

impl Credentials {
    /// Credentials from a SecretId and a SecretKey.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credentials {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
            key_cache: SharedKeyCache::default(),
        }
    }

    /// The same credentials with a temporary-credential token (sent as `X-TC-Token`).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.token = (!token.is_empty()).then_some(token);
        self
    }

    /// The SecretId (public: it appears in the Authorization header).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey. Handle with care: never log it.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The TC3 signing-key cache of this SecretKey.
    pub(crate) fn key_cache(&self) -> &KeyCache {
        &self.key_cache.0
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"** REDACTED **")
            .field("token", &self.token.as_ref().map(|_| "** REDACTED **"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_key_and_token() {
        let c = Credentials::new("AKIDpublic", "very-secret-key").with_token("tok-secret");
        let s = format!("{c:?}");
        assert!(s.contains("AKIDpublic"));
        assert!(!s.contains("very-secret-key"));
        assert!(!s.contains("tok-secret"));
    }
}
