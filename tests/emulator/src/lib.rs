//! `essbasic-emulator`: a local stand-in for the Tencent E-Sign partner API (essbasic
//! 2021-05-26) for tests, demos and benchmarks.
//!
//! It verifies TC3-HMAC-SHA256 and v1 signatures with core's signing functions, validates
//! bodies with core's validator, answers all 101 actions with schema-valid responses, keeps
//! the contract lifecycle's state, sends encrypted callbacks and injects faults on demand.
//! Start it in-process with [`start`], or run the `essbasic-emulator` binary.

#![warn(missing_docs)]

pub mod admin;
pub mod auth;
pub mod body;
pub mod callbacks;
pub mod config;
pub mod cors;
pub mod errors;
pub mod faults;
pub mod params;
pub mod respond;
pub mod rng;
pub mod server;
pub mod spec_data;
pub mod state;
pub mod stats;
pub mod synth;

use std::net::SocketAddr;
use std::sync::Arc;

pub use config::{parse_args, Config, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
pub use server::App;

/// A running emulator; dropping it stops accepting connections.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    app: Arc<App>,
    task: tokio::task::JoinHandle<()>,
}

/// Binds `config.listen` and serves on the current tokio runtime.
pub async fn start(config: Config) -> std::io::Result<Emulator> {
    let listener = server::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let app = App::new(config);
    let task = tokio::spawn(server::serve(listener, app.clone()));
    Ok(Emulator { addr, app, task })
}

impl Emulator {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The shared state (stats, lifecycle).
    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Serves until the task ends (it does not, unless the runtime shuts down).
    pub async fn wait(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}
