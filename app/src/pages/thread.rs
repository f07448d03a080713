//! `/t/:id`: a tweet in its conversation, the tweets it answers above it
//! and its replies below, with a composer that answers it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{Thread, ThreadItem, TweetDto, PAGE_MAX},
    components::{
        composer::Composer,
        tweet::{Row, TweetItem},
    },
    flux::{page_data, use_dispatcher, use_session, use_tweets, Action, TweetSignals},
};

#[component]
pub fn ThreadPage() -> impl IntoView {
    let tweets = use_tweets();
    // Every link here is a full page load, so the thread the server
    // rendered is the one the page shows.
    let Some(thread) = shipped_thread() else {
        return view! {
            <Title text="Tweet" />
            <h1 class="page-title">"Tweet"</h1>
            <p class="card empty" role="alert">
                {move || tweets.load_error.get()}
            </p>
        }
        .into_any();
    };
    // The conversation in the order shown, flattened here in the page's
    // own chunk rather than by the reducer in the main one.
    let shown = (thread.ancestors.iter())
        .filter_map(|above| above.tweet.clone())
        .chain([thread.tweet.clone()])
        .chain(thread.replies.iter().cloned())
        .collect();
    use_dispatcher().dispatch(Action::ShowThread {
        id: thread.tweet.id.clone(),
        tweets: shown,
    });
    let focus = thread.tweet.id.clone();
    let title = format!(
        "@{}: {}",
        thread.tweet.tweetedby,
        excerpt(&thread.tweet.body)
    );
    let above = thread.ancestors.into_iter().map(above).collect_view();
    let later = (thread.replies.len() >= PAGE_MAX as usize)
        .then(|| thread.replies.last().map(|t| t.id.clone()))
        .flatten()
        .map(|last| {
            view! {
                <a class="button secondary load-older" href=format!("?since_id={last}")>
                    "Later replies"
                </a>
            }
        });
    let logged_in = use_session().user.with_untracked(Option::is_some);
    let reply = if logged_in {
        view! { <Composer reply_to=focus.clone() /> }.into_any()
    } else {
        view! {
            <p class="card empty">
                <a href="/login">"Log in"</a>
                " to reply."
            </p>
        }
        .into_any()
    };
    view! {
        <Title text=title />
        <h1 class="page-title">"Thread"</h1>
        <ol class="tweets thread" aria-label="Conversation">
            {above}
            <Kept tweet=thread.tweet />
        </ol>
        <h2 class="page-title" id="reply">
            "Replies"
        </h2>
        {reply}
        <ol class="tweets" aria-label="Replies">
            <For each=reply_rows(tweets, focus) key=|row| row.key.clone() let:row>
                <TweetItem row />
            </For>
        </ol>
        {later}
        <Show when=move || tweets.tweet_error.with(Option::is_some)>
            <p class="form-error" role="alert">
                {move || tweets.tweet_error.get()}
            </p>
        </Show>
    }
    .into_any()
}

/// The conversation the server rendered the page with.
fn shipped_thread() -> Option<Thread> {
    #[cfg(feature = "hydrate")]
    {
        #[derive(Default, serde::Deserialize)]
        struct Shipped {
            thread: Option<Thread>,
        }
        page_data::shipped::<Shipped>().thread
    }
    #[cfg(not(feature = "hydrate"))]
    {
        page_data::current().thread
    }
}

/// One tweet above: itself, or what became of it.
fn above(item: ThreadItem) -> AnyView {
    match item.tweet {
        Some(tweet) => view! { <Kept tweet /> }.into_any(),
        None if item.deleted => gone("This tweet was deleted.").into_any(),
        None => gone("This tweet is unavailable.").into_any(),
    }
}

/// A tweet of the thread while the state holds it; once deleted from this
/// page, its place says so and the thread stays whole.
#[component]
fn Kept(tweet: TweetDto) -> impl IntoView {
    let tweets = use_tweets();
    let id = tweet.id.clone();
    let present = Memo::new(move |_| tweets.tweets.with(|list| list.iter().any(|t| t.id == id)));
    let row = Row::confirmed(&tweet);
    view! {
        <Show when=move || present.get() fallback=|| gone("This tweet was deleted.")>
            <TweetItem row=row.clone() />
        </Show>
    }
    .into_any()
}

fn gone(text: &'static str) -> impl IntoView {
    view! { <li class="tweet card gone">{text}</li> }
}

/// The replies to `parent`, oldest first, then those being sent.
fn reply_rows(tweets: TweetSignals, parent: String) -> impl Fn() -> Vec<Row> {
    move || {
        let mut rows: Vec<Row> = tweets.tweets.with(|list| {
            list.iter()
                .filter(|t| t.in_reply_to.as_ref() == Some(&parent))
                .map(Row::confirmed)
                .collect()
        });
        tweets
            .pending
            .with(|p| rows.extend(p.iter().rev().map(Row::sending)));
        rows
    }
}

/// The start of a tweet for the page's title.
fn excerpt(body: &str) -> String {
    let line = body.lines().next().unwrap_or_default();
    match line.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn a_title_takes_the_first_line_up_to_forty_characters() {
        assert_eq!(excerpt("short\nsecond line"), "short");
        assert_eq!(excerpt(&"é".repeat(50)), format!("{}…", "é".repeat(40)));
    }
}
