//! The User aggregate, event-sourced.
//!
//! [`decide`] turns a command into events; [`apply`] folds one event into
//! the state. The state is the users read model's row ([`User`]), which the
//! store writes in the same transaction as the events and which carries the
//! stream's version, so a command is decided from that row rather than by
//! replaying the stream; [`replay`] serves rebuilds and audits, and the
//! same [`apply`] projects live appends and rebuilds alike. Both are pure:
//! the password is hashed and the clock read before a command is built.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Bio, DisplayName, Email, Id, PasswordHash, Timestamp, Username};

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

/// A live user: the aggregate's state and the users read model's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Id,
    pub username: Username,
    pub email: Email,
    pub name: DisplayName,
    /// Empty until they write one.
    pub bio: Bio,
    pub password_hash: PasswordHash,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// How many events the stream holds: what the next append expects.
    pub version: Version,
    /// The version at which what the API shows of the user last changed: the
    /// user's `ETag`. A login changes nothing shown and leaves it.
    pub revision: Version,
    /// The version of the last password change (or of the registration). A
    /// session carries the one it was issued under and is void once this
    /// moves on, so no session outlives the password it was opened with.
    pub credentials: Version,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserCommand {
    Register(UserRegistered),
    /// Name and e-mail changes and a new password, decided together and
    /// appended as one.
    Update {
        profile: ProfileUpdated,
        password: Option<PasswordHash>,
    },
    LogIn(LoggedIn),
    Delete(UserDeleted),
    /// Start following `Followed::user`; `already` is whether the read
    /// model says so already (the follow set is not in the user's row).
    Follow {
        follow: Followed,
        already: bool,
        /// Whether the user to follow has blocked the follower.
        blocked: bool,
    },
    Unfollow {
        unfollow: Unfollowed,
        following: bool,
    },
    /// Block `Blocked::user`; `already` as for a follow.
    Block {
        block: Blocked,
        already: bool,
    },
    Unblock {
        unblock: Unblocked,
        blocking: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserEvent {
    UserRegistered(UserRegistered),
    ProfileUpdated(ProfileUpdated),
    PasswordChanged(PasswordChanged),
    LoggedIn(LoggedIn),
    UserDeleted(UserDeleted),
    Followed(Followed),
    Unfollowed(Unfollowed),
    Blocked(Blocked),
    Unblocked(Unblocked),
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

/// As an event, only the fields that changed are `Some`; as a command, the
/// fields to set (set to what they already are, they change nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileUpdated {
    pub name: Option<DisplayName>,
    pub email: Option<Email>,
    pub bio: Option<Bio>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordChanged {
    pub password_hash: PasswordHash,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedIn {
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDeleted {
    pub at: Timestamp,
}

/// On the follower's stream: they now follow `user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followed {
    pub user: Id,
    pub at: Timestamp,
}

/// On the follower's stream: they no longer follow `user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfollowed {
    pub user: Id,
    pub at: Timestamp,
}

/// On the blocker's stream: `user` may no longer follow them, and neither
/// follows the other any more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub user: Id,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unblocked {
    pub user: Id,
    pub at: Timestamp,
}

impl UserEvent {
    /// The stable name stored and published with the event.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::UserRegistered(_) => "user_registered",
            Self::ProfileUpdated(_) => "profile_updated",
            Self::PasswordChanged(_) => "password_changed",
            Self::LoggedIn(_) => "logged_in",
            Self::UserDeleted(_) => "user_deleted",
            Self::Followed(_) => "followed",
            Self::Unfollowed(_) => "unfollowed",
            Self::Blocked(_) => "blocked",
            Self::Unblocked(_) => "unblocked",
        }
    }

    pub const fn at(&self) -> Timestamp {
        match self {
            Self::UserRegistered(e) => e.at,
            Self::ProfileUpdated(e) => e.at,
            Self::PasswordChanged(e) => e.at,
            Self::LoggedIn(e) => e.at,
            Self::UserDeleted(e) => e.at,
            Self::Followed(e) => e.at,
            Self::Unfollowed(e) => e.at,
            Self::Blocked(e) => e.at,
            Self::Unblocked(e) => e.at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// Never registered, or deleted: a deleted user accepts no command.
    #[error("no such user")]
    NotFound,
    #[error("this user is already registered")]
    AlreadyRegistered,
    #[error("you cannot follow or block yourself")]
    Yourself,
    #[error("this user has blocked you")]
    BlockedByThem,
}

/// Decides which events `command` causes for the user in `state` (`None`:
/// no live user). An empty list means the command changes nothing (an
/// update to the current values).
pub fn decide(state: Option<&User>, command: UserCommand) -> Result<Vec<UserEvent>, DomainError> {
    let user = match (state, command) {
        (None, UserCommand::Register(registered)) => {
            return Ok(vec![UserEvent::UserRegistered(registered)])
        }
        (Some(_), UserCommand::Register(_)) => return Err(DomainError::AlreadyRegistered),
        (None, _) => return Err(DomainError::NotFound),
        (Some(user), command) => (user, command),
    };
    Ok(match user {
        (user, UserCommand::Update { profile, password }) => {
            let name = profile.name.filter(|name| *name != user.name);
            let email = profile.email.filter(|email| *email != user.email);
            let bio = profile.bio.filter(|bio| *bio != user.bio);
            let mut events = Vec::new();
            if name.is_some() || email.is_some() || bio.is_some() {
                events.push(UserEvent::ProfileUpdated(ProfileUpdated {
                    name,
                    email,
                    bio,
                    at: profile.at,
                }));
            }
            if let Some(password_hash) = password {
                events.push(UserEvent::PasswordChanged(PasswordChanged {
                    password_hash,
                    at: profile.at,
                }));
            }
            events
        }
        (_, UserCommand::LogIn(e)) => vec![UserEvent::LoggedIn(e)],
        (_, UserCommand::Delete(e)) => vec![UserEvent::UserDeleted(e)],
        (user, UserCommand::Follow { follow, .. }) if follow.user == user.id => {
            return Err(DomainError::Yourself)
        }
        (user, UserCommand::Block { block, .. }) if block.user == user.id => {
            return Err(DomainError::Yourself)
        }
        (_, UserCommand::Follow { blocked: true, .. }) => return Err(DomainError::BlockedByThem),
        // Following or blocking twice, or undoing what is not there,
        // changes nothing: all four are idempotent.
        (
            _,
            UserCommand::Follow {
                follow, already, ..
            },
        ) => match already {
            true => vec![],
            false => vec![UserEvent::Followed(follow)],
        },
        (
            _,
            UserCommand::Unfollow {
                unfollow,
                following,
            },
        ) => match following {
            true => vec![UserEvent::Unfollowed(unfollow)],
            false => vec![],
        },
        (_, UserCommand::Block { block, already }) => match already {
            true => vec![],
            false => vec![UserEvent::Blocked(block)],
        },
        (_, UserCommand::Unblock { unblock, blocking }) => match blocking {
            true => vec![UserEvent::Unblocked(unblock)],
            false => vec![],
        },
        (_, UserCommand::Register(_)) => unreachable!("handled above"),
    })
}

/// The state after `event`, which is version `version` of the stream.
/// Events are facts, so this never fails: an event that cannot follow the
/// state (which `decide` never produces) only moves the version on.
pub fn apply(state: Option<User>, event: &UserEvent, version: Version) -> Option<User> {
    match (state, event) {
        (None, UserEvent::UserRegistered(e)) => Some(User {
            id: e.user_id,
            username: e.username.clone(),
            email: e.email.clone(),
            name: e.name.clone(),
            bio: Bio::default(),
            password_hash: e.password_hash.clone(),
            created_at: e.at,
            updated_at: e.at,
            version,
            revision: version,
            credentials: version,
        }),
        (Some(_), UserEvent::UserDeleted(_)) => None,
        (Some(mut user), event) => {
            user.version = version;
            match event {
                UserEvent::ProfileUpdated(e) => {
                    if let Some(name) = &e.name {
                        user.name = name.clone();
                    }
                    if let Some(email) = &e.email {
                        user.email = email.clone();
                    }
                    if let Some(bio) = &e.bio {
                        user.bio = bio.clone();
                    }
                    user.updated_at = e.at;
                    user.revision = version;
                }
                UserEvent::PasswordChanged(e) => {
                    user.password_hash = e.password_hash.clone();
                    user.updated_at = e.at;
                    user.revision = version;
                    user.credentials = version;
                }
                // The follow graph is a read model of its own, projected
                // by the store next to this row.
                UserEvent::UserRegistered(_)
                | UserEvent::LoggedIn(_)
                | UserEvent::UserDeleted(_)
                | UserEvent::Followed(_)
                | UserEvent::Unfollowed(_)
                | UserEvent::Blocked(_)
                | UserEvent::Unblocked(_) => {}
            }
            Some(user)
        }
        (None, _) => None,
    }
}

/// What an event changes in the follow graph (a read model beside the
/// user's row): the one projection of it, for live appends and rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowChange {
    Follow {
        user: Id,
        at: Timestamp,
    },
    Unfollow {
        user: Id,
    },
    /// Also ends the follows between the two, both ways.
    Block {
        user: Id,
        at: Timestamp,
    },
    Unblock {
        user: Id,
    },
}

impl FollowChange {
    /// The other user the change is about.
    pub const fn user(self) -> Id {
        match self {
            Self::Follow { user, .. }
            | Self::Unfollow { user }
            | Self::Block { user, .. }
            | Self::Unblock { user } => user,
        }
    }
}

pub fn follow_change(event: &UserEvent) -> Option<FollowChange> {
    match event {
        UserEvent::Followed(e) => Some(FollowChange::Follow {
            user: e.user,
            at: e.at,
        }),
        UserEvent::Unfollowed(e) => Some(FollowChange::Unfollow { user: e.user }),
        UserEvent::Blocked(e) => Some(FollowChange::Block {
            user: e.user,
            at: e.at,
        }),
        UserEvent::Unblocked(e) => Some(FollowChange::Unblock { user: e.user }),
        _ => None,
    }
}

/// The state after a whole stream, oldest event first.
pub fn replay<'a>(events: impl IntoIterator<Item = &'a UserEvent>) -> Option<User> {
    events.into_iter().zip(1..).fold(None, |state, (event, n)| {
        apply(state, event, Version::new(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millis(1_764_000_000_000 + ms)
    }

    fn registered() -> UserRegistered {
        UserRegistered {
            user_id: Id::from_i64(42),
            username: Username::parse("ada").unwrap(),
            email: Email::parse("ada@example.com").unwrap(),
            name: DisplayName::parse("Ada").unwrap(),
            password_hash: PasswordHash::from_stored("$2b$04$first"),
            at: at(0),
        }
    }

    fn history() -> Vec<UserEvent> {
        vec![UserEvent::UserRegistered(registered())]
    }

    /// given `history`, when `command`, then `decide`'s answer.
    fn given(history: &[UserEvent], command: UserCommand) -> Result<Vec<UserEvent>, DomainError> {
        decide(replay(history).as_ref(), command)
    }

    fn update(name: Option<&str>, email: Option<&str>, password: Option<&str>) -> UserCommand {
        UserCommand::Update {
            profile: ProfileUpdated {
                name: name.map(|n| DisplayName::parse(n).unwrap()),
                email: email.map(|e| Email::parse(e).unwrap()),
                bio: None,
                at: at(5),
            },
            password: password.map(PasswordHash::from_stored),
        }
    }

    fn deleted() -> UserEvent {
        UserEvent::UserDeleted(UserDeleted { at: at(9) })
    }

    #[test]
    fn given_nothing_when_register_then_registered() {
        assert_eq!(
            given(&[], UserCommand::Register(registered())),
            Ok(history())
        );
    }

    #[test]
    fn given_registered_when_register_again_then_already_registered() {
        assert_eq!(
            given(&history(), UserCommand::Register(registered())),
            Err(DomainError::AlreadyRegistered)
        );
    }

    #[test]
    fn given_nothing_when_anything_but_register_then_not_found() {
        for command in [
            update(Some("X"), None, None),
            UserCommand::LogIn(LoggedIn { at: at(1) }),
            UserCommand::Delete(UserDeleted { at: at(1) }),
        ] {
            assert_eq!(given(&[], command), Err(DomainError::NotFound));
        }
    }

    #[test]
    fn given_registered_when_update_profile_then_only_changed_fields_are_recorded() {
        assert_eq!(
            given(
                &history(),
                update(Some("Ada"), Some("lovelace@example.com"), None)
            ),
            Ok(vec![UserEvent::ProfileUpdated(ProfileUpdated {
                name: None,
                email: Some(Email::parse("lovelace@example.com").unwrap()),
                bio: None,
                at: at(5),
            })])
        );
    }

    #[test]
    fn given_registered_when_update_to_the_same_values_then_no_events() {
        assert_eq!(
            given(
                &history(),
                update(Some("Ada"), Some("ada@example.com"), None)
            ),
            Ok(vec![])
        );
    }

    #[test]
    fn given_registered_when_update_with_a_password_then_both_changes_in_one_decision() {
        assert_eq!(
            given(
                &history(),
                update(Some("Countess"), None, Some("$2b$04$second"))
            ),
            Ok(vec![
                UserEvent::ProfileUpdated(ProfileUpdated {
                    name: Some(DisplayName::parse("Countess").unwrap()),
                    email: None,
                    bio: None,
                    at: at(5),
                }),
                UserEvent::PasswordChanged(PasswordChanged {
                    password_hash: PasswordHash::from_stored("$2b$04$second"),
                    at: at(5),
                }),
            ])
        );
    }

    #[test]
    fn given_registered_when_log_in_or_delete_then_that_event() {
        assert_eq!(
            given(&history(), UserCommand::LogIn(LoggedIn { at: at(3) })),
            Ok(vec![UserEvent::LoggedIn(LoggedIn { at: at(3) })])
        );
        assert_eq!(
            given(&history(), UserCommand::Delete(UserDeleted { at: at(9) })),
            Ok(vec![deleted()])
        );
    }

    #[test]
    fn given_deleted_when_any_command_then_not_found() {
        let mut history = history();
        history.push(deleted());
        for command in [
            update(Some("Back"), None, None),
            UserCommand::LogIn(LoggedIn { at: at(10) }),
            UserCommand::Delete(UserDeleted { at: at(10) }),
        ] {
            assert_eq!(given(&history, command), Err(DomainError::NotFound));
        }
    }

    #[test]
    fn replaying_a_history_gives_the_current_profile_and_its_versions() {
        let mut history = history();
        history.extend(given(&history, update(Some("Countess"), None, None)).unwrap());
        history.extend(given(&history, update(None, None, Some("$2b$04$second"))).unwrap());
        history.push(UserEvent::LoggedIn(LoggedIn { at: at(7) }));
        let user = replay(&history).expect("a live user");
        assert_eq!(user.name.as_str(), "Countess");
        assert_eq!(user.email.as_str(), "ada@example.com");
        assert_eq!(
            user.password_hash,
            PasswordHash::from_stored("$2b$04$second")
        );
        assert_eq!(user.created_at, at(0));
        assert_eq!(user.updated_at, at(5));
        assert_eq!(user.version, Version::new(4));
        assert_eq!(
            user.revision,
            Version::new(3),
            "the login shows nothing new"
        );
        assert_eq!(user.credentials, Version::new(3));
    }

    #[test]
    fn a_deletion_ends_the_state() {
        let mut history = history();
        history.push(deleted());
        assert_eq!(replay(&history), None);
    }

    fn follow(user: i64, already: bool) -> UserCommand {
        UserCommand::Follow {
            follow: Followed {
                user: Id::from_i64(user),
                at: at(6),
            },
            already,
            blocked: false,
        }
    }

    fn unfollow(user: i64, following: bool) -> UserCommand {
        UserCommand::Unfollow {
            unfollow: Unfollowed {
                user: Id::from_i64(user),
                at: at(7),
            },
            following,
        }
    }

    #[test]
    fn given_registered_when_follow_another_then_followed_once() {
        assert_eq!(
            given(&history(), follow(7, false)),
            Ok(vec![UserEvent::Followed(Followed {
                user: Id::from_i64(7),
                at: at(6)
            })])
        );
        assert_eq!(given(&history(), follow(7, true)), Ok(vec![]), "idempotent");
    }

    #[test]
    fn given_registered_when_follow_yourself_then_refused() {
        assert_eq!(
            given(&history(), follow(42, false)),
            Err(DomainError::Yourself)
        );
    }

    #[test]
    fn a_blocked_user_cannot_follow_and_nobody_blocks_themself() {
        let UserCommand::Follow { follow, .. } = follow(7, false) else {
            unreachable!()
        };
        let blocked = UserCommand::Follow {
            follow,
            already: false,
            blocked: true,
        };
        assert_eq!(given(&history(), blocked), Err(DomainError::BlockedByThem));
        let block = |user, already| UserCommand::Block {
            block: Blocked {
                user: Id::from_i64(user),
                at: at(8),
            },
            already,
        };
        assert_eq!(
            given(&history(), block(42, false)),
            Err(DomainError::Yourself)
        );
        assert_eq!(given(&history(), block(7, true)), Ok(vec![]), "idempotent");
        assert_eq!(
            given(&history(), block(7, false)),
            Ok(vec![UserEvent::Blocked(Blocked {
                user: Id::from_i64(7),
                at: at(8)
            })])
        );
    }

    #[test]
    fn given_following_when_unfollow_then_unfollowed_and_otherwise_nothing() {
        assert_eq!(given(&history(), unfollow(7, false)), Ok(vec![]));
        assert_eq!(
            given(&history(), unfollow(7, true)),
            Ok(vec![UserEvent::Unfollowed(Unfollowed {
                user: Id::from_i64(7),
                at: at(7)
            })])
        );
    }

    #[test]
    fn a_follow_moves_the_version_but_not_the_etag() {
        let mut events = history();
        events.push(UserEvent::Followed(Followed {
            user: Id::from_i64(7),
            at: at(6),
        }));
        let user = replay(&events).unwrap();
        assert_eq!(
            (user.version, user.revision),
            (Version::new(2), Version::new(1))
        );
    }
}
