//! What `chirp-server` does besides serving: the start-up steps every
//! command shares (open the store, add first-run data) and the
//! maintenance commands.

pub mod fill;

use std::process::ExitCode;

use crate::{config::Config, seed, store::Store, AppState};

/// Opens the store and the app over it, and adds first-run data; logs why
/// if it cannot.
pub async fn open_state(config: &Config) -> Result<AppState, ExitCode> {
    let failed = |what: &str, error: &dyn std::fmt::Display| {
        tracing::error!(%error, "{what}");
        ExitCode::FAILURE
    };
    let leptos = config
        .leptos_options()
        .map_err(|e| failed("invalid Leptos settings", &e))?;
    if let Some(node) = config.node_id {
        if !crate::domain::Id::set_node(node) {
            return Err(failed("CHIRP_NODE_ID", &"came too late: ids were made"));
        }
    }
    let store = Store::open(config).await.map_err(|error| {
        tracing::error!(
            %error,
            cause = ?std::error::Error::source(&error),
            store = ?config.store,
            "cannot open the store"
        );
        ExitCode::FAILURE
    })?;
    let state = AppState::new(config, leptos, store);
    seed::releases(&state.store)
        .await
        .map_err(|e| failed("cannot add the API release records", &e))?;
    if config.demo {
        seed::demo(&state)
            .await
            .map_err(|e| failed("cannot add the demo data", &e))?;
    }
    Ok(state)
}

pub async fn fill_tweets(config: &Config, tweets: u64, users: u32) -> ExitCode {
    let state = match open_state(config).await {
        Ok(state) => state,
        Err(code) => return code,
    };
    match fill::fill_tweets(&state, tweets, users).await {
        Ok(report) => {
            println!(
                "{}",
                serde_json::to_string(&report).expect("the report serializes")
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, "fill-tweets failed");
            ExitCode::FAILURE
        }
    }
}

pub async fn rebuild_read_models(config: &Config) -> ExitCode {
    let store = match Store::open(config).await {
        Ok(store) => store,
        Err(error) => {
            tracing::error!(%error, store = ?config.store, "cannot open the store");
            return ExitCode::FAILURE;
        }
    };
    let started = std::time::Instant::now();
    match store.users.rebuild().await {
        Ok(report) => {
            tracing::info!(
                events = report.events,
                users = report.users,
                seconds = started.elapsed().as_secs_f64(),
                "rebuilt the read models"
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, cause = ?std::error::Error::source(&error), "rebuild failed");
            ExitCode::FAILURE
        }
    }
}
