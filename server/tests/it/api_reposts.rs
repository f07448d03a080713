//! Reposts through the API: as yourself, idempotent both ways, counted on
//! every tweet, marked `reposted` for who reposted it, shown in their
//! followers' home timelines as theirs (with the repost's id as the
//! cursor), told to the author, and not for tweets of people you block or
//! who block you.

use serde_json::{json, Value};

use crate::helpers::{id, Backend, Client};

crate::on_both_stores!(
    a_repost_reaches_the_reposters_followers_home_once_with_its_own_cursor,
    a_repost_is_counted_marked_told_and_undone,
    you_cannot_repost_what_is_not_there_for_you,
);

fn repost_path(tweet: &str) -> String {
    format!("/api/v2/tweets/{tweet}/repost")
}

/// `(body, reposted_by)` of each entry of `client`'s home timeline.
async fn home(client: &mut Client, query: &str) -> (Vec<(String, Option<String>)>, Value) {
    let list = client.get(&format!("/api/v2/timelines/home{query}")).await;
    list.assert_status(200);
    let json = list.json();
    let entries = json["tweets_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["body"].as_str().unwrap().to_owned(),
                t["reposted_by"].as_str().map(str::to_owned),
            )
        })
        .collect();
    (entries, json)
}

async fn follow(client: &mut Client, me: &Value, them: &Value) {
    let path = format!("/api/v1/users/{}/following/{}", id(me), id(them));
    client.put(&path, json!({})).await.assert_status(204);
}

async fn a_repost_reaches_the_reposters_followers_home_once_with_its_own_cursor(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (mut bob, bob_json) = app.user("bob").await;
    let (mut cyd, cyd_json) = app.user("cyd").await;
    follow(&mut ada, &ada_json, &bob_json).await;
    let cyds = cyd.tweet("cyd's news").await;
    bob.tweet("bob's own").await;
    bob.put(&repost_path(&cyds), json!({}))
        .await
        .assert_status(204);

    let (entries, json) = home(&mut ada, "").await;
    assert_eq!(
        entries,
        [
            ("cyd's news".to_owned(), Some("bob".to_owned())),
            ("bob's own".to_owned(), None),
        ]
    );
    let first = &json["tweets_list"][0];
    assert_eq!(first["id"], cyds.as_str(), "the tweet itself, by cyd");
    assert_eq!(first["tweetedby"], "cyd");
    assert_eq!(first["reposts"], 1);
    let repost_id = first["repost_id"].as_str().unwrap().to_owned();
    assert_ne!(repost_id, cyds);

    // The next page starts after the repost, where it stands.
    let page = ada.get("/api/v2/timelines/home?limit=1").await;
    let link = page.header("link").expect("a next link");
    assert!(link.contains(&format!("max_id={repost_id}")), "{link}");
    let (older, _) = home(&mut ada, &format!("?max_id={repost_id}")).await;
    assert_eq!(older, [("bob's own".to_owned(), None)]);

    // Everyone's timeline holds tweets, not reposts.
    let everyone = ada.get("/api/v2/tweets").await.json();
    assert_eq!(everyone["tweets_list"].as_array().unwrap().len(), 2);

    // Following Cyd too, Ada gets her tweet once, where it comes first:
    // reposted by Bob.
    follow(&mut ada, &ada_json, &cyd_json).await;
    let (entries, _) = home(&mut ada, "").await;
    let bodies: Vec<&str> = entries.iter().map(|(body, _)| body.as_str()).collect();
    assert_eq!(bodies, ["cyd's news", "bob's own"], "each once in a page");
    let fresh = cyd.tweet("fresh").await;
    bob.put(&repost_path(&fresh), json!({}))
        .await
        .assert_status(204);
    // The two newest entries are one tweet: the page of two is filled up
    // from the next read.
    let (two, _) = home(&mut ada, "?limit=2").await;
    assert_eq!(
        two,
        [
            ("fresh".to_owned(), Some("bob".to_owned())),
            ("cyd's news".to_owned(), Some("bob".to_owned())),
        ]
    );
    app.stop().await;
}

async fn a_repost_is_counted_marked_told_and_undone(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, _) = app.user("ada").await;
    let (mut bob, _) = app.user("bob").await;
    let adas = ada.tweet("repost me").await;
    let path = repost_path(&adas);
    bob.put(&path, json!({})).await.assert_status(204);
    bob.put(&path, json!({})).await.assert_status(204);
    let mine = bob.get("/api/v2/tweets?limit=1").await.json();
    let shown = &mine["tweets_list"][0];
    assert_eq!(
        (shown["reposts"].as_u64(), shown["reposted"].as_bool()),
        (Some(1), Some(true))
    );
    let theirs = ada.get("/api/v2/tweets?limit=1").await.json();
    assert_eq!(theirs["tweets_list"][0]["reposts"], 1);
    assert!(
        theirs["tweets_list"][0].get("reposted").is_none(),
        "not hers"
    );

    let told = ada.get("/api/v2/notifications").await.json();
    let kinds: Vec<&str> = told["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["repost"]);
    assert_eq!(told["notifications"][0]["actor"], "bob");

    bob.delete(&path).await.assert_status(204);
    bob.delete(&path).await.assert_status(204);
    let one = ada.get(&format!("/api/v2/tweets/{adas}")).await.json();
    assert_eq!(one["reposts"], 0);
    let unread = ada.get("/api/v2/notifications/unread").await.json();
    assert_eq!(
        unread["unread"], 0,
        "an undone repost takes its notification"
    );
    app.client()
        .put(&path, json!({}))
        .await
        .assert_error(401, "unauthorized");
    app.stop().await;
}

async fn you_cannot_repost_what_is_not_there_for_you(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, ada_json) = app.user("ada").await;
    let (mut bob, bob_json) = app.user("bob").await;
    let adas = ada.tweet("ada's").await;
    ada.put(
        &format!("/api/v1/users/{}/blocking/{}", id(&ada_json), id(&bob_json)),
        json!({}),
    )
    .await
    .assert_status(204);
    bob.put(&repost_path(&adas), json!({}))
        .await
        .assert_error(404, "not_found");
    bob.put(&repost_path("123"), json!({}))
        .await
        .assert_error(404, "not_found");
    bob.put(&repost_path("nope"), json!({}))
        .await
        .assert_error(404, "not_found");
    let one = ada.get(&format!("/api/v2/tweets/{adas}")).await.json();
    assert_eq!(one["reposts"], 0);
    app.stop().await;
}
