//! The User aggregate, event-sourced.
//!
//! [`decide`] turns a command into events and [`apply`] folds an event into
//! the state. Both are pure: the password is hashed and the clock read before
//! a command is built, so the same history and command always give the same
//! events.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{DisplayName, Email, Id, PasswordHash, Timestamp, Username};

/// How many events a stream holds; a new stream is at [`Version::NONE`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Version(u64);

impl Version {
    pub const NONE: Self = Self(0);

    pub const fn new(n: u64) -> Self {
        Self(n)
    }

    pub const fn get(self) -> u64 {
        self.0
    }

    pub const fn next(self) -> Self {
        Self(self.0 + 1)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserCommand {
    Register(RegisterUser),
    UpdateProfile(UpdateProfile),
    ChangePassword(ChangePassword),
    Delete(DeleteUser),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterUser {
    pub user_id: Id,
    pub username: Username,
    pub email: Email,
    pub name: DisplayName,
    pub password_hash: PasswordHash,
    pub at: Timestamp,
}

/// Fields left `None` stay as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateProfile {
    pub name: Option<DisplayName>,
    pub email: Option<Email>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePassword {
    pub password_hash: PasswordHash,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteUser {
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserEvent {
    UserRegistered(UserRegistered),
    ProfileUpdated(ProfileUpdated),
    PasswordChanged(PasswordChanged),
    UserDeleted(UserDeleted),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRegistered {
    pub user_id: Id,
    pub username: Username,
    pub email: Email,
    pub name: DisplayName,
    pub password_hash: PasswordHash,
    pub at: Timestamp,
}

/// Only the fields that changed are `Some`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileUpdated {
    pub name: Option<DisplayName>,
    pub email: Option<Email>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordChanged {
    pub password_hash: PasswordHash,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDeleted {
    pub at: Timestamp,
}

impl UserEvent {
    /// The stable name stored with the event.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::UserRegistered(_) => "user_registered",
            Self::ProfileUpdated(_) => "profile_updated",
            Self::PasswordChanged(_) => "password_changed",
            Self::UserDeleted(_) => "user_deleted",
        }
    }

    pub const fn at(&self) -> Timestamp {
        match self {
            Self::UserRegistered(e) => e.at,
            Self::ProfileUpdated(e) => e.at,
            Self::PasswordChanged(e) => e.at,
            Self::UserDeleted(e) => e.at,
        }
    }
}

/// What the history of one user stream adds up to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum UserState {
    /// No events yet: only registration is possible.
    #[default]
    New,
    Active(ActiveUser),
    /// Deleted users accept no further commands, ever.
    Deleted {
        id: Id,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveUser {
    pub id: Id,
    pub username: Username,
    pub email: Email,
    pub name: DisplayName,
    pub password_hash: PasswordHash,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("no such user")]
    NotFound,
    #[error("this user is already registered")]
    AlreadyRegistered,
    #[error("this user was deleted")]
    Deleted,
}

/// Decides which events a command causes. An empty list means the command
/// changes nothing (e.g. a profile update to the current values).
pub fn decide(state: &UserState, command: UserCommand) -> Result<Vec<UserEvent>, DomainError> {
    let user = match (state, command) {
        (UserState::New, UserCommand::Register(c)) => {
            return Ok(vec![UserEvent::UserRegistered(UserRegistered {
                user_id: c.user_id,
                username: c.username,
                email: c.email,
                name: c.name,
                password_hash: c.password_hash,
                at: c.at,
            })]);
        }
        (UserState::New, _) => return Err(DomainError::NotFound),
        (UserState::Deleted { .. }, _) => return Err(DomainError::Deleted),
        (UserState::Active(_), UserCommand::Register(_)) => {
            return Err(DomainError::AlreadyRegistered)
        }
        (UserState::Active(user), command) => (user, command),
    };
    Ok(match user {
        (user, UserCommand::UpdateProfile(c)) => {
            let name = c.name.filter(|name| *name != user.name);
            let email = c.email.filter(|email| *email != user.email);
            if name.is_none() && email.is_none() {
                vec![]
            } else {
                vec![UserEvent::ProfileUpdated(ProfileUpdated {
                    name,
                    email,
                    at: c.at,
                })]
            }
        }
        (_, UserCommand::ChangePassword(c)) => vec![UserEvent::PasswordChanged(PasswordChanged {
            password_hash: c.password_hash,
            at: c.at,
        })],
        (_, UserCommand::Delete(c)) => vec![UserEvent::UserDeleted(UserDeleted { at: c.at })],
        (_, UserCommand::Register(_)) => unreachable!("handled above"),
    })
}

/// Folds one event into the state. Events are facts, so this never fails;
/// an event that cannot follow the state (which `decide` never produces)
/// leaves the state as it was.
pub fn apply(state: UserState, event: &UserEvent) -> UserState {
    match (state, event) {
        (UserState::New, UserEvent::UserRegistered(e)) => UserState::Active(ActiveUser {
            id: e.user_id,
            username: e.username.clone(),
            email: e.email.clone(),
            name: e.name.clone(),
            password_hash: e.password_hash.clone(),
            created_at: e.at,
            updated_at: e.at,
        }),
        (UserState::Active(mut user), UserEvent::ProfileUpdated(e)) => {
            if let Some(name) = &e.name {
                user.name = name.clone();
            }
            if let Some(email) = &e.email {
                user.email = email.clone();
            }
            user.updated_at = e.at;
            UserState::Active(user)
        }
        (UserState::Active(mut user), UserEvent::PasswordChanged(e)) => {
            user.password_hash = e.password_hash.clone();
            user.updated_at = e.at;
            UserState::Active(user)
        }
        (UserState::Active(user), UserEvent::UserDeleted(_)) => UserState::Deleted { id: user.id },
        (state, _) => state,
    }
}

/// The state after a whole history.
pub fn replay<'a>(events: impl IntoIterator<Item = &'a UserEvent>) -> UserState {
    events.into_iter().fold(UserState::New, apply)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millis(1_764_000_000_000 + ms)
    }

    fn id() -> Id {
        Id::from_i64(42)
    }

    fn registered() -> UserEvent {
        UserEvent::UserRegistered(UserRegistered {
            user_id: id(),
            username: Username::parse("ada").unwrap(),
            email: Email::parse("ada@example.com").unwrap(),
            name: DisplayName::parse("Ada").unwrap(),
            password_hash: PasswordHash::from_stored("$2b$04$first"),
            at: at(0),
        })
    }

    fn deleted() -> UserEvent {
        UserEvent::UserDeleted(UserDeleted { at: at(9) })
    }

    /// given `history`, when `command`, then `decide`'s answer.
    fn given(history: &[UserEvent], command: UserCommand) -> Result<Vec<UserEvent>, DomainError> {
        decide(&replay(history), command)
    }

    fn register_command() -> UserCommand {
        let UserEvent::UserRegistered(e) = registered() else {
            unreachable!()
        };
        UserCommand::Register(RegisterUser {
            user_id: e.user_id,
            username: e.username,
            email: e.email,
            name: e.name,
            password_hash: e.password_hash,
            at: e.at,
        })
    }

    fn update(name: Option<&str>, email: Option<&str>) -> UserCommand {
        UserCommand::UpdateProfile(UpdateProfile {
            name: name.map(|n| DisplayName::parse(n).unwrap()),
            email: email.map(|e| Email::parse(e).unwrap()),
            at: at(5),
        })
    }

    fn change_password() -> UserCommand {
        UserCommand::ChangePassword(ChangePassword {
            password_hash: PasswordHash::from_stored("$2b$04$second"),
            at: at(6),
        })
    }

    #[test]
    fn given_nothing_when_register_then_registered() {
        assert_eq!(given(&[], register_command()), Ok(vec![registered()]));
    }

    #[test]
    fn given_registered_when_register_again_then_already_registered() {
        assert_eq!(
            given(&[registered()], register_command()),
            Err(DomainError::AlreadyRegistered)
        );
    }

    #[test]
    fn given_nothing_when_anything_but_register_then_not_found() {
        assert_eq!(
            given(&[], update(Some("X"), None)),
            Err(DomainError::NotFound)
        );
        assert_eq!(given(&[], change_password()), Err(DomainError::NotFound));
        assert_eq!(
            given(&[], UserCommand::Delete(DeleteUser { at: at(1) })),
            Err(DomainError::NotFound)
        );
    }

    #[test]
    fn given_registered_when_update_profile_then_only_changed_fields_are_recorded() {
        assert_eq!(
            given(
                &[registered()],
                update(Some("Ada"), Some("lovelace@example.com"))
            ),
            Ok(vec![UserEvent::ProfileUpdated(ProfileUpdated {
                name: None,
                email: Some(Email::parse("lovelace@example.com").unwrap()),
                at: at(5),
            })])
        );
    }

    #[test]
    fn given_registered_when_update_to_the_same_values_then_no_events() {
        assert_eq!(
            given(
                &[registered()],
                update(Some("Ada"), Some("ada@example.com"))
            ),
            Ok(vec![])
        );
    }

    #[test]
    fn given_registered_when_change_password_then_password_changed() {
        assert_eq!(
            given(&[registered()], change_password()),
            Ok(vec![UserEvent::PasswordChanged(PasswordChanged {
                password_hash: PasswordHash::from_stored("$2b$04$second"),
                at: at(6),
            })])
        );
    }

    #[test]
    fn given_registered_when_delete_then_deleted() {
        assert_eq!(
            given(
                &[registered()],
                UserCommand::Delete(DeleteUser { at: at(9) })
            ),
            Ok(vec![deleted()])
        );
    }

    #[test]
    fn given_deleted_when_any_command_then_deleted_error() {
        let history = [registered(), deleted()];
        for command in [
            register_command(),
            update(Some("Back"), None),
            change_password(),
            UserCommand::Delete(DeleteUser { at: at(10) }),
        ] {
            assert_eq!(given(&history, command), Err(DomainError::Deleted));
        }
    }

    #[test]
    fn applying_a_history_gives_the_current_profile() {
        let history = [
            registered(),
            given(&[registered()], update(Some("Countess"), None))
                .unwrap()
                .remove(0),
            given(&[registered()], change_password()).unwrap().remove(0),
        ];
        let UserState::Active(user) = replay(&history) else {
            panic!("expected an active user");
        };
        assert_eq!(user.name.as_str(), "Countess");
        assert_eq!(user.email.as_str(), "ada@example.com");
        assert_eq!(
            user.password_hash,
            PasswordHash::from_stored("$2b$04$second")
        );
        assert_eq!(user.created_at, at(0));
        assert_eq!(user.updated_at, at(6));
    }
}
