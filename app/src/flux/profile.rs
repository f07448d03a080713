//! The profile card of a `/u/:username` page and the reader's changes to
//! how they stand with its user (follow, block). A change shows at once;
//! the card as it was comes back if the server refuses it.

use super::{
    page_data::{PageData, ProfileCard},
    types::FormKind,
    Action, Command,
};
use crate::api::{ErrorBody, ErrorCode};

/// What the reader asks of the card's user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelationChange {
    Follow,
    Unfollow,
    Block,
    Unblock,
}

impl RelationChange {
    /// The form post's last path segment (`/u/:username/follow`), and the
    /// change a segment names.
    pub const fn segment(self) -> &'static str {
        match self {
            Self::Follow => "follow",
            Self::Unfollow => "unfollow",
            Self::Block => "block",
            Self::Unblock => "unblock",
        }
    }

    pub fn from_segment(segment: &str) -> Option<Self> {
        [Self::Follow, Self::Unfollow, Self::Block, Self::Unblock]
            .into_iter()
            .find(|change| change.segment() == segment)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileState {
    pub card: Option<ProfileCard>,
    /// The card before the change on its way, put back if it is refused.
    undo: Option<ProfileCard>,
    /// A change is on its way: the buttons wait for it.
    pub pending: bool,
    /// Why the last change was refused.
    pub error: Option<String>,
}

impl ProfileState {
    pub fn seeded(data: &PageData) -> Self {
        let refused = data
            .form
            .as_ref()
            .filter(|f| f.form == FormKind::Relationship);
        Self {
            #[cfg(not(feature = "hydrate"))]
            card: data.profile.clone(),
            #[cfg(feature = "hydrate")]
            card: None,
            undo: None,
            pending: false,
            error: refused.map(|f| refusal(&f.error)),
        }
    }
}

/// What the card says when a change is refused.
pub fn refusal(error: &ErrorBody) -> String {
    match error.error {
        ErrorCode::Forbidden => "You can't follow someone who blocks you.".into(),
        ErrorCode::NotFound => "This account no longer exists.".into(),
        ErrorCode::Unauthorized => "Log in to follow or block people.".into(),
        _ => format!(
            "That did not work: {}.",
            error.message.trim_end_matches('.')
        ),
    }
}

/// `me` is the logged-in user's id.
pub fn reduce(state: &mut ProfileState, action: &Action, me: Option<&str>) -> Vec<Command> {
    match action {
        Action::ChangeRelationship(change) => return change_relationship(state, *change, me),
        Action::RelationshipSaved => {
            state.undo = None;
            state.pending = false;
        }
        Action::RelationshipFailed(error) => {
            state.pending = false;
            if let Some(card) = state.undo.take() {
                state.card = Some(card);
            }
            state.error = Some(refusal(error));
        }
        Action::ShowProfile(card) => state.card = Some(card.clone()),
        Action::LoggedIn(_) | Action::LoggedOut => *state = ProfileState::default(),
        _ => {}
    }
    vec![]
}

fn change_relationship(
    state: &mut ProfileState,
    change: RelationChange,
    me: Option<&str>,
) -> Vec<Command> {
    let (Some(me), Some(card)) = (me, state.card.as_mut()) else {
        return vec![];
    };
    if state.undo.is_some() {
        return vec![];
    }
    let Some(before) = card.relationship else {
        return vec![]; // your own card, or logged out
    };
    let undo = card.clone();
    let mut now = before;
    let counts = card.user.follows.get_or_insert_with(Default::default);
    match change {
        RelationChange::Follow if !before.following && !before.blocking => {
            now.following = true;
            counts.followers += 1;
        }
        RelationChange::Unfollow if before.following => {
            now.following = false;
            counts.followers = counts.followers.saturating_sub(1);
        }
        RelationChange::Block if !before.blocking => {
            now.blocking = true;
            // A block ends the follows both ways.
            if before.following {
                now.following = false;
                counts.followers = counts.followers.saturating_sub(1);
            }
            if before.followed_by {
                now.followed_by = false;
                counts.following = counts.following.saturating_sub(1);
            }
        }
        RelationChange::Unblock if before.blocking => now.blocking = false,
        _ => return vec![], // already so
    }
    card.relationship = Some(now);
    let target = card.user.id.clone();
    state.undo = Some(undo);
    state.pending = true;
    state.error = None;
    vec![Command::SetRelationship {
        me: me.to_string(),
        target,
        change,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{FollowCounts, Relationship, UserDto};

    fn bob(relationship: Relationship) -> ProfileState {
        ProfileState::seeded(&PageData {
            profile: Some(ProfileCard {
                user: UserDto {
                    id: "2".into(),
                    username: "bob".into(),
                    name: "Bob".into(),
                    bio: String::new(),
                    created_at: "2026-11-26T19:00:00Z".into(),
                    email: None,
                    follows: Some(FollowCounts {
                        following: 4,
                        followers: 7,
                    }),
                },
                relationship: Some(relationship),
            }),
            ..PageData::default()
        })
    }

    fn run(state: &mut ProfileState, action: Action) -> Vec<Command> {
        reduce(state, &action, Some("1"))
    }

    fn shown(state: &ProfileState) -> (Relationship, FollowCounts) {
        let card = state.card.as_ref().unwrap();
        (card.relationship.unwrap(), card.user.follows.unwrap())
    }

    #[test]
    fn following_shows_at_once_and_asks_the_server_once() {
        let mut state = bob(Relationship::default());
        let commands = run(
            &mut state,
            Action::ChangeRelationship(RelationChange::Follow),
        );
        assert_eq!(
            commands,
            vec![Command::SetRelationship {
                me: "1".into(),
                target: "2".into(),
                change: RelationChange::Follow
            }]
        );
        let (relationship, counts) = shown(&state);
        assert!(relationship.following);
        assert_eq!(counts.followers, 8);
        assert!(state.pending);
        // A second click while the first is on its way does nothing.
        let again = run(
            &mut state,
            Action::ChangeRelationship(RelationChange::Unfollow),
        );
        assert_eq!(again, vec![]);
        run(&mut state, Action::RelationshipSaved);
        assert!(!state.pending);
        assert_eq!(shown(&state).1.followers, 8);
    }

    #[test]
    fn a_refused_change_puts_the_card_back_and_says_why() {
        let mut state = bob(Relationship::default());
        run(
            &mut state,
            Action::ChangeRelationship(RelationChange::Follow),
        );
        run(
            &mut state,
            Action::RelationshipFailed(ErrorBody {
                error: ErrorCode::Forbidden,
                message: "they block you".into(),
                details: Default::default(),
            }),
        );
        let (relationship, counts) = shown(&state);
        assert!(!relationship.following);
        assert_eq!(counts.followers, 7);
        assert_eq!(
            state.error.as_deref(),
            Some("You can't follow someone who blocks you.")
        );
        assert!(!state.pending);
    }

    #[test]
    fn blocking_ends_the_follows_both_ways_on_the_card() {
        let mut state = bob(Relationship {
            following: true,
            followed_by: true,
            blocking: false,
        });
        run(
            &mut state,
            Action::ChangeRelationship(RelationChange::Block),
        );
        let (relationship, counts) = shown(&state);
        assert_eq!(
            relationship,
            Relationship {
                following: false,
                followed_by: false,
                blocking: true
            }
        );
        assert_eq!((counts.following, counts.followers), (3, 6));
    }

    #[test]
    fn what_is_already_so_or_not_yours_to_change_sends_nothing() {
        let mut state = bob(Relationship {
            following: true,
            ..Relationship::default()
        });
        assert_eq!(
            run(
                &mut state,
                Action::ChangeRelationship(RelationChange::Follow)
            ),
            vec![]
        );
        assert_eq!(
            run(
                &mut state,
                Action::ChangeRelationship(RelationChange::Unblock)
            ),
            vec![]
        );
        let mut logged_out = bob(Relationship::default());
        let sent = reduce(
            &mut logged_out,
            &Action::ChangeRelationship(RelationChange::Follow),
            None,
        );
        assert_eq!(sent, vec![]);
    }

    #[test]
    fn the_form_segments_name_the_changes() {
        for change in [
            RelationChange::Follow,
            RelationChange::Unfollow,
            RelationChange::Block,
            RelationChange::Unblock,
        ] {
            assert_eq!(RelationChange::from_segment(change.segment()), Some(change));
        }
        assert_eq!(RelationChange::from_segment("mute"), None);
    }
}
