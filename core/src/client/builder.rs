//! Configuring a [`Client`].

use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::Duration;

use super::{Client, Inner, Transport};
use crate::request::{Config, HttpMethod};
use crate::response::DEFAULT_MAX_BODY_BYTES;
use crate::retry::RetryPolicy;
use crate::{Credentials, Error, SignMethod};

/// The environment variables read by [`ClientBuilder::from_env`].
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// See [`ENV_SECRET_ID`].
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// See [`ENV_SECRET_ID`].
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// The profile section [`ClientBuilder::from_default_chain`] reads when none is named.
pub const ENV_PROFILE: &str = "TENCENTCLOUD_PROFILE";

/// Builds a [`Client`]. Credentials are required; everything else has a default
/// (production hosts, TC3 over POST, 60 s timeout, the reqwest transport when enabled).
#[derive(Default)]
pub struct ClientBuilder {
    config: Config,
    credentials: Option<Credentials>,
    transport: Option<Arc<dyn Transport>>,
    timeout: Option<Duration>,
    max_body_bytes: Option<usize>,
    retry: Option<RetryPolicy>,
    hooks: Option<Arc<dyn super::Hooks>>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Uses these credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the optional
    /// `TENCENTCLOUD_SESSION_TOKEN`; fails naming the variables when they are missing.
    pub fn from_env(self) -> Result<Self, Error> {
        let get = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        match (get(ENV_SECRET_ID), get(ENV_SECRET_KEY)) {
            (Some(id), Some(key)) => {
                let mut creds = Credentials::new(id, key);
                if let Some(token) = get(ENV_SESSION_TOKEN) {
                    creds = creds.with_token(token);
                }
                Ok(self.credentials(creds))
            }
            _ => Err(Error::Signing {
                message: format!("no credentials: set {ENV_SECRET_ID} and {ENV_SECRET_KEY}"),
            }),
        }
    }

    /// The credential chain, the same in every language: credentials given explicitly
    /// (kept if already set), else the environment (`TENCENTCLOUD_SECRET_ID`,
    /// `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN`), else the profile file
    /// `~/.tencentcloud/credentials`, section `profile` or `TENCENTCLOUD_PROFILE` or
    /// `default`. Fails with a message naming everything it looked for. [`build`] applies
    /// it when no credentials were given.
    ///
    /// [`build`]: ClientBuilder::build
    pub fn from_default_chain(self, profile: Option<&str>) -> Result<Self, Error> {
        if self.credentials.is_some() {
            return Ok(self);
        }
        let get = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let (id, key) = (get(ENV_SECRET_ID), get(ENV_SECRET_KEY));
        if id.is_some() || key.is_some() {
            return self.from_env();
        }
        let name = profile
            .map(str::to_owned)
            .or_else(|| get(ENV_PROFILE))
            .unwrap_or_else(|| crate::profile::DEFAULT_PROFILE.to_owned());
        let home = get("HOME").or_else(|| get("USERPROFILE"));
        let path = home.map(|h| std::path::Path::new(&h).join(crate::profile::RELATIVE_PATH));
        let found = match &path {
            Some(p) => match std::fs::read_to_string(p) {
                Ok(text) => crate::profile::parse_profile(&text, &name)?,
                Err(_) => None,
            },
            None => None,
        };
        match found {
            Some(creds) => Ok(self.credentials(creds)),
            None => Err(Error::Signing {
                message: format!(
                    "no credentials: none given, {ENV_SECRET_ID} / {ENV_SECRET_KEY} not set, and no \
                     section [{name}] in {}",
                    path.map_or_else(|| format!("~/{}", crate::profile::RELATIVE_PATH), |p| p.display().to_string())
                ),
            }),
        }
    }

    /// Sets `X-TC-Region` (essbasic needs none).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Sets `X-TC-Language` (`zh-CN` or `en-US`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.config.language = Some(language.into());
        self
    }

    /// Sends every action to this endpoint (`host`, `host:port` or an `http(s)://` URL).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.config.endpoint = Some(endpoint.into());
        self
    }

    /// Sends `UploadFiles` to this endpoint.
    pub fn file_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.config.file_endpoint = Some(endpoint.into());
        self
    }

    /// Uses the joint-debug test environment.
    pub fn test_environment(mut self, yes: bool) -> Self {
        self.config.test_environment = yes;
        self
    }

    /// The signature method (TC3-HMAC-SHA256 by default).
    pub fn sign_method(mut self, method: SignMethod) -> Self {
        self.config.sign_method = method;
        self
    }

    /// The HTTP method (POST by default).
    pub fn http_method(mut self, method: HttpMethod) -> Self {
        self.config.http_method = method;
        self
    }

    /// Rejects parameters the spec does not know.
    pub fn strict(mut self, yes: bool) -> Self {
        self.config.strict = yes;
        self
    }

    /// Replaces the whole request configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// The timeout of each HTTP exchange (60 s by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest response body accepted (64 MiB by default).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = Some(limit);
        self
    }

    /// The retry policy ([`RetryPolicy::default`]: 3 attempts; only what cannot duplicate
    /// a side effect is retried).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Hooks around every attempt (before send, after receive, on retry, on error).
    pub fn hooks(mut self, hooks: impl super::Hooks + 'static) -> Self {
        self.hooks = Some(Arc::new(hooks));
        self
    }

    /// Uses this transport instead of the default one.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let mut this = self.from_default_chain(None)?;
        let credentials = this.credentials.take().ok_or_else(|| Error::Signing {
            message: "no credentials".to_owned(),
        })?;
        let transport = match this.transport.take() {
            Some(t) => t,
            None => default_transport()?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                config: this.config,
                credentials,
                transport,
                timeout: this.timeout.unwrap_or(Duration::from_secs(60)),
                max_body_bytes: this.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
                retry: this.retry.unwrap_or_default(),
                hooks: this
                    .hooks
                    .take()
                    .unwrap_or_else(|| Arc::new(super::NoHooks)),
                clock_offset: AtomicI64::new(0),
            }),
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    Ok(Arc::new(super::ReqwestTransport::new()?))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    Err(Error::Signing {
        message: "no transport: enable the `reqwest` feature or call transport(..)".to_owned(),
    })
}
