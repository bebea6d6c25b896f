//! Command-line configuration.

use std::net::SocketAddr;

use crate::auth::{Key, Keys};
use crate::callbacks::CallbackConfig;
use crate::faults::{self, Fault};

/// The SecretId used when no key is given (documented; the README's demo uses it).
pub const DEFAULT_SECRET_ID: &str = "AKIDessbasicEmulator";
/// The SecretKey used when no key is given.
pub const DEFAULT_SECRET_KEY: &str = "essbasic-emulator-secret-key";

/// Everything the emulator is started with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The accepted key pairs by SecretId.
    pub keys: Keys,
    /// No state: every authenticated, schema-valid request succeeds with a synthesized answer.
    pub stateless: bool,
    /// Unknown members are refused (`UnknownParameter`).
    pub strict: bool,
    /// How many polls a conversion or cancel task reports "processing" before it is done.
    pub task_polls: u32,
    /// Flow-status callbacks, if configured.
    pub callback: Option<CallbackConfig>,
    /// Honour `X-Emulator-Fault` and the fault admin API.
    pub faults_enabled: bool,
    /// Faults applied to every request of an action (`--fault ACTION:SPEC`).
    pub action_faults: Vec<(String, Fault)>,
    /// Seconds added to the emulator's clock (the `Date` header and the signature window).
    pub clock_skew_s: i64,
    /// Requests per second allowed per SecretId and action; 0 = unlimited.
    pub rate_limit: u32,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// Tokio worker threads; 0 = one per core.
    pub workers: usize,
    /// One line per request on stderr (never a secret).
    pub verbose: bool,
}

impl Default for Config {
    fn default() -> Self {
        let mut keys = Keys::new();
        keys.insert(
            DEFAULT_SECRET_ID.to_owned(),
            Key {
                secret_key: DEFAULT_SECRET_KEY.to_owned(),
                token: None,
            },
        );
        Config {
            listen: "127.0.0.1:0".parse().expect("valid"),
            keys,
            stateless: false,
            strict: false,
            task_polls: 1,
            callback: None,
            faults_enabled: false,
            action_faults: Vec::new(),
            clock_skew_s: 0,
            rate_limit: 0,
            max_body: 100 << 20,
            workers: 0,
            verbose: false,
        }
    }
}

/// The `--help` text.
pub const USAGE: &str = "\
essbasic-emulator: a local Tencent E-Sign partner API (essbasic 2021-05-26) for tests

USAGE: essbasic-emulator [OPTIONS]

  --listen ADDR            address to listen on [default: 127.0.0.1:0]; the base URL is
                           printed as the first line on stdout
  --secret-id ID           SecretId of the key pair [default: AKIDessbasicEmulator]
  --secret-key KEY         SecretKey of that pair [default: essbasic-emulator-secret-key]
  --token TOKEN            session token that requests signed by that pair must carry
  --key ID:KEY[:TOKEN]     one more key pair (repeatable)
  --stateless              keep no state: every valid request succeeds, synthesized
  --strict                 refuse members the spec does not know (UnknownParameter)
  --task-polls N           polls before a conversion / cancel task is done [default: 1]
  --callback-url URL       POST flow-status callbacks to this http:// URL
  --callback-key KEY       32-byte AES-256 key for callbacks (required with --callback-url)
  --callback-token TOKEN   token for the Content-Signature HMAC of callbacks
  --faults                 honour the X-Emulator-Fault header and /__emulator/faults
  --fault ACTION:SPEC      inject SPEC into every request for ACTION (repeatable)
  --clock-skew-s N         shift the emulator's clock by N seconds (Date, signature window)
  --rate-limit N           RequestLimitExceeded above N requests/s per SecretId and action
  --max-body-mb N          largest request body [default: 100]
  --workers N              worker threads [default: one per core]
  --verbose                log one line per request on stderr
  -h, --help               this text
";

/// Parses the arguments (without the program name). `Ok(None)` means `--help`.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Config>, String> {
    let mut c = Config::default();
    let mut args = args.into_iter();
    let (mut id, mut secret, mut token) = (None, None, None);
    let mut extra = Vec::new();
    let (mut cb_url, mut cb_key, mut cb_token) = (None, None, None);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |v: String| {
            v.parse::<i64>()
                .map_err(|_| format!("{name} needs a number, got {v:?}"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--listen" => {
                let v = value()?;
                c.listen = v
                    .parse()
                    .map_err(|_| format!("--listen needs HOST:PORT, got {v:?}"))?;
            }
            "--secret-id" => id = Some(value()?),
            "--secret-key" => secret = Some(value()?),
            "--token" => token = Some(value()?),
            "--key" => extra.push(value()?),
            "--stateless" => c.stateless = true,
            "--strict" => c.strict = true,
            "--task-polls" | "--convert-polls" => c.task_polls = number(value()?)?.max(0) as u32,
            "--callback-url" => cb_url = Some(value()?),
            "--callback-key" => cb_key = Some(value()?),
            "--callback-token" => cb_token = Some(value()?),
            "--faults" => c.faults_enabled = true,
            "--fault" => c.action_faults.push(faults::parse_rule(&value()?)?),
            "--clock-skew-s" => c.clock_skew_s = number(value()?)?,
            "--rate-limit" => c.rate_limit = number(value()?)?.max(0) as u32,
            "--max-body-mb" => c.max_body = (number(value()?)?.max(1) as usize) << 20,
            "--workers" => c.workers = number(value()?)?.max(0) as usize,
            "--verbose" | "-v" => c.verbose = true,
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    if id.is_some() || secret.is_some() || !extra.is_empty() {
        c.keys.clear();
    }
    match (id, secret) {
        (Some(id), Some(secret_key)) => {
            c.keys.insert(id, Key { secret_key, token });
        }
        (None, None) if token.is_some() => {
            let key = c
                .keys
                .get_mut(DEFAULT_SECRET_ID)
                .ok_or("--token needs --secret-id")?;
            key.token = token;
        }
        (None, None) => {}
        _ => return Err("--secret-id and --secret-key go together".to_owned()),
    }
    for spec in extra {
        let mut parts = spec.splitn(3, ':');
        let (Some(id), Some(secret_key)) = (parts.next(), parts.next()) else {
            return Err(format!("--key wants ID:KEY[:TOKEN], got {spec:?}"));
        };
        if id.is_empty() || secret_key.is_empty() {
            return Err("--key wants ID:KEY[:TOKEN] with a non-empty ID and KEY".to_owned());
        }
        let token = parts.next().map(str::to_owned);
        c.keys.insert(
            id.to_owned(),
            Key {
                secret_key: secret_key.to_owned(),
                token,
            },
        );
    }
    if c.keys.is_empty() {
        return Err("no key pair configured".to_owned());
    }
    match (cb_url, cb_key) {
        (Some(url), Some(key)) => {
            let cb = CallbackConfig {
                url,
                key,
                token: cb_token,
            };
            cb.check()?;
            c.callback = Some(cb);
        }
        (None, None) => {}
        _ => return Err("--callback-url and --callback-key go together".to_owned()),
    }
    Ok(Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Config>, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_and_keys() {
        let c = parse(&[]).unwrap().unwrap();
        assert!(c.keys.contains_key(DEFAULT_SECRET_ID));
        let c = parse(&[
            "--secret-id",
            "A",
            "--secret-key=B",
            "--key",
            "C:D:T",
            "--stateless",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(c.keys.len(), 2);
        assert_eq!(c.keys["C"].token.as_deref(), Some("T"));
        assert!(c.stateless);
        assert!(parse(&["--secret-id", "A"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--help"]).unwrap().is_none());
        assert!(parse(&["--callback-url", "http://x/", "--callback-key", "short"]).is_err());
        let c = parse(&["--fault", "UploadFiles:status=503;times=1"])
            .unwrap()
            .unwrap();
        assert_eq!(c.action_faults[0].0, "UploadFiles");
    }
}
