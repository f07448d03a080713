//! `/search?q=`: one box for people (by the start of their username or
//! name) and tweets (by their words, or a `#hashtag`). The form is a plain
//! GET, so it works before the WASM loads and every search has an address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::UserDto,
    components::{timeline::TimelineView, tweet::Avatar},
    flux::{page_data, TimelineKey},
};

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    // Untracked: a new search is a new page (the form's GET).
    let q = query.with_untracked(|q| q.get("q").unwrap_or_default());
    let q = q.trim().to_string();
    let people = shipped_people();
    let title = if q.is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {q}")
    };
    let results = (!q.is_empty()).then(|| {
        let none = people.is_empty();
        let people = people.into_iter().map(person).collect_view();
        let key = TimelineKey::Search(q.clone());
        view! {
            <h2 class="page-title">"People"</h2>
            <ul class="people card" aria-label="People">
                {people}
            </ul>
            <p class="card empty" class:hidden=!none>
                "Nobody's name starts with that."
            </p>
            <h2 class="page-title">"Tweets"</h2>
            <TimelineView key />
        }
    });
    view! {
        <Title text=title />
        <h1 class="page-title">"Search"</h1>
        <form class="card form" method="get" action="/search" role="search">
            <label for="search-q">"Search people and tweets"</label>
            <div class="field search-row">
                <input
                    id="search-q"
                    type="search"
                    name="q"
                    value=q.clone()
                    maxlength="100"
                    placeholder="Words, #hashtag or @name"
                />
                <button type="submit" class="button">
                    "Search"
                </button>
            </div>
        </form>
        {results}
    }
    .into_any()
}

fn person(user: UserDto) -> impl IntoView {
    view! {
        <li class="person">
            <Avatar name=user.username.clone() />
            <a href=format!("/u/{}", user.username) rel="external">
                <strong>{user.name}</strong>
                " @"
                {user.username.clone()}
            </a>
        </li>
    }
}

/// The people the server found for the page.
fn shipped_people() -> Vec<UserDto> {
    #[cfg(feature = "hydrate")]
    {
        #[derive(Default, serde::Deserialize)]
        struct Shipped {
            #[serde(default)]
            people: Vec<UserDto>,
        }
        page_data::shipped::<Shipped>().people
    }
    #[cfg(not(feature = "hydrate"))]
    {
        page_data::current().people
    }
}
