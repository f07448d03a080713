//! Typed configuration from the environment (twelve-factor), with defaults
//! that run Chirp locally with nothing set. `.env.example` documents them.

use std::{env, net::SocketAddr, path::Path};

use leptos::prelude::LeptosOptions;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name}={value:?} is not valid: {reason}")]
    Invalid {
        name: &'static str,
        value: String,
        reason: String,
    },
    #[error("Leptos settings: {0}")]
    Leptos(String),
}

#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen: `CHIRP_ADDR`, else Leptos' `site-addr`.
    pub addr: SocketAddr,
    /// Site root, package dir and output name of the built front end.
    pub leptos: LeptosOptions,
    /// Cookie, rate-limit, timeout and concurrency settings of the API.
    pub api: crate::http::settings::ApiConfig,
    /// Which store, demo data, bcrypt cost (`CHIRP_STORE`, …).
    pub storage: crate::store::StorageConfig,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut leptos = leptos_options()?;
        if let Some(addr) = var("CHIRP_ADDR") {
            leptos.site_addr =
                addr.parse()
                    .map_err(|e: std::net::AddrParseError| ConfigError::Invalid {
                        name: "CHIRP_ADDR",
                        value: addr.clone(),
                        reason: e.to_string(),
                    })?;
        }
        Ok(Self {
            addr: leptos.site_addr,
            leptos,
            api: crate::http::settings::ApiConfig::from_env()?,
            storage: crate::store::StorageConfig::from_env()?,
        })
    }
}

/// cargo-leptos passes its settings as `LEPTOS_*` variables; a release binary
/// started on its own reads `Leptos.toml` (path in `CHIRP_LEPTOS_CONFIG`), with
/// the same variables still overriding the file.
fn leptos_options() -> Result<LeptosOptions, ConfigError> {
    let file = var("CHIRP_LEPTOS_CONFIG").unwrap_or_else(|| "Leptos.toml".into());
    let path = Path::new(&file).exists().then_some(file.as_str());
    leptos::config::get_configuration(path)
        .map(|conf| conf.leptos_options)
        .map_err(|e| ConfigError::Leptos(e.to_string()))
}

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}
