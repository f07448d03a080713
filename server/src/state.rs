//! What every request handler may reach: the services, the configuration
//! and the Leptos options, shared by every request.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::{
    config::Config,
    passwords::PasswordHasher,
    services::{limits::Limits, Accounts, NewestTweets, Sessions, Tweets},
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
        let limits = Limits::new(config.rates());
        let sessions = Sessions::new(store.clone(), config.session_ttl(), config.session_idle());
        let newest = NewestTweets::default();
        Self {
            leptos_options,
            config: Arc::new(config.clone()),
            accounts: Accounts::new(
                store.clone(),
                hasher,
                sessions.clone(),
                limits.clone(),
                newest.clone(),
            ),
            tweets: Tweets::new(store.clone(), newest, limits.clone()),
            sessions,
            store,
        }
    }
}
