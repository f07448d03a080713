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
    let oldest = move || tweets.tweets.with(|t| t.last().map(|t| t.id.clone()));

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
                    href=move || format!("?max_id={}", oldest().unwrap_or_default())
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
