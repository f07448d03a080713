//! The pages and their forms under generated input: paths, methods,
//! headers and form bodies, anonymous and logged in. The JSON API has its
//! own fuzz (schemathesis, from the OpenAPI document); this covers what no
//! document describes. Whatever arrives, the answer is never a 5xx and
//! the server keeps serving.

use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config as RunnerConfig, TestRunner},
};
use reqwest::Method;

use crate::helpers::Backend;

crate::on_both_stores!(generated_page_requests_never_get_a_5xx);

const CASES: usize = 400;
const FIELDS: [&str; 10] = [
    "username",
    "email",
    "password",
    "current_password",
    "name",
    "body",
    "etag",
    "tweetedby",
    "next",
    "",
];

#[derive(Debug, Clone)]
struct Case {
    method: Method,
    path: String,
    logged_in: bool,
    headers: Vec<(&'static str, String)>,
    body: String,
}

/// Text a person or an attacker might type: letters, marks, emoji,
/// controls, bidi overrides, markup, percent signs, very long runs.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9_]{0,20}",
        any::<String>(),
        "[\\PC]{0,40}",
        Just("<script>alert(1)</script>".to_string()),
        Just("\u{202e}evil\u{0}\u{7}".to_string()),
        Just("a\u{301}".repeat(40)),
        (1usize..6000).prop_map(|n| "x".repeat(n)),
        Just("%zz%00%".to_string()),
    ]
}

fn path() -> impl Strategy<Value = String> {
    let page = prop_oneof![
        Just("/".to_string()),
        Just("/login".to_string()),
        Just("/signup".to_string()),
        Just("/profile".to_string()),
        Just("/logout".to_string()),
        Just("/u/alice".to_string()),
        Just("/u/alice?with_replies=1".to_string()),
        Just("/everyone".to_string()),
        Just("/u/alice/follow".to_string()),
        Just("/u/alice/block".to_string()),
        text().prop_map(|change| format!("/u/alice/{}", urlencoding(&change))),
        text().prop_map(|id| format!("/t/{}/delete", urlencoding(&id))),
        text().prop_map(|id| format!("/t/{}/like", urlencoding(&id))),
        Just("/tags/rust".to_string()),
        Just("/notifications".to_string()),
        text().prop_map(|q| format!("/search?q={}", urlencoding(&q))),
        text().prop_map(|id| format!("/t/{}", urlencoding(&id))),
        text().prop_map(|tag| format!("/tags/{}", urlencoding(&tag))),
        text().prop_map(|name| format!("/u/{}", urlencoding(&name))),
        proptest::collection::vec(text(), 1..4).prop_map(|parts| format!(
            "/{}",
            parts
                .iter()
                .map(|p| urlencoding(p))
                .collect::<Vec<_>>()
                .join("/")
        )),
    ];
    (page, proptest::option::of(text())).prop_map(|(page, query)| match query {
        Some(query) => format!("{page}?{}", urlencoding(&query)),
        None => page,
    })
}

fn urlencoding(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn case() -> impl Strategy<Value = Case> {
    let method = prop_oneof![
        3 => Just(Method::POST),
        2 => Just(Method::GET),
        1 => Just(Method::HEAD),
        1 => Just(Method::PUT),
        1 => Just(Method::DELETE),
    ];
    let content_type = prop_oneof![
        4 => Just("application/x-www-form-urlencoded".to_string()),
        1 => Just("multipart/form-data; boundary=x".to_string()),
        1 => Just("application/json".to_string()),
        1 => text(),
    ];
    let form = proptest::collection::vec((proptest::sample::select(FIELDS.to_vec()), text()), 0..8)
        .prop_map(|pairs| {
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish()
        });
    let body = prop_oneof![4 => form, 1 => text()];
    let extra = proptest::collection::vec(
        (
            proptest::sample::select(vec![
                "cookie",
                "accept-encoding",
                "accept-language",
                "if-match",
                "if-modified-since",
                "x-forwarded-for",
                "referer",
            ]),
            text(),
        ),
        0..3,
    );
    (method, path(), any::<bool>(), content_type, extra, body).prop_map(
        |(method, path, logged_in, content_type, extra, body)| {
            let mut headers = vec![
                ("content-type", content_type),
                ("sec-fetch-site", "same-origin".to_string()),
            ];
            headers.extend(extra);
            Case {
                method,
                path,
                logged_in,
                headers,
                body,
            }
        },
    )
}

async fn generated_page_requests_never_get_a_5xx(backend: Backend) {
    let api = crate::spawn!(backend);
    let (alice, _) = api.user("alice").await;
    let session = alice.cookie.clone().unwrap();
    let mut runner = TestRunner::new(RunnerConfig {
        // One run of the same cases each time: a failure is reproducible.
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..RunnerConfig::default()
    });
    let strategy = case();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for _ in 0..CASES {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let mut request = api.http.request(case.method.clone(), api.url(&case.path));
        for (name, value) in &case.headers {
            if let Ok(value) = reqwest::header::HeaderValue::from_str(value) {
                request = request.header(*name, value);
            }
        }
        if case.logged_in {
            request = request.header("cookie", &session);
        }
        let response = request.body(case.body.clone()).send().await.unwrap();
        let status = response.status().as_u16();
        *statuses.entry(status).or_default() += 1;
        assert!(status < 500, "{status} for {case:?}");
    }
    eprintln!("page fuzz, {CASES} cases: {statuses:?}");
    // Many kinds of answer, not one wall of refusals.
    assert!(
        statuses.keys().any(|s| (200..400).contains(s)),
        "{statuses:?}"
    );
    assert!(
        statuses.keys().any(|s| (400..500).contains(s)),
        "{statuses:?}"
    );
    assert_eq!(api.get("/healthz").await.status(), 200);
    api.stop().await;
}
