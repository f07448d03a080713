//! Flux in Leptos: views dispatch [`Action`]s through the one [`Dispatcher`];
//! plain reducer functions turn each action into a change of the state
//! ([`TweetState`], [`SessionState`], the clock) and into [`Command`]s for
//! the API module, whose answers come back as server actions through the
//! same dispatcher. Views read the state through one signal per field
//! ([`TweetSignals`], [`SessionSignals`], [`Clock`]), which the dispatcher
//! notifies only when the field's value changed.
//!
//! ```text
//! view ──Action──▶ dispatch ──▶ reducers ──▶ changed fields' signals ──▶ view
//!                                  │
//!                              Command ──▶ api (gloo-net) ──server Action──▶ dispatch
//! ```
//!
//! Components never fetch and never write state; they read signals and
//! dispatch.

#[cfg(feature = "hydrate")]
mod api;
pub(crate) mod clock;
pub mod page_data;
pub(crate) mod profile;
pub(crate) mod session;
pub(crate) mod store;
pub(crate) mod tweets;
pub(crate) mod types;

use leptos::prelude::*;

use crate::api::{ErrorBody, LoginRequest, Reaction, SignUp, TweetDto, UpdateUser, UserDto};
pub use page_data::{FormFeedback, PageData, ProfileCard, Timeline};
pub(crate) use profile::ProfileState;
pub use profile::RelationChange;
pub(crate) use session::SessionState;
use store::State;
pub(crate) use store::{Clock, FieldSignal, ProfileSignals, SessionSignals, TweetSignals};
pub(crate) use tweets::{PendingTweet, TweetState};
pub use types::{FormKind, TimelineKey};

/// Everything that can happen to the app's state.
// Server actions and ticks are dispatched by browser-only code.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    // View actions: what the person did.
    /// The composer's text changed.
    DraftChanged(String),
    /// "Tweet now": post the draft.
    SendTweet,
    /// Show a timeline (after a client-side navigation); loads it if the
    /// state holds another one.
    ShowTimeline(TimelineKey),
    /// Show the conversation a thread page came with: the tweets of tweet
    /// `id`'s thread in the order shown.
    ShowThread {
        id: String,
        tweets: Vec<TweetDto>,
    },
    /// "Load older": the next page before the oldest tweet shown.
    LoadOlder,
    LogIn(LoginRequest),
    SignUp(SignUp),
    UpdateProfile(UpdateUser),
    LogOut,
    /// The profile card a `/u/:username` page came with.
    ShowProfile(ProfileCard),
    /// Follow, unfollow, block or unblock the profile's user.
    ChangeRelationship(RelationChange),
    /// Delete your tweet (after its confirmation).
    DeleteTweet(String),
    /// Like (or repost) the tweet, or undo it if you did.
    React(Reaction, String),
    /// The clock ticked (every 30 s), so relative times move on.
    Tick(chrono::DateTime<chrono::Utc>),

    // Server actions: what the API answered.
    /// A page of `key`'s timeline; `older` pages append, others replace.
    ReceivedTweets {
        key: TimelineKey,
        tweets: Vec<TweetDto>,
        older: bool,
    },
    TimelineFailed {
        key: TimelineKey,
        error: ErrorBody,
    },
    /// The server stored pending tweet `local_id` as `tweet`.
    ReceivedTweet {
        local_id: u64,
        tweet: TweetDto,
    },
    /// The server refused pending tweet `local_id`.
    TweetFailed {
        local_id: u64,
        error: ErrorBody,
    },
    /// The server made the profile's change.
    RelationshipSaved,
    RelationshipFailed(ErrorBody),
    /// The server deleted tweet `id` (or it was gone already).
    TweetDeleted(String),
    DeleteFailed {
        id: String,
        error: ErrorBody,
    },
    /// The server saved the like, repost or undo of tweet `id`.
    Reacted(Reaction, String),
    ReactionFailed {
        reaction: Reaction,
        id: String,
        error: ErrorBody,
    },
    /// Logged in (by login or sign-up): the session's user.
    LoggedIn(UserDto),
    /// The profile was saved; `etag` versions the next update.
    ProfileUpdated {
        user: UserDto,
        etag: Option<String>,
    },
    LoggedOut,
    /// A form's request failed; `details` name the fields.
    FormFailed {
        form: FormKind,
        error: ErrorBody,
    },
}

/// Work a reducer asks the API module to do. Reducers stay pure: they
/// describe the request, [`api`] performs it and dispatches its outcome.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Command {
    PostTweet {
        local_id: u64,
        body: String,
        /// The tweet it answers.
        in_reply_to: Option<String>,
    },
    FetchTweets {
        key: TimelineKey,
        max_id: Option<String>,
    },
    DeleteTweet {
        id: String,
    },
    React {
        reaction: Reaction,
        id: String,
        /// Whether it is on now (`PUT`) or undone (`DELETE`).
        on: bool,
    },
    /// `me` (a user id) changes how they stand with `target`.
    SetRelationship {
        me: String,
        target: String,
        change: RelationChange,
    },
    LogIn(LoginRequest),
    SignUp(SignUp),
    UpdateProfile {
        user_id: String,
        etag: Option<String>,
        changes: UpdateUser,
    },
    LogOut,
    /// Go to a page without reloading (after login, sign-up, logout).
    Navigate(&'static str),
}

/// The one way to change state: `use_dispatcher().dispatch(action)`.
#[derive(Clone, Copy)]
pub(crate) struct Dispatcher {
    state: StoredValue<State>,
    tweets: TweetSignals,
    session: SessionSignals,
    profile: ProfileSignals,
    clock: Clock,
    /// Where a command asked to go; [`FollowNavigation`] goes there.
    navigation: FieldSignal<Option<&'static str>>,
}

impl Dispatcher {
    fn new(data: &PageData) -> Self {
        let state = StoredValue::new(State {
            tweets: TweetState::seeded(data),
            session: SessionState::seeded(data),
            profile: ProfileState::seeded(data),
            now: data.now(),
            navigation: None,
        });
        Self {
            state,
            tweets: TweetSignals::new(state),
            session: SessionSignals::new(state),
            profile: ProfileSignals::new(state),
            clock: Clock::new(state),
            navigation: store::navigation(state),
        }
    }

    pub(crate) fn dispatch(&self, action: Action) {
        // The state as it was is what tells which fields changed: a copy
        // of a page of tweets, cheap next to waking every view.
        let Some(before) = self.state.try_with_value(State::clone) else {
            return;
        };
        let commands = self
            .state
            .try_update_value(|state| state.reduce(&action))
            .unwrap_or_default();
        self.state.with_value(|after| {
            self.tweets.notify_changed(&before, after);
            self.session.notify_changed(&before, after);
            self.profile.notify_changed(&before, after);
            self.clock.notify_changed(&before, after);
        });
        for command in commands {
            self.run(command);
        }
    }

    /// Where the last `Command::Navigate` asked to go.
    pub(crate) fn navigation(&self) -> FieldSignal<Option<&'static str>> {
        self.navigation
    }

    fn run(&self, command: Command) {
        match command {
            // Notified even when it is the same path: each request is a
            // new navigation.
            Command::Navigate(path) => {
                self.state
                    .update_value(|state| state.navigation = Some(path));
                self.navigation.notify();
            }
            #[cfg(feature = "hydrate")]
            command => api::perform(*self, command),
            // On the server nothing is dispatched after rendering, and
            // requests belong to the browser.
            #[cfg(not(feature = "hydrate"))]
            _ => {}
        }
    }
}

/// Creates the state from the page's data and provides the dispatcher and
/// the signals to every component below.
pub(crate) fn provide_flux(data: &PageData) -> Dispatcher {
    let dispatcher = Dispatcher::new(data);
    provide_context(dispatcher);
    provide_context(dispatcher.tweets);
    provide_context(dispatcher.session);
    provide_context(dispatcher.profile);
    provide_context(dispatcher.clock);
    dispatcher
}

pub(crate) fn use_dispatcher() -> Dispatcher {
    expect_context()
}

pub(crate) fn use_tweets() -> TweetSignals {
    expect_context()
}

pub(crate) fn use_session() -> SessionSignals {
    expect_context()
}

pub(crate) fn use_profile() -> ProfileSignals {
    expect_context()
}

pub(crate) fn use_clock() -> Clock {
    expect_context()
}

/// Goes where a command asked (after login, sign-up, logout) without a
/// reload. Rendered inside the `<Router>`, which owns the navigate
/// function.
#[component]
pub(crate) fn FollowNavigation() -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    let navigation = use_dispatcher().navigation();
    Effect::new(move || {
        if let Some(path) = navigation.get() {
            navigate(path, Default::default());
        }
    });
}
