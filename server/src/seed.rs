//! First-run data: the original service's API release records on an empty
//! store and, only when asked (`CHIRP_DEMO=1`), a few demo users and tweets.
//! There is never a fixed default account otherwise.

use crate::{
    domain::{DisplayName, Email, Id, Password, Timestamp, Tweet, TweetBody, Username},
    store::{ApiRelease, Limit, Page, Store, StoreResult},
    users::{Registration, UserError, Users},
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
pub async fn releases(store: &Store) -> StoreResult<()> {
    if store.releases.list().await?.is_empty() {
        for release in original_releases(Timestamp::now()) {
            store.releases.insert(&release).await?;
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
pub async fn demo(store: &Store, users: &Users) -> Result<(), UserError> {
    if !store
        .users
        .list(Page::first(Limit::clamped(1)))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let mut ids = Vec::new();
    for (username, name, email) in DEMO_USERS {
        let password = format!("{username}-demo-password");
        let user = users
            .register(Registration {
                username: Username::parse(username).expect("demo usernames are valid"),
                email: Email::parse(email).expect("demo emails are valid"),
                name: DisplayName::parse(name).expect("demo names are valid"),
                password: Password::parse(&password).expect("demo passwords are valid"),
            })
            .await?;
        ids.push(user.id);
    }
    for (author, body) in DEMO_TWEETS {
        store
            .tweets
            .insert(&Tweet {
                id: Id::generate(),
                author_id: ids[*author],
                body: TweetBody::parse(body).expect("demo tweets are valid"),
                created_at: Timestamp::now(),
            })
            .await?;
    }
    tracing::info!(
        users = DEMO_USERS.len(),
        "CHIRP_DEMO: created demo users and tweets"
    );
    Ok(())
}
