//! MongoDB failing under a running server: stopped (killed) and stalled
//! (SIGSTOP). Every API call then costs at most the store's deadline and
//! answers 503 with `Retry-After`, pages say the storage is unreachable
//! (503), liveness stays up while readiness goes down, and once MongoDB is
//! back the same server process serves again with every acknowledged
//! write in place.
//!
//! These tests run their own MongoDB-wire test server (SecantusDB, which
//! the test command names in `CHIRP_SECANTUSD`), since they stop it.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::json;
use server::{
    config::Config,
    store::{
        mongo::{MongoSettings, MongoStore},
        Store,
    },
};

use crate::helpers::{Client, TestApp};

/// The store's deadline in these tests, as in production.
const DEADLINE: Duration = Duration::from_millis(1000);
/// What a failing request may take at most (the bound).
const FAILS_WITHIN: Duration = Duration::from_millis(1500);

struct TestMongo {
    binary: String,
    port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl TestMongo {
    /// `None` (said on stderr) when the test command did not name the
    /// server's binary.
    fn start() -> Option<Self> {
        let Ok(binary) = std::env::var("CHIRP_SECANTUSD") else {
            eprintln!("skipped: CHIRP_SECANTUSD not set");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let child = spawn(&binary, port, dir.path());
        Some(Self {
            binary,
            port,
            dir,
            child,
        })
    }

    fn settings(&self) -> MongoSettings {
        MongoSettings {
            uri: format!("mongodb://127.0.0.1:{}/?replicaSet=secantus", self.port),
            database: "chirp_faults".into(),
            timeout: DEADLINE,
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same port and data.
    fn restart(&mut self) {
        self.child = spawn(&self.binary, self.port, self.dir.path());
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for TestMongo {
    fn drop(&mut self) {
        self.signal("-CONT");
        self.kill();
    }
}

fn spawn(binary: &str, port: u16, dir: &std::path::Path) -> Child {
    Command::new(binary)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .arg("--storage-path")
        .arg(dir.join("data"))
        // What MongoDB does for Chirp's j:true commits (see
        // scripts/services.sh).
        .args(["--sync-on-commit", "--log-level", "WARNING"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("CHIRP_SECANTUSD runs")
}

/// Connects, waiting for the server to come up.
async fn connect(settings: &MongoSettings) -> MongoStore {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match MongoStore::connect(settings).await {
            Ok(store) => return store,
            Err(error) if Instant::now() < deadline => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => panic!("the test MongoDB did not come up: {error}"),
        }
    }
}

/// What an API call, a page and the probes answer while MongoDB is down.
async fn while_down(app: &TestApp, alice: &mut Client, user_id: &str) {
    let started = Instant::now();
    let post = alice.post("/api/v2/tweets", json!({"body": "lost?"})).await;
    let took = started.elapsed();
    post.assert_error(503, "unavailable");
    assert!(post.header("retry-after").is_some());
    assert!(took <= FAILS_WITHIN, "a write waited {took:?}");

    let started = Instant::now();
    let read = alice.get(&format!("/api/v1/users/{user_id}")).await;
    read.assert_error(503, "unavailable");
    assert!(
        started.elapsed() <= FAILS_WITHIN,
        "a read waited {:?}",
        started.elapsed()
    );

    let page = alice.get("/").await;
    assert_eq!(page.status, 503, "{}", page.text);
    assert!(page.header("retry-after").is_some());
    assert!(
        page.text
            .contains("Chirp can't reach its storage right now"),
        "{}",
        page.text
    );
    let mut probe = app.client();
    probe.get("/healthz").await.assert_status(200);
    probe.get("/readyz").await.assert_status(503);
}

/// After MongoDB is back: the same server answers again, and every tweet
/// it acknowledged is there.
async fn recovers(app: &TestApp, alice: &mut Client, acknowledged: &[String]) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while alice.get("/api/v1/auth/me").await.status != 200 {
        assert!(Instant::now() < deadline, "the server did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.client().get("/readyz").await.assert_status(200);
    let listed = alice.get("/api/v2/tweets?limit=100").await.json();
    let ids: Vec<&str> = listed["tweets_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    for id in acknowledged {
        assert!(ids.contains(&id.as_str()), "acknowledged tweet {id} lost");
    }
    alice
        .post("/api/v2/tweets", json!({"body": "after"}))
        .await
        .assert_status(201);
}

async fn post_some(alice: &mut Client, acknowledged: &mut Vec<String>) {
    for n in 0..3 {
        let tweet = alice
            .post("/api/v2/tweets", json!({"body": format!("kept {n}")}))
            .await;
        tweet.assert_status(201);
        acknowledged.push(tweet.json()["id"].as_str().unwrap().to_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_or_stalled_mongodb_is_a_fast_503_and_the_same_server_recovers() {
    let Some(mut mongo) = TestMongo::start() else {
        return;
    };
    let store = connect(&mongo.settings()).await;
    let config = Config {
        store_timeout_ms: DEADLINE.as_millis() as u64,
        ..Config::for_tests()
    };
    let app = TestApp::on(Store::from_adapter(store), config).await;
    let (mut alice, user) = app.user("alice").await;
    let user_id = user["id"].as_str().unwrap().to_string();
    let mut acknowledged = Vec::new();
    post_some(&mut alice, &mut acknowledged).await;

    // Stopped: connections are refused.
    mongo.kill();
    while_down(&app, &mut alice, &user_id).await;
    mongo.restart();
    recovers(&app, &mut alice, &acknowledged).await;
    post_some(&mut alice, &mut acknowledged).await;

    // Stalled: connections stay open, nothing answers.
    mongo.signal("-STOP");
    while_down(&app, &mut alice, &user_id).await;
    mongo.signal("-CONT");
    recovers(&app, &mut alice, &acknowledged).await;
    app.stop().await;
}

#[tokio::test]
async fn a_standalone_mongodb_is_refused_with_what_to_do() {
    let Ok(binary) = std::env::var("CHIRP_SECANTUSD") else {
        eprintln!("skipped: CHIRP_SECANTUSD not set");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let mut standalone = Command::new(&binary)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--standalone",
        ])
        .args(["--storage-path", ":memory:", "--log-level", "WARNING"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let settings = MongoSettings {
        uri: format!("mongodb://127.0.0.1:{port}/?directConnection=true"),
        database: "chirp_standalone".into(),
        timeout: Duration::from_secs(2),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let refusal = loop {
        match MongoStore::connect(&settings).await {
            Err(server::store::StoreError::Misconfigured(why)) => break why,
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await
            }
            Err(other) => panic!("a standalone server failed otherwise: {other:?}"),
            Ok(_) => panic!("a standalone server was accepted"),
        }
    };
    assert!(refusal.contains("replica set"), "{refusal}");
    assert!(refusal.contains("--replSet"), "says what to run: {refusal}");

    // The binary refuses to start, and says so.
    let output = Command::new(env!("CARGO_BIN_EXE_chirp-server"))
        .env("CHIRP_STORE", "mongodb")
        .env("MONGODB_URI", &settings.uri)
        .env("CHIRP_DATA_DIR", dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(log.contains("standalone"), "{log}");
    let _ = standalone.kill();
    let _ = standalone.wait();
}
