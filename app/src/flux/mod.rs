//! Flux in Leptos: views dispatch [`Action`]s through the one [`Dispatcher`];
//! plain reducer functions turn each action into a state change of the
//! stores ([`TweetStore`], [`SessionStore`], [`Clock`]) and into
//! [`Command`]s for the API module, whose answers come back as server
//! actions through the same dispatcher.
//!
//! ```text
//! view ──Action──▶ dispatch ──▶ reducers ──▶ store signals ──▶ view
//!                                  │
//!                              Command ──▶ api (gloo-net) ──server Action──▶ dispatch
//! ```
//!
//! Components never fetch and never write a store; they read signals and
//! dispatch.

#[cfg(feature = "hydrate")]
pub mod api;
pub mod clock;
pub mod page_data;
pub mod session;
pub mod tweets;

use leptos::prelude::*;

use crate::api::{ErrorBody, LoginRequest, SignUp, TweetDto, UpdateUser, UserDto};
pub use clock::Clock;
pub use page_data::{FormFeedback, PageData, Timeline};
pub use session::{FormKind, FormState, SessionState};
pub use tweets::{PendingTweet, TimelineKey, TweetState};

/// Everything that can happen to the app's state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    // View actions: what the person did.
    /// The composer's text changed.
    DraftChanged(String),
    /// "Tweet now": post the draft.
    SendTweet,
    /// Show a timeline (after a client-side navigation); loads it if the
    /// store holds another one.
    ShowTimeline(TimelineKey),
    /// "Load older": the next page before the oldest tweet shown.
    LoadOlder,
    LogIn(LoginRequest),
    SignUp(SignUp),
    UpdateProfile(UpdateUser),
    LogOut,
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
pub enum Command {
    PostTweet {
        local_id: u64,
        body: String,
    },
    FetchTweets {
        key: TimelineKey,
        max_id: Option<String>,
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

#[derive(Clone, Copy)]
pub struct TweetStore(pub RwSignal<TweetState>);

#[derive(Clone, Copy)]
pub struct SessionStore(pub RwSignal<SessionState>);

/// The one way to change state: `use_dispatcher().dispatch(action)`.
#[derive(Clone, Copy)]
pub struct Dispatcher {
    pub tweets: TweetStore,
    pub session: SessionStore,
    pub clock: Clock,
}

impl Dispatcher {
    pub fn dispatch(&self, action: Action) {
        let mut commands = Vec::new();
        self.clock.0.update(|now| clock::reduce(now, &action));
        // The tweet reducer needs the author of a new post: the session
        // as it was before this action.
        let user = self
            .session
            .0
            .with_untracked(|s| s.user.as_ref().map(|u| u.username.clone()));
        let now = self.clock.0.get_untracked();
        self.tweets.0.update(|state| {
            commands.extend(tweets::reduce(state, &action, user.as_deref(), now));
        });
        self.session.0.update(|state| {
            commands.extend(session::reduce(state, &action));
        });
        self.run(commands);
    }

    #[cfg(feature = "hydrate")]
    fn run(&self, commands: Vec<Command>) {
        for command in commands {
            api::perform(*self, command);
        }
    }

    /// On the server nothing is dispatched after rendering, and requests
    /// belong to the browser.
    #[cfg(not(feature = "hydrate"))]
    fn run(&self, _commands: Vec<Command>) {}
}

/// Creates the stores from the page's data and provides them and the
/// dispatcher to every component below.
pub fn provide_flux(data: &PageData) -> Dispatcher {
    let dispatcher = Dispatcher {
        tweets: TweetStore(RwSignal::new(TweetState::seeded(data))),
        session: SessionStore(RwSignal::new(SessionState::seeded(data))),
        clock: Clock(RwSignal::new(data.now())),
    };
    provide_context(dispatcher);
    provide_context(dispatcher.tweets);
    provide_context(dispatcher.session);
    provide_context(dispatcher.clock);
    dispatcher
}

pub fn use_dispatcher() -> Dispatcher {
    expect_context()
}

pub fn use_tweets() -> TweetStore {
    expect_context()
}

pub fn use_session() -> SessionStore {
    expect_context()
}

pub fn use_clock() -> Clock {
    expect_context()
}

/// Lets commands change pages without a reload; rendered inside the
/// `<Router>`, where the navigate function exists.
#[leptos::component]
pub fn Navigator() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let navigate = leptos_router::hooks::use_navigate();
        api::install_navigator(move |path| navigate(path, Default::default()));
    }
}
