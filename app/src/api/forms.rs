//! What an HTML form posts, and the one mapping from it to each request
//! body. The server's no-WASM form handlers and the enhanced forms in the
//! browser both call these, so a form means the same request either way.

use serde::{Deserialize, Serialize};

use super::{LoginRequest, SignUp, UpdateUser, UserDto};

/// The named values of a form, in the order they came. A handful of short
/// pairs: a list, since a map's code would be WASM weight for nothing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Values(Vec<(String, String)>);

impl Values {
    /// What was typed for `name`, if the form had that field.
    pub fn typed(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn get(&self, name: &str) -> String {
        self.typed(name).unwrap_or_default().to_string()
    }

    /// `None` for an empty field, so an update only sends what was filled.
    pub fn non_empty(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }

    /// `name`'s value if it differs from `current` (ignoring the spaces
    /// around it), so an unchanged field is not sent.
    pub fn changed(&self, name: &str, current: &str) -> Option<String> {
        Some(self.get(name)).filter(|value| value.trim() != current)
    }

    /// Sets `name`, replacing what it had: a form field counts once.
    pub fn insert(&mut self, name: String, value: String) {
        match self.0.iter_mut().find(|(field, _)| *field == name) {
            Some((_, old)) => *old = value,
            None => self.0.push((name, value)),
        }
    }
}

impl FromIterator<(String, String)> for Values {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut values = Self::default();
        for (name, value) in pairs {
            values.insert(name, value);
        }
        values
    }
}

impl From<&Values> for LoginRequest {
    fn from(form: &Values) -> Self {
        Self {
            username: form.get("username"),
            password: form.get("password"),
        }
    }
}

impl SignUp {
    /// The full name is optional: an empty one is left out.
    pub fn from_form(form: &Values) -> Self {
        Self {
            username: form.get("username"),
            email: form.get("email"),
            name: form.non_empty("name"),
            password: form.get("password"),
        }
    }
}

impl UpdateUser {
    /// Only what changed from `current`: a name, e-mail address or bio as
    /// it was, or an empty password field, is not sent. A form without a
    /// bio field leaves the bio alone; an emptied one clears it.
    pub fn from_form(form: &Values, current: &UserDto) -> Self {
        Self {
            name: form.changed("name", &current.name),
            email: form.changed("email", current.email.as_deref().unwrap_or_default()),
            bio: form
                .typed("bio")
                .filter(|bio| bio.replace("\r\n", "\n").trim() != current.bio)
                .map(str::to_string),
            password: form.non_empty("password"),
            current_password: form.non_empty("current_password"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Values {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    fn ann() -> UserDto {
        UserDto {
            id: "42".into(),
            username: "ann".into(),
            name: "Ann".into(),
            bio: "Tea".into(),
            created_at: "2026-11-26T19:00:00Z".into(),
            email: Some("ann@example.com".into()),
            follows: None,
        }
    }

    #[test]
    fn a_field_posted_twice_counts_once_with_its_last_value() {
        let values = form(&[("username", "ann"), ("username", "bob")]);
        assert_eq!(values.get("username"), "bob");
        assert_eq!(values.typed("password"), None);
    }

    #[test]
    fn a_login_takes_the_username_and_password_as_typed() {
        let login = LoginRequest::from(&form(&[("username", "ann"), ("password", "pw")]));
        assert_eq!(
            login,
            LoginRequest {
                username: "ann".into(),
                password: "pw".into()
            }
        );
    }

    #[test]
    fn a_sign_up_leaves_out_an_empty_full_name() {
        let fields = [
            ("username", "ann"),
            ("email", "ann@example.com"),
            ("name", ""),
            ("password", "secret-password"),
        ];
        let sign_up = SignUp::from_form(&form(&fields));
        assert_eq!(sign_up.name, None);
        assert_eq!(sign_up.username, "ann");
        assert_eq!(sign_up.email, "ann@example.com");
        assert_eq!(sign_up.password, "secret-password");
        let named = SignUp::from_form(&form(&[("name", "Ann")]));
        assert_eq!(named.name.as_deref(), Some("Ann"));
    }

    #[test]
    fn a_profile_update_sends_only_what_changed_and_no_empty_password() {
        let unchanged = form(&[
            ("name", " Ann "),
            ("email", "ann@example.com"),
            ("bio", " Tea\r\n"),
            ("password", ""),
            ("current_password", ""),
            ("etag", "\"3\""),
        ]);
        assert_eq!(
            UpdateUser::from_form(&unchanged, &ann()),
            UpdateUser::default()
        );

        let changed = form(&[
            ("name", "Ann B"),
            ("email", "ann@example.org"),
            ("bio", ""),
            ("password", "new-password"),
            ("current_password", "old-password"),
        ]);
        assert_eq!(
            UpdateUser::from_form(&changed, &ann()),
            UpdateUser {
                name: Some("Ann B".into()),
                email: Some("ann@example.org".into()),
                bio: Some("".into()),
                password: Some("new-password".into()),
                current_password: Some("old-password".into()),
            }
        );
    }

    #[test]
    fn a_first_email_address_is_a_change() {
        let user = UserDto {
            email: None,
            ..ann()
        };
        let update = UpdateUser::from_form(&form(&[("name", "Ann"), ("email", "a@b.c")]), &user);
        assert_eq!(update.email.as_deref(), Some("a@b.c"));
        assert_eq!(update.name, None);
        assert_eq!(update.bio, None, "no bio field: the bio stays");
    }
}
