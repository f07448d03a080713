use leptos::prelude::*;
use leptos_router::components::A;

use super::{account::LogoutButton, icons::BirdIcon};
use crate::flux::use_session;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session().0;
    let logged_in = move || session.with(|s| s.user.is_some());
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
                <Show
                    when=logged_in
                    fallback=|| {
                        view! {
                            <A href="/login">"Log in"</A>
                            <A href="/signup">"Sign up"</A>
                        }
                    }
                >
                    <A href="/profile">"Profile"</A>
                    <LogoutButton />
                </Show>
            </nav>
        </header>
    }
    .into_any()
}
