//! Two servers on one store, as a deployment scales out behind no proxy:
//! what one does, the other sees (sessions at once, tweets within the
//! newest page's bound). On SQLite the two share one file, which SQLite's
//! locking allows on one host.

use std::time::{Duration, Instant};

use serde_json::json;
use server::{config::Config, services::tweets::NEWEST_FOR};

use crate::helpers::{Backend, TestApp};

crate::on_both_stores!(two_servers_on_one_store_share_sessions_tweets_and_logouts);

async fn two_servers_on_one_store_share_sessions_tweets_and_logouts(backend: Backend) {
    let shared = crate::open_store!(backend);
    let a = TestApp::on(shared.store.clone(), Config::for_tests()).await;
    let b = TestApp::on(shared.reopen().await, Config::for_tests()).await;

    // A session made on A is valid on B.
    let (mut on_a, alice) = a.user("alice").await;
    let mut on_b = b.client();
    on_b.cookie = on_a.cookie.clone();
    let me = on_b.get("/api/v1/auth/me").await;
    me.assert_status(200);
    assert_eq!(me.json()["id"], alice["id"]);

    // A tweet posted on A is listed by B within the bound B keeps its
    // newest page for, even when B had just read (and kept) that page.
    let mut reader = b.client();
    reader.get("/api/v2/tweets").await.assert_status(200);
    on_a.post("/api/v2/tweets", json!({"body": "from A"}))
        .await
        .assert_status(201);
    let posted = Instant::now();
    loop {
        let page = reader.get("/api/v2/tweets").await.json();
        if page["tweets_list"][0]["body"] == "from A" {
            break;
        }
        assert!(
            posted.elapsed() < NEWEST_FOR + Duration::from_millis(500),
            "B did not list A's tweet within {NEWEST_FOR:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!("B listed A's tweet after {:?}", posted.elapsed());

    // A logout on B ends the session on A too, at once.
    on_b.post("/api/v1/auth/logout", json!({}))
        .await
        .assert_status(204);
    on_a.get("/api/v1/auth/me")
        .await
        .assert_error(401, "unauthorized");
    b.stop().await;
    a.stop().await;
    shared.finish().await;
}
