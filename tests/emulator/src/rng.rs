//! Random bits for ids (RequestId, flow and file ids): a per-thread wyrand generator seeded
//! once from the OS, so that a request costs no `getrandom` system call. Ids only need to
//! be unique and unguessable enough for tests, not secret.

use std::cell::Cell;

thread_local! {
    static STATE: Cell<u64> = Cell::new(seed());
}

fn seed() -> u64 {
    let bytes = *uuid::Uuid::new_v4().as_bytes();
    let (a, b) = bytes.split_at(8);
    u64::from_le_bytes(a.try_into().expect("8 bytes"))
        ^ u64::from_le_bytes(b.try_into().expect("8 bytes")).rotate_left(29)
}

/// 64 random bits.
pub fn u64() -> u64 {
    STATE.with(|s| {
        let x = s.get().wrapping_add(0xa076_1d64_78bd_642f);
        s.set(x);
        let t = u128::from(x) * u128::from(x ^ 0xe703_7ed1_a0b4_28db);
        (t >> 64) as u64 ^ t as u64
    })
}

/// 128 random bits.
pub fn u128() -> u128 {
    (u128::from(u64()) << 64) | u128::from(u64())
}

/// A fresh UUID v4, as text.
pub fn uuid_v4() -> String {
    let uuid = uuid::Builder::from_random_bytes(u128().to_le_bytes()).into_uuid();
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    uuid.hyphenated().encode_lower(&mut buf).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_v4_and_distinct() {
        let a = uuid_v4();
        let b = uuid_v4();
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(parsed.to_string(), a);
        let seen: std::collections::HashSet<u64> = (0..10_000).map(|_| u64()).collect();
        assert_eq!(seen.len(), 10_000);
    }
}
