use leptos::prelude::*;
use leptos_router::components::A;

use super::{account::LogoutButton, icons::LogoIcon};
use crate::flux::{page_data, use_session};

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let logged_in = move || session.logged_in();
    // As the page was rendered: the count changes with the next page.
    let unread = page_data::current().unread;
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <header class="topbar">
            // The logo is a plain link (the router still takes the click):
            // "Home" in the nav already marks the current page.
            <a href="/" class="brand">
                <LogoIcon />
                <span>"Chirp"</span>
            </a>
            <nav class="nav" aria-label="Main">
                <A href="/">"Home"</A>
                <a href="/search" rel="external">
                    "Search"
                </a>
                <Show
                    when=logged_in
                    fallback=|| {
                        view! {
                            <A href="/login">"Log in"</A>
                            <A href="/signup">"Sign up"</A>
                        }
                    }
                >
                    <a href="/notifications" rel="external" class="notifications-link">
                        "Notifications"
                        <span class="badge" class:hidden=unread == 0>
                            {unread}
                            <span class="visually-hidden">" unread"</span>
                        </span>
                    </a>
                    <A href="/profile">"Profile"</A>
                    <LogoutButton />
                </Show>
            </nav>
        </header>
    }
    .into_any()
}
