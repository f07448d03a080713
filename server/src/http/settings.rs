//! The API's security knobs, from `CHIRP_*` variables with secure defaults,
//! and the per-process state that goes with them (the rate limiters).
//! Tests and benchmarks raise the limits through [`ApiConfig`] directly.

use std::{env, sync::Arc, time::Duration};

use crate::{
    auth::rate_limit::{RateLimit, RateLimiter},
    config::ConfigError,
};

/// Largest API request body (413 beyond).
pub const BODY_LIMIT: usize = 16 * 1024;

#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// `Secure` on the session cookie; off only with `CHIRP_INSECURE_COOKIES=1`
    /// for local development over plain HTTP.
    pub secure_cookies: bool,
    /// How long a session lives without being renewed by a login
    /// (`CHIRP_SESSION_TTL_HOURS`, default 14 days).
    pub session_ttl: Duration,
    /// Login and sign-up attempts per client IP
    /// (`CHIRP_AUTH_RATE_BURST`, default 10, then one per
    /// `CHIRP_AUTH_RATE_REFILL_SECS`, default 6 — ten a minute).
    pub auth_rate_limit: RateLimit,
    /// Requests served at once before new ones are shed with 503
    /// (`CHIRP_MAX_CONCURRENT_REQUESTS`, default 512).
    pub max_concurrent_requests: usize,
    /// Time to produce a response before answering 408
    /// (`CHIRP_REQUEST_TIMEOUT_SECS`, default 15).
    pub request_timeout: Duration,
    /// Time a client has to send a request's line and headers, and how long
    /// an idle keep-alive connection stays open
    /// (`CHIRP_HEADER_READ_TIMEOUT_SECS`, default 10). Without it, sockets
    /// that trickle a header byte now and then (slowloris) hold their
    /// connection forever.
    pub header_read_timeout: Duration,
    /// Rate-limit by the last `X-Forwarded-For` address instead of the
    /// connection's (`CHIRP_TRUST_X_FORWARDED_FOR=1`). Only behind a reverse
    /// proxy that appends it: otherwise clients could pick their own address.
    pub trust_x_forwarded_for: bool,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            session_ttl: Duration::from_secs(14 * 24 * 3600),
            auth_rate_limit: RateLimit {
                burst: 10,
                refill: Duration::from_secs(6),
            },
            max_concurrent_requests: 512,
            request_timeout: Duration::from_secs(15),
            header_read_timeout: Duration::from_secs(10),
            trust_x_forwarded_for: false,
        }
    }
}

impl ApiConfig {
    /// Reads the `CHIRP_*` knobs; an unreadable value is an error rather than
    /// a silent fallback to the default.
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut config = Self::default();
        if let Some(v) = var("CHIRP_INSECURE_COOKIES") {
            config.secure_cookies = !yes(&v);
        }
        if let Some(v) = var("CHIRP_TRUST_X_FORWARDED_FOR") {
            config.trust_x_forwarded_for = yes(&v);
        }
        if let Some(hours) = number("CHIRP_SESSION_TTL_HOURS")? {
            config.session_ttl = Duration::from_secs(hours * 3600);
        }
        if let Some(burst) = number("CHIRP_AUTH_RATE_BURST")? {
            config.auth_rate_limit.burst = u32::try_from(burst).unwrap_or(u32::MAX).max(1);
        }
        if let Some(secs) = number("CHIRP_AUTH_RATE_REFILL_SECS")? {
            config.auth_rate_limit.refill = Duration::from_secs(secs.max(1));
        }
        if let Some(n) = number("CHIRP_MAX_CONCURRENT_REQUESTS")? {
            config.max_concurrent_requests = usize::try_from(n).unwrap_or(usize::MAX).max(1);
        }
        if let Some(secs) = number("CHIRP_REQUEST_TIMEOUT_SECS")? {
            config.request_timeout = Duration::from_secs(secs.max(1));
        }
        if let Some(secs) = number("CHIRP_HEADER_READ_TIMEOUT_SECS")? {
            config.header_read_timeout = Duration::from_secs(secs.max(1));
        }
        Ok(config)
    }

    /// Secure settings with the rate limit lifted, for tests over plain HTTP.
    pub fn for_tests() -> Self {
        Self {
            secure_cookies: false,
            auth_rate_limit: RateLimit::UNLIMITED,
            ..Self::default()
        }
    }
}

/// Configuration plus the state the API keeps between requests.
#[derive(Debug)]
pub struct ApiState {
    pub config: ApiConfig,
    pub login_limiter: RateLimiter,
    pub signup_limiter: RateLimiter,
}

impl ApiState {
    pub fn new(config: ApiConfig) -> Arc<Self> {
        Arc::new(Self {
            login_limiter: RateLimiter::new(config.auth_rate_limit),
            signup_limiter: RateLimiter::new(config.auth_rate_limit),
            config,
        })
    }
}

fn yes(value: &str) -> bool {
    matches!(value.trim(), "1" | "true" | "yes")
}

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn number(name: &'static str) -> Result<Option<u64>, ConfigError> {
    var(name)
        .map(|value| {
            value
                .trim()
                .parse::<u64>()
                .map_err(|e| ConfigError::Invalid {
                    name,
                    value: value.clone(),
                    reason: e.to_string(),
                })
        })
        .transpose()
}
