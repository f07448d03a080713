//! Inline SVG icons: no icon font or CDN, so the app works offline.

use leptos::prelude::*;

/// Chirp's mark: a rounded speech bubble with a small round bird cut out of
/// it, beak up, mid-chirp. public/favicon.svg is the same drawing in colour.
#[component]
pub fn LogoIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
            <path
                fill="currentColor"
                fill-rule="evenodd"
                d="M7 3h10a5 5 0 0 1 5 5v5a5 5 0 0 1-5 5h-6l-5 4v-4.2A5 5 0 0 1 2 13V8a5 5 0 0 1 5-5zm7.53 6.25L17 9.6 15 11a3.5 3.5 0 0 1-6.53 1.75L6 13.6 8 11a3.5 3.5 0 0 1 6.53-1.75zM13.7 10a.7.7 0 1 1-1.4 0 .7.7 0 1 1 1.4 0z"
            />
        </svg>
    }
}
