//! What `chirp-server` does besides serving: the start-up steps every
//! command shares (open the store, add first-run data) and the
//! maintenance commands.

pub mod fill;

use std::process::ExitCode;

use crate::{
    config::{Config, Fill},
    seed,
    store::Store,
    AppState,
};

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

pub async fn fill_tweets(config: &Config, fill: &Fill) -> ExitCode {
    let state = match open_state(config).await {
        Ok(state) => state,
        Err(code) => return code,
    };
    match fill::fill(&state, fill).await {
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

/// Starts the relay when Kafka is configured: it publishes the outbox until
/// the process is asked to stop.
pub fn start_relay(
    config: &Config,
    state: &AppState,
) -> Result<Option<tokio::task::JoinHandle<()>>, ExitCode> {
    let Some(brokers) = &config.kafka_brokers else {
        return Ok(None);
    };
    let relay = crate::publish::relay::Relay::new(state.store.outbox.clone(), brokers).map_err(
        |error| {
            tracing::error!(%error, "cannot make the Kafka producer");
            ExitCode::FAILURE
        },
    )?;
    tracing::info!(%brokers, "publishing events to Kafka");
    Ok(Some(tokio::spawn(relay.run(crate::shutdown::signal()))))
}

/// `chirp-server directory`: the user directory, until SIGINT/SIGTERM.
pub async fn directory(
    config: &Config,
    db: &std::path::Path,
    group: &str,
    rebuild: bool,
) -> ExitCode {
    let Some(brokers) = &config.kafka_brokers else {
        tracing::error!("the directory reads Kafka: set CHIRP_KAFKA_BROKERS");
        return ExitCode::FAILURE;
    };
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(error) = std::fs::create_dir_all(dir) {
            tracing::error!(%error, "cannot create the directory's folder");
            return ExitCode::FAILURE;
        }
    }
    tracing::info!(%brokers, db = %db.display(), group, rebuild, "user directory: consuming");
    match crate::publish::directory::run(brokers, group, db, rebuild, crate::shutdown::signal())
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "user directory stopped");
            ExitCode::FAILURE
        }
    }
}

/// `chirp-server directory --list`: what the directory holds, as JSON lines.
pub fn list_directory(db: &std::path::Path) -> ExitCode {
    let listed = crate::publish::directory::Directory::open(db).and_then(|d| d.users());
    match listed {
        Ok(users) => {
            for user in users {
                println!("{}", serde_json::to_string(&user).expect("plain fields"));
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!(%error, "cannot read the directory");
            ExitCode::FAILURE
        }
    }
}
