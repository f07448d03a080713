//! bcrypt hashing and verification, off the async runtime.
//!
//! A hash at cost 12 takes about a quarter of a second of CPU. Running it on
//! the runtime's threads would stall every other request, so it runs in
//! `spawn_blocking`, and a semaphore bounds how many run at once so a burst
//! of logins cannot take every core. The permit travels with the work onto
//! the blocking thread: a request dropped mid-hash (timeout, disconnect)
//! cannot release it while the hash still runs. Waiting for a permit is
//! bounded too; past it the answer is "busy" (503), not a queue.

use std::{sync::Arc, time::Duration};

use tokio::sync::Semaphore;

use crate::domain::{Password, PasswordHash};

/// A bcrypt cost: 12 or more in production.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BcryptCost(u32);

impl BcryptCost {
    pub const MIN_PRODUCTION: u32 = 12;

    /// A fast cost (4..=31) for tests and benchmarks only, where hashing
    /// strength is not what is being measured. Production costs are
    /// checked where the configuration is read.
    pub fn insecure_for_tests(cost: u32) -> Self {
        Self(cost.clamp(4, 31))
    }

    pub const fn get(self) -> u32 {
        self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every permit stayed taken for [`MAX_WAIT`]: try again shortly.
    #[error("too many password checks at once")]
    Busy,
    #[error("password hashing failed")]
    Failed(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// How long a request waits for a hashing permit. A hash at cost 12 takes
/// about 250 ms on one core, so two cores clear a queue of about forty in
/// this time: a burst of logins (the bench's storm of 20, the ten in flight
/// at a SIGTERM) waits and succeeds, a flood beyond it gets 503 with
/// `Retry-After` instead of queueing without end. (At 2 s, a storm of 20
/// already got 503s.)
const MAX_WAIT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct PasswordHasher {
    cost: BcryptCost,
    permits: Arc<Semaphore>,
    max_wait: Duration,
    /// Verified against when the user does not exist; made at start-up at
    /// the configured cost, so the first unknown-user login after a
    /// restart takes no longer than the next.
    dummy: PasswordHash,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("cost", &self.cost)
            .finish_non_exhaustive()
    }
}

impl PasswordHasher {
    /// `max_concurrent` hashes at once: about the number of cores. Blocks
    /// for one hash (the dummy).
    pub fn new(cost: BcryptCost, max_concurrent: usize) -> Self {
        // A random secret: the dummy hash must match nothing anyone types.
        let secret: [u8; 16] = rand::random();
        let dummy = bcrypt::hash(hex::encode(secret), cost.get())
            .map(PasswordHash::from_stored)
            .expect("bcrypt hashes a 32-byte secret at a valid cost");
        Self {
            cost,
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            max_wait: MAX_WAIT,
            dummy,
        }
    }

    /// As many hashes at once as there are cores: more would only queue
    /// inside the CPU and slow every request down.
    pub fn for_this_machine(cost: BcryptCost) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cost, cores)
    }

    pub async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        let secret = password.expose_secret().to_owned();
        let cost = self.cost.get();
        self.blocking(move || bcrypt::hash(secret, cost).map(PasswordHash::from_stored))
            .await
    }

    /// Whether `password` matches `hash`. A malformed hash never matches.
    pub async fn verify(
        &self,
        password: &Password,
        hash: &PasswordHash,
    ) -> Result<bool, HashError> {
        let secret = password.expose_secret().to_owned();
        let hash = hash.expose_for_storage().to_owned();
        match self.blocking(move || bcrypt::verify(secret, &hash)).await {
            Err(HashError::Failed(_)) => Ok(false),
            other => other,
        }
    }

    /// Spends the time of one verification and answers `false`. Login calls
    /// it when the user does not exist, so an unknown name and a wrong
    /// password take the same time and cannot be told apart.
    pub async fn verify_dummy(&self, password: &Password) -> Result<bool, HashError> {
        self.verify(password, &self.dummy).await.map(|_| false)
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, bcrypt::BcryptError> + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|e| HashError::Failed(e.into()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| HashError::Failed(e.into()))?
        .map_err(|e| HashError::Failed(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

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
        assert!(hasher.verify(&password, &hash).await.unwrap());
        let wrong = Password::parse("wrong horse").unwrap();
        assert!(!hasher.verify(&wrong, &hash).await.unwrap());
        let garbage = PasswordHash::from_stored("garbage");
        assert!(!hasher.verify(&password, &garbage).await.unwrap());
    }

    #[tokio::test]
    async fn the_dummy_never_matches() {
        let anything = Password::parse("anything at all").unwrap();
        assert!(!hasher().verify_dummy(&anything).await.unwrap());
    }

    /// A caller that gives up mid-hash does not free its permit while the
    /// hash runs on: the next caller waits for the hash to end.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_abandoned_hash_keeps_its_permit_until_it_ends() {
        let hasher = PasswordHasher::new(BcryptCost::insecure_for_tests(12), 1);
        let password = Password::parse("correct horse").unwrap();
        let abandoned = {
            let hasher = hasher.clone();
            let password = Password::parse("correct horse").unwrap();
            tokio::spawn(async move { hasher.hash(&password).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        abandoned.abort();
        let started = Instant::now();
        let second = PasswordHasher {
            cost: BcryptCost::insecure_for_tests(4),
            ..hasher.clone()
        };
        second.hash(&password).await.unwrap();
        assert!(
            started.elapsed() > Duration::from_millis(50),
            "the second hash started before the first ended: {:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn waiting_for_a_permit_is_bounded() {
        let hasher = PasswordHasher {
            max_wait: Duration::from_millis(50),
            ..hasher()
        };
        let _all = hasher.permits.clone().acquire_many_owned(2).await.unwrap();
        let password = Password::parse("correct horse").unwrap();
        assert!(matches!(hasher.hash(&password).await, Err(HashError::Busy)));
    }
}
