//! The HTTP/1.1 server (hyper on tokio, keep-alive) and the API request path:
//! faults → authentication → action and version → rate limit → schema → state or synthesis.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use essbasic::transcode::canonical_body_seeing;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming as HyperBody;
use hyper::header::HOST;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::admin;
use crate::auth::{self, Incoming};
use crate::body::Body;
use crate::callbacks;
use crate::config::Config;
use crate::cors;
use crate::errors::{self, ApiError};
use crate::faults::{Fault, Faults, ResetPhase};
use crate::respond::{self, Abort, Reply, ResetFlag};
use crate::spec_data::SPEC;
use crate::state::{Ctx, State};
use crate::stats::Stats;
use crate::synth::Template;

/// Everything a request handler shares.
#[derive(Debug)]
pub struct App {
    /// The configuration.
    pub config: Config,
    /// The counters.
    pub stats: Arc<Stats>,
    /// The lifecycle state.
    pub state: Arc<State>,
    /// The fault registry.
    pub faults: Faults,
    templates: Vec<Template>,
    rate: Mutex<HashMap<(String, usize), (i64, u32)>>,
}

impl App {
    /// Builds the shared state; call inside a tokio runtime (the callback task starts here).
    pub fn new(config: Config) -> Arc<App> {
        let stats = Arc::new(Stats::default());
        let sender = config
            .callback
            .clone()
            .map(|cb| callbacks::Sender::start(cb, stats.clone()));
        let faults = Faults::default();
        for (action, fault) in &config.action_faults {
            faults.set_rule(action, fault.clone());
        }
        Arc::new(App {
            state: State::new(config.task_polls, sender),
            templates: SPEC
                .actions
                .iter()
                .map(|a| Template::new(&a.name).expect("every action synthesizes"))
                .collect(),
            stats,
            faults,
            rate: Mutex::default(),
            config,
        })
    }

    /// The emulator's clock (the system clock shifted by `--clock-skew-s`).
    pub fn clock(&self) -> SystemTime {
        let now = SystemTime::now();
        let s = self.config.clock_skew_s;
        if s >= 0 {
            now + Duration::from_secs(s as u64)
        } else {
            now - Duration::from_secs(s.unsigned_abs())
        }
    }

    /// The emulator's clock in Unix seconds.
    pub fn now(&self) -> i64 {
        match self.clock().duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs() as i64),
        }
    }

    fn rate_limited(&self, secret_id: &str, action: usize) -> bool {
        let limit = self.config.rate_limit;
        if limit == 0 {
            return false;
        }
        let now = self.now();
        let mut rate = self.rate.lock().unwrap();
        let slot = rate
            .entry((secret_id.to_owned(), action))
            .or_insert((now, 0));
        if slot.0 != now {
            *slot = (now, 0);
        }
        slot.1 += 1;
        slot.1 > limit
    }
}

/// Accepts connections forever.
pub async fn serve(listener: TcpListener, app: Arc<App>) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(conn) => conn,
            Err(_) => {
                // Out of descriptors or a transient error: back off a little.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(stream, app.clone()));
    }
}

/// Serves one keep-alive connection.
async fn connection(stream: TcpStream, app: Arc<App>) {
    let reset = Arc::new(ResetFlag::default());
    let io = TokioIo::new(Conn {
        stream,
        reset: reset.clone(),
    });
    let service = service_fn(move |req| handle(app.clone(), reset.clone(), req));
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .keep_alive(true)
        .serve_connection(io, service)
        .await;
}

/// A TCP stream that closes with an RST when its request asked for a reset.
struct Conn {
    stream: TcpStream,
    reset: Arc<ResetFlag>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        if self.reset.is_set() {
            let _ = socket2::SockRef::from(&self.stream).set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Routes a request: CORS preflight, the `/__emulator/` admin API, or the API itself.
async fn handle(
    app: Arc<App>,
    reset: Arc<ResetFlag>,
    req: Request<HyperBody>,
) -> Result<Response<Body>, Abort> {
    if req.method() == Method::OPTIONS {
        let mut resp = respond::plain(204, "text/plain", Body::empty(), app.clock());
        cors::preflight(resp.headers_mut());
        return Ok(resp);
    }
    if req.uri().path().starts_with("/__emulator/") {
        return Ok(admin::handle(&app, req).await);
    }
    api(&app, &reset, req).await
}

/// The fault for this request, or an error answer for a bad `X-Emulator-Fault`.
fn pick_fault(app: &App, header: Option<&str>, action: &str) -> Result<Option<Fault>, ApiError> {
    if header.is_none() && !app.faults.has_rules() {
        return Ok(None);
    }
    app.faults
        .pick(header, action)
        .map_err(|e| ApiError::invalid("X-Emulator-Fault", &e))
}

async fn api(
    app: &App,
    reset: &ResetFlag,
    req: Request<HyperBody>,
) -> Result<Response<Body>, Abort> {
    app.stats.request();
    let request_id = errors::request_id();
    let (parts, body) = req.into_parts();
    let fault_header = if app.config.faults_enabled {
        parts
            .headers
            .get("x-emulator-fault")
            .and_then(|v| v.to_str().ok())
    } else {
        None
    };
    let early_action = parts
        .headers
        .get("x-tc-action")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            (parts.method == Method::GET)
                .then(|| parts.uri.query().unwrap_or_default())
                .and_then(|q| {
                    crate::params::parse_form(q.as_bytes())
                        .into_iter()
                        .find(|(k, _)| k == "Action")
                        .map(|(_, v)| v)
                })
        });
    let error_reply = |e: ApiError| Reply::json(e.body(&request_id));
    let mut fault = None;
    if let Some(action) = &early_action {
        match pick_fault(app, fault_header, action) {
            Ok(f) => fault = f,
            Err(e) => {
                return respond::finish(
                    error_reply(e),
                    None,
                    app.clock(),
                    reset,
                    &app.stats,
                    &request_id,
                )
                .await
            }
        }
        if fault
            .as_ref()
            .is_some_and(|f| f.reset == Some(ResetPhase::Before))
        {
            app.stats.fault("reset_before");
            reset.set();
            return Err(Abort);
        }
    }
    let bytes = match Limited::new(body, app.config.max_body).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            let e = ApiError::new(
                "RequestSizeLimitExceeded",
                format!("The request body exceeds {} bytes.", app.config.max_body),
            );
            app.stats.outcome(None, Some(&e.code));
            return respond::finish(
                error_reply(e),
                None,
                app.clock(),
                reset,
                &app.stats,
                &request_id,
            )
            .await;
        }
        Err(_) => return Err(Abort),
    };
    let host = parts
        .headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| parts.uri.authority().map(|a| a.as_str()))
        .unwrap_or_default();
    let incoming = Incoming {
        method: parts.method.as_str(),
        host,
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or_default(),
        headers: &parts.headers,
        body: &bytes,
    };
    if early_action.is_none() {
        let action = auth::action_hint(&incoming).unwrap_or_default();
        match pick_fault(app, fault_header, &action) {
            Ok(f) => fault = f,
            Err(e) => {
                return respond::finish(
                    error_reply(e),
                    None,
                    app.clock(),
                    reset,
                    &app.stats,
                    &request_id,
                )
                .await
            }
        }
        if fault
            .as_ref()
            .is_some_and(|f| f.reset == Some(ResetPhase::Before))
        {
            app.stats.fault("reset_before");
            reset.set();
            return Err(Abort);
        }
    }
    if let Some(f) = &fault {
        if let Some(reply) = rejection(app, f, &request_id) {
            return respond::finish(reply, Some(f), app.clock(), reset, &app.stats, &request_id)
                .await;
        }
    }
    let (action, outcome) = process(app, &incoming, &request_id);
    let error_code = outcome.as_ref().err().map(|e| e.code.clone());
    app.stats.outcome(action, error_code.as_deref());
    if app.config.verbose {
        let name = action.map(|i| SPEC.actions[i].name.as_str()).unwrap_or("-");
        eprintln!(
            "{} {}{} {name} -> {}",
            incoming.method,
            host,
            incoming.path,
            error_code.as_deref().unwrap_or("OK")
        );
    }
    let body = outcome.unwrap_or_else(|e| e.body(&request_id));
    respond::finish(
        Reply::json(body),
        fault.as_ref(),
        app.clock(),
        reset,
        &app.stats,
        &request_id,
    )
    .await
}

/// The answer of a fault that refuses the request before processing, if it is one.
fn rejection(app: &App, f: &Fault, request_id: &str) -> Option<Reply> {
    if let Some(status) = f.status {
        app.stats.fault("status");
        let e = ApiError::new("InternalError", format!("Injected fault: HTTP {status}."));
        return Some(Reply {
            status,
            content_type: "application/json",
            body: e.body(request_id),
        });
    }
    if f.html502 {
        app.stats.fault("html502");
        return Some(Reply {
            status: 502,
            content_type: "text/html",
            body: b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n".to_vec(),
        });
    }
    if f.throttle {
        app.stats.fault("throttle");
        return Some(Reply::json(throttled().body(request_id)));
    }
    None
}

fn throttled() -> ApiError {
    ApiError::new(
        "RequestLimitExceeded",
        "The number of requests exceeds the frequency limit.",
    )
}

/// Authenticates, checks and answers one API request: the action's index, if known, and the
/// success body or the API error.
fn process(
    app: &App,
    req: &Incoming<'_>,
    request_id: &str,
) -> (Option<usize>, Result<Vec<u8>, ApiError>) {
    if req.method != "GET" && req.method != "POST" {
        let e = ApiError::new(
            "UnsupportedProtocol",
            format!(
                "HTTP method {} is not supported: use GET or POST.",
                req.method
            ),
        );
        return (None, Err(e));
    }
    let call = match auth::authenticate(req, &app.config.keys, app.now()) {
        Ok(call) => call,
        Err(e) => {
            let index = auth::action_hint(req).and_then(|a| SPEC.action_index(&a));
            return (index, Err(e));
        }
    };
    let Some(index) = SPEC.action_index(&call.action) else {
        return (
            None,
            Err(ApiError::new(
                "InvalidAction",
                format!(
                    "The action `{}` is not found in essbasic 2021-05-26.",
                    call.action
                ),
            )),
        );
    };
    (Some(index), answer(app, call, index, request_id))
}

fn answer(
    app: &App,
    call: auth::Call<'_>,
    index: usize,
    request_id: &str,
) -> Result<Vec<u8>, ApiError> {
    if call.version != essbasic::spec::API_VERSION {
        return Err(ApiError::new(
            "NoSuchVersion",
            format!(
                "The API version `{}` does not exist for essbasic (use 2021-05-26).",
                call.version
            ),
        ));
    }
    if app.rate_limited(&call.secret_id, index) {
        return Err(throttled());
    }
    let params = match call.params {
        auth::Params::Json(body) => {
            // The fast path: a valid body is checked by core's one-pass validator without
            // building a Value, and the Value is only built when the state needs it.
            let input = essbasic::spec::action(&call.action).map(|a| a.input());
            let mut names_flows = false;
            let valid = input.and_then(|i| {
                canonical_body_seeing(i, app.config.strict, body, &mut |key| {
                    names_flows |= key == "FlowId" || key == "FlowIds";
                })
            });
            match valid {
                Some(_) => {
                    if app.config.stateless
                        || !(crate::state::stateful_action(&call.action) || names_flows)
                    {
                        return Ok(app.templates[index].render(request_id));
                    }
                    auth::Params::Json(body).into_value()?
                }
                None => checked_params(auth::Params::Json(body).into_value()?, &call.action, app)?,
            }
        }
        other => checked_params(other.into_value()?, &call.action, app)?,
    };
    if app.config.stateless || !crate::state::involves_state(&call.action, &params) {
        return Ok(app.templates[index].render(request_id));
    }
    let ctx = Ctx {
        now: app.now(),
        stats: &app.stats,
    };
    let response = app.state.answer(&call.action, &params, ctx)?;
    Ok(response.render(request_id))
}

/// `params` after core's validator accepted them.
fn checked_params(params: Value, action: &str, app: &App) -> Result<Value, ApiError> {
    essbasic::validate::validate(action, &params, app.config.strict).map_err(schema_error)?;
    Ok(params)
}

/// A core validation error as the service's error.
fn schema_error(e: essbasic::Error) -> ApiError {
    let essbasic::Error::Validation { path, message, .. } = e else {
        return ApiError::new("InvalidParameter", e.to_string());
    };
    // The service names nested members the way GET and v1 requests spell them.
    let dotted = path.replace('[', ".").replace(']', "");
    let name = if dotted.is_empty() {
        "Parameters"
    } else {
        dotted.as_str()
    };
    if message.starts_with("missing required member") {
        ApiError::missing(name)
    } else if message.starts_with("unknown member") {
        ApiError::new(
            "UnknownParameter",
            format!("The parameter `{name}` is not recognized."),
        )
    } else if message.starts_with("unknown action") {
        ApiError::new("InvalidAction", message)
    } else {
        ApiError::invalid(name, &message)
    }
}

/// Binds `addr`.
pub async fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    TcpListener::bind(addr).await
}
