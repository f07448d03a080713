//! Which store to open, from the environment (documented in `.env.example`).

use std::{env, path::PathBuf};

use crate::{config::ConfigError, passwords::BcryptCost};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreKind {
    /// `CHIRP_STORE=sqlite` (default): one file in `CHIRP_DATA_DIR`.
    Sqlite { data_dir: PathBuf },
    /// `CHIRP_STORE=mongodb`: `MONGODB_URI`, which must point at a replica
    /// set (transactions need one; a single-node set is fine).
    MongoDb { uri: String, database: String },
}

#[derive(Clone, PartialEq, Eq)]
pub struct StorageConfig {
    pub kind: StoreKind,
    /// `CHIRP_DEMO=1`: add demo users and tweets to an empty store.
    pub demo: bool,
    /// `CHIRP_BCRYPT_COST`, 12 or more (default 12).
    pub bcrypt_cost: BcryptCost,
}

/// The URI may hold a password: show only where it points.
impl std::fmt::Debug for StorageConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.kind {
            StoreKind::Sqlite { data_dir } => format!("sqlite in {}", data_dir.display()),
            StoreKind::MongoDb { database, .. } => format!("mongodb database {database}"),
        };
        f.debug_struct("StorageConfig")
            .field("kind", &kind)
            .field("demo", &self.demo)
            .field("bcrypt_cost", &self.bcrypt_cost)
            .finish()
    }
}

impl StorageConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let kind = match var("CHIRP_STORE").as_deref().unwrap_or("sqlite") {
            "sqlite" => StoreKind::Sqlite {
                data_dir: var("CHIRP_DATA_DIR")
                    .unwrap_or_else(|| "./data".into())
                    .into(),
            },
            "mongodb" => StoreKind::MongoDb {
                uri: var("MONGODB_URI").ok_or(ConfigError::Invalid {
                    name: "MONGODB_URI",
                    value: String::new(),
                    reason: "required when CHIRP_STORE=mongodb".into(),
                })?,
                database: var("CHIRP_MONGODB_DATABASE").unwrap_or_else(|| "chirp".into()),
            },
            other => {
                return Err(ConfigError::Invalid {
                    name: "CHIRP_STORE",
                    value: other.into(),
                    reason: "expected sqlite or mongodb".into(),
                })
            }
        };
        let demo = matches!(var("CHIRP_DEMO").as_deref(), Some("1" | "true" | "yes"));
        let bcrypt_cost = match var("CHIRP_BCRYPT_COST") {
            None => BcryptCost::DEFAULT,
            Some(text) => {
                text.parse()
                    .ok()
                    .and_then(BcryptCost::new)
                    .ok_or(ConfigError::Invalid {
                        name: "CHIRP_BCRYPT_COST",
                        value: text,
                        reason: format!("expected {}..=31", BcryptCost::MIN_PRODUCTION),
                    })?
            }
        };
        Ok(Self {
            kind,
            demo,
            bcrypt_cost,
        })
    }
}

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}
