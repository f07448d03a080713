//! The timeline: pending posts on top, then the confirmed tweets, then
//! "Load older".

use leptos::prelude::*;

use crate::api::TweetDto;
use crate::flux::{
    clock::{absolute, relative},
    use_clock, use_dispatcher, use_tweets, Action, PendingTweet,
};

#[component]
pub fn TweetList() -> impl IntoView {
    let store = use_tweets().0;
    let dispatcher = use_dispatcher();
    let rows = move || {
        store.with(|s| {
            s.pending
                .iter()
                .map(Row::sending)
                .chain(s.tweets.iter().map(Row::confirmed))
                .collect::<Vec<_>>()
        })
    };
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
                <For each=rows key=|row| row.key.clone() let:row>
                    <TweetItem row />
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

/// One row of the list: a tweet still being sent, or a confirmed one. Both
/// kinds go through one `For`, so the WASM holds one keyed list, not two.
#[derive(Clone)]
struct Row {
    key: String,
    author: String,
    body: String,
    at: String,
    sending: bool,
}

impl Row {
    fn sending(tweet: &PendingTweet) -> Self {
        Self {
            key: format!("pending-{}", tweet.local_id),
            author: tweet.author.clone(),
            body: tweet.body.clone(),
            at: tweet.at.clone(),
            sending: true,
        }
    }

    fn confirmed(tweet: &TweetDto) -> Self {
        Self {
            key: tweet.id.clone(),
            author: tweet.tweetedby.clone(),
            body: tweet.body.clone(),
            at: tweet.timestamp.clone(),
            sending: false,
        }
    }
}

#[component]
fn TweetItem(row: Row) -> impl IntoView {
    let Row {
        author,
        body,
        at,
        sending,
        ..
    } = row;
    view! {
        <li
            class="tweet card"
            class:pending=sending
            aria-label=sending.then_some("Sending tweet")
        >
            <Avatar name=author.clone() />
            <div class="tweet-main">
                <div class="tweet-meta">
                    // A plain link: the router still takes the click, and
                    // `<A>` would add its code for a String href to the WASM
                    // for an `aria-current` a tweet's author never needs.
                    <a href=format!("/u/{author}") class="author">
                        {author.clone()}
                    </a>
                    <Time timestamp=at />
                    {sending.then(|| view! { <span class="sending">"Sending…"</span> })}
                </div>
                <p class="tweet-body">{body}</p>
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
