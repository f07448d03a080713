//! What one action re-renders. Each test runs the views' own reactive
//! inputs (the timeline's rows, a `<time>`'s text, the composer's counter,
//! the header's "logged in") as render effects, which is how Leptos runs
//! them in the browser, counts their runs, and dispatches through the real
//! dispatcher.

use std::{
    cell::{Cell, RefCell},
    rc::Rc,
};

use any_spawner::Executor;
use reactive_graph::{effect::RenderEffect, owner::Owner};

use crate::{
    api::{TweetDto, UserDto},
    components::{
        composer::counter_text,
        tweet::{relative_time, rows, Row},
    },
    flux::{
        provide_flux, use_clock, use_session, use_tweets, Action, Dispatcher, PageData, Timeline,
        TimelineKey,
    },
};

/// A view's reactive input, run as a render effect.
struct Watched<T: 'static> {
    runs: Rc<Cell<usize>>,
    last: Rc<RefCell<Option<T>>>,
    _effect: RenderEffect<()>,
}

impl<T: Clone + 'static> Watched<T> {
    fn new(input: impl Fn() -> T + 'static) -> Self {
        let runs = Rc::new(Cell::new(0));
        let last = Rc::new(RefCell::new(None));
        let effect = RenderEffect::new({
            let (runs, last) = (runs.clone(), last.clone());
            move |_| {
                runs.set(runs.get() + 1);
                *last.borrow_mut() = Some(input());
            }
        });
        Self {
            runs,
            last,
            _effect: effect,
        }
    }

    /// Runs since the last call, once the scheduled effects have run.
    fn reruns(&self) -> usize {
        Executor::poll_local();
        self.runs.replace(0)
    }

    fn value(&self) -> T {
        self.last.borrow().clone().expect("ran once")
    }
}

/// The home page of ann, with three tweets and a composer, as hydrated.
struct Page {
    dispatcher: Dispatcher,
    rows: Watched<Vec<Row>>,
    times: Vec<Watched<String>>,
    counter: Watched<String>,
    logged_in: Watched<bool>,
}

impl Page {
    fn open() -> Self {
        let _ = Executor::init_futures_executor();
        let tweets: Vec<_> = (1..=3).rev().map(tweet).collect();
        let data = PageData {
            now: "2026-11-26T20:00:00Z".into(),
            user: Some(ann()),
            timeline: Some(Timeline {
                key: TimelineKey::Everyone,
                tweets: tweets.clone(),
                has_more: false,
                error: None,
            }),
            ..PageData::default()
        };
        let dispatcher = provide_flux(&data);
        let signals = use_tweets();
        let clock = use_clock();
        let session = use_session();
        let page = Self {
            dispatcher,
            rows: Watched::new(rows(signals)),
            times: tweets
                .iter()
                .map(|t| Watched::new(relative_time(t.timestamp.clone(), clock)))
                .collect(),
            counter: Watched::new(counter_text(signals.draft)),
            logged_in: Watched::new(move || session.logged_in()),
        };
        page.settle();
        page
    }

    /// Forgets the runs so far (each effect's first run, or earlier actions).
    fn settle(&self) {
        self.rows.reruns();
        self.counter.reruns();
        self.logged_in.reruns();
        for time in &self.times {
            time.reruns();
        }
    }

    fn dispatch(&self, action: Action) {
        self.dispatcher.dispatch(action);
    }

    fn time_reruns(&self) -> Vec<usize> {
        self.times.iter().map(Watched::reruns).collect()
    }

    fn keys(&self) -> Vec<String> {
        self.rows.value().into_iter().map(|row| row.key).collect()
    }
}

fn ann() -> UserDto {
    UserDto {
        id: "42".into(),
        username: "ann".into(),
        name: "Ann".into(),
        bio: String::new(),
        created_at: "2026-11-26T19:00:00Z".into(),
        email: None,
        follows: None,
    }
}

fn tweet(n: u32) -> TweetDto {
    TweetDto {
        id: n.to_string(),
        body: format!("tweet {n}"),
        tweetedby: "bob".into(),
        timestamp: format!("2026-11-26T19:5{n}:00Z"),
        likes: 0,
        liked: false,
        reposts: 0,
        reposted: false,
        reposted_by: None,
        repost_id: None,
        in_reply_to: None,
        replies: 0,
        mentions: Vec::new(),
    }
}

fn on_a_page(test: impl FnOnce(Page)) {
    let owner = Owner::new();
    owner.with(|| test(Page::open()));
}

#[test]
fn a_keystroke_in_the_composer_re_runs_neither_the_list_nor_any_time() {
    on_a_page(|page| {
        page.dispatch(Action::DraftChanged("h".into()));
        assert_eq!(page.counter.reruns(), 1, "the counter counts it");
        assert_eq!(page.counter.value(), "1/280");
        assert_eq!(page.rows.reruns(), 0, "the tweet list");
        assert_eq!(page.time_reruns(), [0, 0, 0], "the times");
        assert_eq!(page.logged_in.reruns(), 0, "the header");

        page.dispatch(Action::DraftChanged("hi".into()));
        assert_eq!(page.counter.reruns(), 1);
        assert_eq!(page.rows.reruns(), 0);
        assert_eq!(page.time_reruns(), [0, 0, 0]);
    });
}

#[test]
fn a_received_tweet_adds_one_row_and_keeps_every_other_row() {
    on_a_page(|page| {
        assert_eq!(page.keys(), ["3", "2", "1"]);
        page.dispatch(Action::DraftChanged("hello".into()));
        page.dispatch(Action::SendTweet);
        assert_eq!(page.rows.reruns(), 1);
        assert_eq!(page.keys(), ["pending-0", "3", "2", "1"], "one row on top");
        page.settle();

        page.dispatch(Action::ReceivedTweet {
            local_id: 0,
            tweet: TweetDto {
                tweetedby: "ann".into(),
                ..tweet(4)
            },
        });
        assert_eq!(page.rows.reruns(), 1, "the list runs once");
        // The keyed `For` renders a row for a key it has not seen and keeps
        // the rows whose keys it has: one new row, the confirmed tweet in
        // place of its pending copy, the others untouched.
        assert_eq!(page.keys(), ["4", "3", "2", "1"]);
        assert_eq!(page.time_reruns(), [0, 0, 0], "no other row's time");
        assert_eq!(page.counter.reruns(), 0, "the composer was empty already");
    });
}

#[test]
fn a_tick_re_runs_every_time_and_nothing_else() {
    on_a_page(|page| {
        assert_eq!(page.times[0].value(), "7 minutes ago");
        let later = chrono::DateTime::parse_from_rfc3339("2026-11-26T21:00:00Z")
            .unwrap()
            .to_utc();
        page.dispatch(Action::Tick(later));
        assert_eq!(page.time_reruns(), [1, 1, 1]);
        assert_eq!(page.times[0].value(), "an hour ago");
        assert_eq!(page.rows.reruns(), 0);
        assert_eq!(page.counter.reruns(), 0);
        assert_eq!(page.logged_in.reruns(), 0);
    });
}

#[test]
fn an_action_that_changes_nothing_re_runs_nothing() {
    on_a_page(|page| {
        // The timeline shown already, no older page, an empty draft sent,
        // the same draft twice, a tick to the same instant.
        page.dispatch(Action::ShowTimeline(TimelineKey::Everyone));
        page.dispatch(Action::LoadOlder);
        page.dispatch(Action::SendTweet);
        page.dispatch(Action::DraftChanged(String::new()));
        page.dispatch(Action::Tick(
            chrono::DateTime::parse_from_rfc3339("2026-11-26T20:00:00Z")
                .unwrap()
                .to_utc(),
        ));
        assert_eq!(page.rows.reruns(), 0);
        assert_eq!(page.counter.reruns(), 0);
        assert_eq!(page.time_reruns(), [0, 0, 0]);
        assert_eq!(page.logged_in.reruns(), 0);
    });
}

#[test]
fn logging_out_re_runs_the_header_and_empties_the_list() {
    on_a_page(|page| {
        page.dispatch(Action::LoggedOut);
        assert_eq!(page.logged_in.reruns(), 1);
        assert!(!page.logged_in.value());
        assert_eq!(page.rows.reruns(), 1);
        assert_eq!(page.keys(), Vec::<String>::new());
    });
}

#[test]
fn each_login_and_logout_asks_the_router_to_go_home_once() {
    on_a_page(|page| {
        let navigation = page.dispatcher.navigation();
        let requests = Watched::new(move || navigation.get());
        assert_eq!(requests.reruns(), 1, "its first run");
        assert_eq!(requests.value(), None);
        page.dispatch(Action::DraftChanged("h".into()));
        assert_eq!(requests.reruns(), 0);
        page.dispatch(Action::LoggedOut);
        assert_eq!(requests.reruns(), 1);
        assert_eq!(requests.value(), Some("/"));
        // The same path again is a new request all the same.
        page.dispatch(Action::LoggedIn(ann()));
        assert_eq!(requests.reruns(), 1);
        assert_eq!(requests.value(), Some("/"));
    });
}
