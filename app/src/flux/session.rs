//! The session state: who is logged in, and the state of the account forms
//! (log in, sign up, profile, log out): pending, and what the server said.

use super::{page_data::PageData, types::FormKind, Action, Command};
use crate::api::{ErrorBody, UserDto, Values};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormState {
    /// A request is on its way; the submit button is disabled.
    pub pending: bool,
    pub error: Option<ErrorBody>,
    /// The last request succeeded (the profile form says "Saved").
    pub saved: bool,
    /// What was typed before a form post without JavaScript was refused.
    pub values: Values,
}

impl FormState {
    fn start(&mut self) {
        self.pending = true;
        self.saved = false;
        self.error = None;
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionState {
    pub user: Option<UserDto>,
    /// Version of `user` for `If-Match`.
    pub etag: Option<String>,
    pub log_in: FormState,
    pub sign_up: FormState,
    pub profile: FormState,
    pub log_out: FormState,
}

impl SessionState {
    pub fn seeded(data: &PageData) -> Self {
        let mut state = Self {
            user: data.user.clone(),
            etag: data.user_etag.clone(),
            ..Self::default()
        };
        if let Some(feedback) = &data.form {
            if let Some(form) = state.form_mut(feedback.form) {
                form.error = Some(feedback.error.clone());
                form.values = feedback.values.clone();
            }
        }
        if let Some(form) = data.saved.and_then(|kind| state.form_mut(kind)) {
            form.saved = true;
        }
        state
    }

    /// The composer has no form state here: it lives with the tweets.
    fn form_mut(&mut self, kind: FormKind) -> Option<&mut FormState> {
        match kind {
            FormKind::LogIn => Some(&mut self.log_in),
            FormKind::SignUp => Some(&mut self.sign_up),
            FormKind::Profile => Some(&mut self.profile),
            FormKind::LogOut => Some(&mut self.log_out),
            FormKind::Tweet | FormKind::Relationship => None,
        }
    }
}

pub fn reduce(state: &mut SessionState, action: &Action) -> Vec<Command> {
    match action {
        Action::LogIn(request) => submit(state, FormKind::LogIn, Command::LogIn(request.clone())),
        Action::SignUp(request) => {
            submit(state, FormKind::SignUp, Command::SignUp(request.clone()))
        }
        Action::UpdateProfile(changes) => {
            let Some(user) = &state.user else {
                return vec![];
            };
            let command = Command::UpdateProfile {
                user_id: user.id.clone(),
                etag: state.etag.clone(),
                changes: changes.clone(),
            };
            submit(state, FormKind::Profile, command)
        }
        Action::LogOut => submit(state, FormKind::LogOut, Command::LogOut),
        Action::LoggedIn(user) => {
            *state = SessionState {
                user: Some(user.clone()),
                ..SessionState::default()
            };
            vec![Command::Navigate("/")]
        }
        Action::ProfileUpdated { user, etag } => {
            state.user = Some(user.clone());
            state.etag = etag.clone();
            state.profile = FormState {
                saved: true,
                ..FormState::default()
            };
            vec![]
        }
        Action::LoggedOut => {
            *state = SessionState::default();
            vec![Command::Navigate("/")]
        }
        Action::FormFailed { form, error } => {
            if let Some(form) = state.form_mut(*form) {
                form.pending = false;
                form.error = Some(error.clone());
            }
            vec![]
        }
        _ => vec![],
    }
}

/// Starts a form's request unless one is already on its way (a double
/// click submits once).
fn submit(state: &mut SessionState, kind: FormKind, command: Command) -> Vec<Command> {
    match state.form_mut(kind) {
        Some(form) if !form.pending => {
            form.start();
            vec![command]
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        api::{ErrorCode, FieldCode, LoginRequest, SignUp, UpdateUser},
        flux::page_data::FormFeedback,
    };

    fn ann() -> UserDto {
        UserDto {
            id: "42".into(),
            username: "ann".into(),
            name: "Ann".into(),
            bio: String::new(),
            created_at: "2026-11-26T19:00:00Z".into(),
            email: Some("ann@example.com".into()),
            follows: None,
        }
    }

    fn login() -> Action {
        Action::LogIn(LoginRequest {
            username: "ann".into(),
            password: "secret-password".into(),
        })
    }

    fn unauthorized() -> ErrorBody {
        ErrorBody {
            error: ErrorCode::Unauthorized,
            message: "wrong username or password".into(),
            details: Default::default(),
        }
    }

    #[test]
    fn seeding_takes_the_user_and_the_refused_forms_feedback() {
        let state = SessionState::seeded(&PageData {
            user: Some(ann()),
            user_etag: Some("\"3\"".into()),
            form: Some(FormFeedback {
                form: FormKind::SignUp,
                error: ErrorBody {
                    error: ErrorCode::Conflict,
                    message: "already taken".into(),
                    details: [("username".to_string(), vec![FieldCode::Taken])].into(),
                },
                values: [("username".to_string(), "ann".to_string())]
                    .into_iter()
                    .collect(),
            }),
            ..PageData::default()
        });
        assert_eq!(state.user, Some(ann()));
        assert_eq!(state.etag.as_deref(), Some("\"3\""));
        let form = &state.sign_up;
        assert_eq!(
            form.error.as_ref().unwrap().details["username"],
            vec![FieldCode::Taken]
        );
        assert_eq!(form.values.get("username"), "ann");
    }

    #[test]
    fn a_login_is_sent_once_while_pending() {
        let mut state = SessionState::default();
        let commands = reduce(&mut state, &login());
        assert!(matches!(commands[..], [Command::LogIn(_)]));
        assert!(state.log_in.pending);
        assert_eq!(reduce(&mut state, &login()), vec![], "double submit");
    }

    #[test]
    fn a_refused_login_shows_the_error_and_allows_another_try() {
        let mut state = SessionState::default();
        reduce(&mut state, &login());
        reduce(
            &mut state,
            &Action::FormFailed {
                form: FormKind::LogIn,
                error: unauthorized(),
            },
        );
        let form = &state.log_in;
        assert!(!form.pending);
        assert_eq!(form.error.as_ref().unwrap().error, ErrorCode::Unauthorized);
        assert_eq!(state.user, None);
        assert_eq!(reduce(&mut state, &login()).len(), 1);
        assert_eq!(state.log_in.error, None, "cleared on retry");
    }

    #[test]
    fn logging_in_or_signing_up_sets_the_user_and_goes_home() {
        let mut state = SessionState::default();
        let sign_up = Action::SignUp(SignUp {
            username: "ann".into(),
            email: "ann@example.com".into(),
            name: None,
            password: "secret-password".into(),
        });
        assert!(matches!(
            reduce(&mut state, &sign_up)[..],
            [Command::SignUp(_)]
        ));
        let commands = reduce(&mut state, &Action::LoggedIn(ann()));
        assert_eq!(commands, vec![Command::Navigate("/")]);
        assert_eq!(state.user, Some(ann()));
        assert!(!state.sign_up.pending);
    }

    #[test]
    fn a_profile_update_names_the_user_and_the_version_it_changes() {
        let mut state = SessionState {
            user: Some(ann()),
            etag: Some("\"3\"".into()),
            ..SessionState::default()
        };
        let changes = UpdateUser {
            name: Some("Ann B".into()),
            ..UpdateUser::default()
        };
        let commands = reduce(&mut state, &Action::UpdateProfile(changes.clone()));
        assert_eq!(
            commands,
            vec![Command::UpdateProfile {
                user_id: "42".into(),
                etag: Some("\"3\"".into()),
                changes
            }]
        );
        let updated = UserDto {
            name: "Ann B".into(),
            ..ann()
        };
        reduce(
            &mut state,
            &Action::ProfileUpdated {
                user: updated.clone(),
                etag: Some("\"4\"".into()),
            },
        );
        assert_eq!(state.user, Some(updated));
        assert_eq!(state.etag.as_deref(), Some("\"4\""));
        assert!(state.profile.saved);
    }

    #[test]
    fn a_profile_update_needs_a_user() {
        let mut state = SessionState::default();
        let update = Action::UpdateProfile(UpdateUser::default());
        assert_eq!(reduce(&mut state, &update), vec![]);
    }

    #[test]
    fn logging_out_forgets_the_user_and_goes_home() {
        let mut state = SessionState {
            user: Some(ann()),
            ..SessionState::default()
        };
        assert_eq!(reduce(&mut state, &Action::LogOut), vec![Command::LogOut]);
        assert_eq!(
            reduce(&mut state, &Action::LoggedOut),
            vec![Command::Navigate("/")]
        );
        assert_eq!(state, SessionState::default());
    }
}
