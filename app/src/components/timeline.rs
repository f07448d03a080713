//! A timeline on a page: asks the store to show it (a no-op right after
//! hydration, when the server's data is already there), then lists it.

use leptos::prelude::*;

use super::tweet_list::TweetList;
use crate::flux::{use_dispatcher, Action, TimelineKey};

#[component]
pub fn Timeline(#[prop(into)] key: Signal<TimelineKey>) -> impl IntoView {
    let dispatcher = use_dispatcher();
    // Effects run only in the browser, after hydration: a client-side
    // navigation to another timeline loads it.
    Effect::new(move || dispatcher.dispatch(Action::ShowTimeline(key.get())));
    view! { <TweetList /> }.into_any()
}
