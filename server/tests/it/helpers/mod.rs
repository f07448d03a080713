//! The harness: the real app on port 0 with a fresh store, on SQLite
//! always and on MongoDB when `MONGODB_URI` is set (the test command
//! starts a MongoDB-wire test server and sets it).

pub mod client;
pub mod events;
pub mod kafka;

use std::io::Write;

use leptos::prelude::LeptosOptions;
use serde_json::Value;
use server::{
    config::Config,
    domain::Id,
    store::{
        mongo::{MongoSettings, MongoStore},
        sqlite::SqliteStore,
        Store,
    },
    AppState,
};
use tokio::{net::TcpListener, sync::oneshot};

pub use client::{id, Client, Resp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Mongo,
}

/// A fresh store of `backend`'s kind, removed when dropped (SQLite) or
/// with `finish` (MongoDB: a database of its own).
pub struct TestStore {
    pub store: Store,
    kind: Kind,
}

enum Kind {
    /// The directory goes with the store.
    Sqlite(SqliteStore, tempfile::TempDir),
    Mongo(MongoStore),
}

impl TestStore {
    /// `None` (after saying so on stderr, past the test harness's capture,
    /// so the test command can count it) when MongoDB is asked for but
    /// `MONGODB_URI` is not set.
    pub async fn open(backend: Backend) -> Option<Self> {
        Self::open_with(backend, &Config::for_tests()).await
    }

    pub async fn open_with(backend: Backend, config: &Config) -> Option<Self> {
        Some(match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let sqlite = SqliteStore::open(dir.path()).await.unwrap();
                Self {
                    store: Store::from_adapter(sqlite.clone()),
                    kind: Kind::Sqlite(sqlite, dir),
                }
            }
            Backend::Mongo => {
                let mongo = MongoStore::connect(&mongo_settings(config)?)
                    .await
                    .expect("MONGODB_URI is set but MongoDB cannot be reached");
                Self {
                    store: Store::from_adapter(mongo.clone()),
                    kind: Kind::Mongo(mongo),
                }
            }
        })
    }

    pub fn sqlite(&self) -> Option<&SqliteStore> {
        match &self.kind {
            Kind::Sqlite(store, _) => Some(store),
            Kind::Mongo(_) => None,
        }
    }

    /// Another handle on the same data, as a second server process would
    /// open it: its own connections (and, on SQLite, its own writer).
    pub async fn reopen(&self) -> Store {
        match &self.kind {
            Kind::Sqlite(_, dir) => {
                Store::from_adapter(SqliteStore::open(dir.path()).await.unwrap())
            }
            Kind::Mongo(mongo) => {
                Store::from_adapter(MongoStore::connect(mongo.settings()).await.unwrap())
            }
        }
    }

    pub async fn finish(self) {
        if let Kind::Mongo(mongo) = self.kind {
            mongo.drop_database().await.unwrap();
        }
    }
}

/// Where the MongoDB tests connect: a database per test, so tests never
/// see each other's data. `None` (said on stderr) without `MONGODB_URI`.
pub fn mongo_settings(config: &Config) -> Option<MongoSettings> {
    let Some(uri) = std::env::var("MONGODB_URI").ok().filter(|u| !u.is_empty()) else {
        let _ = writeln!(std::io::stderr(), "skipped: MONGODB_URI not set");
        return None;
    };
    Some(MongoSettings {
        uri,
        database: format!("chirp_test_{}", Id::generate()),
        ..config.mongo_settings_for(String::new())
    })
}

/// The real app, serving on a port of its own.
pub struct TestApp {
    pub base: String,
    /// A plain HTTP client that does not follow redirects, for the pages.
    pub http: reqwest::Client,
    pub state: AppState,
    pub store: Store,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    test_store: Option<TestStore>,
    _site: tempfile::TempDir,
}

/// The built site's files as the server serves them, in a directory of
/// the test's own (never the working directory, whose sources a wrong
/// path would otherwise reach).
pub const SITE_FILES: [(&str, &[u8]); 4] = [
    (
        "favicon.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    ),
    ("pkg/chirp.css", b"body { margin: 0 }"),
    ("pkg/chirp.css.br", b"(brotli)"),
    ("pkg/chirp.css.gz", b"(gzip)"),
];

fn fixture_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    for (path, content) in SITE_FILES {
        let path = site.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    site
}

impl TestApp {
    /// A fresh server with the test configuration ([`Config::for_tests`]).
    /// `None` when the backend is not available (MongoDB without
    /// `MONGODB_URI`).
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, Config::for_tests()).await
    }

    pub async fn spawn_with(backend: Backend, config: Config) -> Option<Self> {
        let test_store = TestStore::open_with(backend, &config).await?;
        let mut app = Self::on(test_store.store.clone(), config).await;
        app.test_store = Some(test_store);
        Some(app)
    }

    /// Serves the app on a store the test built (e.g. one that fails).
    pub async fn on(store: Store, config: Config) -> Self {
        Self::serving(store, config, false).await
    }

    /// The app as a build with `hash-files` serves it (hashed asset names
    /// are cached for a year).
    pub async fn with_hashed_files(backend: Backend) -> Option<Self> {
        let config = Config::for_tests();
        let test_store = TestStore::open_with(backend, &config).await?;
        let mut app = Self::serving(test_store.store.clone(), config, true).await;
        app.test_store = Some(test_store);
        Some(app)
    }

    async fn serving(store: Store, config: Config, hash_files: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let site = fixture_site();
        let leptos = LeptosOptions::builder()
            .output_name("chirp")
            .site_root(site.path().to_string_lossy().to_string())
            .hash_files(hash_files)
            .site_addr(addr)
            .build();
        let state = AppState::new(&config, leptos, store.clone());
        // What a first run writes: the original service's release records.
        let _ = server::seed::releases(&state.store).await;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve_until(listener, state.clone(), async {
            let _ = stopped.await;
        }));
        Self {
            base: format!("http://{addr}"),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            state,
            store,
            stop: Some(stop),
            task: Some(task),
            test_store: None,
            _site: site,
        }
    }

    pub fn sqlite(&self) -> Option<&SqliteStore> {
        self.test_store.as_ref()?.sqlite()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    /// A user agent with no session yet.
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Signs `username` up (password [`PASSWORD`]) and returns the
    /// logged-in client and the user's JSON.
    pub async fn user(&self, username: &str) -> (Client, Value) {
        let mut client = self.client();
        let response = client.post("/api/v1/users", sign_up(username)).await;
        response.assert_status(201);
        (client, response.json())
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
        if let Some(store) = self.test_store.take() {
            store.finish().await;
        }
    }
}

impl Drop for TestApp {
    /// A test that panicked still stops its server.
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub const PASSWORD: &str = "correct horse";

pub fn sign_up(username: &str) -> Value {
    serde_json::json!({
        "username": username,
        "email": format!("{username}@example.com"),
        "name": format!("{username} Name"),
        "password": PASSWORD,
    })
}

/// Runs each named `async fn(Backend)` as two tests: `sqlite::name` and
/// `mongodb::name`.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
            )*
        }
        mod mongodb {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Mongo).await
                }
            )*
        }
    };
}

/// Starts the app for a test, or returns from the test when the backend
/// is not available.
#[macro_export]
macro_rules! spawn {
    ($backend:expr) => {
        match $crate::helpers::TestApp::spawn($backend).await {
            Some(app) => app,
            None => return,
        }
    };
    ($backend:expr, $config:expr) => {
        match $crate::helpers::TestApp::spawn_with($backend, $config).await {
            Some(app) => app,
            None => return,
        }
    };
}

/// A fresh store for a test, or returns from the test when the backend is
/// not available.
#[macro_export]
macro_rules! open_store {
    ($backend:expr) => {
        match $crate::helpers::TestStore::open($backend).await {
            Some(store) => store,
            None => return,
        }
    };
}

/// What a store holds, to check that a refused request wrote nothing: the
/// users with their versions, the tweets, and every user's events.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub users: Vec<(Id, u64)>,
    pub tweets: Vec<Id>,
    pub events: usize,
}

pub async fn snapshot(store: &Store) -> Snapshot {
    use server::store::{Limit, Page};
    let page = Page::first(Limit::new(100).unwrap());
    let users = store.users.list(page).await.unwrap();
    let mut events = 0;
    for user in &users {
        events += store.users.history(user.id).await.unwrap().len();
    }
    Snapshot {
        users: users.iter().map(|u| (u.id, u.version.get())).collect(),
        tweets: store
            .tweets
            .page(None, &[], page)
            .await
            .unwrap()
            .iter()
            .map(|t| t.tweet.id)
            .collect(),
        events,
    }
}
