//! Rate limits: a token bucket per client network for what guesses
//! passwords or creates accounts, and per user (and network) for what
//! writes: posts, profile changes. `governor`'s keyed limiter, keyed per
//! user, per IPv4 address and per IPv6 /64 (the block one subscriber gets,
//! so a /64 is one client, as Mastodon counts them); forgotten keys are
//! swept by a background task, never on the request path.

use std::{
    hash::Hash,
    net::IpAddr,
    num::NonZeroU32,
    sync::{Arc, Weak},
    time::Duration,
};

use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota};

use crate::{
    domain::Id,
    error::{Error, Result},
};

/// `burst` attempts at once, then one more every `refill`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub burst: NonZeroU32,
    pub refill: Duration,
}

/// The part of an address that identifies a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4(u32),
    /// The /64 prefix.
    V6(u64),
}

impl From<IpAddr> for ClientKey {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::V4(v4.into()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::V4(v4.into()),
                None => Self::V6((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

/// One limit, per client (or per whatever `K` names: a user).
pub struct Limiter<K: Hash + Eq + Clone = ClientKey>(DefaultKeyedRateLimiter<K>);

impl<K: Hash + Eq + Clone> Limiter<K> {
    pub fn new(limit: RateLimit) -> Self {
        // governor keeps burst × refill in u64 nanoseconds: a burst that
        // large is "unlimited" and gets the largest that fits.
        let refill = u64::try_from(limit.refill.as_nanos())
            .unwrap_or(u64::MAX)
            .max(1);
        let fits = u32::try_from(u64::MAX / 2 / refill).unwrap_or(u32::MAX);
        let burst = NonZeroU32::new(limit.burst.get().min(fits)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(limit.refill)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(burst);
        Self(DefaultKeyedRateLimiter::keyed(quota))
    }

    /// Takes one attempt for `key`, or says how long to wait: 429.
    pub fn check(&self, key: impl Into<K>) -> Result<()> {
        self.0.check_key(&key.into()).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.0.clock().now());
            Error::RateLimited {
                retry_after: wait.max(Duration::from_secs(1)),
            }
        })
    }

    fn sweep(&self) {
        self.0.retain_recent();
        self.0.shrink_to_fit();
    }
}

/// Every limit the services apply.
pub struct Limits {
    pub login: Limiter,
    pub sign_up: Limiter,
    /// Profile changes: each grows the user's event stream, and an e-mail
    /// change says whether an address is taken.
    pub profile_by_user: Limiter<Id>,
    pub profile_by_client: Limiter,
    pub posts: Limiter<Id>,
}

/// The rates, as configured.
#[derive(Clone, Copy, Debug)]
pub struct Rates {
    pub auth: RateLimit,
    pub profile: RateLimit,
    pub posts: RateLimit,
}

/// How often forgotten clients (whose buckets are full again) are dropped.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

impl Limits {
    pub fn new(rates: Rates) -> Arc<Self> {
        let limits = Arc::new(Self {
            login: Limiter::new(rates.auth),
            sign_up: Limiter::new(rates.auth),
            profile_by_user: Limiter::new(rates.profile),
            profile_by_client: Limiter::new(rates.profile),
            posts: Limiter::new(rates.posts),
        });
        // Outside a runtime (a unit test) nothing grows long enough to
        // need sweeping.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let weak: Weak<Self> = Arc::downgrade(&limits);
            runtime.spawn(async move {
                let mut every = tokio::time::interval(SWEEP_EVERY);
                every.tick().await;
                loop {
                    every.tick().await;
                    let Some(limits) = weak.upgrade() else { break };
                    limits.login.sweep();
                    limits.sign_up.sweep();
                    limits.profile_by_user.sweep();
                    limits.profile_by_client.sweep();
                    limits.posts.sweep();
                }
            });
        }
        limits
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    fn limiter(burst: u32, refill_secs: u64) -> Limiter<ClientKey> {
        Limiter::new(RateLimit {
            burst: NonZeroU32::new(burst).unwrap(),
            refill: Duration::from_secs(refill_secs),
        })
    }

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn allows_a_burst_then_says_how_long_to_wait() {
        let limiter = limiter(3, 10);
        for _ in 0..3 {
            assert!(limiter.check(A).is_ok());
        }
        match limiter.check(A) {
            Err(Error::RateLimited { retry_after }) => {
                assert!(retry_after >= Duration::from_secs(9), "{retry_after:?}")
            }
            other => panic!("{other:?}"),
        }
        assert!(limiter.check(B).is_ok(), "another client is not affected");
    }

    #[test]
    fn an_ipv6_slash_64_is_one_client() {
        let limiter = limiter(2, 60);
        let host = |n: u16| IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, n));
        assert!(limiter.check(host(1)).is_ok());
        assert!(limiter.check(host(2)).is_ok());
        assert!(limiter.check(host(3)).is_err(), "same /64, other host");
        let neighbour = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 2, 0, 0, 0, 1));
        assert!(limiter.check(neighbour).is_ok(), "the next /64");
    }

    #[test]
    fn an_ipv4_mapped_address_is_its_ipv4_client() {
        assert_eq!(
            ClientKey::from(IpAddr::V6(Ipv4Addr::new(192, 0, 2, 1).to_ipv6_mapped())),
            ClientKey::from(A)
        );
    }

    #[test]
    fn swept_clients_start_afresh_and_memory_stays_bounded() {
        let limiter = Limiter::<ClientKey>::new(RateLimit {
            burst: NonZeroU32::MIN,
            refill: Duration::from_millis(100),
        });
        for n in 0..10_000u32 {
            let _ = limiter.check(IpAddr::V4(Ipv4Addr::from(n)));
        }
        assert_eq!(limiter.0.len(), 10_000);
        // Once a bucket is full again it is indistinguishable from a new
        // one, and goes.
        std::thread::sleep(Duration::from_millis(300));
        limiter.sweep();
        assert_eq!(limiter.0.len(), 0, "full buckets are forgotten");
    }
}
