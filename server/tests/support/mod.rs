//! Starts the real Chirp router on an ephemeral port for a test.
#![allow(dead_code)]

use leptos::prelude::LeptosOptions;
use server::{
    passwords::{BcryptCost, PasswordHasher},
    store::{sqlite::SqliteStore, Store},
    users::Users,
    AppState,
};
use tokio::{net::TcpListener, sync::oneshot};

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Holds the fresh SQLite database; removed when the server is dropped.
    _data_dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let leptos_options = LeptosOptions::builder()
            .output_name("chirp")
            .site_addr(addr)
            .build();
        let data_dir = tempfile::tempdir().unwrap();
        let store = Store::from_adapter(SqliteStore::open(data_dir.path()).await.unwrap());
        server::seed::releases(&store).await.unwrap();
        // Hashing strength is not under test here; speed is welcome.
        let hasher = PasswordHasher::new(BcryptCost::insecure_for_tests(4), 2);
        let state = AppState {
            leptos_options,
            api: server::http::settings::ApiState::new(
                server::http::settings::ApiConfig::for_tests(),
            ),
            users: Users::new(store.clone(), hasher),
            store: store.clone(),
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve_until(listener, state, async {
            let _ = stopped.await;
        }));
        Self {
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            store,
            stop: Some(stop),
            task,
            _data_dir: data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Asks the server to shut down gracefully and waits until it has.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.unwrap().unwrap();
    }
}
