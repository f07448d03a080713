//! Replies through the API: a reply names the tweet it answers, which
//! counts it; a thread shows what a tweet answers and its replies, keeps a
//! deleted tweet's place, pages its replies forward, and leaves out what a
//! block hides; a block refuses the reply itself.

use serde_json::{json, Value};

use crate::helpers::{id, Backend, Client};

crate::on_both_stores!(
    a_reply_is_counted_and_its_thread_reads_top_down,
    a_deleted_tweet_keeps_its_place_in_the_thread,
    a_thread_pages_its_replies_oldest_first,
    blocks_refuse_replies_and_hide_them_from_threads,
    a_users_tweets_come_with_their_replies_unless_excluded,
);

async fn a_users_tweets_come_with_their_replies_unless_excluded(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, _) = app.user("ada").await;
    let (mut bob, _) = app.user("bob").await;
    let question = reply(&mut ada, None, "a question").await;
    let answer = reply(&mut bob, Some(&question), "an answer").await;
    let own = reply(&mut bob, None, "a thought").await;
    let mut anyone = app.client();
    let bobs = |query: &'static str| format!("/api/v2/tweets?tweetedby=bob{query}");
    let all = anyone.get(&bobs("")).await.json();
    assert_eq!(ids(&all["tweets_list"]), [own.clone(), answer]);
    let page = anyone.get(&bobs("&exclude_replies=true&limit=1")).await;
    assert_eq!(ids(&page.json()["tweets_list"]), std::slice::from_ref(&own));
    let link = page.header("link").expect("a next link");
    assert!(
        link.contains("exclude_replies=true"),
        "the next page too: {link}"
    );
    anyone
        .get(&bobs("&exclude_replies=maybe"))
        .await
        .assert_error(422, "validation_failed");
    app.stop().await;
}

async fn reply(client: &mut Client, parent: Option<&str>, body: &str) -> String {
    let posted = client
        .post(
            "/api/v2/tweets",
            json!({ "body": body, "in_reply_to": parent }),
        )
        .await;
    posted.assert_status(201);
    assert_eq!(posted.json()["in_reply_to"].as_str(), parent);
    id(&posted.json())
}

async fn thread(client: &mut Client, tweet: &str) -> Value {
    let found = client.get(&format!("/api/v2/tweets/{tweet}/thread")).await;
    found.assert_status(200);
    found.json()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(id).collect()
}

async fn a_reply_is_counted_and_its_thread_reads_top_down(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, _) = app.user("ada").await;
    let (mut bob, _) = app.user("bob").await;
    let root = reply(&mut ada, None, "What are you reading?").await;
    let answer = reply(&mut bob, Some(&root), "Dune, again").await;
    let thanks = reply(&mut ada, Some(&answer), "Good choice").await;
    let second = reply(&mut ada, Some(&root), "Me: nothing yet").await;

    let one = ada.get(&format!("/api/v2/tweets/{root}")).await.json();
    assert_eq!(one["replies"], 2);
    let mut anyone = app.client();
    let middle = thread(&mut anyone, &answer).await;
    assert_eq!(ids(&middle["ancestors"]), [root.as_str()]);
    assert_eq!(
        middle["ancestors"][0]["tweet"]["body"],
        "What are you reading?"
    );
    assert_eq!(middle["tweet"]["id"], answer.as_str());
    assert_eq!(middle["tweet"]["replies"], 1);
    assert_eq!(ids(&middle["replies"]), [thanks.as_str()]);
    let top = thread(&mut anyone, &root).await;
    assert!(top["ancestors"].as_array().unwrap().is_empty());
    assert_eq!(ids(&top["replies"]), [answer, second], "oldest first");
    let leaf = thread(&mut anyone, &thanks).await;
    assert_eq!(leaf["ancestors"].as_array().unwrap().len(), 2);

    // A reply must answer a tweet, and an id.
    ada.post(
        "/api/v2/tweets",
        json!({ "body": "?", "in_reply_to": "123" }),
    )
    .await
    .assert_error(404, "not_found");
    let refused = ada
        .post(
            "/api/v2/tweets",
            json!({ "body": "?", "in_reply_to": "x1" }),
        )
        .await;
    refused.assert_error(422, "validation_failed");
    assert_eq!(refused.json()["details"]["in_reply_to"][0], "invalid");
    anyone
        .get("/api/v2/tweets/123/thread")
        .await
        .assert_error(404, "not_found");
    app.stop().await;
}

async fn a_deleted_tweet_keeps_its_place_in_the_thread(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, _) = app.user("ada").await;
    let (mut bob, _) = app.user("bob").await;
    let root = reply(&mut ada, None, "root").await;
    let middle = reply(&mut bob, Some(&root), "middle").await;
    let leaf = reply(&mut ada, Some(&middle), "leaf").await;
    bob.delete(&format!("/api/v2/tweets/{middle}"))
        .await
        .assert_status(204);
    let found = thread(&mut ada, &leaf).await;
    let above = found["ancestors"].as_array().unwrap();
    assert_eq!(ids(&found["ancestors"]), [root.clone(), middle.clone()]);
    assert_eq!(above[0]["tweet"]["body"], "root");
    assert_eq!(above[1]["deleted"], true);
    assert!(above[1].get("tweet").is_none());
    let one = ada.get(&format!("/api/v2/tweets/{root}")).await.json();
    assert_eq!(one["replies"], 0, "the deleted reply is not counted");
    ada.get(&format!("/api/v2/tweets/{middle}/thread"))
        .await
        .assert_error(404, "not_found");
    app.stop().await;
}

async fn a_thread_pages_its_replies_oldest_first(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, _) = app.user("ada").await;
    let root = reply(&mut ada, None, "count with me").await;
    let mut replies = Vec::new();
    for n in 1..=3 {
        replies.push(reply(&mut ada, Some(&root), &format!("{n}")).await);
    }
    let first = ada
        .get(&format!("/api/v2/tweets/{root}/thread?limit=2"))
        .await;
    first.assert_status(200);
    assert_eq!(ids(&first.json()["replies"]), replies[..2]);
    let link = first.header("link").expect("a next link");
    assert!(link.contains(&format!("since_id={}", replies[1])), "{link}");
    let next = ada
        .get(&format!(
            "/api/v2/tweets/{root}/thread?limit=2&since_id={}",
            replies[1]
        ))
        .await;
    assert_eq!(ids(&next.json()["replies"]), replies[2..]);
    assert!(next.header("link").is_none());
    app.stop().await;
}

async fn blocks_refuse_replies_and_hide_them_from_threads(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (mut bob, bob_json) = app.user("bob").await;
    let (mut cyd, _) = app.user("cyd").await;
    let root = reply(&mut cyd, None, "open to all").await;
    let bobs = reply(&mut bob, Some(&root), "bob here").await;
    let adas = reply(&mut ada, Some(&bobs), "hi bob").await;
    let (ada_id, bob_id) = (id(&ada_json), id(&bob_json));
    ada.put(
        &format!("/api/v1/users/{ada_id}/blocking/{bob_id}"),
        json!({}),
    )
    .await
    .assert_status(204);
    // Neither may answer the other now.
    let refused = bob
        .post(
            "/api/v2/tweets",
            json!({ "body": "hey", "in_reply_to": adas }),
        )
        .await;
    refused.assert_error(403, "forbidden");
    assert!(refused.json()["message"]
        .as_str()
        .unwrap()
        .contains("blocks you"));
    ada.post(
        "/api/v2/tweets",
        json!({ "body": "hey", "in_reply_to": bobs }),
    )
    .await
    .assert_error(403, "forbidden");
    // Bob's reply is gone from Ada's view of the thread, and his tweet
    // above hers is there without its text.
    let for_ada = thread(&mut ada, &root).await;
    assert!(for_ada["replies"].as_array().unwrap().is_empty());
    let above = thread(&mut ada, &adas).await;
    assert_eq!(ids(&above["ancestors"]), [root.clone(), bobs.clone()]);
    assert!(above["ancestors"][1].get("tweet").is_none());
    assert!(above["ancestors"][1].get("deleted").is_none());
    ada.get(&format!("/api/v2/tweets/{bobs}/thread"))
        .await
        .assert_error(404, "not_found");
    // Cyd sees the whole conversation.
    assert_eq!(ids(&thread(&mut cyd, &root).await["replies"]), [bobs]);
    app.stop().await;
}
