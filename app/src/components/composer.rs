//! The composer: "How you doing?", a live counter that counts as the
//! server does, and "Tweet now".

use leptos::prelude::*;

use super::form::{enhance, field_message, form_message};
use crate::{
    api::{tweet_length, Values, TWEET_MAX_CHARS},
    flux::{use_dispatcher, use_tweets, Action, FieldSignal, FormKind},
    Hydrated,
};

/// A new tweet, or with `reply_to` a reply to that tweet (the form then
/// posts to the thread's page).
#[component]
pub fn Composer(#[prop(optional)] reply_to: Option<String>) -> impl IntoView {
    let tweets = use_tweets();
    let dispatcher = use_dispatcher();
    let draft = tweets.draft;
    let length = move || draft.with(|d| tweet_length(d));
    let over = move || is_over(length());
    // Only a draft over the limit disables the button, and only once the
    // WASM runs: without it the server judges the post, and a refused draft
    // must stay sendable after editing. An empty draft is ignored by the
    // reducer (the second click of a double click finds one).
    let hydrated = expect_context::<Hydrated>().0;
    let blocked = move || hydrated.get() && over();
    let error = move || {
        tweets.post_error.with(|e| {
            e.as_ref().map(|e| match e.details.get("body") {
                Some(codes) if !codes.is_empty() => field_message("body", codes[0]),
                _ => form_message(FormKind::Tweet, e),
            })
        })
    };
    let initial = draft.get_untracked();
    let submit = enhance(|_: Values| Some(Action::SendTweet));
    let (action, label, placeholder, button) = match reply_to {
        Some(id) => (format!("/t/{id}"), "Your reply", "Post your reply", "Reply"),
        None => ("/".into(), "Your tweet", "How you doing?", "Tweet now"),
    };

    view! {
        <form class="card composer" method="post" action=action on:submit=submit>
            <label class="visually-hidden" for="composer-body">
                {label}
            </label>
            <textarea
                id="composer-body"
                name="body"
                rows="3"
                placeholder=placeholder
                aria-describedby="composer-count composer-error"
                prop:value=move || draft.get()
                on:input=move |event| dispatcher.dispatch(Action::DraftChanged(event_target_value(&event)))
            >
                {initial}
            </textarea>
            <div class="composer-footer">
                <span
                    id="composer-count"
                    class="counter"
                    class:over=over
                    aria-live="polite"
                    title="Characters used of 280"
                >
                    {counter_text(draft)}
                </span>
                <button type="submit" class="button" disabled=blocked>
                    {button}
                </button>
            </div>
            <p class="form-error" id="composer-error" role="alert">
                {error}
            </p>
        </form>
    }
    .into_any()
}

/// The counter's text, e.g. "12/280".
pub(crate) fn counter_text(draft: FieldSignal<String>) -> impl Fn() -> String {
    move || format!("{}/{TWEET_MAX_CHARS}", draft.with(|d| tweet_length(d)))
}

/// Whether the counter turns red: more than the server accepts.
pub fn is_over(length: usize) -> bool {
    length > TWEET_MAX_CHARS
}

#[cfg(test)]
mod tests {
    //! The counter must agree with the server's `TweetBody::parse`; these
    //! are the cases its tests use.
    use super::*;

    fn counts(text: &str) -> (usize, bool) {
        let length = tweet_length(text);
        (length, is_over(length))
    }

    #[test]
    fn blank_text_counts_nothing() {
        assert_eq!(counts("  \n "), (0, false));
    }

    #[test]
    fn surrounding_whitespace_is_not_counted() {
        assert_eq!(counts("  hi  "), (2, false));
    }

    #[test]
    fn a_skin_toned_emoji_is_one_character() {
        let thumbs = "👍🏽".repeat(280);
        assert_eq!(counts(&thumbs), (280, false));
        assert_eq!(counts(&format!("{thumbs}!")), (281, true));
    }

    #[test]
    fn a_letter_with_a_combining_accent_is_one_character() {
        assert_eq!(counts(&"e\u{301}".repeat(280)), (280, false));
    }

    #[test]
    fn flags_count_one_each() {
        assert_eq!(counts("🇫🇷🇩🇪"), (2, false));
    }

    #[test]
    fn the_281st_character_turns_the_counter_red() {
        assert_eq!(counts(&"a".repeat(280)), (280, false));
        assert_eq!(counts(&"a".repeat(281)), (281, true));
    }
}
