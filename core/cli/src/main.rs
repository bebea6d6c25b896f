//! `essbasic`: the Tencent E-Sign partner API (essbasic 2021-05-26) from the command line.
//!
//! ```text
//! essbasic <Action> --json '{...}'          call any action, print the Response as JSON
//! essbasic wait <task> --task-id ID ...     poll an asynchronous task until it ends
//! essbasic upload --business-type T FILE... UploadFiles with the client-side limits
//! essbasic callback decode --key KEY ...    authenticate and decrypt a callback body (stdin)
//! ```
//!
//! Run `essbasic --help` for the options. Exit codes: 0 success, 1 a failed call, a refused
//! callback or a failed task, 2 a usage error. Errors are printed to stderr as
//! `{"Error": {"Kind", "Code", "Message", "RequestId"}}`.

mod args;
mod progress;

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use essbasic::client::Client;
use essbasic::waiter::{TaskKind, WaitPolicy};
use essbasic::{callback, paginate, profile, spec, Credentials, Error};
use serde_json::{json, Value};

use args::{Args, Usage};

const USAGE: &str = "\
essbasic: the Tencent E-Sign partner API (essbasic 2021-05-26) from the command line

USAGE:
  essbasic <Action> [--json JSON|@FILE|@-] [--all] [OPTIONS]
  essbasic wait <TASK> (--task-id ID | --start) [--json JSON] [--deadline SECS] [--progress]
  essbasic upload --business-type TEMPLATE|DOCUMENT|SEAL [--json '{\"Agent\":{...}}'] FILE...
  essbasic callback decode [--key KEY] [--token TOKEN] [--signature 'sha256=...'] < body
  essbasic callback seal [--key KEY] [--token TOKEN] < envelope.json
  essbasic actions [--all]

CALLS
  <Action>                any of the 101 actions, e.g. DescribeTemplates
  --json JSON             the parameters: inline JSON, @FILE, or @- for stdin [default: {}]
  --all                   for paginated actions: fetch every page, print all items as an array

TASKS (wait)
  convert                 CreateFileConvertTask -> DescribeFileConvertTask
  convert-legacy          ChannelCreateConvertTaskApi -> ChannelGetTaskResultApi
  cancel                  ChannelBatchCancelFlows -> DescribeCancelFlowsTask
  registration            CreateBatchOrganizationRegistrationTasks -> DescribeBatchOrganizationRegistrationTasks
  evidence                CreateChannelFlowEvidenceReport -> DescribeChannelFlowEvidenceReport
  --task-id ID            the task (or report) id to wait for; --json supplies the Agent
  --start                 start the task with --json as the start action's parameters, then wait
  --deadline SECS         give up after SECS seconds [default: 600]
  --interval-ms N         the first wait between polls, growing x1.5 up to 15 s [default: 1000]
  --progress              report every poll on stderr (a bar on a terminal, else JSON lines)
  --no-progress           report nothing, even on a terminal

CREDENTIALS (first found wins)
  --secret-id ID --secret-key KEY [--token TOKEN]
  TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY [, TENCENTCLOUD_SESSION_TOKEN]
  the profile file: --credentials-file PATH [default: ~/.tencentcloud/credentials],
  section --profile NAME [default: $TENCENTCLOUD_PROFILE or default]

OPTIONS
  --endpoint URL          host, host:port or http(s):// URL (e.g. the emulator)
  --file-endpoint URL     endpoint for UploadFiles only
  --test-env              the joint-debug test environment hosts
  --region REGION         X-TC-Region (essbasic needs none)
  --language zh-CN|en-US  X-TC-Language
  --timeout SECS          timeout of each HTTP exchange [default: 60]
  --compact               one-line JSON output
  -h, --help              this text
  -V, --version           the version

CALLBACKS
  --key KEY               the 32-character callback key [env ESSBASIC_CALLBACK_KEY]
  --token TOKEN           the Content-Signature token [env ESSBASIC_CALLBACK_TOKEN]
  --signature VALUE       the Content-Signature header as received

EXIT: 0 success, 1 failure (structured error on stderr), 2 usage error
";

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(Usage(m)) => return usage_error(&m),
    };
    if args.flag("--version") || args.flag("-V") {
        println!("essbasic {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    if args.flag("--help") || args.flag("-h") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if args.positional.is_empty() {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => usage_error(&m),
        Err(Failure::Error(e)) => {
            print_error(&e);
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    Usage(String),
    Error(Error),
}

impl From<Usage> for Failure {
    fn from(u: Usage) -> Self {
        Failure::Usage(u.0)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e)
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("essbasic: {message}");
    ExitCode::from(2)
}

/// The structured error on stderr (never a secret: core errors carry none).
fn print_error(e: &Error) {
    let v = json!({"Error": {
        "Kind": e.kind(),
        "Code": e.code(),
        "Message": e.to_string(),
        "RequestId": e.request_id(),
    }});
    let _ = writeln!(std::io::stderr(), "{v}");
}

fn run(args: &Args) -> Result<(), Failure> {
    let command = args.positional[0].as_str();
    match command {
        "callback" => run_callback(args),
        "actions" => {
            let list: Vec<Value> = spec::ACTIONS
                .iter()
                .filter(|a| args.flag("--all") || !a.deprecated)
                .map(|a| {
                    json!({"Action": a.name, "Title": a.title, "Deprecated": a.deprecated,
                           "Pageable": paginate::pageable(a.name).is_some()})
                })
                .collect();
            print_json(args, &Value::Array(list));
            Ok(())
        }
        "wait" => run_wait(args),
        "upload" => run_upload(args),
        action => run_call(args, action),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Failure::Error(Error::Transport {
                message: format!("cannot start the runtime: {e}"),
                not_sent: true,
            })
        })
}

fn run_call(args: &Args, action: &str) -> Result<(), Failure> {
    if args.positional.len() > 1 {
        return Err(Failure::Usage(format!(
            "unexpected argument {:?} after the action",
            args.positional[1]
        )));
    }
    if spec::action(action).is_none() {
        return Err(Failure::Usage(format!(
            "unknown action or command {action:?} (see `essbasic actions`)"
        )));
    }
    let params = read_params(args)?;
    let client = client(args)?;
    let rt = runtime()?;
    let out = if args.flag("--all") {
        let items = client.items(action, &params)?;
        Value::Array(rt.block_on(items.collect_all())?)
    } else {
        rt.block_on(client.call(action, &params))?
    };
    print_json(args, &out);
    Ok(())
}

fn run_wait(args: &Args) -> Result<(), Failure> {
    let name = args.positional.get(1).ok_or_else(|| {
        Usage("wait needs a task: convert, convert-legacy, cancel, registration or evidence".into())
    })?;
    let kind = TaskKind::from_name(name).ok_or_else(|| {
        Usage(format!(
            "unknown task {name:?}: convert, convert-legacy, cancel, registration or evidence"
        ))
    })?;
    let params = read_params(args)?;
    let mut policy = WaitPolicy::default();
    if let Some(d) = args.number("--deadline")? {
        policy.deadline_ms = (d * 1000.0) as u64;
    }
    if let Some(i) = args.number("--interval-ms")? {
        policy.initial_delay_ms = i as u64;
    }
    let task_id = match (args.get("--task-id"), args.flag("--start")) {
        (Some(id), false) => Some(id),
        (None, true) => None,
        _ => {
            return Err(Failure::Usage(
                "wait needs either --task-id ID or --start".into(),
            ))
        }
    };
    let client = client(args)?;
    let rt = runtime()?;
    let waiter = match task_id {
        Some(id) => client.waiter(kind, &params, id),
        None => rt.block_on(client.start_task(kind, &params))?,
    };
    let terminal = std::io::stderr().is_terminal();
    let report = !args.flag("--no-progress") && (args.flag("--progress") || terminal);
    let mut waiter = waiter.policy(policy);
    if report {
        let mut bar = progress::Reporter::new(terminal, policy.deadline_ms);
        waiter = waiter.on_progress(move |u| bar.update(u));
    }
    let out = rt.block_on(waiter.wait());
    if report && terminal {
        progress::finish_line();
    }
    print_json(args, &out?);
    Ok(())
}

fn run_upload(args: &Args) -> Result<(), Failure> {
    let business_type = args
        .get("--business-type")
        .ok_or_else(|| Usage("upload needs --business-type TEMPLATE, DOCUMENT or SEAL".into()))?;
    let paths: Vec<PathBuf> = args.positional[1..].iter().map(PathBuf::from).collect();
    if paths.is_empty() {
        return Err(Failure::Usage("upload needs at least one file".into()));
    }
    let params = read_params(args)?;
    let agent = params.get("Agent").cloned().unwrap_or(Value::Null);
    let client = client(args)?;
    let rt = runtime()?;
    let out = rt.block_on(client.upload_paths(&agent, business_type, &paths))?;
    print_json(args, &out);
    Ok(())
}

fn run_callback(args: &Args) -> Result<(), Failure> {
    let sub = args.positional.get(1).map(String::as_str);
    let key = args
        .get("--key")
        .map(str::to_owned)
        .or_else(|| env("ESSBASIC_CALLBACK_KEY"));
    let token = args
        .get("--token")
        .or(args.get("--callback-token"))
        .map(str::to_owned)
        .or_else(|| env("ESSBASIC_CALLBACK_TOKEN"));
    let mut body = Vec::new();
    std::io::stdin()
        .take(callback::MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| Usage(format!("cannot read stdin: {e}")))?;
    match sub {
        Some("decode") => {
            let out = callback::open_value(
                &body,
                key.as_deref(),
                token.as_deref(),
                args.get("--signature"),
            )?;
            print_json(args, &out);
            Ok(())
        }
        Some("seal") => {
            let sealed = callback::seal(&body, key.as_deref(), token.as_deref())?;
            let out = json!({
                "Body": String::from_utf8_lossy(&sealed.body),
                "ContentSignature": sealed.signature,
            });
            print_json(args, &out);
            Ok(())
        }
        _ => Err(Failure::Usage(
            "callback needs a subcommand: decode or seal".into(),
        )),
    }
}

/// `--json`: inline, `@FILE`, `@-` (stdin); `{}` when absent.
fn read_params(args: &Args) -> Result<Value, Failure> {
    let Some(raw) = args.get("--json") else {
        return Ok(json!({}));
    };
    let text = match raw.strip_prefix('@') {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Usage(format!("cannot read the parameters from stdin: {e}")))?;
            s
        }
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Usage(format!("cannot read the parameters from {path}: {e}")))?,
        None => raw.to_owned(),
    };
    let value: Value =
        serde_json::from_str(&text).map_err(|e| Usage(format!("--json is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(Failure::Usage("--json must be a JSON object".into()));
    }
    Ok(value)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Credentials: flags, then the environment, then the profile file.
fn credentials(args: &Args) -> Result<Credentials, Failure> {
    let with_token = |c: Credentials, t: Option<String>| match t {
        Some(t) => c.with_token(t),
        None => c,
    };
    match (args.get("--secret-id"), args.get("--secret-key")) {
        (Some(id), Some(key)) => {
            return Ok(with_token(
                Credentials::new(id, key),
                args.get("--token").map(str::to_owned),
            ))
        }
        (None, None) => {}
        _ => {
            return Err(Failure::Usage(
                "--secret-id and --secret-key go together".into(),
            ))
        }
    }
    if let (Some(id), Some(key)) = (
        env("TENCENTCLOUD_SECRET_ID"),
        env("TENCENTCLOUD_SECRET_KEY"),
    ) {
        return Ok(with_token(
            Credentials::new(id, key),
            env("TENCENTCLOUD_SESSION_TOKEN"),
        ));
    }
    let path = match args.get("--credentials-file") {
        Some(p) => Some(PathBuf::from(p)),
        None => env("HOME")
            .or_else(|| env("USERPROFILE"))
            .map(|h| PathBuf::from(h).join(profile::RELATIVE_PATH)),
    };
    let name = args
        .get("--profile")
        .map(str::to_owned)
        .or_else(|| env("TENCENTCLOUD_PROFILE"))
        .unwrap_or_else(|| profile::DEFAULT_PROFILE.to_owned());
    let no_credentials = || {
        Failure::Error(Error::Signing {
            message: format!(
                "no credentials: pass --secret-id and --secret-key, set TENCENTCLOUD_SECRET_ID \
                 and TENCENTCLOUD_SECRET_KEY, or add a [{name}] section to ~/{}",
                profile::RELATIVE_PATH
            ),
        })
    };
    let Some(path) = path else {
        return Err(no_credentials());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && args.get("--credentials-file").is_none() =>
        {
            return Err(no_credentials())
        }
        Err(e) => {
            return Err(Failure::Error(Error::Signing {
                message: format!("cannot read the credentials file {}: {e}", path.display()),
            }))
        }
    };
    profile::parse_profile(&text, &name)?.ok_or_else(no_credentials)
}

fn client(args: &Args) -> Result<Client, Failure> {
    let owned = |name: &str| args.get(name).map(str::to_owned);
    let config = essbasic::Config {
        region: owned("--region"),
        language: owned("--language"),
        endpoint: owned("--endpoint"),
        file_endpoint: owned("--file-endpoint"),
        test_environment: args.flag("--test-env"),
        request_client: Some(concat!("essbasic-cli/", env!("CARGO_PKG_VERSION")).to_owned()),
        ..essbasic::Config::default()
    };
    let mut b = Client::builder()
        .config(config)
        .credentials(credentials(args)?);
    if let Some(t) = args.number("--timeout")? {
        b = b.timeout(Duration::from_secs_f64(t.max(0.001)));
    }
    Ok(b.build()?)
}

fn print_json(args: &Args, v: &Value) {
    let text = if args.flag("--compact") {
        v.to_string()
    } else {
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}
