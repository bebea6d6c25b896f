//! Command-line parsing: a small hand-written parser (`--name value`, `--name=value`, flags).

use std::collections::HashMap;

/// A usage error: exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage(pub String);

/// Options that take a value.
const VALUED: &[&str] = &[
    "--json",
    "--secret-id",
    "--secret-key",
    "--token",
    "--profile",
    "--credentials-file",
    "--endpoint",
    "--file-endpoint",
    "--region",
    "--language",
    "--timeout",
    "--task-id",
    "--deadline",
    "--interval-ms",
    "--business-type",
    "--key",
    "--signature",
    "--callback-token",
];

/// Options without a value.
const FLAGS: &[&str] = &[
    "--test-env",
    "--all",
    "--start",
    "--progress",
    "--no-progress",
    "--compact",
    "--help",
    "-h",
    "--version",
    "-V",
];

/// Parsed arguments: positionals in order, options by name (last one wins), flags.
#[derive(Debug, Default)]
pub struct Args {
    /// Positional arguments.
    pub positional: Vec<String>,
    options: HashMap<String, String>,
    flags: Vec<String>,
}

impl Args {
    /// Parses the arguments after the program name.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, Usage> {
        let mut out = Args::default();
        let mut it = args.into_iter();
        let mut only_positional = false;
        while let Some(arg) = it.next() {
            if only_positional || !arg.starts_with('-') || arg == "-" {
                out.positional.push(arg);
                continue;
            }
            if arg == "--" {
                only_positional = true;
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                None => (arg.clone(), None),
            };
            if VALUED.contains(&name.as_str()) {
                let value = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .ok_or_else(|| Usage(format!("{name} needs a value")))?,
                };
                out.options.insert(name, value);
            } else if FLAGS.contains(&name.as_str()) {
                if inline.is_some() {
                    return Err(Usage(format!("{name} takes no value")));
                }
                out.flags.push(name);
            } else {
                return Err(Usage(format!(
                    "unknown option {name} (see `essbasic --help`)"
                )));
            }
        }
        Ok(out)
    }

    /// An option's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    /// Whether a flag was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// A number option.
    pub fn number(&self, name: &str) -> Result<Option<f64>, Usage> {
        self.get(name)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .ok_or_else(|| Usage(format!("{name} needs a non-negative number, got {v:?}")))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(a: &[&str]) -> Result<Args, Usage> {
        Args::parse(a.iter().map(|s| s.to_string()))
    }

    #[test]
    fn options_flags_positionals() {
        let a = parse(&[
            "DescribeTemplates",
            "--json={}",
            "--endpoint",
            "http://x",
            "--all",
        ])
        .unwrap();
        assert_eq!(a.positional, ["DescribeTemplates"]);
        assert_eq!(a.get("--json"), Some("{}"));
        assert_eq!(a.get("--endpoint"), Some("http://x"));
        assert!(a.flag("--all"));
        assert!(parse(&["--json"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--all=1"]).is_err());
        let a = parse(&["upload", "--", "--weird-name.pdf"]).unwrap();
        assert_eq!(a.positional, ["upload", "--weird-name.pdf"]);
        assert!(parse(&["--deadline", "x"])
            .unwrap()
            .number("--deadline")
            .unwrap_err()
            .0
            .contains("number"));
    }
}
