use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    components::timeline::TimelineView,
    flux::{use_tweets, TimelineKey},
};

/// `/u/:username`: one user's tweets.
#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let username = Memo::new(move |_| params.with(|p| p.get("username").unwrap_or_default()));
    let key = Signal::derive(move || TimelineKey::Author(username.get()));
    // The title is rendered into the head after this lazily loaded route
    // has been rendered, and its owner (with `username`) dropped: so it
    // reads the store, which the app owns for the whole render. Reading
    // `username` there answered one render in six with a 500 ("a reactive
    // value that has already been disposed").
    let shown = use_tweets().key;
    let title = move || match shown.get() {
        Some(TimelineKey::Author(name)) => format!("@{name}"),
        _ => String::new(),
    };
    view! {
        <Title text=title />
        <h1 class="page-title">"@" {username}</h1>
        <TimelineView key />
    }
    .into_any()
}
