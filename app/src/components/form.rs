//! Form building blocks shared by the account forms: labelled fields with
//! their errors, the form-level message, and the enhancement that turns a
//! plain HTML form POST into a dispatched action once the WASM runs.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::{ErrorBody, ErrorCode, FieldCode, Values},
    flux::{use_dispatcher, Action, FormKind},
};

/// An `on:submit` handler: without WASM the browser posts the form to the
/// server; with it, the values become an action and the page stays.
pub fn enhance(
    to_action: impl Fn(Values) -> Option<Action> + 'static,
) -> impl Fn(SubmitEvent) + 'static {
    let dispatcher = use_dispatcher();
    move |event: SubmitEvent| {
        event.prevent_default();
        if let Some(action) = to_action(read_values(&event)) {
            dispatcher.dispatch(action);
        }
    }
}

#[cfg(feature = "hydrate")]
fn read_values(event: &SubmitEvent) -> Values {
    use wasm_bindgen::JsCast;
    let mut values = Values::default();
    let form = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
    if let Some(data) = form.and_then(|f| web_sys::FormData::new_with_form(&f).ok()) {
        for entry in data.entries().into_iter().flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                values.insert(name, value);
            }
        }
    }
    values
}

#[cfg(not(feature = "hydrate"))]
fn read_values(_event: &SubmitEvent) -> Values {
    Values::default()
}

/// What a form says above its fields when the server refused it.
pub fn form_message(form: FormKind, error: &ErrorBody) -> String {
    match (form, error.error) {
        (FormKind::LogIn, ErrorCode::Unauthorized) => "Wrong username or password.".into(),
        (_, ErrorCode::RateLimited) => "Too many attempts. Wait a minute and try again.".into(),
        (_, ErrorCode::PreconditionFailed) => {
            "Your profile changed elsewhere. Reload the page and try again.".into()
        }
        (_, ErrorCode::ValidationFailed | ErrorCode::Conflict) if !error.details.is_empty() => {
            "Please correct the fields marked below.".into()
        }
        _ => sentence(&error.message),
    }
}

/// What a field says under itself, for one of the API's field codes.
pub fn field_message(field: &str, code: FieldCode) -> String {
    match (field, code) {
        ("username", FieldCode::Taken) => "This username is already taken.".into(),
        ("email", FieldCode::Taken) => "This e-mail address is already in use.".into(),
        ("current_password", FieldCode::Mismatch) => "That is not your current password.".into(),
        ("current_password", FieldCode::Required) => {
            "Enter your current password to change your e-mail address or password.".into()
        }
        ("username", FieldCode::TooShort | FieldCode::TooLong) => "Use 3 to 30 characters.".into(),
        ("username", FieldCode::InvalidCharacters) => {
            "Use only letters, digits and underscores.".into()
        }
        ("password", FieldCode::TooShort) => "Use at least 8 characters.".into(),
        ("password", FieldCode::TooLong) => "Use at most 72 bytes.".into(),
        ("email", FieldCode::InvalidFormat) => "This is not an e-mail address.".into(),
        ("body", FieldCode::TooLong) => "A tweet holds at most 280 characters.".into(),
        ("bio", FieldCode::TooLong) => "A bio holds at most 160 characters.".into(),
        (_, FieldCode::Required | FieldCode::Blank) => "This field is required.".into(),
        (_, FieldCode::TooShort) => "Too short.".into(),
        (_, FieldCode::TooLong) => "Too long.".into(),
        (_, FieldCode::InvalidCharacters) => "Contains characters that are not allowed.".into(),
        (_, FieldCode::Taken) => "Already taken.".into(),
        (_, FieldCode::Mismatch) => "Does not match.".into(),
        _ => "This value is not valid.".into(),
    }
}

fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    // The API's messages are ASCII English.
    let mut text = match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => return "Something went wrong.".into(),
    };
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

/// A form's submit button: disabled, with a "…ing" label, while its request
/// is pending, so a second click cannot send the form twice.
#[component]
pub fn SubmitButton(
    #[prop(into)] pending: Signal<bool>,
    label: &'static str,
    pending_label: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" class="button" disabled=move || pending.get()>
            {move || if pending.get() { pending_label } else { label }}
        </button>
    }
}

/// The message above a form's fields, announced to screen readers.
#[component]
pub fn FormError(form: FormKind, #[prop(into)] error: Signal<Option<ErrorBody>>) -> impl IntoView {
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="form-error" role="alert">
                {move || error.with(|e| e.as_ref().map(|e| form_message(form, e)))}
            </p>
        </Show>
    }
}

/// A labelled input with its hint and errors, wired for assistive
/// technology (`aria-invalid`, `aria-describedby`).
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = true)] required: bool,
    /// The value the page starts with (a refused form's input, the profile).
    #[prop(optional, into)]
    value: String,
    #[prop(into)] error: Signal<Option<ErrorBody>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let messages = Memo::new(move |_| {
        error.with(|e| {
            e.as_ref()
                .and_then(|e| e.details.get(name))
                .map(|codes| codes.iter().map(|c| field_message(name, *c)).collect())
                .unwrap_or_else(Vec::<String>::new)
        })
    });
    let described = format!("{id}-hint {id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                value=value
                aria-invalid=move || (!messages.with(Vec::is_empty)).to_string()
                aria-describedby=described
            />
            <p class="field-hint" id=format!("{id}-hint")>
                {hint}
            </p>
            <p class="field-error" id=format!("{id}-error")>
                {move || messages.get().join(" ")}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(error: ErrorCode, message: &str, details: &[(&str, FieldCode)]) -> ErrorBody {
        ErrorBody {
            error,
            message: message.into(),
            details: details
                .iter()
                .map(|(f, c)| (f.to_string(), vec![*c]))
                .collect(),
        }
    }

    #[test]
    fn a_refused_login_gets_the_one_generic_message() {
        let error = body(ErrorCode::Unauthorized, "wrong username or password", &[]);
        assert_eq!(
            form_message(FormKind::LogIn, &error),
            "Wrong username or password."
        );
    }

    #[test]
    fn field_problems_point_below_and_name_the_field() {
        let error = body(
            ErrorCode::Conflict,
            "already taken",
            &[("username", FieldCode::Taken)],
        );
        assert_eq!(
            form_message(FormKind::SignUp, &error),
            "Please correct the fields marked below."
        );
        assert_eq!(
            field_message("username", FieldCode::Taken),
            "This username is already taken."
        );
    }

    #[test]
    fn other_messages_become_sentences() {
        let error = body(ErrorCode::Unavailable, "storage is unavailable", &[]);
        assert_eq!(
            form_message(FormKind::Profile, &error),
            "Storage is unavailable."
        );
    }
}
