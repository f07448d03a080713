//! What every request handler may reach: the services, the configuration
//! and the Leptos options, shared by every request.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::{
    config::Config,
    passwords::PasswordHasher,
    services::{limits::Limits, Accounts, NewestTweets, Notifications, Sessions, Social, Tweets},
    store::Store,
};

/// Cloned for every request, often several times (each route, each
/// extractor): one reference count, not one per service and store handle
/// (their clones were a tenth of `/healthz`'s time, BENCHMARKS.md).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub leptos_options: LeptosOptions,
    /// The stylesheet's address (see [`crate::pages::stylesheet_href`]).
    pub stylesheet: Arc<str>,
    pub config: Arc<Config>,
    pub accounts: Accounts,
    pub sessions: Sessions,
    pub tweets: Tweets,
    pub social: Social,
    pub notifications: Notifications,
    /// For what no service owns: readiness, the release records.
    pub store: Store,
}

impl AppState {
    pub fn new(config: &Config, leptos_options: LeptosOptions, store: Store) -> Self {
        let hasher = PasswordHasher::for_this_machine(config.bcrypt_cost());
        let limits = Limits::new(config.rates());
        let sessions = Sessions::new(store.clone(), config.session_ttl(), config.session_idle());
        let newest = NewestTweets::default();
        Self(Arc::new(Shared {
            stylesheet: crate::pages::stylesheet_href(&leptos_options).into(),
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
            social: Social::new(store.clone()),
            notifications: Notifications::new(store.clone()),
            sessions,
            store,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What handlers and layers extract from the state by type.
macro_rules! parts {
    ($($field:ident: $type:ty),* $(,)?) => {$(
        impl FromRef<AppState> for $type {
            fn from_ref(state: &AppState) -> Self {
                state.$field.clone()
            }
        }
    )*};
}

parts!(
    leptos_options: LeptosOptions,
    config: Arc<Config>,
    accounts: Accounts,
    sessions: Sessions,
    tweets: Tweets,
    social: Social,
    notifications: Notifications,
    store: Store,
);
