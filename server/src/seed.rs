//! First-run data: the original service's API release records on an empty
//! store and, only when asked (`CHIRP_DEMO=1`), a few demo users and tweets.
//! There is never a fixed default account otherwise.

use app::api::SignUp;

use crate::{
    domain::{Timestamp, Tweet, TweetBody},
    error::Result,
    store::{ApiRelease, Limit, Page, Store},
    AppState,
};

/// The original `apirelease` collection, as its clients read it from
/// `GET /api/v1/info`.
pub fn original_releases(buildtime: Timestamp) -> Vec<ApiRelease> {
    let buildtime = buildtime
        .to_datetime()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    vec![
        ApiRelease {
            buildtime: buildtime.clone(),
            version: "v1".into(),
            methods: "get, post, put, delete".into(),
            links: "/api/v1/users".into(),
        },
        ApiRelease {
            buildtime,
            version: "v2".into(),
            methods: "get, post".into(),
            links: "/api/v2/tweets".into(),
        },
    ]
}

/// Adds the release records if there are none. Safe to run at every start.
pub async fn releases(store: &Store) -> Result<()> {
    let releases = &store.releases;
    if releases.list().await?.is_empty() {
        for release in original_releases(Timestamp::now()) {
            releases.insert(&release).await?;
        }
        tracing::info!("created the API release records");
    }
    Ok(())
}

const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("ada", "Ada Lovelace", "ada@demo.chirp.invalid"),
    ("grace", "Grace Hopper", "grace@demo.chirp.invalid"),
    ("alan", "Alan Turing", "alan@demo.chirp.invalid"),
];

const DEMO_TWEETS: &[(usize, &str)] = &[
    (0, "The Analytical Engine weaves algebraic patterns just as the Jacquard loom weaves flowers and leaves."),
    (1, "It's easier to ask forgiveness than it is to get permission."),
    (2, "We can only see a short distance ahead, but we can see plenty there that needs to be done."),
    (1, "Found a moth in relay #70. First actual case of bug being found. 🐛"),
];

/// Demo users (each one's password is `<username>-demo-password`, as the
/// README says) and tweets, only on a store without users.
pub async fn demo(state: &AppState) -> Result<()> {
    if !state
        .accounts
        .list(Page::first(Limit::DEFAULT))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    tracing::warn!(
        "CHIRP_DEMO is on: adding demo accounts whose passwords are published in the README; \
         never run a public instance like this"
    );
    let mut ids = Vec::new();
    for (username, name, email) in DEMO_USERS {
        let user = state
            .accounts
            .register(&SignUp {
                username: username.to_string(),
                email: email.to_string(),
                name: Some(name.to_string()),
                password: format!("{username}-demo-password"),
            })
            .await?;
        ids.push(user.id);
    }
    for (author, body) in DEMO_TWEETS {
        let body = TweetBody::parse(body).expect("demo tweets are valid");
        state
            .store
            .tweets
            .insert(&Tweet::new(ids[*author], body))
            .await?;
    }
    tracing::info!(users = DEMO_USERS.len(), "created demo users and tweets");
    Ok(())
}
