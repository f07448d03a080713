//! The social forms of the pages without JavaScript: follow, unfollow,
//! block and unblock on a profile, and deleting your tweet; each posts,
//! gets a 303 back to where it was, and the pages show the change.

use app::flux::TimelineKey;

use crate::helpers::{Backend, TestApp};
use crate::pages_forms::{get_page, location, page_data, post_form, sign_up};

crate::on_both_stores!(
    following_from_a_profile_puts_their_tweets_on_your_home_page,
    blocking_from_a_profile_hides_their_tweets_from_you_and_yours_from_them,
    your_tweet_is_deleted_from_the_page_it_is_on,
    a_like_from_the_page_is_counted_and_marked_and_undone,
    a_repost_from_the_page_shows_on_the_followers_home_as_theirs,
    a_hashtag_is_a_link_to_its_timeline_and_an_address_a_safe_link,
    a_reply_from_the_thread_page_lands_in_its_thread,
    a_profile_shows_tweets_and_with_their_replies_on_its_second_tab,
    a_mention_of_someone_who_is_there_links_to_them,
    notifications_are_counted_in_the_header_listed_and_marked_read,
    the_search_page_finds_people_and_tweets,
);

async fn tweet(server: &TestApp, cookie: &str, body: &str) {
    let response = post_form(server, "/", &[("body", body)], Some(cookie)).await;
    assert_eq!(response.status(), 303);
}

/// The bodies of the tweets `path`'s page shows to `cookie`'s user.
async fn shown(server: &TestApp, path: &str, cookie: Option<&str>) -> Vec<String> {
    let (status, html) = get_page(server, path, cookie).await;
    assert_eq!(status, 200, "{path}: {html}");
    let timeline = page_data(&html).timeline.expect("a timeline");
    timeline.tweets.into_iter().map(|t| t.body).collect()
}

async fn change(server: &TestApp, cookie: &str, path: &str) -> reqwest::Response {
    post_form(server, path, &[], Some(cookie)).await
}

async fn following_from_a_profile_puts_their_tweets_on_your_home_page(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    let bob = sign_up(&server, "bob").await;
    tweet(&server, &bob, "Bob's first").await;
    tweet(&server, &ann, "Ann's own").await;

    let (_, html) = get_page(&server, "/u/bob", Some(&ann)).await;
    let card = page_data(&html).profile.expect("Bob's card");
    assert_eq!(card.user.username, "bob");
    assert_eq!(card.user.email, None, "never another's address");
    assert!(!card.relationship.unwrap().following);
    assert!(html.contains(r#"action="/u/bob/follow""#), "{html}");
    assert_eq!(shown(&server, "/", Some(&ann)).await, ["Ann's own"]);

    let response = change(&server, &ann, "/u/bob/follow").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/u/bob");
    let (_, html) = get_page(&server, "/u/bob", Some(&ann)).await;
    let card = page_data(&html).profile.unwrap();
    assert!(card.relationship.unwrap().following);
    assert_eq!(card.user.follows.unwrap().followers, 1);
    assert!(html.contains(r#"action="/u/bob/unfollow""#), "{html}");
    let (_, html) = get_page(&server, "/", Some(&ann)).await;
    assert_eq!(page_data(&html).timeline.unwrap().key, TimelineKey::Home);
    assert_eq!(
        shown(&server, "/", Some(&ann)).await,
        ["Ann's own", "Bob's first"]
    );
    // Bob's own card has no buttons, and counts Ann.
    let (_, html) = get_page(&server, "/u/bob", Some(&bob)).await;
    let card = page_data(&html).profile.unwrap();
    assert_eq!(card.relationship, None);
    assert!(!html.contains(r#"action="/u/bob/follow""#));

    let response = change(&server, &ann, "/u/bob/unfollow").await;
    assert_eq!(response.status(), 303);
    assert_eq!(shown(&server, "/", Some(&ann)).await, ["Ann's own"]);
    // Everyone is one click away, for anyone.
    let everyone = shown(&server, "/everyone", None).await;
    assert_eq!(everyone, ["Ann's own", "Bob's first"]);

    // Without a session the form asks for one; a change nobody knows, or
    // a user nobody is, is not found.
    let anonymous = post_form(&server, "/u/bob/follow", &[], None).await;
    assert_eq!(anonymous.status(), 303);
    assert_eq!(location(&anonymous), "/login");
    assert_eq!(change(&server, &ann, "/u/bob/mute").await.status(), 404);
    assert_eq!(
        change(&server, &ann, "/u/nobody/follow").await.status(),
        404
    );
    // Following yourself is refused on the page, with why.
    let response = change(&server, &ann, "/u/ann/follow").await;
    assert_eq!(response.status(), 422);
    server.stop().await;
}

async fn blocking_from_a_profile_hides_their_tweets_from_you_and_yours_from_them(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    let bob = sign_up(&server, "bob").await;
    tweet(&server, &bob, "Bob speaks").await;
    tweet(&server, &ann, "Ann speaks").await;
    change(&server, &ann, "/u/bob/follow").await;
    change(&server, &bob, "/u/ann/follow").await;

    let response = change(&server, &ann, "/u/bob/block").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/u/bob");
    let (_, html) = get_page(&server, "/u/bob", Some(&ann)).await;
    let card = page_data(&html).profile.unwrap();
    let relationship = card.relationship.unwrap();
    assert!(relationship.blocking);
    assert!(!relationship.following && !relationship.followed_by);
    assert!(html.contains("You block @bob"), "{html}");
    assert!(html.contains(r#"action="/u/bob/unblock""#), "{html}");

    // Gone from Ann's timelines, and Ann's from Bob's, while logged in.
    assert_eq!(
        shown(&server, "/everyone", Some(&ann)).await,
        ["Ann speaks"]
    );
    assert!(shown(&server, "/u/bob", Some(&ann)).await.is_empty());
    assert_eq!(shown(&server, "/", Some(&ann)).await, ["Ann speaks"]);
    assert_eq!(
        shown(&server, "/everyone", Some(&bob)).await,
        ["Bob speaks"]
    );
    assert!(shown(&server, "/u/ann", Some(&bob)).await.is_empty());
    let api = server
        .http
        .get(server.url("/api/v2/tweets"))
        .header("cookie", &bob)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!api.contains("Ann speaks"), "the API hides them too: {api}");
    // Nobody else is affected.
    let everyone = shown(&server, "/everyone", None).await;
    assert_eq!(everyone, ["Ann speaks", "Bob speaks"]);

    // Bob cannot follow Ann back; the page says why.
    let response = change(&server, &bob, "/u/ann/follow").await;
    assert_eq!(response.status(), 403);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("You can&#39;t follow someone who blocks you.")
            || html.contains("You can't follow someone who blocks you."),
        "{html}"
    );

    let response = change(&server, &ann, "/u/bob/unblock").await;
    assert_eq!(response.status(), 303);
    let everyone = shown(&server, "/everyone", Some(&ann)).await;
    assert_eq!(everyone, ["Ann speaks", "Bob speaks"]);
    server.stop().await;
}

async fn your_tweet_is_deleted_from_the_page_it_is_on(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    let bob = sign_up(&server, "bob").await;
    tweet(&server, &ann, "Keep me").await;
    tweet(&server, &ann, "Delete me").await;
    let (_, html) = get_page(&server, "/u/ann", Some(&ann)).await;
    let id = page_data(&html).timeline.unwrap().tweets[0].id.clone();
    assert!(
        html.contains(&format!(r#"action="/t/{id}/delete""#)),
        "{html}"
    );
    let (_, theirs) = get_page(&server, "/u/ann", Some(&bob)).await;
    assert!(!theirs.contains("/delete\""), "only the author sees Delete");

    // Someone else's tweet is not theirs to delete: it stays.
    let path = format!("/t/{id}/delete");
    let response = post_form(&server, &path, &[("next", "/u/ann")], Some(&bob)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        shown(&server, "/u/ann", None).await,
        ["Delete me", "Keep me"]
    );
    let anonymous = post_form(&server, &path, &[("next", "/u/ann")], None).await;
    assert_eq!(location(&anonymous), "/login");

    let response = post_form(&server, &path, &[("next", "/u/ann")], Some(&ann)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/u/ann");
    assert_eq!(shown(&server, "/u/ann", None).await, ["Keep me"]);
    // Back to this site only.
    let keep = page_data(&get_page(&server, "/u/ann", None).await.1)
        .timeline
        .unwrap()
        .tweets[0]
        .id
        .clone();
    let path = format!("/t/{keep}/delete");
    let next = [("next", "https://evil.example/")];
    let response = post_form(&server, &path, &next, Some(&ann)).await;
    assert_eq!(location(&response), "/");
    assert!(shown(&server, "/u/ann", None).await.is_empty());
    server.stop().await;
}

async fn a_repost_from_the_page_shows_on_the_followers_home_as_theirs(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    let bob = sign_up(&server, "bob").await;
    let cyd = sign_up(&server, "cyd").await;
    assert_eq!(change(&server, &cyd, "/u/bob/follow").await.status(), 303);
    tweet(&server, &ann, "Worth a repost").await;
    let (_, html) = get_page(&server, "/everyone", Some(&bob)).await;
    let id = page_data(&html).timeline.unwrap().tweets[0].id.clone();
    let repost = format!("/t/{id}/repost");
    assert!(html.contains(&format!(r#"action="{repost}""#)), "{html}");

    let response = post_form(&server, &repost, &[("next", "/everyone")], Some(&bob)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/everyone");
    let (_, html) = get_page(&server, "/everyone", Some(&bob)).await;
    let bobs = &page_data(&html).timeline.unwrap().tweets[0];
    assert_eq!((bobs.reposts, bobs.reposted), (1, true));
    assert!(
        html.contains(&format!(r#"action="/t/{id}/unrepost""#)),
        "{html}"
    );

    // Cyd follows Bob, not Ann: Ann's tweet is on her home page as Bob's
    // repost.
    let (_, html) = get_page(&server, "/", Some(&cyd)).await;
    let home = page_data(&html).timeline.unwrap().tweets;
    assert_eq!(home.len(), 1);
    assert_eq!(home[0].tweetedby, "ann");
    assert_eq!(home[0].reposted_by.as_deref(), Some("bob"));
    assert!(html.contains("bob reposted"), "{html}");

    let undo = format!("/t/{id}/unrepost");
    let response = post_form(&server, &undo, &[("next", "/everyone")], Some(&bob)).await;
    assert_eq!(response.status(), 303);
    assert!(shown(&server, "/", Some(&cyd)).await.is_empty(), "undone");
    server.stop().await;
}

async fn a_like_from_the_page_is_counted_and_marked_and_undone(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    let bob = sign_up(&server, "bob").await;
    tweet(&server, &ann, "Like me").await;
    let (_, html) = get_page(&server, "/everyone", Some(&bob)).await;
    let tweet = &page_data(&html).timeline.unwrap().tweets[0];
    let like = format!("/t/{}/like", tweet.id);
    assert!(html.contains(&format!(r#"action="{like}""#)), "{html}");

    let response = post_form(&server, &like, &[("next", "/everyone")], Some(&bob)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/everyone");
    let (_, html) = get_page(&server, "/everyone", Some(&bob)).await;
    let shown = &page_data(&html).timeline.unwrap().tweets[0];
    assert_eq!((shown.likes, shown.liked), (1, true));
    let unlike = format!("/t/{}/unlike", shown.id);
    assert!(html.contains(&format!(r#"action="{unlike}""#)), "{html}");
    // Ann sees the count, not Bob's mark; a visitor's like asks them to
    // log in first.
    let (_, html) = get_page(&server, "/", Some(&ann)).await;
    let theirs = &page_data(&html).timeline.unwrap().tweets[0];
    assert_eq!((theirs.likes, theirs.liked), (1, false));
    let (_, html) = get_page(&server, "/everyone", None).await;
    assert!(html.contains(&format!(r#"action="{like}""#)), "{html}");
    let visitor = post_form(&server, &like, &[("next", "/everyone")], None).await;
    assert_eq!(location(&visitor), "/login");

    let response = post_form(&server, &unlike, &[("next", "/everyone")], Some(&bob)).await;
    assert_eq!(response.status(), 303);
    let (_, html) = get_page(&server, "/everyone", Some(&bob)).await;
    let shown = &page_data(&html).timeline.unwrap().tweets[0];
    assert_eq!((shown.likes, shown.liked), (0, false));
    // An action nobody knows is not found.
    let unknown = format!("/t/{}/retweet", shown.id);
    assert_eq!(
        post_form(&server, &unknown, &[], Some(&bob)).await.status(),
        404
    );
    server.stop().await;
}

async fn a_hashtag_is_a_link_to_its_timeline_and_an_address_a_safe_link(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    tweet(
        &server,
        &ann,
        "Shipping #Rust, see https://example.com/notes.",
    )
    .await;
    tweet(&server, &ann, "Nothing tagged here").await;
    let (_, html) = get_page(&server, "/u/ann", None).await;
    assert!(html.contains(r#"href="/tags/rust""#), "{html}");
    assert!(
        html.contains(r#"href="https://example.com/notes" rel="nofollow noopener ugc""#),
        "{html}"
    );
    assert_eq!(
        shown(&server, "/tags/rust", None).await,
        ["Shipping #Rust, see https://example.com/notes."]
    );
    assert_eq!(shown(&server, "/tags/RUST", Some(&ann)).await.len(), 1);
    assert!(shown(&server, "/tags/nothing", None).await.is_empty());
    let (status, html) = get_page(&server, "/tags/not%20a%20tag", None).await;
    assert_eq!(status, 404);
    assert!(html.contains("is not a hashtag"), "{html}");
    // The API says the same.
    let api = server.get("/api/v2/tags/Rust").await;
    assert_eq!(api.status(), 200);
    let list: serde_json::Value = api.json().await.unwrap();
    assert_eq!(list["tweets_list"].as_array().unwrap().len(), 1);
    assert_eq!(server.get("/api/v2/tags/not%20a%20tag").await.status(), 404);
    server.stop().await;
}

async fn a_mention_of_someone_who_is_there_links_to_them(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    sign_up(&server, "Bob_1").await;
    tweet(&server, &ann, "Hi @bob_1 and @nobody, mail ann@example.com").await;
    let (_, html) = get_page(&server, "/u/ann", None).await;
    let tweets = page_data(&html).timeline.unwrap().tweets;
    assert_eq!(tweets[0].mentions, ["bob_1"], "only who is there");
    assert!(
        html.contains(r#"<a href="/u/bob_1" class="tweet-mention" rel="external">@bob_1</a>"#),
        "{html}"
    );
    assert!(html.contains("and @nobody, mail ann@example.com"), "{html}");
    // The API carries the same, and a lone reader of one tweet sees it too.
    let api: serde_json::Value = server
        .get(&format!("/api/v2/tweets/{}", tweets[0].id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["mentions"], serde_json::json!(["bob_1"]));
    server.stop().await;
}

async fn a_profile_shows_tweets_and_with_their_replies_on_its_second_tab(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    let bob = sign_up(&server, "bob").await;
    tweet(&server, &ann, "Tea or coffee?").await;
    let (_, html) = get_page(&server, "/", Some(&ann)).await;
    let root = page_data(&html).timeline.unwrap().tweets[0].id.clone();
    post_form(
        &server,
        &format!("/t/{root}"),
        &[("body", "Tea")],
        Some(&bob),
    )
    .await;
    tweet(&server, &bob, "Bob's own").await;

    assert_eq!(shown(&server, "/u/bob", None).await, ["Bob's own"]);
    assert_eq!(
        shown(&server, "/u/bob?with_replies=1", None).await,
        ["Bob's own", "Tea"]
    );
    let (_, html) = get_page(&server, "/u/bob?with_replies=1", None).await;
    assert!(html.contains(r#"href="/u/bob""#), "{html}");
    assert!(
        html.contains(r#"href="/u/bob?with_replies=1" rel="external" aria-current="page""#),
        "{html}"
    );
    let (status, _) = get_page(&server, "/u/nobody?with_replies=1", None).await;
    assert_eq!(status, 404);
    server.stop().await;
}

async fn a_reply_from_the_thread_page_lands_in_its_thread(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    let bob = sign_up(&server, "bob").await;
    tweet(&server, &ann, "Tea or coffee?").await;
    let (_, html) = get_page(&server, "/", Some(&ann)).await;
    let root = page_data(&html).timeline.unwrap().tweets[0].id.clone();
    assert!(
        html.contains(&format!(r#"href="/t/{root}""#)),
        "a permalink"
    );

    let (status, html) = get_page(&server, &format!("/t/{root}"), Some(&bob)).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(r#"action="/t/{root}""#)), "{html}");
    assert!(html.contains("Post your reply"));
    let response = post_form(
        &server,
        &format!("/t/{root}"),
        &[("body", "Tea, always")],
        Some(&bob),
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/t/{root}"));
    let (_, html) = get_page(&server, &format!("/t/{root}"), None).await;
    let thread = page_data(&html).thread.expect("the thread");
    assert_eq!(thread.tweet.replies, 1);
    let replies: Vec<&str> = thread.replies.iter().map(|t| t.body.as_str()).collect();
    assert_eq!(replies, ["Tea, always"]);
    assert!(html.contains("Tea, always"));
    assert!(
        html.contains("Log in"),
        "a visitor is asked to log in to reply"
    );

    // A refused reply comes back with why and what was typed.
    let blank = post_form(&server, &format!("/t/{root}"), &[("body", " ")], Some(&bob)).await;
    assert_eq!(blank.status(), 422);
    // The reply's own thread shows its parent above it; once that is
    // deleted, its place says so.
    let reply = thread.replies[0].id.clone();
    let (_, html) = get_page(&server, &format!("/t/{reply}"), None).await;
    assert!(html.contains("Tea or coffee?"));
    let deleted = post_form(
        &server,
        &format!("/t/{root}/delete"),
        &[("next", "/")],
        Some(&ann),
    )
    .await;
    assert_eq!(deleted.status(), 303);
    let (status, html) = get_page(&server, &format!("/t/{reply}"), None).await;
    assert_eq!(status, 200);
    assert!(html.contains("This tweet was deleted."), "{html}");
    assert!(html.contains("Tea, always"));
    let (status, html) = get_page(&server, &format!("/t/{root}"), None).await;
    assert_eq!(status, 404);
    assert!(html.contains("doesn't exist, or was deleted"), "{html}");
    server.stop().await;
}

async fn notifications_are_counted_in_the_header_listed_and_marked_read(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    let bob = sign_up(&server, "bob").await;
    assert_eq!(change(&server, &bob, "/u/ann/follow").await.status(), 303);
    tweet(&server, &bob, "Morning @ann").await;
    let (_, html) = get_page(&server, "/", Some(&ann)).await;
    assert_eq!(page_data(&html).unread, 2);
    assert!(html.contains(r#"href="/notifications""#), "{html}");

    let (status, html) = get_page(&server, "/notifications", Some(&ann)).await;
    assert_eq!(status, 200);
    let data = page_data(&html);
    let kinds: Vec<_> = data.notifications.iter().map(|n| n.kind).collect();
    use app::api::NotificationKind::{Follow, Mention};
    assert_eq!(kinds, [Mention, Follow]);
    assert!(html.contains("mentioned you") && html.contains("followed you"));
    assert!(html.contains("Morning @ann"));
    let newest = data.notifications[0].id.clone();
    let response = post_form(
        &server,
        "/notifications",
        &[("up_to", newest.as_str())],
        Some(&ann),
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/notifications");
    let (_, html) = get_page(&server, "/notifications", Some(&ann)).await;
    let data = page_data(&html);
    assert_eq!(data.unread, 0);
    assert!(data.notifications.iter().all(|n| n.read));
    // A visitor is asked to log in; Bob's own doing told him nothing.
    let (_, html) = get_page(&server, "/notifications", None).await;
    assert!(html.contains("to see your notifications"), "{html}");
    let (_, html) = get_page(&server, "/notifications", Some(&bob)).await;
    assert!(page_data(&html).notifications.is_empty());
    server.stop().await;
}

async fn the_search_page_finds_people_and_tweets(backend: Backend) {
    let server = crate::spawn!(backend);
    let ann = sign_up(&server, "ann").await;
    sign_up(&server, "annika").await;
    tweet(&server, &ann, "Sourdough starter, day three").await;
    tweet(&server, &ann, "Nothing about bread").await;
    let (status, html) = get_page(&server, "/search?q=ann", None).await;
    assert_eq!(status, 200);
    let data = page_data(&html);
    let people: Vec<&str> = data.people.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(people, ["ann", "annika"]);
    assert!(html.contains(r#"href="/u/annika""#), "{html}");
    assert_eq!(
        shown(&server, "/search?q=sourdough%20DAY", None).await,
        ["Sourdough starter, day three"]
    );
    let (_, html) = get_page(&server, "/search", None).await;
    assert!(page_data(&html).timeline.is_none(), "no query, no results");
    assert!(html.contains(r#"action="/search""#));
    server.stop().await;
}
