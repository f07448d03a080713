use leptos::prelude::*;
use leptos_router::components::A;

use super::icons::BirdIcon;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <header class="topbar">
            <A href="/" attr:class="brand">
                <BirdIcon />
                <span>"Chirp"</span>
            </A>
            <nav class="nav" aria-label="Main">
                <A href="/">"Home"</A>
            </nav>
        </header>
    }
}
