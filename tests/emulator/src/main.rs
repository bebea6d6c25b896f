//! `essbasic-emulator --listen 127.0.0.1:0 --secret-id ID --secret-key KEY`: prints the base
//! URL as the first line on stdout and serves until killed.

use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let config = match essbasic_emulator::parse_args(std::env::args().skip(1)) {
        Ok(Some(c)) => c,
        Ok(None) => {
            print!("{}", essbasic_emulator::config::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("essbasic-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if config.workers > 0 {
        rt.worker_threads(config.workers);
    }
    let rt = match rt.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("essbasic-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(async move {
        let emulator = match essbasic_emulator::start(config).await {
            Ok(e) => e,
            Err(e) => {
                eprintln!("essbasic-emulator: cannot listen: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", emulator.base_url());
        let _ = out.flush();
        drop(out);
        emulator.wait().await;
        ExitCode::SUCCESS
    })
}
