use std::process::ExitCode;

use clap::Parser;
use server::{
    commands,
    config::{Cli, Command},
};
use tracing_subscriber::EnvFilter;

// See server/Cargo.toml: measured faster than the system allocator on the
// page path.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();

    let Cli { config, command } = Cli::parse();
    match command.unwrap_or(Command::Serve) {
        Command::Serve => {}
        Command::RebuildReadModels => return commands::rebuild_read_models(&config).await,
        Command::FillTweets(fill) => return commands::fill_tweets(&config, &fill).await,
        Command::Directory {
            db,
            group,
            rebuild,
            list,
        } => {
            return match list {
                true => commands::list_directory(&db),
                false => commands::directory(&config, &db, &group, rebuild).await,
            }
        }
    }
    let state = match commands::open_state(&config).await {
        Ok(state) => state,
        Err(code) => return code,
    };
    let addr = state.leptos_options.site_addr;
    let listener = match server::connections::bind(addr) {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, %addr, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    let relay = match commands::start_relay(&config, &state) {
        Ok(relay) => relay,
        Err(code) => return code,
    };
    tracing::info!(%addr, "Chirp is listening on http://{addr}");
    let served = server::serve(listener, state).await;
    if let Some(relay) = relay {
        // Stopped by the same signal; what it had not published stays in
        // the outbox for the next start.
        let _ = relay.await;
    }
    match served {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, "server failed");
            ExitCode::FAILURE
        }
    }
}
