use std::process::ExitCode;

use server::{
    cli::{self, Command},
    config::Config,
};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();

    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            tracing::error!(%error, "invalid configuration");
            return ExitCode::FAILURE;
        }
    };
    match Command::from_args(std::env::args().skip(1)) {
        Ok(Command::Serve) => {}
        Ok(Command::RebuildReadModels) => return cli::rebuild_read_models(&config).await,
        Ok(Command::FillTweets { tweets, users }) => {
            return cli::fill_tweets(&config, tweets, users).await
        }
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::FAILURE;
        }
    }
    let state = match cli::open_state(&config).await {
        Ok(state) => state,
        Err(code) => return code,
    };
    let listener = match server::connections::bind(config.addr) {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, addr = %config.addr, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(addr = %config.addr, "Chirp is listening on http://{}", config.addr);
    match server::serve(listener, state).await {
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
