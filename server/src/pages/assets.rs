//! The built site's files (`target/site`): the WASM, its JS glue, the
//! stylesheet, the favicon. Served precompressed (brotli or gzip, made by
//! `scripts/build-release.sh`) to browsers that take them, with `Vary:
//! Accept-Encoding` so caches keep the variants apart; revalidated with
//! `Last-Modified` (304); and, when the names carry a content hash
//! (`hash-files`), cached for a year: a new build has new names.
//!
//! tower-http's `ServeDir` does the serving; this wraps it because it sets
//! neither `Vary` nor `Cache-Control`, and answers a path it cannot open
//! as a file name (one segment over 255 bytes) with a 500.

use axum::{
    body::Body,
    extract::Request,
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The file at `request`'s path, or `None` when there is none (the caller
/// renders the not-found page).
pub async fn file(options: &LeptosOptions, request: &Parts) -> Option<Response> {
    let mut lookup = Request::builder()
        .method(request.method.clone())
        .uri(request.uri.clone())
        .body(Body::empty())
        .expect("a valid request");
    // What a file answer depends on: the encodings taken, the
    // revalidation and range headers.
    for name in [
        header::ACCEPT_ENCODING,
        header::IF_MODIFIED_SINCE,
        header::IF_UNMODIFIED_SINCE,
        header::RANGE,
        header::IF_RANGE,
    ] {
        if let Some(value) = request.headers.get(&name) {
            lookup.headers_mut().insert(name, value.clone());
        }
    }
    let site = ServeDir::new(&*options.site_root)
        .precompressed_br()
        .precompressed_gzip();
    let mut response = match site.oneshot(lookup).await {
        Ok(found) => found.into_response(),
        Err(never) => match never {},
    };
    let status = response.status();
    if status == StatusCode::NOT_FOUND || status.is_server_error() {
        // Over-long or otherwise unopenable names are no file either.
        return None;
    }
    let immutable = options.hash_files
        && request
            .uri
            .path()
            .starts_with(&format!("/{}/", options.site_pkg_dir));
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            // Same name across builds: ask each time, 304 when unchanged.
            "public, no-cache"
        }),
    );
    Some(response)
}
