//! What views read: one signal per field of the reducers' state, so a view
//! subscribes to just the fields it shows. The reducers keep working on
//! the plain structs ([`TweetState`], [`SessionState`]); after each action
//! the dispatcher writes back only the fields whose value changed. A
//! keystroke therefore wakes the composer and nothing else, and an action
//! that changes nothing wakes nothing.
//!
//! A signal per field, rather than `reactive_stores`: the app's state is a
//! dozen flat fields, and plain signals add no derive or path types to the
//! WASM.

use std::panic::Location;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::reactive::signal::guards::{Plain, ReadGuard};

use super::{
    session::{FormState, SessionState},
    tweets::{PendingTweet, TweetState},
};
use crate::api::{ErrorBody, TweetDto, UserDto};

/// One field of the state as a signal that views can read (`get`, `with`,
/// `read`, tracked or not) but not set: only the dispatcher writes it, and
/// only with a value that differs from the one it holds.
pub struct FieldSignal<T: 'static>(RwSignal<T>);

impl<T: Send + Sync + 'static> FieldSignal<T> {
    fn new(value: T) -> Self {
        Self(RwSignal::new(value))
    }
}

impl<T: PartialEq + Clone + Send + Sync + 'static> FieldSignal<T> {
    /// Leptos' `set` notifies even when the value is the same; this does
    /// not, which is what keeps the readers of unchanged fields still.
    fn show(&self, value: &T) {
        if self.0.with_untracked(|old| old != value) {
            self.0.set(value.clone());
        }
    }
}

impl<T> Clone for FieldSignal<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for FieldSignal<T> {}

impl<T> DefinedAt for FieldSignal<T> {
    fn defined_at(&self) -> Option<&'static Location<'static>> {
        self.0.defined_at()
    }
}

impl<T: Send + Sync + 'static> Track for FieldSignal<T> {
    fn track(&self) {
        self.0.track();
    }
}

impl<T: Send + Sync + 'static> ReadUntracked for FieldSignal<T> {
    type Value = ReadGuard<T, Plain<T>>;

    fn try_read_untracked(&self) -> Option<Self::Value> {
        self.0.try_read_untracked()
    }
}

/// The tweet state as views see it. The timeline's key and the next local
/// id are the reducer's business only, so they have no signal.
#[derive(Clone, Copy)]
pub struct TweetSignals {
    pub tweets: FieldSignal<Vec<TweetDto>>,
    pub pending: FieldSignal<Vec<PendingTweet>>,
    pub has_more: FieldSignal<bool>,
    pub loading: FieldSignal<bool>,
    pub load_error: FieldSignal<Option<String>>,
    pub draft: FieldSignal<String>,
    pub post_error: FieldSignal<Option<ErrorBody>>,
}

impl TweetSignals {
    pub(super) fn new(state: &TweetState) -> Self {
        Self {
            tweets: FieldSignal::new(state.tweets.clone()),
            pending: FieldSignal::new(state.pending.clone()),
            has_more: FieldSignal::new(state.has_more),
            loading: FieldSignal::new(state.loading),
            load_error: FieldSignal::new(state.load_error.clone()),
            draft: FieldSignal::new(state.draft.clone()),
            post_error: FieldSignal::new(state.post_error.clone()),
        }
    }

    pub(super) fn show(&self, state: &TweetState) {
        self.tweets.show(&state.tweets);
        self.pending.show(&state.pending);
        self.has_more.show(&state.has_more);
        self.loading.show(&state.loading);
        self.load_error.show(&state.load_error);
        self.draft.show(&state.draft);
        self.post_error.show(&state.post_error);
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

    pub(super) fn new(state: &SessionState) -> Self {
        Self {
            user: FieldSignal::new(state.user.clone()),
            etag: FieldSignal::new(state.etag.clone()),
            log_in: FieldSignal::new(state.log_in.clone()),
            sign_up: FieldSignal::new(state.sign_up.clone()),
            profile: FieldSignal::new(state.profile.clone()),
            log_out: FieldSignal::new(state.log_out.clone()),
        }
    }

    pub(super) fn show(&self, state: &SessionState) {
        self.user.show(&state.user);
        self.etag.show(&state.etag);
        self.log_in.show(&state.log_in);
        self.sign_up.show(&state.sign_up);
        self.profile.show(&state.profile);
        self.log_out.show(&state.log_out);
    }
}

/// "Now" for relative times: only `<Time>`s read it.
#[derive(Clone, Copy)]
pub struct Clock(pub FieldSignal<DateTime<Utc>>);

impl Clock {
    pub(super) fn new(now: DateTime<Utc>) -> Self {
        Self(FieldSignal::new(now))
    }

    pub(super) fn show(&self, now: &DateTime<Utc>) {
        self.0.show(now);
    }
}
