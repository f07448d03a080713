//! The user use cases the HTTP layer calls: load a stream, decide, append
//! (which projects in the same transaction), and return the read-model row.

use crate::{
    domain::{
        user::{self, ChangePassword, DeleteUser, RegisterUser, UpdateProfile, UserCommand},
        DisplayName, DomainError, Email, Id, Password, PasswordHash, Timestamp, UserState,
        Username, Version,
    },
    passwords::{HashError, PasswordHasher},
    store::{Conflict, RecordedEvent, Store, StoreError, UserRecord},
};

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] HashError),
}

impl UserError {
    pub fn conflict(&self) -> Option<Conflict> {
        match self {
            Self::Store(e) => e.conflict(),
            _ => None,
        }
    }
}

pub type UserResult<T> = Result<T, UserError>;

pub struct Registration {
    pub username: Username,
    pub email: Email,
    pub name: DisplayName,
    pub password: Password,
}

#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub name: Option<DisplayName>,
    pub email: Option<Email>,
}

#[derive(Clone, Debug)]
pub struct Users {
    store: Store,
    hasher: PasswordHasher,
}

/// When the caller gave no expected version we retry a lost race this many
/// times: the command is re-decided on the newer state, so nothing is lost.
const RETRIES_WITHOUT_EXPECTED_VERSION: usize = 3;

impl Users {
    pub fn new(store: Store, hasher: PasswordHasher) -> Self {
        Self { store, hasher }
    }

    pub fn hasher(&self) -> &PasswordHasher {
        &self.hasher
    }

    /// Signs a user up. `Conflict::UsernameTaken` / `EmailTaken` if taken.
    pub async fn register(&self, input: Registration) -> UserResult<UserRecord> {
        // Cheap early answers before spending a bcrypt hash; the transaction
        // re-checks, so a race between two sign-ups still ends in a conflict.
        self.refuse_taken(&input.username, &input.email).await?;
        let password_hash = self.hasher.hash(&input.password).await?;
        self.append_registration(input.username, input.email, input.name, password_hash)
            .await
    }

    /// [`Users::register`] with the password already hashed (benchmarks,
    /// imports).
    pub async fn register_hashed(
        &self,
        username: Username,
        email: Email,
        name: DisplayName,
        password_hash: PasswordHash,
    ) -> UserResult<UserRecord> {
        self.refuse_taken(&username, &email).await?;
        self.append_registration(username, email, name, password_hash)
            .await
    }

    async fn append_registration(
        &self,
        username: Username,
        email: Email,
        name: DisplayName,
        password_hash: PasswordHash,
    ) -> UserResult<UserRecord> {
        let id = Id::generate();
        let command = UserCommand::Register(RegisterUser {
            user_id: id,
            username,
            email,
            name,
            password_hash,
            at: Timestamp::now(),
        });
        let events = user::decide(&UserState::New, command)?;
        self.store.events.append(id, Version::NONE, events).await?;
        tracing::info!(user_id = %id, "user registered");
        self.current(id).await
    }

    async fn refuse_taken(&self, username: &Username, email: &Email) -> UserResult<()> {
        if self.store.users.by_username(username).await?.is_some() {
            return Err(StoreError::from(Conflict::UsernameTaken).into());
        }
        if self.store.users.by_email(email.as_str()).await?.is_some() {
            return Err(StoreError::from(Conflict::EmailTaken).into());
        }
        Ok(())
    }

    /// Changes name and/or email. With `expected`, fails with
    /// `Conflict::StaleVersion` if the user changed since that version.
    pub async fn update_profile(
        &self,
        id: Id,
        expected: Option<Version>,
        changes: ProfileChanges,
    ) -> UserResult<UserRecord> {
        self.execute(id, expected, || {
            UserCommand::UpdateProfile(UpdateProfile {
                name: changes.name.clone(),
                email: changes.email.clone(),
                at: Timestamp::now(),
            })
        })
        .await?;
        self.current(id).await
    }

    /// Sets a new password. The caller checks the old one first and ends the
    /// user's other sessions afterwards.
    pub async fn change_password(
        &self,
        id: Id,
        expected: Option<Version>,
        password: &Password,
    ) -> UserResult<UserRecord> {
        // Refuse early, before spending a hash on a user who is not there.
        self.load(id).await?;
        let password_hash = self.hasher.hash(password).await?;
        self.change_password_hash(id, expected, password_hash).await
    }

    /// [`Users::change_password`] with the password already hashed.
    pub async fn change_password_hash(
        &self,
        id: Id,
        expected: Option<Version>,
        password_hash: PasswordHash,
    ) -> UserResult<UserRecord> {
        self.execute(id, expected, || {
            UserCommand::ChangePassword(ChangePassword {
                password_hash: password_hash.clone(),
                at: Timestamp::now(),
            })
        })
        .await?;
        tracing::info!(user_id = %id, "password changed");
        self.current(id).await
    }

    /// Deletes the user; their row, tweets and sessions go with it in the
    /// same transaction. Returns the stream's final version.
    pub async fn delete(&self, id: Id, expected: Option<Version>) -> UserResult<Version> {
        let version = self
            .execute(id, expected, || {
                UserCommand::Delete(DeleteUser {
                    at: Timestamp::now(),
                })
            })
            .await?;
        tracing::info!(user_id = %id, "user deleted");
        Ok(version)
    }

    /// Checks a login (username or email, case-insensitive) and password.
    /// Unknown users cost the same time as wrong passwords.
    pub async fn authenticate(
        &self,
        login: &str,
        password: &Password,
    ) -> UserResult<Option<UserRecord>> {
        let found = match Username::parse(login) {
            Ok(username) => self.store.users.by_username(&username).await?,
            Err(_) => self.store.users.by_email(login.trim()).await?,
        };
        match found {
            Some(user) if self.hasher.verify(password, &user.password_hash).await => Ok(Some(user)),
            Some(_) => Ok(None),
            None => {
                self.hasher.verify_dummy(password).await;
                Ok(None)
            }
        }
    }

    /// The user's own event history (for "download my data").
    pub async fn history(&self, id: Id) -> UserResult<Vec<RecordedEvent>> {
        Ok(self.store.events.load(id).await?)
    }

    async fn load(&self, id: Id) -> UserResult<(UserState, Version)> {
        let events = self.store.events.load(id).await?;
        let version = events.last().map_or(Version::NONE, |e| e.version);
        let state = user::replay(events.iter().map(|e| &e.event));
        match state {
            UserState::New => Err(DomainError::NotFound.into()),
            UserState::Deleted { .. } => Err(DomainError::Deleted.into()),
            UserState::Active(_) => Ok((state, version)),
        }
    }

    /// Load → decide → append, retrying lost races only when the caller did
    /// not pin a version. Returns the stream's version afterwards.
    async fn execute(
        &self,
        id: Id,
        expected: Option<Version>,
        command: impl Fn() -> UserCommand,
    ) -> UserResult<Version> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (state, current) = self.load(id).await?;
            let pinned = expected.unwrap_or(current);
            if pinned != current {
                return Err(StoreError::from(Conflict::StaleVersion {
                    expected: pinned,
                    actual: current,
                })
                .into());
            }
            let events = user::decide(&state, command())?;
            if events.is_empty() {
                return Ok(current);
            }
            match self.store.events.append(id, pinned, events).await {
                Err(StoreError::Conflict(Conflict::StaleVersion { .. }))
                    if expected.is_none() && attempt < RETRIES_WITHOUT_EXPECTED_VERSION => {}
                result => return Ok(result?),
            }
        }
    }

    async fn current(&self, id: Id) -> UserResult<UserRecord> {
        self.store
            .users
            .by_id(id)
            .await?
            .ok_or(UserError::Domain(DomainError::NotFound))
    }
}
