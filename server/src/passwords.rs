//! bcrypt hashing and verification, off the async runtime.
//!
//! A hash at cost 12 takes about a quarter of a second of CPU. Running it on
//! the runtime's threads would stall every other request, so it runs in
//! `spawn_blocking`; a semaphore bounds how many run at once, so a burst of
//! sign-ups cannot take every core.

use std::sync::Arc;

use tokio::sync::{OnceCell, Semaphore};

use crate::domain::{Password, PasswordHash};

/// A bcrypt cost: 12 or more in production.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BcryptCost(u32);

impl BcryptCost {
    pub const MIN_PRODUCTION: u32 = 12;
    pub const DEFAULT: Self = Self(12);

    /// `None` below 12 or above bcrypt's 31.
    pub fn new(cost: u32) -> Option<Self> {
        (Self::MIN_PRODUCTION..=31)
            .contains(&cost)
            .then_some(Self(cost))
    }

    /// A fast cost (4..=31) for tests and benchmarks only, where hashing
    /// strength is not what is being measured.
    pub fn insecure_for_tests(cost: u32) -> Self {
        Self(cost.clamp(4, 31))
    }

    pub const fn get(self) -> u32 {
        self.0
    }
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashError(#[source] Box<dyn std::error::Error + Send + Sync>);

#[derive(Clone)]
pub struct PasswordHasher {
    cost: BcryptCost,
    permits: Arc<Semaphore>,
    dummy: Arc<OnceCell<PasswordHash>>,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("cost", &self.cost)
            .finish_non_exhaustive()
    }
}

impl PasswordHasher {
    /// `max_concurrent` hashes at once: about the number of cores.
    pub fn new(cost: BcryptCost, max_concurrent: usize) -> Self {
        Self {
            cost,
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            dummy: Arc::new(OnceCell::new()),
        }
    }

    /// As many hashes at once as there are cores: more would only queue
    /// inside the CPU and slow every request down.
    pub fn for_this_machine(cost: BcryptCost) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cost, cores)
    }

    pub fn cost(&self) -> BcryptCost {
        self.cost
    }

    pub async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        let secret = password.expose_secret().to_owned();
        let cost = self.cost.get();
        self.blocking(move || bcrypt::hash(secret, cost).map(PasswordHash::from_stored))
            .await
    }

    /// Whether `password` matches `hash`. A malformed hash never matches.
    pub async fn verify(&self, password: &Password, hash: &PasswordHash) -> bool {
        let secret = password.expose_secret().to_owned();
        let hash = hash.expose_for_storage().to_owned();
        self.blocking(move || bcrypt::verify(secret, &hash))
            .await
            .unwrap_or(false)
    }

    /// Spends the time of one verification and answers `false`. Login calls
    /// it when the user does not exist, so an unknown name and a wrong
    /// password take the same time and cannot be told apart.
    pub async fn verify_dummy(&self, password: &Password) -> bool {
        let dummy = match self
            .dummy
            .get_or_try_init(|| async {
                // A random secret: the dummy hash must match nothing.
                let secret: [u8; 16] = rand::random();
                let secret = Password::parse(&format!("{secret:02x?}"))
                    .expect("a 16-byte hex dump is a valid password");
                self.hash(&secret).await
            })
            .await
        {
            Ok(dummy) => dummy.clone(),
            Err(_) => return false,
        };
        let _ = self.verify(password, &dummy).await;
        false
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, bcrypt::BcryptError> + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| HashError(e.into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| HashError(e.into()))?
            .map_err(|e| HashError(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> PasswordHasher {
        PasswordHasher::new(BcryptCost::insecure_for_tests(4), 2)
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let hasher = hasher();
        let password = Password::parse("correct horse").unwrap();
        let hash = hasher.hash(&password).await.unwrap();
        assert!(hash.expose_for_storage().starts_with("$2b$04$"));
        assert!(hasher.verify(&password, &hash).await);
        assert!(
            !hasher
                .verify(&Password::parse("wrong horse").unwrap(), &hash)
                .await
        );
        assert!(
            !hasher
                .verify(&password, &PasswordHash::from_stored("garbage"))
                .await
        );
    }

    #[tokio::test]
    async fn the_dummy_never_matches() {
        assert!(
            !hasher()
                .verify_dummy(&Password::parse("anything at all").unwrap())
                .await
        );
    }

    #[test]
    fn production_costs_start_at_twelve() {
        assert_eq!(BcryptCost::new(11), None);
        assert_eq!(BcryptCost::new(12), Some(BcryptCost::DEFAULT));
        assert_eq!(BcryptCost::new(32), None);
    }
}
