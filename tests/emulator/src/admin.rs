//! The `/__emulator/` API for tests: stats, reset, faults, flow status changes, health.
//!
//! - `GET /__emulator/stats`: counters (see the README).
//! - `GET /__emulator/health`: `{"ok":true,...}`.
//! - `POST /__emulator/reset`: forget state, counters and fault rules.
//! - `PUT /__emulator/faults/ACTION` with a fault spec as the body; `DELETE /__emulator/faults`.
//!   Both need `--faults`.
//! - `POST /__emulator/flows/FLOWID/status` with `{"FlowStatus":"ALL"}`: move a flow (a signer
//!   signed, it expired...), which sends a callback.

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde_json::{json, Value};

use crate::body::Body;
use crate::faults::Fault;
use crate::respond;
use crate::server::App;

/// Answers one admin request.
pub async fn handle(app: &App, req: Request<Incoming>) -> Response<Body> {
    let method = req.method().clone();
    let path = req
        .uri()
        .path()
        .trim_start_matches("/__emulator/")
        .to_owned();
    let body = match Limited::new(req.into_body(), 1 << 20).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return reply(app, 413, json!({"error": "body too large"})),
    };
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match (&method, segments.as_slice()) {
        (&Method::GET, ["stats"]) => {
            let mut stats = app.stats.to_json();
            stats["flows"] = json!(app.state.flow_count());
            stats["stateless"] = json!(app.config.stateless);
            reply(app, 200, stats)
        }
        (&Method::GET, ["health"]) => reply(
            app,
            200,
            json!({"ok": true, "stateless": app.config.stateless, "faults": app.config.faults_enabled}),
        ),
        (&Method::POST, ["reset"]) => {
            app.state.reset();
            app.stats.reset();
            app.faults.clear();
            for (action, fault) in &app.config.action_faults {
                app.faults.set_rule(action, fault.clone());
            }
            reply(app, 200, json!({"ok": true}))
        }
        (&Method::PUT | &Method::POST, ["faults", action]) => {
            if !app.config.faults_enabled {
                return reply(
                    app,
                    403,
                    json!({"error": "start the emulator with --faults"}),
                );
            }
            match Fault::parse(&String::from_utf8_lossy(&body)) {
                Ok(f) => {
                    app.faults.set_rule(action, f);
                    reply(app, 200, json!({"ok": true}))
                }
                Err(e) => reply(app, 400, json!({"error": e})),
            }
        }
        (&Method::DELETE, ["faults"]) => {
            app.faults.clear();
            reply(app, 200, json!({"ok": true}))
        }
        (&Method::POST, ["flows", id, "status"]) => {
            let status = serde_json::from_slice::<Value>(&body).ok().and_then(|v| {
                v.get("FlowStatus")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
            let Some(status) = status else {
                return reply(app, 400, json!({"error": "send {\"FlowStatus\": \"ALL\"}"}));
            };
            match app.state.set_status(id, &status, &app.stats) {
                Some(flow) => reply(app, 200, flow),
                None => reply(app, 404, json!({"error": format!("no flow {id}")})),
            }
        }
        _ => reply(
            app,
            404,
            json!({"error": format!("no admin endpoint {method} /__emulator/{path}")}),
        ),
    }
}

fn reply(app: &App, status: u16, v: Value) -> Response<Body> {
    let body = serde_json::to_vec(&v).expect("serializes");
    respond::plain(status, "application/json", Body::full(body), app.clock())
}
