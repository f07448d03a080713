//! `chirp-server fill-tweets <count> [<users>]`: fills a store with users
//! and tweets fast, for load tests and benchmarks.
//!
//! The rows are what the API writes: users are registered through the
//! accounts service (events, read model, bcrypt hash at the configured
//! cost), and each tweet is made by [`Tweet::new`] from a body that passed
//! [`TweetBody::parse`], exactly as `POST /api/v2/tweets` makes it. Only
//! the transport differs: tweets go in through
//! [`TweetStore::insert_many`](crate::store::TweetStore::insert_many),
//! thousands per transaction instead of one request each.

use std::time::Instant;

use futures::future::try_join_all;
use serde::Serialize;

use app::api::SignUp;

use crate::{
    domain::{Id, Tweet, TweetBody, Username},
    error::Result,
    AppState,
};

/// Every filler user's password (they exist only in benchmark stores).
pub const PASSWORD: &str = "bench-password";
/// Tweets per transaction.
const CHUNK: usize = 20_000;

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
    pub users: Vec<String>,
    pub password: &'static str,
    pub tweets: u64,
    /// The id of the tweet `tweets / 10` from the oldest: a `max_id` for a
    /// page deep in the past.
    pub deep_max_id: String,
    pub seconds: f64,
}

/// `bench_0`..`bench_{users-1}` (registered if missing) and `count` tweets
/// written by them in turn.
pub async fn fill_tweets(state: &AppState, count: u64, user_count: u32) -> Result<FillReport> {
    let started = Instant::now();
    let names: Vec<String> = (0..user_count.max(1))
        .map(|i| format!("bench_{i}"))
        .collect();
    let authors = try_join_all(names.iter().map(|name| author(state, name))).await?;

    let deep_index = count / 10;
    let mut deep_max_id = None;
    let mut written = 0u64;
    while written < count {
        let chunk = (count - written).min(CHUNK as u64);
        let tweets: Vec<Tweet> = (written..written + chunk)
            .map(|i| {
                let text = format!("{} #{i}", BODIES[i as usize % BODIES.len()]);
                let body = TweetBody::parse(&text).expect("filler bodies are valid");
                Tweet::new(authors[i as usize % authors.len()], body)
            })
            .collect();
        if deep_max_id.is_none() && deep_index < written + chunk {
            deep_max_id = Some(tweets[(deep_index - written) as usize].id);
        }
        state.store.tweets.insert_many(tweets).await?;
        written += chunk;
    }
    Ok(FillReport {
        users: names,
        password: PASSWORD,
        tweets: written,
        deep_max_id: deep_max_id.map(|id| id.to_string()).unwrap_or_default(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

async fn author(state: &AppState, name: &str) -> Result<Id> {
    let username = Username::parse(name).expect("filler usernames are valid");
    if let Some(existing) = state.store.users.by_username(&username).await? {
        return Ok(existing.id);
    }
    let user = state
        .accounts
        .register(&SignUp {
            username: name.to_string(),
            email: format!("{name}@bench.chirp.invalid"),
            name: Some(format!("Bench {name}")),
            password: PASSWORD.to_string(),
        })
        .await?;
    Ok(user.id)
}
