//! The Content-Security-Policy of a server-rendered page. Leptos puts a
//! fresh nonce on its inline hydration script for every response; only
//! scripts with that nonce, our own files, and WebAssembly compilation may
//! run.

use axum::http::{header, HeaderValue};
use leptos::prelude::{expect_context, LeptosOptions};

/// The policy, with `live_reload` (a WebSocket source) allowed to connect
/// when there is one.
pub fn page_csp(nonce: &str, live_reload: Option<&str>) -> String {
    let reload = live_reload
        .map(|source| format!(" {source}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'{reload}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The live-reload socket `cargo leptos watch` serves (the page's reload
/// script connects to it): only in a debug build started by the watcher,
/// which says so in `LEPTOS_WATCH`; never in a release build.
pub fn live_reload(options: &LeptosOptions) -> Option<String> {
    if !cfg!(debug_assertions) || std::env::var_os("LEPTOS_WATCH").is_none() {
        return None;
    }
    let port = options.reload_external_port.unwrap_or(options.reload_port);
    Some(format!("ws://{}:{port}", options.site_addr.ip()))
}

/// Runs in every page render (passed to Leptos as additional context):
/// Leptos has already provided the response's nonce; this puts the matching
/// policy on the response.
pub fn provide(options: &LeptosOptions) -> impl Fn() + Clone + Send + 'static {
    let live_reload = live_reload(options);
    move || {
        let Some(nonce) = leptos::nonce::use_nonce() else {
            return;
        };
        let response = expect_context::<leptos_axum::ResponseOptions>();
        if let Ok(value) = HeaderValue::from_str(&page_csp(&nonce, live_reload.as_deref())) {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy of every release page, to the character.
    #[test]
    fn the_release_policy_allows_no_socket() {
        assert_eq!(
            page_csp("abc", None),
            "default-src 'self'; script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
    }

    #[test]
    fn under_the_watcher_exactly_its_socket_may_connect() {
        let policy = page_csp("abc", Some("ws://127.0.0.1:3001"));
        assert!(
            policy.contains("connect-src 'self' ws://127.0.0.1:3001;"),
            "{policy}"
        );
    }
}
