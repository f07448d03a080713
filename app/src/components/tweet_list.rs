//! The timeline: pending posts on top, then the confirmed tweets, then
//! "Load older".

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::TweetDto;
use crate::flux::{
    clock::{absolute, relative},
    use_clock, use_dispatcher, use_tweets, Action, PendingTweet,
};

#[component]
pub fn TweetList() -> impl IntoView {
    let store = use_tweets().0;
    let dispatcher = use_dispatcher();
    let pending = move || store.with(|s| s.pending.clone());
    let tweets = move || store.with(|s| s.tweets.clone());
    let empty = move || {
        store.with(|s| {
            s.tweets.is_empty() && s.pending.is_empty() && !s.loading && s.load_error.is_none()
        })
    };
    let oldest = move || store.with(|s| s.tweets.last().map(|t| t.id.clone()));
    let more = move || store.with(|s| s.has_more);
    let loading = move || store.with(|s| s.loading);
    let load_error = move || store.with(|s| s.load_error.clone());

    view! {
        <section class="timeline" aria-label="Tweets" aria-busy=move || loading().to_string()>
            <ol class="tweets">
                <For each=pending key=|p| p.local_id let:tweet>
                    <PendingItem tweet />
                </For>
                <For each=tweets key=|t| t.id.clone() let:tweet>
                    <TweetItem tweet />
                </For>
            </ol>
            <Show when=empty>
                <p class="card empty">"No tweets yet."</p>
            </Show>
            <Show when=move || load_error().is_some()>
                <p class="form-error" role="alert">{load_error}</p>
            </Show>
            <Show when=more>
                // A link to the next page without WASM; a request for it
                // with.
                <a
                    class="button secondary load-older"
                    href=move || format!("?max_id={}", oldest().unwrap_or_default())
                    aria-disabled=move || loading().to_string()
                    on:click=move |event| {
                        event.prevent_default();
                        dispatcher.dispatch(Action::LoadOlder);
                    }
                >
                    {move || if loading() { "Loading…" } else { "Load older" }}
                </a>
            </Show>
        </section>
    }
    .into_any()
}

#[component]
fn TweetItem(tweet: TweetDto) -> impl IntoView {
    view! {
        <li class="tweet card">
            <Avatar name=tweet.tweetedby.clone() />
            <div class="tweet-main">
                <div class="tweet-meta">
                    <A href=format!("/u/{}", tweet.tweetedby) attr:class="author">
                        {tweet.tweetedby.clone()}
                    </A>
                    <Time timestamp=tweet.timestamp />
                </div>
                <p class="tweet-body">{tweet.body}</p>
            </div>
        </li>
    }
    .into_any()
}

#[component]
fn PendingItem(tweet: PendingTweet) -> impl IntoView {
    view! {
        <li class="tweet card pending" aria-label="Sending tweet">
            <Avatar name=tweet.author.clone() />
            <div class="tweet-main">
                <div class="tweet-meta">
                    <span class="author">{tweet.author}</span>
                    <Time timestamp=tweet.at />
                    <span class="sending">"Sending…"</span>
                </div>
                <p class="tweet-body">{tweet.body}</p>
            </div>
        </li>
    }
    .into_any()
}

/// A relative time that moves on with the clock; the absolute one is in the
/// tooltip and the `datetime` attribute.
#[component]
fn Time(timestamp: String) -> impl IntoView {
    let now = use_clock().0;
    let title = absolute(&timestamp);
    let text = {
        let timestamp = timestamp.clone();
        move || relative(&timestamp, now.get())
    };
    view! {
        <time datetime=timestamp title=title>
            {text}
        </time>
    }
    .into_any()
}

/// A coloured circle with the author's initial.
#[component]
pub fn Avatar(name: String) -> impl IntoView {
    // Usernames are ASCII, so ASCII case mapping is enough (and keeps
    // Unicode's case tables out of the WASM).
    let initial = name
        .chars()
        .next()
        .map(|c| c.to_ascii_uppercase().to_string())
        .unwrap_or_default();
    // The colour is a class, not an inline style: the CSP forbids inline
    // styles.
    let class = format!("avatar avatar-{}", avatar_colour(&name));
    view! {
        <span class=class aria-hidden="true">
            {initial}
        </span>
    }
    .into_any()
}

/// One of eight colours, always the same for the same name.
fn avatar_colour(name: &str) -> u32 {
    name.to_ascii_lowercase()
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        % 8
}

#[cfg(test)]
mod tests {
    use super::avatar_colour;

    #[test]
    fn a_name_keeps_its_colour_whatever_its_case() {
        assert_eq!(avatar_colour("Ann"), avatar_colour("ann"));
        assert!(avatar_colour("bob") < 8);
    }
}
