//! The account forms. Each is a plain HTML form that posts to its page's own
//! address (the server handles it without WASM) and, once hydrated,
//! dispatches its action instead.

use leptos::prelude::*;
use leptos_router::components::A;

use super::form::{enhance, field_message, Field, FormError, SubmitButton};
use crate::{
    api::{ErrorBody, LoginRequest, SignUp, UpdateUser, UserDto, Values, BIO_MAX_CHARS},
    flux::{use_session, Action, FormKind},
};

#[component]
pub fn LoginForm() -> impl IntoView {
    let state = use_session().log_in;
    let error = Signal::derive(move || state.with(|f| f.error.clone()));
    let typed = state.with_untracked(|f| f.values.get("username"));
    let submit = enhance(|values: Values| Some(Action::LogIn(LoginRequest::from(&values))));
    view! {
        <form class="card form" method="post" action="/login" on:submit=submit>
            <h1>"Log in"</h1>
            <FormError form=FormKind::LogIn error />
            <Field label="Username" name="username" autocomplete="username" value=typed error />
            <Field
                label="Password"
                name="password"
                kind="password"
                autocomplete="current-password"
                error
            />
            <SubmitButton
                pending=Signal::derive(move || state.with(|f| f.pending))
                label="Log in"
                pending_label="Logging in…"
            />
            <p class="form-footer">
                "New to Chirp? " <A href="/signup">"Sign up"</A>
            </p>
        </form>
    }
    .into_any()
}

#[component]
pub fn SignUpForm() -> impl IntoView {
    let state = use_session().sign_up;
    let error = Signal::derive(move || state.with(|f| f.error.clone()));
    let typed = move |name: &str| state.with_untracked(|f| f.values.get(name));
    let submit = enhance(|values: Values| Some(Action::SignUp(SignUp::from_form(&values))));
    view! {
        <form class="card form" method="post" action="/signup" on:submit=submit>
            <h1>"Sign up"</h1>
            <FormError form=FormKind::SignUp error />
            <Field
                label="Username"
                name="username"
                autocomplete="username"
                hint="3 to 30 letters, digits or underscores."
                value=typed("username")
                error
            />
            <Field
                label="Password"
                name="password"
                kind="password"
                autocomplete="new-password"
                hint="At least 8 characters."
                error
            />
            <Field
                label="E-mail"
                name="email"
                kind="email"
                autocomplete="email"
                value=typed("email")
                error
            />
            <Field
                label="Full name"
                name="name"
                autocomplete="name"
                required=false
                hint="Shown next to your username. Optional."
                value=typed("name")
                error
            />
            <SubmitButton
                pending=Signal::derive(move || state.with(|f| f.pending))
                label="Sign up"
                pending_label="Signing up…"
            />
            <p class="form-footer">
                "Already have an account? " <A href="/login">"Log in"</A>
            </p>
        </form>
    }
    .into_any()
}

/// `user` is the logged-in user the form starts from.
#[component]
pub fn ProfileForm(user: UserDto) -> impl IntoView {
    let session = use_session();
    let state = session.profile;
    let error = Signal::derive(move || state.with(|f| f.error.clone()));
    let typed = move |name: &str, current: String| {
        state.with_untracked(|f| f.values.typed(name).map(str::to_string).unwrap_or(current))
    };
    let etag = session.etag.get_untracked().unwrap_or_default();
    let saved = Memo::new(move |_| state.with(|f| f.saved));
    let submit = enhance(move |values: Values| {
        // The user as last saved, which may be newer than `user`.
        let current = session.user.get_untracked()?;
        Some(Action::UpdateProfile(UpdateUser::from_form(
            &values, &current,
        )))
    });
    view! {
        <form class="card form" method="post" action="/profile" on:submit=submit>
            <h1>"Your profile"</h1>
            <p class="muted">"@" {user.username.clone()}</p>
            <FormError form=FormKind::Profile error />
            // Without WASM, the version this form shows travels with it.
            <input type="hidden" name="etag" value=etag />
            <Show when=move || saved.get()>
                <p class="form-success" role="status">"Saved."</p>
            </Show>
            <Field
                label="Full name"
                name="name"
                autocomplete="name"
                value=typed("name", user.name.clone())
                error
            />
            <Field
                label="E-mail"
                name="email"
                kind="email"
                autocomplete="email"
                value=typed("email", user.email.clone().unwrap_or_default())
                error
            />
            <BioField value=typed("bio", user.bio.clone()) error />
            // Rendered afresh after each save, so typed passwords do not
            // linger in the page.
            {move || {
                saved.track();
                view! {
                    <fieldset class="fieldset">
                        <legend>"Change password"</legend>
                        <Field
                            label="Current password"
                            name="current_password"
                            kind="password"
                            autocomplete="current-password"
                            required=false
                            hint="Needed to change your e-mail address or your password."
                            error
                        />
                        <Field
                            label="New password"
                            name="password"
                            kind="password"
                            autocomplete="new-password"
                            required=false
                            hint="At least 8 characters. Leave empty to keep your password."
                            error
                        />
                    </fieldset>
                }
            }}
            <SubmitButton
                pending=Signal::derive(move || state.with(|f| f.pending))
                label="Save"
                pending_label="Saving…"
            />
        </form>
    }
    .into_any()
}

/// The bio: a text area with its hint and errors, wired as a [`Field`] is.
/// Only the profile form has one, so it stays out of the other forms' code.
#[component]
fn BioField(value: String, #[prop(into)] error: Signal<Option<ErrorBody>>) -> impl IntoView {
    let messages = Memo::new(move |_| {
        error.with(|e| {
            e.as_ref()
                .and_then(|e| e.details.get("bio"))
                .map(|codes| {
                    let said: Vec<String> =
                        codes.iter().map(|c| field_message("bio", *c)).collect();
                    said.join(" ")
                })
                .unwrap_or_default()
        })
    });
    view! {
        <div class="field">
            <label for="field-bio">"Bio"</label>
            <textarea
                id="field-bio"
                name="bio"
                rows="3"
                aria-invalid=move || (!messages.with(String::is_empty)).to_string()
                aria-describedby="field-bio-hint field-bio-error"
            >
                {value}
            </textarea>
            <p class="field-hint" id="field-bio-hint">
                {format!("A few words about you, up to {BIO_MAX_CHARS} characters.")}
            </p>
            <p class="field-error" id="field-bio-error">
                {move || messages.get()}
            </p>
        </div>
    }
}

/// A one-button form: logging out changes state, so it is a POST, never a
/// link.
#[component]
pub fn LogoutButton(#[prop(default = "Logout")] label: &'static str) -> impl IntoView {
    let state = use_session().log_out;
    let submit = enhance(|_: Values| Some(Action::LogOut));
    view! {
        <form class="inline-form" method="post" action="/logout" on:submit=submit>
            <button type="submit" class="link-button" disabled=move || state.with(|f| f.pending)>
                {label}
            </button>
        </form>
    }
    .into_any()
}
