//! `chirp-server fill-tweets <count> [<users>] [--follows N] [--thread N]`:
//! fills a store with users, tweets, follows and conversations fast, for
//! load tests and benchmarks.
//!
//! The rows are what the API writes: users are registered by the accounts
//! service (with a real bcrypt hash of [`PASSWORD`], made once and shared,
//! since hashing ten thousand users at cost 12 would take twenty minutes), each follow is decided by [`user::decide`] as
//! `PUT …/following/{target}` decides it, and each tweet is made by
//! [`Tweet::new`] from a body that passed [`TweetBody::parse`], exactly as
//! `POST /api/v2/tweets` makes it. Only the transport differs: a user's
//! follows go in as one append, tweets through
//! [`TweetStore::insert_many`](crate::store::TweetStore::insert_many),
//! thousands per transaction instead of one request each.

use std::time::Instant;

use futures::{stream, StreamExt, TryStreamExt};
use serde::Serialize;

use app::api::SignUp;

use crate::{
    config::Fill,
    domain::{
        user::{self, Followed, UserCommand},
        Id, PasswordHash, Timestamp, Tweet, TweetBody, Username,
    },
    error::Result,
    store::Append,
    AppState,
};

/// Every filler user's password (they exist only in benchmark stores).
pub const PASSWORD: &str = "bench-password";
/// Tweets per write. Each write is one savepoint of the SQLite writer,
/// whose statement journal grows with the pages the write has touched and
/// is walked again by every statement in it: with ten thousand authors a
/// chunk touches a page of the author index per tweet, and 20,000 per
/// chunk slowed to under 1,000 tweets/s by 700k tweets (measured).
const CHUNK: usize = 2_000;
/// Users written at once: enough to fill the SQLite writer's group commits.
const CONCURRENT_USERS: usize = 64;

const BODIES: &[&str] = &[
    "Shipping a small fix today; the kind nobody notices until it is missing.",
    "Reading about B-trees again. Every time I learn something new about page splits.",
    "Coffee, then code review, then more coffee. A good morning.",
    "The best benchmark is the one you can run again tomorrow and get the same number.",
    "Rust's borrow checker caught another bug before it reached anyone. Thanks, I guess.",
    "Walked to work in the rain. Worth it for the smell of wet pavement.",
    "Today I learned that fsync on a laptop SSD is faster than on most cloud disks.",
    "If a page takes more than a second, people notice. If it takes ten, they leave.",
];

#[derive(Debug, Serialize)]
pub struct FillReport {
    /// How many filler users there are: `bench_0`, `bench_1`, ….
    pub users: u32,
    pub password: &'static str,
    pub tweets: u64,
    /// The id of the tweet `tweets / 10` from the oldest: a `max_id` for a
    /// page deep in the past.
    pub deep_max_id: String,
    /// Follows added (each user's are added once: a second run adds none).
    pub follows: u64,
    /// The tweet with `--thread` replies (empty without `--thread`).
    pub thread_root: String,
    /// The last of a chain of `--thread` replies, each answering the one
    /// before.
    pub chain_tip: String,
    pub seconds: f64,
}

/// `bench_0`..`bench_{users-1}` (registered if missing), `tweets` tweets
/// written by them in turn, then the follows and the conversations asked
/// for.
pub async fn fill(state: &AppState, fill: &Fill) -> Result<FillReport> {
    let started = Instant::now();
    let names: Vec<String> = (0..fill.users.max(1))
        .map(|i| format!("bench_{i}"))
        .collect();
    let hash = state.accounts.hash_password(PASSWORD).await?;
    let authors: Vec<Id> = stream::iter(names.iter().map(|name| author(state, name, &hash)))
        .buffered(CONCURRENT_USERS)
        .try_collect()
        .await?;

    let deep_index = fill.tweets / 10;
    let mut deep_max_id = None;
    let mut written = 0u64;
    while written < fill.tweets {
        let chunk = (fill.tweets - written).min(CHUNK as u64);
        let tweets: Vec<Tweet> = (written..written + chunk)
            .map(|i| Tweet::new(authors[i as usize % authors.len()], filler_body(i)))
            .collect();
        if deep_max_id.is_none() && deep_index < written + chunk {
            deep_max_id = Some(tweets[(deep_index - written) as usize].id);
        }
        state.store.tweets.insert_many(tweets).await?;
        written += chunk;
    }

    let follows: u64 =
        stream::iter((0..authors.len()).map(|i| follow_next(state, &authors, i, fill.follows)))
            .buffer_unordered(CONCURRENT_USERS)
            .try_fold(0, |sum, added| async move { Ok(sum + added) })
            .await?;

    let (thread_root, chain_tip) = match fill.thread {
        0 => (String::new(), String::new()),
        replies => {
            let (root, tip) = conversations(state, &authors, replies).await?;
            (root.to_string(), tip.to_string())
        }
    };
    Ok(FillReport {
        users: fill.users.max(1),
        password: PASSWORD,
        tweets: written,
        deep_max_id: deep_max_id.map(|id| id.to_string()).unwrap_or_default(),
        follows,
        thread_root,
        chain_tip,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn filler_body(i: u64) -> TweetBody {
    let text = format!("{} #{i}", BODIES[i as usize % BODIES.len()]);
    TweetBody::parse(&text).expect("filler bodies are valid")
}

/// The filler user `name`'s id, registered with `hash` if missing.
async fn author(state: &AppState, name: &str, hash: &PasswordHash) -> Result<Id> {
    let username = Username::parse(name).expect("filler usernames are valid");
    if let Some(existing) = state.store.users.by_username(&username).await? {
        return Ok(existing.id);
    }
    let sign_up = SignUp {
        username: name.to_string(),
        email: format!("{name}@bench.chirp.invalid"),
        name: Some(format!("Bench {name}")),
        password: String::new(),
    };
    let user = state
        .accounts
        .register_hashed(&sign_up, hash.clone())
        .await?;
    Ok(user.id)
}

/// User `i` follows the `count` users after it (wrapping round, never
/// itself), in one append; none if it follows the first of them already
/// (an earlier run). Returns how many follows it added.
async fn follow_next(state: &AppState, authors: &[Id], i: usize, count: u32) -> Result<u64> {
    let count = (count as usize).min(authors.len() - 1);
    let me = authors[i];
    let targets = (1..=count).map(|step| authors[(i + step) % authors.len()]);
    if count == 0
        || state
            .store
            .follows
            .follows(me, authors[(i + 1) % authors.len()])
            .await?
    {
        return Ok(0);
    }
    let row = state
        .store
        .users
        .by_id(me)
        .await?
        .expect("filler users exist");
    let mut events = Vec::with_capacity(count);
    for target in targets {
        let follow = UserCommand::Follow {
            follow: Followed {
                user: target,
                at: Timestamp::now(),
            },
            already: false,
            blocked: false,
        };
        events.extend(user::decide(Some(&row), follow)?);
    }
    state
        .store
        .users
        .append(Append::new(me, row.version, events))
        .await?;
    Ok(count as u64)
}

/// A tweet with `replies` replies (by the filler users in turn), and a
/// chain of `replies` replies each answering the one before: the widest
/// and the deepest thread. Returns the first's root and the chain's tip.
async fn conversations(state: &AppState, authors: &[Id], replies: u32) -> Result<(Id, Id)> {
    let by = |i: u32| authors[i as usize % authors.len()];
    let root = Tweet::new(
        by(0),
        TweetBody::parse("A question for everyone: what are you reading?").expect("valid"),
    );
    let root_id = root.id;
    let mut tweets = vec![root];
    tweets.extend(
        (0..replies).map(|i| Tweet::new(by(i + 1), filler_body(u64::from(i))).replying_to(root_id)),
    );
    let mut tip = Tweet::new(
        by(0),
        TweetBody::parse("Let us count to a big number, one reply each.").expect("valid"),
    );
    for i in 0..replies {
        let next = Tweet::new(by(i + 1), filler_body(u64::from(i))).replying_to(tip.id);
        tweets.push(std::mem::replace(&mut tip, next));
    }
    let tip_id = tip.id;
    tweets.push(tip);
    state.store.tweets.insert_many(tweets).await?;
    Ok((root_id, tip_id))
}
