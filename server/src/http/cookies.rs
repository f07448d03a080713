//! The session cookie (axum-extra's cookie jar): `HttpOnly`, `SameSite=Lax`,
//! `Path=/`, and `Secure` unless configured off for plain-HTTP local runs.
//! With `Secure` it is named `__Host-…`, which browsers accept only from
//! this very host over HTTPS, without a `Domain`: a sibling subdomain
//! cannot plant a session of its own on the site ("cookie tossing").

use app::api::SESSION_COOKIE;
use axum_extra::extract::{
    cookie::{Cookie, SameSite},
    CookieJar,
};

use crate::{config::Config, services::SessionToken};

/// [`SESSION_COOKIE`] with the `__Host-` prefix.
const HOST_SESSION_COOKIE: &str = "__Host-chirp_session";

fn name(config: &Config) -> &'static str {
    if config.insecure_cookies {
        SESSION_COOKIE
    } else {
        HOST_SESSION_COOKIE
    }
}

/// The token the request carries under our cookie's name, if any.
pub fn session_token<'a>(jar: &'a CookieJar, config: &Config) -> Option<&'a str> {
    jar.get(name(config)).map(Cookie::value)
}

fn cookie(config: &Config, value: String) -> Cookie<'static> {
    Cookie::build((name(config), value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(!config.insecure_cookies)
        .path("/")
        .build()
}

/// The jar with a new session, for as long as sessions last.
pub fn with_session(jar: CookieJar, config: &Config, token: &SessionToken) -> CookieJar {
    let mut cookie = cookie(config, token.expose_secret().to_owned());
    let ttl = config.session_ttl().as_secs();
    cookie.set_max_age(time::Duration::seconds(
        i64::try_from(ttl).unwrap_or(i64::MAX),
    ));
    jar.add(cookie)
}

/// The jar telling the browser to forget the session.
pub fn without_session(jar: CookieJar, config: &Config) -> CookieJar {
    let mut cookie = cookie(config, String::new());
    cookie.set_max_age(time::Duration::ZERO);
    jar.add(cookie)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secure_name_is_the_plain_one_host_prefixed() {
        assert_eq!(HOST_SESSION_COOKIE, format!("__Host-{SESSION_COOKIE}"));
    }
}
