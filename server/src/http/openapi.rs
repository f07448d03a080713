//! The API contract as OpenAPI 3.1, generated from the handlers'
//! annotations. The routers register handlers through `utoipa_axum`, so the
//! document lists exactly the routes served; `http::router` serves it at
//! `/api/openapi.json`.

use app::api;
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, SecurityScheme},
    Modify, OpenApi,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Chirp API",
        description = "Short messages. Every failure has the `ErrorBody` shape. \
            Log in with `POST /api/v1/auth/login` or sign up with `POST /api/v1/users`; \
            both set the session cookie."
    ),
    components(schemas(api::ErrorCode, api::FieldCode)),
    modifiers(&SessionCookie),
    tags((name = "users"), (name = "follows"), (name = "tweets"), (name = "notifications"), (name = "search"), (name = "auth"), (name = "info"))
)]
pub struct ApiDoc;

/// Documents the session cookie the login and sign-up responses set.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "session",
                SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(api::SESSION_COOKIE))),
            );
    }
}
