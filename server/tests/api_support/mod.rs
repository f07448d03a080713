//! Starts the real Chirp app on port 0 with a fresh store, for the API
//! tests, on SQLite always and on MongoDB when `MONGODB_URI` is set.
#![allow(dead_code)]

pub mod client;

use std::net::SocketAddr;

use leptos::prelude::LeptosOptions;
use server::{
    http::settings::{ApiConfig, ApiState},
    passwords::{BcryptCost, PasswordHasher},
    store::{mongo::MongoStore, sqlite::SqliteStore, Store},
    users::Users,
    AppState,
};
use tokio::{net::TcpListener, sync::oneshot};

#[allow(unused_imports)]
pub use client::{Client, Resp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Mongo,
}

pub struct Api {
    pub base: String,
    pub store: Store,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// The SQLite data directory, removed on drop.
    _dir: Option<tempfile::TempDir>,
    /// The MongoDB database of this test, dropped at `stop`.
    mongo: Option<MongoStore>,
}

impl Api {
    /// A fresh server with the test configuration (no rate limit, cookies
    /// without `Secure` since tests speak plain HTTP). `None` when the
    /// backend is not available (MongoDB without `MONGODB_URI`).
    pub async fn start(backend: Backend) -> Option<Self> {
        Self::start_with(backend, ApiConfig::for_tests()).await
    }

    pub async fn start_with(backend: Backend, config: ApiConfig) -> Option<Self> {
        Self::start_hashing(backend, config, LOW_COST).await
    }

    /// With a bcrypt cost of the test's choosing (for timing tests).
    pub async fn start_hashing(
        backend: Backend,
        config: ApiConfig,
        bcrypt_cost: u32,
    ) -> Option<Self> {
        let (store, dir, mongo) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let store = SqliteStore::open(dir.path()).await.unwrap();
                (Store::from_adapter(store), Some(dir), None)
            }
            Backend::Mongo => {
                let mongo = mongo_store().await?;
                (Store::from_adapter(mongo.clone()), None, Some(mongo))
            }
        };
        // What a first run writes: the original service's release records.
        server::seed::releases(&store).await.unwrap();
        let mut api = Self::serve(store, config, bcrypt_cost).await;
        api._dir = dir;
        api.mongo = mongo;
        Some(api)
    }

    /// Serves the app on a store the test built (e.g. one that fails).
    pub async fn start_on(store: Store, config: ApiConfig) -> Self {
        Self::serve(store, config, LOW_COST).await
    }

    async fn serve(store: Store, config: ApiConfig, bcrypt_cost: u32) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = state(addr, store.clone(), config, bcrypt_cost);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve_until(listener, state, async {
            let _ = stopped.await;
        }));
        Self {
            base: format!("http://{addr}"),
            store,
            stop: Some(stop),
            task,
            _dir: None,
            mongo: None,
        }
    }

    /// A user agent with no session yet.
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Signs `username` up (password `correct horse`) and returns the
    /// logged-in client and the user's JSON.
    pub async fn user(&self, username: &str) -> (Client, serde_json::Value) {
        let mut client = self.client();
        let response = client.post("/api/v1/users", sign_up(username)).await;
        response.assert_status(201);
        (client, response.json())
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.unwrap().unwrap();
        if let Some(mongo) = self.mongo.take() {
            mongo.drop_database().await.unwrap();
        }
    }
}

pub const PASSWORD: &str = "correct horse";

pub fn sign_up(username: &str) -> serde_json::Value {
    serde_json::json!({
        "username": username,
        "email": format!("{username}@example.com"),
        "name": format!("{username} Name"),
        "password": PASSWORD,
    })
}

/// The lowest bcrypt cost: most tests are about HTTP, not hashing.
const LOW_COST: u32 = 4;

fn state(addr: SocketAddr, store: Store, config: ApiConfig, bcrypt_cost: u32) -> AppState {
    let leptos_options = LeptosOptions::builder()
        .output_name("chirp")
        .site_addr(addr)
        .build();
    let hasher = PasswordHasher::new(BcryptCost::insecure_for_tests(bcrypt_cost), 4);
    AppState {
        leptos_options,
        api: ApiState::new(config),
        users: Users::new(store.clone(), hasher),
        store,
    }
}

async fn mongo_store() -> Option<MongoStore> {
    let Ok(uri) = std::env::var("MONGODB_URI") else {
        eprintln!("skipped: MONGODB_URI not set");
        return None;
    };
    // A database per test, so tests never see each other's data.
    let database = format!("chirp_api_test_{}", server::domain::Id::generate());
    Some(
        MongoStore::connect(&uri, &database)
            .await
            .expect("MONGODB_URI is set but MongoDB cannot be reached"),
    )
}

/// Runs each named `async fn(Backend)` as two tests: `sqlite::name` and
/// `mongodb::name` (which prints "skipped: MONGODB_URI not set" and passes
/// when there is no MongoDB).
#[macro_export]
macro_rules! api_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::api_support::Backend::Sqlite).await
                }
            )*
        }
        mod mongodb {
            $(
                #[tokio::test]
                async fn $name() {
                    if std::env::var_os("MONGODB_URI").is_none() {
                        // Straight to the stream, past libtest's capture, so
                        // the test command can count the skips.
                        use std::io::Write as _;
                        let _ = writeln!(std::io::stderr(), "skipped: MONGODB_URI not set");
                        return;
                    }
                    super::$name($crate::api_support::Backend::Mongo).await
                }
            )*
        }
    };
}

/// Starts the server for a test, or returns from it when the backend is not
/// available.
#[macro_export]
macro_rules! start {
    ($backend:expr) => {
        match $crate::api_support::Api::start($backend).await {
            Some(api) => api,
            None => return,
        }
    };
    ($backend:expr, $config:expr) => {
        match $crate::api_support::Api::start_with($backend, $config).await {
            Some(api) => api,
            None => return,
        }
    };
}
