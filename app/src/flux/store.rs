//! What views read: each field of the reducers' state as a signal of its
//! own, so a view subscribes to just the fields it shows. The state itself
//! stays one plain struct ([`State`]) that the reducers change; after each
//! action the dispatcher notifies the fields whose value changed, and only
//! those. A keystroke therefore wakes the composer and nothing else, and an
//! action that changes nothing wakes nothing.
//!
//! Each field is a [`Trigger`] over the one [`StoredValue`], not an
//! `RwSignal` holding a copy: every `RwSignal<T>` brings its own copy of
//! Leptos' signal code for its `T`, and a dozen of them made the main WASM
//! chunk 4.3 KB heavier gzipped (243,001 bytes against 238,670). Nor
//! `reactive_stores`: its derive adds a path type and accessors for every
//! field.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::{
    page_data::ProfileCard,
    profile::ProfileState,
    session::{FormState, SessionState},
    tweets::{PendingTweet, TweetState},
    Action, Command, TimelineKey,
};
use crate::api::{ErrorBody, TweetDto, UserDto};

/// The reducers' state, outside the reactive graph.
#[derive(Clone)]
pub(super) struct State {
    pub(super) tweets: TweetState,
    pub(super) session: SessionState,
    pub(super) profile: ProfileState,
    pub(super) now: DateTime<Utc>,
    /// Where the last [`Command::Navigate`] asked to go.
    pub(super) navigation: Option<&'static str>,
}

impl State {
    pub(super) fn reduce(&mut self, action: &Action) -> Vec<Command> {
        super::clock::reduce(&mut self.now, action);
        // The tweet reducer needs the author of a new post: the session
        // as it was before this action.
        let user = self.session.user.as_ref();
        let name = user.map(|u| u.username.as_str());
        let mut commands = super::tweets::reduce(&mut self.tweets, action, name, self.now);
        let id = user.map(|u| u.id.as_str());
        commands.extend(super::profile::reduce(&mut self.profile, action, id));
        commands.extend(super::session::reduce(&mut self.session, action));
        commands
    }
}

/// One field of the state as a signal: views read it (`with`, `get`,
/// tracked or not) but cannot set it; the dispatcher notifies it when the
/// field's value changed.
pub struct FieldSignal<T: 'static> {
    state: StoredValue<State>,
    changed: Trigger,
    field: fn(&State) -> &T,
}

impl<T: 'static> FieldSignal<T> {
    fn new(state: StoredValue<State>, field: fn(&State) -> &T) -> Self {
        Self {
            state,
            changed: Trigger::new(),
            field,
        }
    }

    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.changed.track();
        self.with_untracked(f)
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.state.with_value(|state| f((self.field)(state)))
    }

    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.with(T::clone)
    }

    pub fn get_untracked(&self) -> T
    where
        T: Clone,
    {
        self.with_untracked(T::clone)
    }

    pub(super) fn notify(&self) {
        self.changed.notify();
    }
}

impl<T: PartialEq + 'static> FieldSignal<T> {
    fn notify_if_changed(&self, before: &State, after: &State) {
        if (self.field)(before) != (self.field)(after) {
            self.notify();
        }
    }
}

impl<T> Clone for FieldSignal<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for FieldSignal<T> {}

/// The tweet state as views see it. The next local id is the reducer's
/// business only, so it has no signal.
#[derive(Clone, Copy)]
pub struct TweetSignals {
    /// The timeline shown.
    pub key: FieldSignal<Option<TimelineKey>>,
    pub tweets: FieldSignal<Vec<TweetDto>>,
    pub pending: FieldSignal<Vec<PendingTweet>>,
    pub has_more: FieldSignal<bool>,
    pub loading: FieldSignal<bool>,
    pub load_error: FieldSignal<Option<String>>,
    pub draft: FieldSignal<String>,
    pub post_error: FieldSignal<Option<ErrorBody>>,
    pub tweet_error: FieldSignal<Option<String>>,
}

impl TweetSignals {
    pub(super) fn new(state: StoredValue<State>) -> Self {
        Self {
            key: FieldSignal::new(state, |s| &s.tweets.key),
            tweets: FieldSignal::new(state, |s| &s.tweets.tweets),
            pending: FieldSignal::new(state, |s| &s.tweets.pending),
            has_more: FieldSignal::new(state, |s| &s.tweets.has_more),
            loading: FieldSignal::new(state, |s| &s.tweets.loading),
            load_error: FieldSignal::new(state, |s| &s.tweets.load_error),
            draft: FieldSignal::new(state, |s| &s.tweets.draft),
            post_error: FieldSignal::new(state, |s| &s.tweets.post_error),
            tweet_error: FieldSignal::new(state, |s| &s.tweets.tweet_error),
        }
    }

    pub(super) fn notify_changed(&self, before: &State, after: &State) {
        self.key.notify_if_changed(before, after);
        self.tweets.notify_if_changed(before, after);
        self.pending.notify_if_changed(before, after);
        self.has_more.notify_if_changed(before, after);
        self.loading.notify_if_changed(before, after);
        self.load_error.notify_if_changed(before, after);
        self.draft.notify_if_changed(before, after);
        self.post_error.notify_if_changed(before, after);
        self.tweet_error.notify_if_changed(before, after);
    }
}

/// The session state as views see it: the user, and each form on its own.
#[derive(Clone, Copy)]
pub struct SessionSignals {
    pub user: FieldSignal<Option<UserDto>>,
    pub etag: FieldSignal<Option<String>>,
    pub log_in: FieldSignal<FormState>,
    pub sign_up: FieldSignal<FormState>,
    pub profile: FieldSignal<FormState>,
    pub log_out: FieldSignal<FormState>,
}

impl SessionSignals {
    pub fn logged_in(&self) -> bool {
        self.user.with(Option::is_some)
    }

    pub(super) fn new(state: StoredValue<State>) -> Self {
        Self {
            user: FieldSignal::new(state, |s| &s.session.user),
            etag: FieldSignal::new(state, |s| &s.session.etag),
            log_in: FieldSignal::new(state, |s| &s.session.log_in),
            sign_up: FieldSignal::new(state, |s| &s.session.sign_up),
            profile: FieldSignal::new(state, |s| &s.session.profile),
            log_out: FieldSignal::new(state, |s| &s.session.log_out),
        }
    }

    pub(super) fn notify_changed(&self, before: &State, after: &State) {
        self.user.notify_if_changed(before, after);
        self.etag.notify_if_changed(before, after);
        self.log_in.notify_if_changed(before, after);
        self.sign_up.notify_if_changed(before, after);
        self.profile.notify_if_changed(before, after);
        self.log_out.notify_if_changed(before, after);
    }
}

/// The profile card as views see it.
#[derive(Clone, Copy)]
pub struct ProfileSignals {
    pub card: FieldSignal<Option<ProfileCard>>,
    pub pending: FieldSignal<bool>,
    pub error: FieldSignal<Option<String>>,
}

impl ProfileSignals {
    pub(super) fn new(state: StoredValue<State>) -> Self {
        Self {
            card: FieldSignal::new(state, |s| &s.profile.card),
            pending: FieldSignal::new(state, |s| &s.profile.pending),
            error: FieldSignal::new(state, |s| &s.profile.error),
        }
    }

    pub(super) fn notify_changed(&self, before: &State, after: &State) {
        self.card.notify_if_changed(before, after);
        self.pending.notify_if_changed(before, after);
        self.error.notify_if_changed(before, after);
    }
}

/// "Now" for relative times: only `<Time>`s read it.
#[derive(Clone, Copy)]
pub struct Clock(pub FieldSignal<DateTime<Utc>>);

impl Clock {
    pub(super) fn new(state: StoredValue<State>) -> Self {
        Self(FieldSignal::new(state, |s| &s.now))
    }

    pub(super) fn notify_changed(&self, before: &State, after: &State) {
        self.0.notify_if_changed(before, after);
    }
}

/// Where a command asked to go: read by `FollowNavigation` only.
pub(super) fn navigation(state: StoredValue<State>) -> FieldSignal<Option<&'static str>> {
    FieldSignal::new(state, |s| &s.navigation)
}
