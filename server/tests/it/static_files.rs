//! The built site's files: precompressed variants kept apart by `Vary`,
//! revalidated with 304, and, when their names carry a content hash,
//! cached for a year, so a second visit downloads none of them again.

use crate::helpers::{Backend, TestApp};

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.http.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map_or("", |v| v.to_str().unwrap())
}

#[tokio::test]
async fn hashed_names_are_cached_for_a_year_and_served_compressed() {
    let app = TestApp::with_hashed_files(Backend::Sqlite).await.unwrap();
    let plain = get(&app, "/pkg/chirp.css", &[]).await;
    assert_eq!(plain.status(), 200);
    assert_eq!(
        header(&plain, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&plain, "vary"), "accept-encoding");
    assert_eq!(header(&plain, "content-encoding"), "");
    assert_eq!(plain.text().await.unwrap(), "body { margin: 0 }");

    let brotli = get(&app, "/pkg/chirp.css", &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(header(&brotli, "content-encoding"), "br");
    assert_eq!(header(&brotli, "vary"), "accept-encoding");
    assert_eq!(header(&brotli, "content-type"), "text/css");
    let gzip = get(&app, "/pkg/chirp.css", &[("accept-encoding", "gzip")]).await;
    assert_eq!(header(&gzip, "content-encoding"), "gzip");

    // Outside /pkg the names are not hashed: asked for each time.
    let favicon = get(&app, "/favicon.svg", &[]).await;
    assert_eq!(header(&favicon, "cache-control"), "public, no-cache");
    app.stop().await;
}

#[tokio::test]
async fn unhashed_names_are_revalidated_with_304() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let first = get(&app, "/pkg/chirp.css", &[]).await;
    assert_eq!(header(&first, "cache-control"), "public, no-cache");
    let modified = header(&first, "last-modified").to_string();
    assert!(!modified.is_empty(), "no Last-Modified");
    let again = get(&app, "/pkg/chirp.css", &[("if-modified-since", &modified)]).await;
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "vary"), "accept-encoding");
    assert!(again.bytes().await.unwrap().is_empty());
    // A file that is not there is the not-found page, not a file error.
    let missing = get(&app, "/pkg/chirp.9f8e7d.wasm", &[]).await;
    assert_eq!(missing.status(), 404);
    app.stop().await;
}
