use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    components::{profile::ProfileCardView, timeline::TimelineView},
    flux::{use_profile, TimelineKey},
};

/// `/u/:username`: one user's tweets, and with their replies on
/// `/u/:username?with_replies=1`, each a tab. A query, not a path: one
/// more route shape would cost the first page's WASM about 1 KB gzipped.
#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let username = Memo::new(move |_| params.with(|p| p.get("username").unwrap_or_default()));
    let replies = Memo::new(move |_| query.with(|q| q.get("with_replies").is_some()));
    let key = Signal::derive(move || {
        let name = username.get();
        if replies.get() {
            TimelineKey::WithReplies(name)
        } else {
            TimelineKey::Author(name)
        }
    });
    // Plain links with a full page load, as a profile's other links: the
    // server renders the tab's first page with it.
    let current = |on: bool| if on { "page" } else { "false" };
    // The title is rendered into the head after this lazily loaded route
    // has been rendered and its owner dropped; a reactive title read there
    // answered some renders with a 500 (a disposed value, or no arena). The
    // server's render is one pass, so it takes the name as plain text; only
    // the browser, where the route lives on, follows navigation reactively.
    #[cfg(feature = "ssr")]
    let title = leptos::text_prop::TextProp::from(format!("@{}", username.get_untracked()));
    #[cfg(not(feature = "ssr"))]
    let title = leptos::text_prop::TextProp::from(move || format!("@{}", username.get()));
    #[cfg(feature = "hydrate")]
    if let Some(card) = shipped_profile() {
        crate::flux::use_dispatcher().dispatch(crate::flux::Action::ShowProfile(card));
    }
    let card = use_profile().card;
    view! {
        <Title text=title />
        <Show when=move || card.with(Option::is_none)>
            <h1 class="page-title">"@" {username}</h1>
        </Show>
        <ProfileCardView />
        <nav class="tabs" aria-label="Tweets">
            <a
                href=move || format!("/u/{}", username.get())
                rel="external"
                aria-current=move || current(!replies.get())
            >
                "Tweets"
            </a>
            <a
                href=move || format!("/u/{}?with_replies=1", username.get())
                rel="external"
                aria-current=move || current(replies.get())
            >
                "Tweets & replies"
            </a>
        </nav>
        <TimelineView key />
    }
    .into_any()
}

/// The profile card the server rendered the page with, read here, in this
/// page's lazily loaded chunk, so the first page's WASM has no code for it.
#[cfg(feature = "hydrate")]
fn shipped_profile() -> Option<crate::flux::ProfileCard> {
    #[derive(Default, serde::Deserialize)]
    struct Shipped {
        profile: Option<crate::flux::ProfileCard>,
    }
    crate::flux::page_data::shipped::<Shipped>().profile
}
