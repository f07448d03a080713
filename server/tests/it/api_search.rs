//! Search through the API: one query for people (by the start of a
//! username or name) and tweets (by every word, or a hashtag), paged, and
//! a clear 422 for a query that is missing, blank or too long.

use serde_json::{json, Value};

use crate::helpers::Backend;

crate::on_both_stores!(people_and_tweets_are_found_and_bad_queries_told,);

fn bodies(list: &Value) -> Vec<String> {
    list["tweets_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["body"].as_str().unwrap().to_owned())
        .collect()
}

async fn people_and_tweets_are_found_and_bad_queries_told(backend: Backend) {
    let app = crate::spawn!(backend);
    let (mut ada, _) = app.user("ada_tea").await;
    let (_bob, _) = app.user("bob").await;
    for body in [
        "Green tea please",
        "#Tea for two",
        "coffee",
        "more green tea",
    ] {
        ada.post("/api/v2/tweets", json!({ "body": body }))
            .await
            .assert_status(201);
    }
    let mut anyone = app.client();
    let found = anyone.get("/api/v2/search/tweets?q=GREEN%20tea").await;
    found.assert_status(200);
    assert_eq!(
        bodies(&found.json()),
        ["more green tea", "Green tea please"]
    );
    let tagged = anyone.get("/api/v2/search/tweets?q=%23tea").await.json();
    assert_eq!(
        bodies(&tagged),
        ["#Tea for two"],
        "a hashtag alone: its tweets"
    );
    let first = anyone.get("/api/v2/search/tweets?q=tea&limit=1").await;
    let link = first.header("link").expect("a next link");
    assert!(link.contains("q=tea") && link.contains("max_id="), "{link}");

    let people = anyone.get("/api/v2/search/users?q=%40ADA").await;
    people.assert_status(200);
    let list = people.json();
    let names: Vec<&str> = list["user_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ada_tea"]);
    assert!(people.json()["user_list"][0].get("email").is_none());

    for (path, code) in [
        ("/api/v2/search/tweets?q=", "blank"),
        ("/api/v2/search/tweets?q=%20%20", "blank"),
        ("/api/v2/search/tweets", "required"),
    ] {
        let refused = anyone.get(path).await;
        refused.assert_error(422, "validation_failed");
        assert_eq!(refused.json()["details"]["q"][0], code, "{path}");
    }
    let long = "a".repeat(101);
    let refused = anyone.get(&format!("/api/v2/search/users?q={long}")).await;
    refused.assert_error(422, "validation_failed");
    assert_eq!(refused.json()["details"]["q"][0], "too_long");
    app.stop().await;
}
