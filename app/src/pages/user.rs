use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{components::timeline::TimelineView, flux::TimelineKey};

/// `/u/:username`: one user's tweets.
#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let username = Memo::new(move |_| params.with(|p| p.get("username").unwrap_or_default()));
    let key = Signal::derive(move || TimelineKey::Author(username.get()));
    view! {
        <Title text=move || format!("@{}", username.get()) />
        <h1 class="page-title">"@" {username}</h1>
        <TimelineView key />
    }
    .into_any()
}
