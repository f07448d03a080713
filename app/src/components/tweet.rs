//! One tweet of a timeline: its row, its author's avatar and its time.

use leptos::prelude::*;

use super::{form::enhance, text::TweetText};
use crate::api::{Reaction, TweetDto, Values};
use crate::flux::{
    clock::{absolute, relative},
    use_clock, use_session, use_tweets, Action, Clock, PendingTweet, TweetSignals,
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
    /// The stored tweet's id; `None` while it is being sent.
    id: Option<String>,
    author: String,
    body: String,
    at: String,
    sending: bool,
    replies: u64,
    in_reply_to: Option<String>,
    mentions: Vec<String>,
    /// Who of those you follow reposted it, on a home timeline.
    reposted_by: Option<String>,
}

impl Row {
    pub(crate) fn sending(tweet: &PendingTweet) -> Self {
        Self {
            key: format!("pending-{}", tweet.local_id),
            id: None,
            author: tweet.author.clone(),
            body: tweet.body.clone(),
            at: tweet.at.clone(),
            sending: true,
            replies: 0,
            in_reply_to: None,
            // Linked once the server has said who is there.
            mentions: Vec::new(),
            reposted_by: None,
        }
    }

    pub(crate) fn confirmed(tweet: &TweetDto) -> Self {
        Self {
            key: tweet.id.clone(),
            id: Some(tweet.id.clone()),
            author: tweet.tweetedby.clone(),
            body: tweet.body.clone(),
            at: tweet.timestamp.clone(),
            sending: false,
            replies: tweet.replies,
            in_reply_to: tweet.in_reply_to.clone(),
            mentions: tweet.mentions.clone(),
            reposted_by: tweet.reposted_by.clone(),
        }
    }
}

#[component]
pub(crate) fn TweetItem(row: Row) -> impl IntoView {
    let Row {
        id,
        author,
        body,
        at,
        sending,
        replies,
        in_reply_to,
        mentions,
        reposted_by,
        ..
    } = row;
    // Untracked: logging in or out replaces the whole list anyway.
    let mine = use_session()
        .user
        .with_untracked(|me| me.as_ref().is_some_and(|me| me.username == author));
    // Where the row's forms send the reader back to.
    let location = leptos_router::hooks::use_location();
    let next = location.pathname.get_untracked() + &location.search.get_untracked();
    // Each goes to the thread with a full page load (`rel="external"`): the
    // server renders the conversation with the page.
    // Each part is always there, its address absent where it has none
    // (the `hidden` class keeps it off the page): a view that may be
    // missing would be one more erased view type in the WASM, about 1 KB
    // gzipped each; a `hidden` attribute one more erased attribute type.
    let parent = in_reply_to.as_ref().map(|parent| format!("/t/{parent}"));
    let no_parent = parent.is_none();
    let reply = id.as_ref().map(|id| format!("/t/{id}#reply"));
    let reply_label = format!("Reply ({})", count(replies, "reply", "replies"));
    let not_reposted = reposted_by.is_none();
    let reposter_page = reposted_by.as_ref().map(|name| format!("/u/{name}"));
    let reposter = reposted_by
        .map(|name| name + " reposted")
        .unwrap_or_default();
    // Each button its own optional view, of a type the WASM has already
    // (an optional pair is a new one, about 1 KB gzipped).
    let repost = id.clone().map(|id| {
        view! { <ReactionButton reaction=Reaction::Repost id next=next.clone() /> }
    });
    let like = id
        .clone()
        .map(|id| view! { <ReactionButton reaction=Reaction::Like id next=next.clone() /> });
    let permalink = id.as_ref().map(|id| format!("/t/{id}"));
    let delete = id
        .filter(|_| mine)
        .map(|id| view! { <DeleteTweet id next /> });
    view! {
        <li
            class="tweet card"
            class:pending=sending
            aria-label=sending.then_some("Sending tweet")
        >
            <Avatar name=author.clone() />
            <div class="tweet-main">
                // The same shape as the "Replying to" link below: one view
                // type for both in the WASM.
                <a href=reposter_page class="reposted-by" rel="external" class:hidden=not_reposted>
                    {reposter}
                </a>
                <div class="tweet-meta">
                    // A plain link, and `rel="external"` keeps the router
                    // off it: a full page load brings the author's profile
                    // card with the page (the API looks users up by id, not
                    // name), and `<A>` would add its code to the WASM for an
                    // `aria-current` a tweet's author never needs.
                    <a href=format!("/u/{author}") class="author" rel="external">
                        {author.clone()}
                    </a>
                    // No address while it is being sent.
                    <a
                        href=permalink
                        class="permalink"
                        rel="external"
                    >
                        <Time timestamp=at />
                    </a>
                    {sending.then(|| view! { <span class="sending">"Sending…"</span> })}
                    {delete}
                </div>
                <a href=parent class="in-reply" rel="external" class:hidden=no_parent>
                    {String::from("Replying to a tweet")}
                </a>
                <TweetText body mentions />
                <div class="tweet-actions" class:hidden=sending>
                    <a href=reply class="reply-link" rel="external" aria-label=reply_label>
                        "↩ "
                        {replies}
                    </a>
                    {repost}
                    {like}
                </div>
            </div>
        </li>
    }
    .into_any()
}

/// A like or repost button and its count: a form posting to
/// `/t/:id/like` (or `unlike`, `repost`, `unrepost`) without JavaScript, a
/// dispatched toggle with it (which sends a logged-out reader to the login
/// form, as the server does). The row is keyed by the tweet's id, so the
/// state is read here; the list's other changes re-run these closures,
/// which leave the page alone unless this tweet's state changed.
#[component]
fn ReactionButton(reaction: Reaction, id: String, next: String) -> impl IntoView {
    let tweets = use_tweets();
    let read = move |id: &str| {
        tweets.tweets.with(|list| {
            list.iter()
                .find(|t| t.id == id)
                .map_or((0, false), |t| t.reaction(reaction))
        })
    };
    let (name, one, many, off, on, class) = match reaction {
        Reaction::Like => ("Like", "like", "likes", "♡", "♥", "like-button"),
        Reaction::Repost => ("Repost", "repost", "reposts", "⇄", "⇄", "repost-button"),
    };
    let (a, b, c, d) = (id.clone(), id.clone(), id.clone(), id.clone());
    let done = move || read(&a).1;
    let is_done = done.clone();
    let pressed = move || read(&b).1.to_string();
    let label = move || format!("{name} ({})", count(read(&c).0, one, many));
    let text = move || {
        let (count, done) = read(&d);
        format!("{} {count}", if done { on } else { off })
    };
    let toggle = id.clone();
    let submit = enhance(move |_: Values| Some(Action::React(reaction, toggle.clone())));
    view! {
        <form
            method="post"
            action=move || {
                format!("/t/{id}/{}{one}", if is_done() { "un" } else { "" })
            }
            on:submit=submit
        >
            <input type="hidden" name="next" value=next />
            <button
                type="submit"
                class=class
                class:done=done
                aria-pressed=pressed
                aria-label=label
            >
                {text}
            </button>
        </form>
    }
    .into_any()
}

/// "1 like", "3 likes".
fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "Delete", then "Delete this tweet?" and the button that does it: a
/// disclosure, so the confirmation works without JavaScript too; the form
/// posts back to the page it was on.
#[component]
fn DeleteTweet(id: String, next: String) -> impl IntoView {
    let remove = id.clone();
    let submit = enhance(move |_: Values| Some(Action::DeleteTweet(remove.clone())));
    view! {
        <details class="tweet-delete">
            <summary>"Delete"</summary>
            <form method="post" action=format!("/t/{id}/delete") on:submit=submit>
                <input type="hidden" name="next" value=next />
                <span>"Delete this tweet?"</span>
                <button type="submit" class="button danger">
                    "Yes, delete"
                </button>
            </form>
        </details>
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
