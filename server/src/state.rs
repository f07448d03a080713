//! What every request handler may reach: the services, the configuration
//! and the Leptos options, shared by every request.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::{
    config::Config,
    passwords::PasswordHasher,
    services::{
        limits::{Limits, RateLimit},
        Accounts, NewestTweets, Sessions, Tweets,
    },
    store::Store,
};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub accounts: Accounts,
    pub sessions: Sessions,
    pub tweets: Tweets,
    /// For what no service owns: readiness, the release records.
    pub store: Store,
}

impl AppState {
    pub fn new(config: &Config, leptos_options: LeptosOptions, store: Store) -> Self {
        let hasher = PasswordHasher::for_this_machine(config.bcrypt_cost());
        let limits = Limits::new(RateLimit {
            burst: std::num::NonZeroU32::new(config.auth_rate_burst)
                .unwrap_or(std::num::NonZeroU32::MIN),
            refill: std::time::Duration::from_secs(config.auth_rate_refill_secs),
        });
        let sessions = Sessions::new(store.clone(), config.session_ttl());
        let newest = NewestTweets::default();
        Self {
            leptos_options,
            config: Arc::new(config.clone()),
            accounts: Accounts::new(
                store.clone(),
                hasher,
                sessions.clone(),
                limits,
                newest.clone(),
            ),
            tweets: Tweets::new(store.clone(), newest),
            sessions,
            store,
        }
    }
}
