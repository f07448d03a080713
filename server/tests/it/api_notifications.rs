//! Notifications through the API: what others do to you (follow, like,
//! reply, mention) reaches you, newest first and counted unread, never
//! your own doing nor from someone you block; reading marks them.

use serde_json::{json, Value};

use crate::helpers::{id, Backend, Client};

crate::on_both_stores!(
    a_follow_a_like_a_reply_and_a_mention_reach_you_newest_first,
    reading_marks_them_and_a_block_hides_them,
);

async fn post(client: &mut Client, body: Value) -> String {
    let posted = client.post("/api/v2/tweets", body).await;
    posted.assert_status(201);
    id(&posted.json())
}

/// `(kind, actor, the tweet's body)` of each of `client`'s notifications.
async fn told(client: &mut Client) -> Vec<(String, String, Option<String>)> {
    let list = client.get("/api/v2/notifications").await;
    list.assert_status(200);
    list.json()["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_owned(),
                n["actor"].as_str().unwrap().to_owned(),
                n["tweet"]["body"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

async fn unread(client: &mut Client) -> u64 {
    let found = client.get("/api/v2/notifications/unread").await;
    found.assert_status(200);
    found.json()["unread"].as_u64().unwrap()
}

fn told_as(kind: &str, actor: &str, body: Option<&str>) -> (String, String, Option<String>) {
    (kind.into(), actor.into(), body.map(str::to_owned))
}

async fn a_follow_a_like_a_reply_and_a_mention_reach_you_newest_first(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (mut bob, bob_json) = app.user("bob").await;
    let (ada_id, bob_id) = (id(&ada_json), id(&bob_json));
    bob.put(
        &format!("/api/v1/users/{bob_id}/following/{ada_id}"),
        json!({}),
    )
    .await
    .assert_status(204);
    let hello = post(&mut ada, json!({ "body": "hello" })).await;
    bob.put(&format!("/api/v2/tweets/{hello}/like"), json!({}))
        .await
        .assert_status(204);
    post(&mut bob, json!({ "body": "hi @ada", "in_reply_to": hello })).await;
    post(&mut bob, json!({ "body": "cc @ADA and @nobody" })).await;
    // Her own doing tells her nothing.
    ada.put(&format!("/api/v2/tweets/{hello}/like"), json!({}))
        .await
        .assert_status(204);
    post(&mut ada, json!({ "body": "me, @ada" })).await;

    assert_eq!(
        told(&mut ada).await,
        [
            told_as("mention", "bob", Some("cc @ADA and @nobody")),
            told_as("reply", "bob", Some("hi @ada")),
            told_as("like", "bob", Some("hello")),
            told_as("follow", "bob", None),
        ]
    );
    assert_eq!(unread(&mut ada).await, 4);
    assert!(told(&mut bob).await.is_empty());
    let mut anyone = app.client();
    anyone
        .get("/api/v2/notifications")
        .await
        .assert_error(401, "unauthorized");
    app.stop().await;
}

async fn reading_marks_them_and_a_block_hides_them(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (mut bob, bob_json) = app.user("bob").await;
    let (mut cyd, _) = app.user("cyd").await;
    post(&mut bob, json!({ "body": "@ada one" })).await;
    post(&mut cyd, json!({ "body": "@ada two" })).await;
    let list = ada.get("/api/v2/notifications").await.json();
    let older = id(&list["notifications"][1]);
    ada.post("/api/v2/notifications/read", json!({ "up_to": older }))
        .await
        .assert_status(204);
    assert_eq!(unread(&mut ada).await, 1);
    let list = ada.get("/api/v2/notifications").await.json();
    assert_eq!(list["notifications"][0]["read"], false);
    assert_eq!(list["notifications"][1]["read"], true);
    ada.post("/api/v2/notifications/read", json!({}))
        .await
        .assert_status(204);
    assert_eq!(unread(&mut ada).await, 0);
    let refused = ada
        .post("/api/v2/notifications/read", json!({ "up_to": "x" }))
        .await;
    refused.assert_error(422, "validation_failed");
    assert_eq!(refused.json()["details"]["up_to"][0], "invalid");

    // Blocking Bob hides his notifications, and new ones from him.
    let (ada_id, bob_id) = (id(&ada_json), id(&bob_json));
    post(&mut bob, json!({ "body": "@ada three" })).await;
    assert_eq!(unread(&mut ada).await, 1);
    ada.put(
        &format!("/api/v1/users/{ada_id}/blocking/{bob_id}"),
        json!({}),
    )
    .await
    .assert_status(204);
    assert_eq!(unread(&mut ada).await, 0);
    assert_eq!(
        told(&mut ada).await,
        [told_as("mention", "cyd", Some("@ada two"))]
    );
    app.stop().await;
}
