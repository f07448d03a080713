//! A timeline on a page: asks for it (a no-op right after hydration, when
//! the server's data is already there), then lists the pending posts on
//! top, the confirmed tweets below, and "Load older".

use leptos::prelude::*;

use super::tweet::{rows, TweetItem};
use crate::flux::{use_dispatcher, use_tweets, Action, TimelineKey};

#[component]
pub fn TimelineView(#[prop(into)] key: Signal<TimelineKey>) -> impl IntoView {
    let tweets = use_tweets();
    let dispatcher = use_dispatcher();
    // Effects run only in the browser, after hydration: a client-side
    // navigation to another timeline loads it.
    Effect::new(move || dispatcher.dispatch(Action::ShowTimeline(key.get())));
    let loading = tweets.loading;
    let load_error = tweets.load_error;
    let empty = move || {
        tweets.tweets.with(Vec::is_empty)
            && tweets.pending.with(Vec::is_empty)
            && !loading.get()
            && load_error.with(Option::is_none)
    };
    // The link is for pages without WASM: with it, a click dispatches
    // instead. So the server writes it, and the browser keeps what the
    // server wrote (a reactive address here cost the first page's WASM
    // about 700 bytes gzipped). The page's own query stays (a search's `q`,
    // a profile's tab); `max_id` moves on to the oldest entry's place (a
    // repost's own id).
    #[cfg(feature = "ssr")]
    let older = {
        let cursor = tweets
            .tweets
            .with_untracked(|t| t.last().map(|t| t.cursor().to_string()))
            .unwrap_or_default();
        older_page(
            &leptos_router::hooks::use_location().search.get_untracked(),
            &cursor,
        )
    };
    #[cfg(not(feature = "ssr"))]
    let older = String::new();

    view! {
        <section class="timeline" aria-label="Tweets" aria-busy=move || loading.get().to_string()>
            <ol class="tweets">
                <For each=rows(tweets) key=|row| row.key.clone() let:row>
                    <TweetItem row />
                </For>
            </ol>
            <Show when=empty>
                <p class="card empty">"No tweets yet."</p>
            </Show>
            <Show when=move || tweets.tweet_error.with(Option::is_some)>
                <p class="form-error" role="alert">{move || tweets.tweet_error.get()}</p>
            </Show>
            <Show when=move || load_error.with(Option::is_some)>
                <p class="form-error" role="alert">{move || load_error.get()}</p>
            </Show>
            <Show when=move || tweets.has_more.get()>
                // A link to the next page without WASM; a request for it
                // with.
                <a
                    class="button secondary load-older"
                    href=older.clone()
                    aria-disabled=move || loading.get().to_string()
                    on:click=move |event| {
                        event.prevent_default();
                        dispatcher.dispatch(Action::LoadOlder);
                    }
                >
                    {move || if loading.get() { "Loading…" } else { "Load older" }}
                </a>
            </Show>
        </section>
    }
    .into_any()
}

/// The address of the page before `cursor`, keeping the rest of `query`
/// (`?q=tea`, or none).
#[cfg(any(feature = "ssr", test))]
fn older_page(query: &str, cursor: &str) -> String {
    let mut older = String::from("?");
    for pair in query.trim_start_matches('?').split('&') {
        if !pair.is_empty() && !pair.starts_with("max_id=") {
            older.push_str(pair);
            older.push('&');
        }
    }
    older + "max_id=" + cursor
}

#[cfg(test)]
mod tests {
    use super::older_page;

    #[test]
    fn the_older_page_keeps_the_query_and_moves_the_cursor() {
        assert_eq!(older_page("", "9"), "?max_id=9");
        assert_eq!(
            older_page("?q=tea%20time&max_id=12", "9"),
            "?q=tea%20time&max_id=9"
        );
        assert_eq!(
            older_page("?with_replies=1", "9"),
            "?with_replies=1&max_id=9"
        );
    }
}
