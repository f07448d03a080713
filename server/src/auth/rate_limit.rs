//! A token bucket per client IP for the endpoints that guess passwords or
//! create accounts (login, sign-up). Small on purpose: one mutex-guarded map,
//! pruned as it grows, is plenty for the request rates these endpoints see.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

/// `burst` attempts at once, then one more every `refill`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub burst: u32,
    pub refill: Duration,
}

impl RateLimit {
    /// So high that tests and benchmarks never meet it.
    pub const UNLIMITED: Self = Self {
        burst: u32::MAX,
        refill: Duration::from_nanos(1),
    };
}

#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Beyond this many tracked clients, full (idle) buckets are forgotten.
const PRUNE_AT: usize = 10_000;

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip`, or says how long until one is available.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.check_at(ip, Instant::now())
    }

    fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let burst = f64::from(self.limit.burst);
        let per_second = 1.0 / self.limit.refill.as_secs_f64().max(f64::MIN_POSITIVE);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= PRUNE_AT {
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * per_second < burst
            });
        }
        let bucket = buckets.entry(ip).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refilled = now.duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refilled).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / per_second;
            Err(Duration::from_secs_f64(wait).max(Duration::from_secs(1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn allows_a_burst_then_refills_one_at_a_time() {
        let limiter = RateLimiter::new(RateLimit {
            burst: 3,
            refill: Duration::from_secs(10),
        });
        let t = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(A, t).is_ok());
        }
        let wait = limiter.check_at(A, t).unwrap_err();
        assert!(wait >= Duration::from_secs(9), "{wait:?}");
        // Another client is not affected.
        assert!(limiter.check_at(B, t).is_ok());
        assert!(limiter.check_at(A, t + Duration::from_secs(10)).is_ok());
        assert!(limiter.check_at(A, t + Duration::from_secs(10)).is_err());
    }

    #[test]
    fn unlimited_never_refuses() {
        let limiter = RateLimiter::new(RateLimit::UNLIMITED);
        let t = Instant::now();
        assert!((0..10_000).all(|_| limiter.check_at(A, t).is_ok()));
    }
}
