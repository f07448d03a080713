//! Kafka failing around a running Chirp, on brokers of the tests' own: a
//! broker stopped while the API takes writes (the writes still succeed,
//! `/readyz` shows the outbox growing, and it drains in order once the
//! broker is back), a broker `kill -9`ed mid-stream (nothing lost), and a
//! `chirp-server` SIGKILLed mid-relay (after its restart every committed
//! event is on the topic; duplicates are allowed, consumers drop them).

use std::{
    collections::HashSet,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::{json, Value};
use server::{domain::Id, publish::envelope::TWEETS_TOPIC};

use crate::helpers::{
    kafka::{first_arrivals, read_until, start_relay, Received, TestBroker},
    Backend, Client, TestApp,
};

crate::on_both_stores!(
    writes_go_on_while_the_broker_is_down_and_the_backlog_drains_in_order_when_it_is_back,
    a_broker_killed_mid_stream_loses_nothing,
);

/// The outbox's tweet events still to publish, as `/readyz` reports them.
fn backlog(readyz: &Value) -> u64 {
    readyz["outbox"]["tweet_events"].as_u64().unwrap()
        + readyz["outbox"]["user_events"].as_u64().unwrap()
}

async fn app_backlog(app: &TestApp) -> u64 {
    let ready = app.client().get("/readyz").await;
    ready.assert_status(200);
    backlog(&ready.json())
}

async fn drained(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while app_backlog(app).await > 0 {
        assert!(Instant::now() < deadline, "the outbox did not drain");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn post(author: &mut Client, n: usize) -> Id {
    let posted = author
        .post("/api/v2/tweets", json!({"body": format!("tweet {n}")}))
        .await;
    posted.assert_status(201);
    posted.json()["id"].as_str().unwrap().parse().unwrap()
}

/// The ids of `author`'s posted tweets on the topic, each once, in the
/// order they first arrived (one author, one partition).
fn posted_by(received: &[Received], author: Id) -> Vec<Id> {
    first_arrivals(received, |r| {
        r.envelope.data["author_id"] == author.to_string() && r.envelope.kind == "tweet_posted"
    })
    .iter()
    .map(|r| r.envelope.stream_id.parse().unwrap())
    .collect()
}

async fn all_published(brokers: &str, author: Id, posted: &[Id]) {
    let received = read_until(brokers, TWEETS_TOPIC, |got| {
        posted_by(got, author).len() >= posted.len()
    })
    .await;
    assert_eq!(
        posted_by(&received, author),
        posted,
        "every tweet, in posting order"
    );
}

async fn writes_go_on_while_the_broker_is_down_and_the_backlog_drains_in_order_when_it_is_back(
    backend: Backend,
) {
    let Some(mut broker) = TestBroker::start().await else {
        return;
    };
    let app = crate::spawn!(backend);
    let _relay = start_relay(&app.store, &broker.brokers());
    let (mut ada, ada_json) = app.user("ada").await;
    let ada_id: Id = ada_json["id"].as_str().unwrap().parse().unwrap();
    let mut posted = Vec::new();
    for n in 0..5 {
        posted.push(post(&mut ada, n).await);
    }
    drained(&app).await;

    broker.stop();
    for n in 5..25 {
        posted.push(post(&mut ada, n).await);
    }
    let lag = app_backlog(&app).await;
    assert!(
        lag >= 20,
        "the outbox holds the 20 unpublished tweets: {lag}"
    );
    for n in 25..35 {
        posted.push(post(&mut ada, n).await);
    }
    let more = app_backlog(&app).await;
    assert!(
        more >= lag + 10,
        "the lag grows with the writes: {lag} then {more}"
    );

    broker.restart();
    drained(&app).await;
    all_published(&broker.brokers(), ada_id, &posted).await;
    app.stop().await;
}

async fn a_broker_killed_mid_stream_loses_nothing(backend: Backend) {
    let Some(mut broker) = TestBroker::start().await else {
        return;
    };
    let app = crate::spawn!(backend);
    let _relay = start_relay(&app.store, &broker.brokers());
    let (mut ada, ada_json) = app.user("ada").await;
    let ada_id: Id = ada_json["id"].as_str().unwrap().parse().unwrap();
    let mut posted = Vec::new();
    for n in 0..100 {
        posted.push(post(&mut ada, n).await);
    }
    broker.kill();
    for n in 100..150 {
        posted.push(post(&mut ada, n).await);
    }
    broker.restart();
    for n in 150..200 {
        posted.push(post(&mut ada, n).await);
    }
    drained(&app).await;
    all_published(&broker.brokers(), ada_id, &posted).await;
    app.stop().await;
}

/// `chirp-server` on SQLite in `data`, publishing to `brokers` when given.
fn chirp_server(data: &std::path::Path, port: u16, brokers: Option<&str>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chirp-server"));
    command
        .env("CHIRP_ADDR", format!("127.0.0.1:{port}"))
        .env("CHIRP_STORE", "sqlite")
        .env("CHIRP_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .env_remove("CHIRP_KAFKA_BROKERS")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(brokers) = brokers {
        command.env("CHIRP_KAFKA_BROKERS", brokers);
    }
    command.spawn().unwrap()
}

async fn readyz(port: u16) -> Option<Value> {
    let response = reqwest::get(format!("http://127.0.0.1:{port}/readyz"))
        .await
        .ok()?;
    response.json().await.ok()
}

#[tokio::test]
async fn a_server_killed_mid_relay_publishes_every_committed_event_after_restart() {
    const TWEETS: u64 = 100_000;
    let Some(broker) = TestBroker::start().await else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    // The outbox fills while no broker is configured (the embedded
    // default still records every change).
    let filled = Command::new(env!("CARGO_BIN_EXE_chirp-server"))
        .args(["fill-tweets", &TWEETS.to_string(), "4"])
        .env("CHIRP_STORE", "sqlite")
        .env("CHIRP_DATA_DIR", data.path())
        .env_remove("CHIRP_KAFKA_BROKERS")
        .output()
        .unwrap();
    assert!(
        filled.status.success(),
        "{}",
        String::from_utf8_lossy(&filled.stderr)
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = chirp_server(data.path(), port, Some(&broker.brokers()));
    // Killed as soon as the relay has published some, not all.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut first = None;
    let (full, at_kill) = loop {
        if let Some(left) = readyz(port).await.as_ref().map(backlog) {
            let full = *first.get_or_insert(left);
            assert!(full >= TWEETS, "the outbox holds every tweet: {full}");
            if left < full {
                break (full, left);
            }
        }
        assert!(Instant::now() < deadline, "the relay published nothing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(at_kill > 0, "killed mid-relay: {at_kill} events were left");

    let mut server = chirp_server(data.path(), port, Some(&broker.brokers()));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(ready) = readyz(port).await {
            if backlog(&ready) == 0 {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the outbox did not drain after the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let received = read_until(&broker.brokers(), TWEETS_TOPIC, |got| {
        got.iter()
            .map(|r| &r.envelope.event_id)
            .collect::<HashSet<_>>()
            .len() as u64
            >= TWEETS
    })
    .await;
    let distinct: HashSet<&str> = received
        .iter()
        .map(|r| r.envelope.stream_id.as_str())
        .collect();
    assert_eq!(
        distinct.len() as u64,
        TWEETS,
        "every committed tweet is on the topic"
    );
    eprintln!(
        "killed with {at_kill} of {full} outbox entries not yet marked published; {} messages after the restart, {} of them duplicates",
        received.len(),
        received.len() as u64 - TWEETS
    );
}
