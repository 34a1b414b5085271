use std::{process::ExitCode, time::Duration};

use clap::Parser;
use newsdesk_server::{config::Cli, telemetry};

// Rendering a page allocates and frees many small strings and reactive
// nodes; glibc's allocator spent a quarter of the inbox's CPU time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long stopping waits for the runtime's threads once the work is done.
/// A worker stuck for good (a deadlock inside the Leptos reactive graph was
/// seen once under load) must not keep a stopped server from exiting.
const THREADS_STOP_WITHIN: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    let (global, command) = Cli::parse().into_command();
    telemetry::init(global.log_format, &global.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(newsdesk_server::run(global, command));
    runtime.shutdown_timeout(THREADS_STOP_WITHIN);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}
