use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{components::timeline::TimelineView, flux::TimelineKey};

/// `/tags/:tag`: the tweets with a hashtag.
#[component]
pub fn TagPage() -> impl IntoView {
    let params = use_params_map();
    let tag =
        Memo::new(move |_| params.with(|p| p.get("tag").unwrap_or_default().to_ascii_lowercase()));
    let key = Signal::derive(move || TimelineKey::Tag(tag.get()));
    // As on the user page: the server's title is plain text, the
    // browser's follows navigation.
    #[cfg(feature = "ssr")]
    let title = leptos::text_prop::TextProp::from(format!("#{}", tag.get_untracked()));
    #[cfg(not(feature = "ssr"))]
    let title = leptos::text_prop::TextProp::from(move || format!("#{}", tag.get()));
    view! {
        <Title text=title />
        <h1 class="page-title">"#" {tag}</h1>
        <TimelineView key />
    }
    .into_any()
}
