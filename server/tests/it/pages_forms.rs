//! The pages' HTML forms without JavaScript: each posts form-encoded to its
//! page, and gets a 303 on success or the page again with the API's errors.
//! Also: pages are rendered from the session's data and ship it for
//! hydration, escaped.

use crate::helpers::{Backend, TestApp};
use app::flux::PageData;

crate::on_both_stores!(
    signing_up_logs_in_and_the_home_page_becomes_the_timeline,
    a_tweet_is_posted_and_rendered_escaped,
    a_refused_form_is_rendered_again_with_the_apis_errors,
    the_profile_form_updates_and_needs_the_current_password_for_a_new_one,
    a_bio_from_the_profile_form_shows_on_the_profile_page,
    logging_out_ends_the_session_and_cross_site_posts_are_refused,
    the_not_found_page_knows_who_is_logged_in,
    a_user_page_renders_every_time,
);

const PASSWORD: &str = "correct horse battery";

/// A form post as a browser sends it from one of our pages.
pub(crate) async fn post_form(
    server: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = server
        .http
        .post(server.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

pub(crate) async fn get_page(server: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut request = server.http.get(server.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// `name=value` of the session cookie a response sets.
pub(crate) fn session_cookie(response: &reqwest::Response) -> String {
    let set = response
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().to_string()
}

pub(crate) fn location(response: &reqwest::Response) -> &str {
    response.headers()["location"].to_str().unwrap()
}

/// The page data a page ships for hydration, decoded as the browser does.
pub(crate) fn page_data(html: &str) -> PageData {
    let start = html
        .find(r#"<meta name="chirp-page-data" content=""#)
        .expect("page data")
        + r#"<meta name="chirp-page-data" content=""#.len();
    let end = start + html[start..].find('"').unwrap();
    let json = html[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

pub(crate) async fn sign_up(server: &TestApp, username: &str) -> String {
    let response = post_form(
        server,
        "/signup",
        &[
            ("username", username),
            ("password", PASSWORD),
            ("email", &format!("{username}@example.com")),
            ("name", "Ann Example"),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
    session_cookie(&response)
}

async fn signing_up_logs_in_and_the_home_page_becomes_the_timeline(backend: Backend) {
    let server = crate::spawn!(backend);
    let (_, anonymous) = get_page(&server, "/", None).await;
    assert!(anonymous.contains(r#"action="/login""#), "login form");
    assert!(!anonymous.contains("How you doing?"));

    let cookie = sign_up(&server, "ann").await;
    let (status, html) = get_page(&server, "/", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"placeholder="How you doing?""#), "{html}");
    let data = page_data(&html);
    let user = data.user.expect("the session's user");
    assert_eq!(user.username, "ann");
    assert_eq!(user.email.as_deref(), Some("ann@example.com"));
    assert_eq!(data.user_etag.as_deref(), Some("\"1\""));
    assert!(data.timeline.expect("the timeline").tweets.is_empty());
    server.stop().await;
}

async fn a_tweet_is_posted_and_rendered_escaped(backend: Backend) {
    let server = crate::spawn!(backend);
    let cookie = sign_up(&server, "ann").await;
    let body = r#"<script>alert("hi")</script> & more"#;
    let response = post_form(&server, "/", &[("body", body)], Some(&cookie)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");

    let (_, html) = get_page(&server, "/", Some(&cookie)).await;
    assert!(!html.contains("<script>alert"), "never unescaped: {html}");
    assert!(html.contains("&lt;script&gt;alert"), "{html}");
    let timeline = page_data(&html).timeline.unwrap();
    assert_eq!(timeline.tweets[0].body, body);
    assert_eq!(timeline.tweets[0].tweetedby, "ann");

    // Anyone may read it on the author's page.
    let (status, html) = get_page(&server, "/u/ann", None).await;
    assert_eq!(status, 200);
    assert_eq!(page_data(&html).timeline.unwrap().tweets[0].body, body);
    let (status, html) = get_page(&server, "/u/nobody_here", None).await;
    assert_eq!(status, 404);
    assert!(
        html.contains("There is no user called @nobody_here."),
        "{html}"
    );
    server.stop().await;
}

async fn a_refused_form_is_rendered_again_with_the_apis_errors(backend: Backend) {
    let server = crate::spawn!(backend);
    let cookie = sign_up(&server, "ann").await;

    let response = post_form(
        &server,
        "/login",
        &[("username", "ann"), ("password", "wrong password")],
        None,
    )
    .await;
    assert_eq!(response.status(), 401);
    let html = response.text().await.unwrap();
    assert!(html.contains("Wrong username or password."), "{html}");
    assert!(html.contains(r#"value="ann""#), "what was typed stays");
    assert!(
        !html.contains("wrong password"),
        "passwords are never sent back"
    );

    let response = post_form(
        &server,
        "/signup",
        &[
            ("username", "ANN"),
            ("password", PASSWORD),
            ("email", "other@example.com"),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.unwrap();
    assert!(html.contains("This username is already taken."), "{html}");

    let long = "👍🏽".repeat(281);
    let response = post_form(&server, "/", &[("body", &long)], Some(&cookie)).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("A tweet holds at most 280 characters."),
        "{html}"
    );
    assert!(html.contains(&long), "the draft comes back");
    server.stop().await;
}

async fn the_profile_form_updates_and_needs_the_current_password_for_a_new_one(backend: Backend) {
    let server = crate::spawn!(backend);
    let cookie = sign_up(&server, "ann").await;
    let (_, html) = get_page(&server, "/profile", Some(&cookie)).await;
    let etag = page_data(&html).user_etag.unwrap();

    let response = post_form(
        &server,
        "/profile",
        &[
            ("etag", &etag),
            ("name", "Ann B"),
            ("email", "ann@example.com"),
            ("current_password", "not it at all"),
            ("password", "a new password"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("That is not your current password."),
        "{html}"
    );

    let response = post_form(
        &server,
        "/profile",
        &[
            ("etag", &etag),
            ("name", "Ann B"),
            ("email", "ann@example.com"),
            ("current_password", PASSWORD),
            ("password", "a new password"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/profile?saved=1");
    // A new password rotates the session: the old cookie is void, the
    // browser holds the new one.
    let old = cookie;
    let cookie = session_cookie(&response);
    assert_ne!(cookie, old);
    let (_, html) = get_page(&server, "/profile", Some(&old)).await;
    assert!(page_data(&html).user.is_none(), "the old session ended");
    let (_, html) = get_page(&server, "/profile?saved=1", Some(&cookie)).await;
    assert!(html.contains("Saved."), "{html}");
    assert_eq!(page_data(&html).user.unwrap().name, "Ann B");

    // The form's version is now stale: a second post from it is refused.
    let response = post_form(
        &server,
        "/profile",
        &[
            ("etag", &etag),
            ("name", "Ann C"),
            ("email", "ann@example.com"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 412);
    server.stop().await;
}

async fn a_bio_from_the_profile_form_shows_on_the_profile_page(backend: Backend) {
    let server = crate::spawn!(backend);
    let cookie = sign_up(&server, "ann").await;
    let (_, html) = get_page(&server, "/profile", Some(&cookie)).await;
    assert!(html.contains(r#"name="bio""#), "a bio field: {html}");
    let etag = page_data(&html).user_etag.unwrap();
    let long = "x".repeat(161);
    let response = post_form(
        &server,
        "/profile",
        &[
            ("etag", &etag),
            ("name", "ann"),
            ("email", "ann@example.com"),
            ("bio", &long),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("A bio holds at most 160 characters."),
        "{html}"
    );
    assert!(html.contains(&long), "the text is given back: {html}");

    let bio = "Tea & #rust\r\nin the morning";
    let response = post_form(
        &server,
        "/profile",
        &[
            ("etag", &etag),
            ("name", "ann"),
            ("email", "ann@example.com"),
            ("bio", bio),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, html) = get_page(&server, "/u/ann", None).await;
    let card = page_data(&html).profile.expect("a profile card");
    assert_eq!(card.user.bio, "Tea & #rust\nin the morning");
    assert!(
        html.contains(r#"<a href="/tags/rust" class="tweet-tag">#rust</a>"#),
        "{html}"
    );
    assert!(html.contains("Tea &amp; "), "escaped: {html}");
    server.stop().await;
}

async fn logging_out_ends_the_session_and_cross_site_posts_are_refused(backend: Backend) {
    let server = crate::spawn!(backend);
    let cookie = sign_up(&server, "ann").await;

    let forged = server
        .http
        .post(server.url("/logout"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);

    let response = post_form(&server, "/logout", &[], Some(&cookie)).await;
    assert_eq!(response.status(), 303);
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let (_, html) = get_page(&server, "/", Some(&cookie)).await;
    assert!(
        page_data(&html).user.is_none(),
        "the old cookie is worthless"
    );
    server.stop().await;
}

async fn the_not_found_page_knows_who_is_logged_in(backend: Backend) {
    let server = crate::spawn!(backend);
    let cookie = sign_up(&server, "ann").await;
    let (status, html) = get_page(&server, "/no/such/page", Some(&cookie)).await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"), "{html}");
    assert!(
        html.contains(r#"href="/profile""#),
        "the logged-in nav: {html}"
    );
    assert_eq!(page_data(&html).user.unwrap().username, "ann");
    server.stop().await;
}

/// A user's page rendered many times in a row: every answer whole, never
/// a panic of a reactive value read after its owner was gone (the page's
/// title once outlived the route that owned it, and about one render in
/// six, on either store, answered 500).
async fn a_user_page_renders_every_time(backend: Backend) {
    let server = crate::spawn!(backend);
    sign_up(&server, "ann").await;
    for path in ["/u/ann", "/u/nobody_at_all"] {
        let mut statuses = std::collections::BTreeMap::new();
        for _ in 0..150 {
            let (status, _) = get_page(&server, path, None).await;
            *statuses.entry(status).or_insert(0) += 1;
        }
        let expected = if path == "/u/ann" { 200 } else { 404 };
        assert_eq!(
            statuses,
            std::collections::BTreeMap::from([(expected, 150)]),
            "{path}"
        );
    }
    server.stop().await;
}
