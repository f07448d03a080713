//! `chirp-server [serve]` and `chirp-server rebuild-read-models`, and the
//! start-up steps both share: open the store, add first-run data.

use std::process::ExitCode;

use crate::{config::Config, seed, store, AppState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Serve,
    /// Replays every event into fresh read models, then exits.
    RebuildReadModels,
    /// Adds `tweets` tweets by `users` filler users, prints a JSON report,
    /// then exits (benchmarks: `scripts/bench.sh`).
    FillTweets {
        tweets: u64,
        users: u32,
    },
}

pub const USAGE: &str =
    "usage: chirp-server [serve | rebuild-read-models | fill-tweets <count> [<users>]]";

impl Command {
    pub fn from_args(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let command = match args.next().as_deref() {
            None | Some("serve") => Self::Serve,
            Some("rebuild-read-models") => Self::RebuildReadModels,
            Some("fill-tweets") => {
                let number = |arg: Option<String>, default: Option<u64>| match arg {
                    Some(text) => text
                        .parse::<u64>()
                        .map_err(|_| format!("not a count: {text:?}\n{USAGE}")),
                    None => default.ok_or_else(|| format!("fill-tweets needs a count\n{USAGE}")),
                };
                let tweets = number(args.next(), None)?;
                let users = number(args.next(), Some(8))?.clamp(1, 1000) as u32;
                Self::FillTweets { tweets, users }
            }
            Some("-h" | "--help" | "help") => return Err(USAGE.into()),
            Some(other) => return Err(format!("unknown command {other:?}\n{USAGE}")),
        };
        match args.next() {
            None => Ok(command),
            Some(extra) => Err(format!("unexpected argument {extra:?}\n{USAGE}")),
        }
    }
}

/// Opens the store and adds first-run data; logs why if it cannot.
pub async fn open_state(config: &Config) -> Result<AppState, ExitCode> {
    let store = store::open(&config.storage).await.map_err(|error| {
        tracing::error!(%error, cause = ?std::error::Error::source(&error), storage = ?config.storage, "cannot open the store");
        ExitCode::FAILURE
    })?;
    let state = AppState::new(config, store);
    let seeded = async {
        seed::releases(&state.store).await?;
        if config.storage.demo {
            seed::demo(&state.store, &state.users).await?;
        }
        Ok::<_, crate::users::UserError>(())
    };
    if let Err(error) = seeded.await {
        tracing::error!(%error, "cannot add first-run data");
        return Err(ExitCode::FAILURE);
    }
    Ok(state)
}

pub async fn fill_tweets(config: &Config, tweets: u64, users: u32) -> ExitCode {
    let state = match open_state(config).await {
        Ok(state) => state,
        Err(code) => return code,
    };
    match crate::fill::fill_tweets(&state.store, &state.users, tweets, users).await {
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
    let store = match store::open(&config.storage).await {
        Ok(store) => store,
        Err(error) => {
            tracing::error!(%error, storage = ?config.storage, "cannot open the store");
            return ExitCode::FAILURE;
        }
    };
    let started = std::time::Instant::now();
    match store.maintenance.rebuild_read_models().await {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        Command::from_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn commands_parse() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
        assert_eq!(parse(&["serve"]), Ok(Command::Serve));
        assert_eq!(
            parse(&["rebuild-read-models"]),
            Ok(Command::RebuildReadModels)
        );
        assert_eq!(
            parse(&["fill-tweets", "1000"]),
            Ok(Command::FillTweets {
                tweets: 1000,
                users: 8
            })
        );
        assert_eq!(
            parse(&["fill-tweets", "5", "2"]),
            Ok(Command::FillTweets {
                tweets: 5,
                users: 2
            })
        );
        assert!(parse(&["fill-tweets"]).is_err());
        assert!(parse(&["fill-tweets", "many"]).is_err());
        assert!(parse(&["fill-tweets", "5", "2", "3"]).is_err());
        assert!(parse(&["rebuild"]).is_err());
        assert!(parse(&["serve", "now"]).is_err());
    }
}
