//! Faults on demand: the `X-Emulator-Fault` grammar, per-action rules and `times=N` counters.
//!
//! A fault spec is a list of directives separated by `;` or `,`:
//! `status=503`, `html502`, `throttle`, `reset=before|after`, `delay_ms=N`, `truncate`,
//! `malformed`, `slow_body_ms=N`, `content_type=TYPE`, `oversize_mb=N`, `nested=N`,
//! `date_skew_s=N`, plus the modifiers `times=N`, `key=NAME` and `action=NAME`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// When a connection reset happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetPhase {
    /// Before the request is processed (for TC3, before its body is read): no side effect.
    Before,
    /// After the request was processed: the side effect happened, the answer is lost.
    After,
}

/// One parsed fault spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fault {
    /// Answer with this HTTP status and a JSON error (not processed).
    pub status: Option<u16>,
    /// Answer 502 with an HTML body (not processed).
    pub html502: bool,
    /// Answer `RequestLimitExceeded` (not processed).
    pub throttle: bool,
    /// Reset the connection.
    pub reset: Option<ResetPhase>,
    /// Wait this long after processing, before the response head.
    pub delay: Option<Duration>,
    /// Declare the full length, send half the body, close.
    pub truncate: bool,
    /// Send a body that is not JSON.
    pub malformed: bool,
    /// Spread the body over this long.
    pub slow_body: Option<Duration>,
    /// Send this Content-Type instead of `application/json`.
    pub content_type: Option<String>,
    /// Send a valid response padded to this many MiB.
    pub oversize_mb: Option<u64>,
    /// Send a valid response with a member nested this deep.
    pub nested: Option<u32>,
    /// Shift the `Date` header by this many seconds.
    pub date_skew_s: Option<i64>,
    /// Only the first N matching requests get the fault.
    pub times: Option<u64>,
    /// The counter that `times` uses (default: the spec text and the action).
    pub key: Option<String>,
    /// Only requests for this action match.
    pub action: Option<String>,
}

impl Fault {
    /// Parses a fault spec; the error names the directive that is wrong.
    pub fn parse(spec: &str) -> Result<Fault, String> {
        let mut f = Fault::default();
        for part in spec
            .split([';', ','])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (key, value) = match part.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim())),
                None => (part, None),
            };
            let need = || value.ok_or_else(|| format!("fault directive `{key}` needs a value"));
            let num = || -> Result<u64, String> {
                need()?
                    .parse::<u64>()
                    .map_err(|_| format!("fault directive `{key}` needs a whole number"))
            };
            match key {
                "status" => {
                    let s = num()?;
                    if !(400..=599).contains(&s) {
                        return Err("fault `status` must be 400..=599".to_owned());
                    }
                    f.status = Some(s as u16);
                }
                "html502" => f.html502 = true,
                "throttle" => f.throttle = true,
                "reset" => {
                    f.reset = Some(match value.unwrap_or("before") {
                        "before" => ResetPhase::Before,
                        "after" => ResetPhase::After,
                        _ => return Err("fault `reset` is `before` or `after`".to_owned()),
                    })
                }
                "delay_ms" => f.delay = Some(Duration::from_millis(num()?)),
                "truncate" => f.truncate = true,
                "malformed" => f.malformed = true,
                "slow_body_ms" => f.slow_body = Some(Duration::from_millis(num()?)),
                "content_type" => f.content_type = Some(need()?.to_owned()),
                "oversize_mb" => f.oversize_mb = Some(num()?.min(1024)),
                "nested" => f.nested = Some(num()?.min(1_000_000) as u32),
                "date_skew_s" => {
                    f.date_skew_s = Some(
                        need()?
                            .parse::<i64>()
                            .map_err(|_| "fault `date_skew_s` needs an integer".to_owned())?,
                    )
                }
                "times" => f.times = Some(num()?),
                "key" => f.key = Some(need()?.to_owned()),
                "action" => f.action = Some(need()?.to_owned()),
                other => return Err(format!("unknown fault directive `{other}`")),
            }
        }
        Ok(f)
    }

    /// Whether the request is refused before it is processed (no side effect).
    pub fn rejects(&self) -> bool {
        self.status.is_some()
            || self.html502
            || self.throttle
            || self.reset == Some(ResetPhase::Before)
    }
}

/// A fault that applies to every request for one action (from `--fault` or the admin API).
#[derive(Debug)]
struct Rule {
    fault: Fault,
    hits: u64,
}

/// The fault registry: per-action rules and the `times` counters of header faults.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<HashMap<String, Rule>>,
    counters: Mutex<HashMap<String, u64>>,
}

impl Faults {
    /// Sets (or replaces) the rule for `action`.
    pub fn set_rule(&self, action: &str, fault: Fault) {
        self.rules
            .lock()
            .unwrap()
            .insert(action.to_owned(), Rule { fault, hits: 0 });
    }

    /// Removes every rule and counter.
    pub fn clear(&self) {
        self.rules.lock().unwrap().clear();
        self.counters.lock().unwrap().clear();
    }

    /// The fault for this request, if one applies: the header's, else the action's rule.
    /// Each returned fault counts against its `times`.
    pub fn pick(&self, header: Option<&str>, action: &str) -> Result<Option<Fault>, String> {
        if let Some(text) = header {
            let fault = Fault::parse(text)?;
            if fault.action.as_deref().is_some_and(|a| a != action) {
                return Ok(None);
            }
            let Some(times) = fault.times else {
                return Ok(Some(fault));
            };
            let key = match &fault.key {
                Some(k) => k.clone(),
                None => format!("{action}\n{text}"),
            };
            let mut counters = self.counters.lock().unwrap();
            let n = counters.entry(key).or_insert(0);
            if *n >= times {
                return Ok(None);
            }
            *n += 1;
            return Ok(Some(fault));
        }
        let mut rules = self.rules.lock().unwrap();
        let Some(rule) = rules.get_mut(action) else {
            return Ok(None);
        };
        if rule.fault.times.is_some_and(|t| rule.hits >= t) {
            return Ok(None);
        }
        rule.hits += 1;
        Ok(Some(rule.fault.clone()))
    }

    /// Whether any per-action rule exists (a fast path for the common case).
    pub fn has_rules(&self) -> bool {
        !self.rules.lock().unwrap().is_empty()
    }
}

/// Parses a `--fault ACTION:SPEC` argument.
pub fn parse_rule(arg: &str) -> Result<(String, Fault), String> {
    let (action, spec) = arg
        .split_once(':')
        .ok_or_else(|| format!("--fault wants ACTION:SPEC, got {arg:?}"))?;
    Ok((action.trim().to_owned(), Fault::parse(spec)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        let f = Fault::parse("status=503; times=2").unwrap();
        assert_eq!(f.status, Some(503));
        assert_eq!(f.times, Some(2));
        assert!(f.rejects());
        let f = Fault::parse("reset=after,delay_ms=20").unwrap();
        assert_eq!(f.reset, Some(ResetPhase::After));
        assert_eq!(f.delay, Some(Duration::from_millis(20)));
        assert!(!f.rejects());
        assert_eq!(
            Fault::parse("reset").unwrap().reset,
            Some(ResetPhase::Before)
        );
        assert!(Fault::parse("status=200").is_err());
        assert!(Fault::parse("bogus").is_err());
        assert!(Fault::parse("delay_ms=x").is_err());
        assert_eq!(
            Fault::parse("content_type=text/plain")
                .unwrap()
                .content_type
                .as_deref(),
            Some("text/plain")
        );
    }

    #[test]
    fn times_counts_per_header_and_action() {
        let faults = Faults::default();
        let h = Some("throttle;times=2");
        assert!(faults.pick(h, "A").unwrap().is_some());
        assert!(faults.pick(h, "A").unwrap().is_some());
        assert!(faults.pick(h, "A").unwrap().is_none());
        assert!(faults.pick(h, "B").unwrap().is_some());
        assert!(faults
            .pick(Some("throttle;action=B"), "A")
            .unwrap()
            .is_none());
        faults.set_rule("C", Fault::parse("status=500;times=1").unwrap());
        assert!(faults.pick(None, "C").unwrap().is_some());
        assert!(faults.pick(None, "C").unwrap().is_none());
        assert!(parse_rule("C:status=502").is_ok());
        assert!(parse_rule("status=502").is_err());
    }
}
