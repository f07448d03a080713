//! Accounts: signing up, logging in, changing and deleting your account.
//! Each use case parses its input (one 422 naming every bad field), checks
//! who may do it and the rate limits, decides from the user's read-model
//! row, and writes one [`Append`]: the events, the projection and the
//! session it opens, in one transaction.

use std::{net::IpAddr, sync::Arc};

use app::api::{FieldCode, LoginRequest, SignUp, UpdateUser};

use super::{
    limits::Limits,
    sessions::{SessionToken, Sessions, SignedIn},
    tweets::NewestTweets,
};
use crate::{
    domain::{
        user::{self, LoggedIn, ProfileUpdated, UserDeleted, UserRegistered},
        Bio, DisplayName, Email, Id, Password, PasswordHash, Timestamp, User, UserCommand,
        Username, Version,
    },
    error::{Error, Fields, Result},
    passwords::PasswordHasher,
    store::{Append, Conflict, Limit, NewSession, Page, Store, StoreError, TokenHash},
};

/// A decision made from a row that another write moved on is made again
/// from the new row this many times before giving up with 503.
const ATTEMPTS: usize = 3;

#[derive(Clone)]
pub struct Accounts {
    store: Store,
    hasher: PasswordHasher,
    sessions: Sessions,
    limits: Arc<Limits>,
    newest: NewestTweets,
}

/// Which account a deletion names: by id, or (the original service's
/// form) by username.
pub enum Named<'a> {
    Id(Id),
    Username(&'a str),
}

impl Accounts {
    pub fn new(
        store: Store,
        hasher: PasswordHasher,
        sessions: Sessions,
        limits: Arc<Limits>,
        newest: NewestTweets,
    ) -> Self {
        Self {
            store,
            hasher,
            sessions,
            limits,
            newest,
        }
    }

    pub async fn get(&self, id: Id) -> Result<User> {
        self.store.users.by_id(id).await?.ok_or(Error::NotFound)
    }

    pub async fn by_username(&self, username: &Username) -> Result<User> {
        self.store
            .users
            .by_username(username)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The users a search finds: whose username or display name starts
    /// with `query` (without a leading `@`), by username. A query of
    /// nothing finds nobody.
    pub async fn search(&self, query: &str, limit: Limit) -> Result<Vec<User>> {
        let prefix = query.trim().trim_start_matches('@');
        if prefix.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.store.users.search(prefix, limit).await?)
    }

    /// Newest first.
    pub async fn list(&self, page: Page) -> Result<Vec<User>> {
        Ok(self.store.users.list(page).await?)
    }

    /// Signs a user up and logs them in (ending `previous`, the session the
    /// request came with).
    pub async fn sign_up(
        &self,
        input: &SignUp,
        client: IpAddr,
        previous: Option<TokenHash>,
    ) -> Result<(User, SessionToken)> {
        self.limits.sign_up.check(client)?;
        let (token, session) = self.sessions.issue();
        let user = self.create(input, Some(session), previous).await?;
        Ok((user, token))
    }

    /// Adds a user without logging anyone in or counting against a rate
    /// limit (first-run demo data, bulk loads).
    pub async fn register(&self, input: &SignUp) -> Result<User> {
        self.create(input, None, None).await
    }

    async fn create(
        &self,
        input: &SignUp,
        open_session: Option<NewSession>,
        close_session: Option<TokenHash>,
    ) -> Result<User> {
        let (username, email, name, password) = (
            ("username", Username::parse(&input.username)),
            ("email", Email::parse(&input.email)),
            (
                "name",
                DisplayName::parse(input.name.as_deref().unwrap_or(&input.username)),
            ),
            ("password", Password::choose(&input.password)),
        )
            .parsed()?;
        // Cheap early answers before spending a bcrypt hash; the append
        // checks again, so two racing sign-ups still end in one conflict.
        self.ensure_free(&username, &email).await?;
        let password_hash = self.hasher.hash(&password).await?;
        self.insert_new(
            username,
            email,
            name,
            password_hash,
            open_session,
            close_session,
        )
        .await
    }

    /// A password hash to register many users with at once
    /// ([`Accounts::register_hashed`]), under the rules of a sign-up's.
    pub async fn hash_password(&self, password: &str) -> Result<PasswordHash> {
        let (password,) = (("password", Password::choose(password)),).parsed()?;
        Ok(self.hasher.hash(&password).await?)
    }

    /// [`Accounts::register`] with the password already hashed, so that a
    /// bulk load of users sharing one password (benchmark stores) pays for
    /// one bcrypt hash, not one each; `input.password` is not read.
    pub async fn register_hashed(
        &self,
        input: &SignUp,
        password_hash: PasswordHash,
    ) -> Result<User> {
        let (username, email, name) = (
            ("username", Username::parse(&input.username)),
            ("email", Email::parse(&input.email)),
            (
                "name",
                DisplayName::parse(input.name.as_deref().unwrap_or(&input.username)),
            ),
        )
            .parsed()?;
        self.ensure_free(&username, &email).await?;
        self.insert_new(username, email, name, password_hash, None, None)
            .await
    }

    async fn ensure_free(&self, username: &Username, email: &Email) -> Result<()> {
        if self.store.users.by_username(username).await?.is_some() {
            return Err(Error::taken("username"));
        }
        if self.store.users.by_email(email).await?.is_some() {
            return Err(Error::taken("email"));
        }
        Ok(())
    }

    async fn insert_new(
        &self,
        username: Username,
        email: Email,
        name: DisplayName,
        password_hash: PasswordHash,
        open_session: Option<NewSession>,
        close_session: Option<TokenHash>,
    ) -> Result<User> {
        let id = Id::generate();
        let events = user::decide(
            None,
            UserCommand::Register(UserRegistered {
                user_id: id,
                username,
                email,
                name,
                password_hash,
                at: Timestamp::now(),
            }),
        )?;
        let append = Append {
            open_session,
            close_session,
            ..Append::new(id, Version::NONE, events)
        };
        let user = self
            .store
            .users
            .append(append)
            .await?
            .ok_or_else(|| Error::internal("a registration projected no user"))?;
        tracing::info!(user_id = %id, "user registered");
        Ok(user)
    }

    /// Logs in with a username or e-mail address (case-insensitive) and a
    /// password, opening a new session and ending `previous`. Unknown users
    /// cost the same time as wrong passwords and get the same answer.
    pub async fn log_in(
        &self,
        input: &LoginRequest,
        client: IpAddr,
        previous: Option<TokenHash>,
    ) -> Result<(User, SessionToken)> {
        self.limits.login.check(client)?;
        // A string that cannot be a password cannot be anyone's: answering
        // at once says nothing about whether the user exists.
        let password = Password::parse(&input.password).map_err(|_| Error::BadCredentials)?;
        let mut verified = None;
        for _ in 0..ATTEMPTS {
            let Some(user) = self.find_login(&input.username).await? else {
                self.hasher.verify_dummy(&password).await?;
                return Err(refused_login(client));
            };
            // Verified against the password the row holds now: a session is
            // stamped with it, and void if it changed before the append.
            if verified != Some((user.id, user.credentials)) {
                if !self.hasher.verify(&password, &user.password_hash).await? {
                    return Err(refused_login(client));
                }
                verified = Some((user.id, user.credentials));
            }
            self.sessions.sweep().await?;
            let events = user::decide(
                Some(&user),
                UserCommand::LogIn(LoggedIn {
                    at: Timestamp::now(),
                }),
            )?;
            let (token, session) = self.sessions.issue();
            let append = Append {
                open_session: Some(session),
                close_session: previous,
                ..Append::new(user.id, user.version, events)
            };
            match self.store.users.append(append).await {
                Ok(Some(user)) => {
                    tracing::info!(user_id = %user.id, "logged in");
                    return Ok((user, token));
                }
                Ok(None) | Err(StoreError::NotFound) => return Err(refused_login(client)),
                Err(StoreError::Conflict(Conflict::StaleVersion)) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(busy())
    }

    async fn find_login(&self, login: &str) -> Result<Option<User>> {
        Ok(match Username::parse(login) {
            Ok(username) => self.store.users.by_username(&username).await?,
            Err(_) => match Email::parse(login) {
                Ok(email) => self.store.users.by_email(&email).await?,
                Err(_) => None,
            },
        })
    }

    /// Changes your name, e-mail address and/or password, as one decision
    /// and one append. `if_match` is the revision you read (412 if it moved
    /// on). A new password needs the current one, ends your other sessions
    /// and rotates this one: the new session's token is returned.
    pub async fn update(
        &self,
        me: &SignedIn,
        id: Id,
        if_match: Option<Version>,
        input: &UpdateUser,
        client: IpAddr,
    ) -> Result<(User, Option<SessionToken>)> {
        if id != me.user.id {
            return Err(Error::Forbidden("you can only change your own account"));
        }
        self.limits.profile_by_user.check(id)?;
        self.limits.profile_by_client.check(client)?;
        let (name, bio, email, password, current) = (
            (
                "name",
                input.name.as_deref().map(DisplayName::parse).transpose(),
            ),
            ("bio", input.bio.as_deref().map(Bio::parse).transpose()),
            (
                "email",
                input.email.as_deref().map(Email::parse).transpose(),
            ),
            (
                "password",
                input.password.as_deref().map(Password::choose).transpose(),
            ),
            ("current_password", Ok(input.current_password.as_deref())),
        )
            .parsed()?;
        let mut user = self.get(id).await?;
        check_revision(&user, if_match)?;
        // What signs you in (the password, and the address a reset would go
        // to) changes only with the current password: a session left open
        // on a shared computer cannot take the account over.
        let credential_change =
            password.is_some() || email.as_ref().is_some_and(|email| *email != user.email);
        if credential_change {
            let current = current.ok_or(Error::invalid("current_password", FieldCode::Required))?;
            // Checked before anything is written, so a wrong current
            // password leaves the profile untouched too.
            self.check_password(&user, current, client).await?;
        }
        let new_hash = match &password {
            Some(new) => Some(self.hasher.hash(new).await?),
            None => None,
        };
        let verified = user.credentials;
        for _ in 0..ATTEMPTS {
            let events = user::decide(
                Some(&user),
                UserCommand::Update {
                    profile: ProfileUpdated {
                        name: name.clone(),
                        email: email.clone(),
                        bio: bio.clone(),
                        at: Timestamp::now(),
                    },
                    password: new_hash.clone(),
                },
            )?;
            let rotation = new_hash.is_some().then(|| self.sessions.issue());
            let (token, session) = rotation.map_or((None, None), |(t, s)| (Some(t), Some(s)));
            let append = Append {
                open_session: session,
                close_session: token.is_some().then_some(me.session),
                ..Append::new(id, user.version, events)
            };
            match self.store.users.append(append).await {
                Ok(Some(updated)) => {
                    if token.is_some() {
                        tracing::info!(user_id = %id, "password changed");
                    }
                    return Ok((updated, token));
                }
                Ok(None) => return Err(Error::NotFound),
                Err(StoreError::Conflict(Conflict::StaleVersion)) => {
                    // Another write (a login elsewhere, say) came first:
                    // decide again on what it left, unless it changed what
                    // the caller read or the password they proved.
                    user = self.get(id).await?;
                    check_revision(&user, if_match)?;
                    if user.credentials != verified {
                        return Err(Error::PreconditionFailed);
                    }
                }
                Err(error) => return Err(error.into()),
            }
        }
        Err(busy())
    }

    /// A password change needs the current password. Guessing it is
    /// guessing a password, so it shares the login rate limit.
    async fn check_password(&self, user: &User, current: &str, client: IpAddr) -> Result<()> {
        self.limits.login.check(client)?;
        let matches = match Password::parse(current) {
            Ok(current) => self.hasher.verify(&current, &user.password_hash).await?,
            Err(_) => false,
        };
        if matches {
            Ok(())
        } else {
            Err(Error::invalid("current_password", FieldCode::Mismatch))
        }
    }

    /// Deletes your account; its tweets and sessions go with it in the same
    /// transaction.
    pub async fn delete(
        &self,
        me: &SignedIn,
        named: Named<'_>,
        if_match: Option<Version>,
    ) -> Result<()> {
        let yours = match named {
            Named::Id(id) => id == me.user.id,
            Named::Username(name) => {
                let (username,) = (("username", Username::parse(name)),).parsed()?;
                username.key() == me.user.username.key()
            }
        };
        if !yours {
            return Err(Error::Forbidden("you can only delete your own account"));
        }
        for _ in 0..ATTEMPTS {
            let user = self.get(me.user.id).await?;
            check_revision(&user, if_match)?;
            let events = user::decide(
                Some(&user),
                UserCommand::Delete(UserDeleted {
                    at: Timestamp::now(),
                }),
            )?;
            match self
                .store
                .users
                .append(Append::new(user.id, user.version, events))
                .await
            {
                Ok(_) => {
                    self.newest.invalidate();
                    tracing::info!(user_id = %user.id, "user deleted");
                    return Ok(());
                }
                Err(StoreError::Conflict(Conflict::StaleVersion)) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(busy())
    }
}

fn check_revision(user: &User, if_match: Option<Version>) -> Result<()> {
    match if_match {
        Some(expected) if expected != user.revision => Err(Error::PreconditionFailed),
        _ => Ok(()),
    }
}

fn refused_login(client: IpAddr) -> Error {
    // The address, not the name typed: people type passwords there too.
    tracing::info!(%client, "login failed");
    Error::BadCredentials
}

fn busy() -> Error {
    Error::Unavailable("the account kept changing while it was being written".into())
}
