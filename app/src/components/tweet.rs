//! One tweet of a timeline: its row, its author's avatar and its time.

use leptos::prelude::*;

use crate::api::TweetDto;
use crate::flux::{
    clock::{absolute, relative},
    use_clock, Clock, PendingTweet, TweetSignals,
};

/// The timeline's rows: pending posts on top, then the confirmed tweets.
/// It reads only the two lists, so only a change to them re-runs it.
pub(crate) fn rows(tweets: TweetSignals) -> impl Fn() -> Vec<Row> {
    move || {
        let mut rows: Vec<Row> = tweets
            .pending
            .with(|p| p.iter().map(Row::sending).collect());
        tweets
            .tweets
            .with(|t| rows.extend(t.iter().map(Row::confirmed)));
        rows
    }
}

/// One row of the list: a tweet still being sent, or a confirmed one. Both
/// kinds go through one `For`, so the WASM holds one keyed list, not two.
#[derive(Clone)]
pub struct Row {
    pub(crate) key: String,
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
pub(crate) fn TweetItem(row: Row) -> impl IntoView {
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
    let title = absolute(&timestamp);
    let text = relative_time(timestamp.clone(), use_clock());
    view! {
        <time datetime=timestamp title=title>
            {text}
        </time>
    }
    .into_any()
}

/// A time's text, e.g. "3 minutes ago": it reads only the clock.
pub(crate) fn relative_time(timestamp: String, clock: Clock) -> impl Fn() -> String {
    move || clock.0.with(|now| relative(&timestamp, *now))
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
