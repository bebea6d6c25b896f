//! Per-request values from the host: the clock, a nonce and a trace id.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::request::Stamp;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 64 unpredictable bits from the standard library's randomly keyed hasher.
fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish()
}

/// A version-4 UUID for `X-TC-TraceId`.
pub(crate) fn trace_id() -> String {
    let (a, b) = (random_u64(), random_u64());
    let hi = (a & 0xffff_ffff_ffff_0fff) | 0x4000;
    let lo = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// A random number in `[0, 1)` for backoff jitter.
pub(crate) fn jitter() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A stamp for a request sent now, with the clock corrected by `offset` seconds.
pub(crate) fn fresh(offset: i64) -> Stamp {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Stamp {
        timestamp: now + offset,
        nonce: (random_u64() % u64::from(u32::MAX - 1)) as u32 + 1,
        trace_id: Some(trace_id()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn trace_ids_are_uuid_v4_and_distinct() {
        let a = super::trace_id();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_ne!(a, super::trace_id());
        assert!(super::fresh(0).nonce > 0);
        assert!((0.0..1.0).contains(&super::jitter()));
    }
}
