//! Finding a member of a spec object by name in a few steps: an open-addressing hash table
//! per object of [`OBJECTS`], built once on first use (about 10 KB for the whole spec).
//! Parameters rarely come in the spec's order, and objects have up to 30 members, so a scan
//! compares more names per key than this.

use std::sync::OnceLock;

use crate::spec::{ObjectSpec, OBJECTS};

/// An empty slot.
const EMPTY: u16 = u16::MAX;

/// Every object's table: `slots[offset..offset + mask + 1]` holds member indices.
struct Index {
    /// Per object of `OBJECTS`: where its table starts, and its size minus one.
    tables: Vec<(u32, u32)>,
    slots: Vec<u16>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut tables = Vec::with_capacity(OBJECTS.len());
        let mut slots = Vec::new();
        for obj in OBJECTS {
            // At least twice the members, a power of two: short probes.
            let size = (obj.members.len() * 2).max(2).next_power_of_two();
            let offset = slots.len();
            slots.resize(offset + size, EMPTY);
            let mask = size - 1;
            for (i, m) in obj.members.iter().enumerate() {
                let mut at = hash(m.name.as_bytes()) & mask;
                while slots[offset + at] != EMPTY {
                    at = (at + 1) & mask;
                }
                // A spec object has far fewer than 65,535 members.
                slots[offset + at] = u16::try_from(i).unwrap_or(EMPTY);
            }
            tables.push((offset as u32, mask as u32));
        }
        Index { tables, slots }
    })
}

/// A hash of a name from its length and its first and last eight bytes.
#[inline]
fn hash(name: &[u8]) -> usize {
    let n = name.len();
    let (head, tail) = if n >= 8 {
        (word(&name[..8]), word(&name[n - 8..]))
    } else {
        let mut padded = [0u8; 8];
        padded[..n].copy_from_slice(name);
        (u64::from_le_bytes(padded), 0)
    };
    let h = (head ^ tail.rotate_left(29) ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 40) as usize
}

#[inline]
fn word(eight: &[u8]) -> u64 {
    u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]))
}

/// `a == b` for short names, eight bytes at a time, without a call to `memcmp`.
#[inline]
pub(crate) fn same_name(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut at = 0;
    while at + 8 < n {
        if word(&a[at..at + 8]) != word(&b[at..at + 8]) {
            return false;
        }
        at += 8;
    }
    // The last eight bytes (overlapping the words before when `n` is not a multiple of 8).
    word(&a[n - 8..]) == word(&b[n - 8..])
}

/// The index in `obj.members` of the member named `name`.
#[inline]
pub(crate) fn member_index(obj: &ObjectSpec, name: &str) -> Option<usize> {
    let want = name.as_bytes();
    // Which object of the table `obj` is (one made elsewhere is scanned).
    let base = OBJECTS.as_ptr() as usize;
    let at =
        (obj as *const ObjectSpec as usize).wrapping_sub(base) / std::mem::size_of::<ObjectSpec>();
    if !OBJECTS.get(at).is_some_and(|o| std::ptr::eq(o, obj)) {
        return obj
            .members
            .iter()
            .position(|m| same_name(m.name.as_bytes(), want));
    }
    let index = index();
    let (offset, mask) = index.tables[at];
    let (offset, mask) = (offset as usize, mask as usize);
    let mut slot = hash(want) & mask;
    loop {
        let i = index.slots[offset + slot];
        if i == EMPTY {
            return None;
        }
        let i = usize::from(i);
        if same_name(obj.members[i].name.as_bytes(), want) {
            return Some(i);
        }
        slot = (slot + 1) & mask;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_of_every_object_is_found_and_nothing_else() {
        for obj in OBJECTS {
            for (i, m) in obj.members.iter().enumerate() {
                assert_eq!(
                    member_index(obj, m.name),
                    Some(i),
                    "{}.{}",
                    obj.name,
                    m.name
                );
                for other in [format!("{}x", m.name), m.name.to_lowercase(), String::new()] {
                    let want = obj.members.iter().position(|m| m.name == other);
                    assert_eq!(member_index(obj, &other), want, "{}.{other}", obj.name);
                }
            }
        }
    }

    #[test]
    fn an_object_from_elsewhere_is_scanned() {
        let obj = Box::leak(Box::new(OBJECTS[0]));
        for (i, m) in obj.members.iter().enumerate() {
            assert_eq!(member_index(obj, m.name), Some(i));
        }
        assert_eq!(member_index(obj, "NoSuchMember"), None);
    }

    #[test]
    fn names_compare_exactly() {
        for (a, b) in [
            ("", ""),
            ("a", "a"),
            ("FlowId", "FlowId"),
            ("ApproverRoleName", "ApproverRoleName"),
            ("ComponentRecipientId", "ComponentRecipientId"),
        ] {
            assert!(same_name(a.as_bytes(), b.as_bytes()));
        }
        for (a, b) in [
            ("a", "b"),
            ("FlowId", "FlowIds"),
            ("ApproverRoleName", "ApproverRoleNamf"),
            ("ComponentRecipientId", "ComponentRecipientIf"),
            ("XomponentRecipientId", "ComponentRecipientId"),
            ("ComponentXecipientId", "ComponentRecipientId"),
        ] {
            assert!(!same_name(a.as_bytes(), b.as_bytes()), "{a} {b}");
        }
    }
}
