use std::process::ExitCode;

use clap::Parser;
use newsdesk_server::{config::Cli, telemetry};

// Rendering a page allocates and frees many small strings and reactive
// nodes; glibc's allocator spent a quarter of the inbox's CPU time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let (global, command) = Cli::parse().into_command();
    telemetry::init(global.log_format, &global.log);
    match newsdesk_server::run(global, command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}
