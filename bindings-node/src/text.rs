//! Strings across the boundary without V8's UTF-8 writer: parameters come in as UTF-16
//! (V8 copies its two-byte or one-byte string out as it is) and are converted here, ASCII
//! sixteen units at a time; framed requests go out as one-byte strings of their bytes.

use std::cell::RefCell;
use std::ptr;

use napi::bindgen_prelude::{FromNapiValue, ToNapiValue, TypeName, ValueType};
use napi::sys;

/// A JavaScript string's UTF-8 bytes (lone surrogates become U+FFFD, as
/// `String::from_utf16_lossy` does).
pub struct Utf8Text(pub Vec<u8>);

thread_local! {
    /// The UTF-16 units of the last string read on this thread, kept for the next one.
    static UNITS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

/// Above this many units the scratch buffer is released after use.
const KEEP_UNITS: usize = 1 << 20;

impl TypeName for Utf8Text {
    fn type_name() -> &'static str {
        "String"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl FromNapiValue for Utf8Text {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let fail =
            |status| napi::Error::new(napi::Status::from(status), "expected a string".to_owned());
        let mut len = 0usize;
        // SAFETY: the caller's contract (a valid env and value on this thread); a null
        // buffer asks for the length only.
        let status =
            unsafe { sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut len) };
        if status != sys::Status::napi_ok {
            return Err(fail(status));
        }
        UNITS.with(|cell| {
            let mut units = cell.borrow_mut();
            units.clear();
            // Room for the terminating NUL that the call always writes.
            units.resize(len + 1, 0);
            let mut written = 0usize;
            // SAFETY: `units` holds `len + 1` initialized units.
            let status = unsafe {
                sys::napi_get_value_string_utf16(
                    env,
                    value,
                    units.as_mut_ptr(),
                    len + 1,
                    &mut written,
                )
            };
            if status != sys::Status::napi_ok {
                return Err(fail(status));
            }
            let text = utf16_to_utf8(&units[..written.min(len)]);
            if units.capacity() > KEEP_UNITS {
                *units = Vec::new();
            }
            Ok(Utf8Text(text))
        })
    }
}

/// Bytes handed to V8 as a one-byte (Latin-1) string, one character per byte: for the
/// framed request, written to the socket with the `latin1` encoding.
pub struct ByteText(pub Vec<u8>);

impl TypeName for ByteText {
    fn type_name() -> &'static str {
        "String(latin1)"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ToNapiValue for ByteText {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let mut out = ptr::null_mut();
        // SAFETY: the caller's contract; V8 copies the bytes before this returns.
        let status = unsafe {
            sys::napi_create_string_latin1(
                env,
                val.0.as_ptr().cast(),
                val.0.len() as isize,
                &mut out,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::new(
                napi::Status::from(status),
                "cannot make a string of the request".to_owned(),
            ));
        }
        Ok(out)
    }
}

/// UTF-16 to UTF-8, lossy like `String::from_utf16_lossy`; runs of ASCII are narrowed
/// sixteen units at a time (the compiler makes that a few vector instructions).
pub fn utf16_to_utf8(units: &[u16]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(units.len() + units.len() / 2 + 16);
    let mut i = 0;
    while i < units.len() {
        while let Some(chunk) = units.get(i..i + 16) {
            if chunk.iter().fold(0u16, |acc, &u| acc | u) >= 0x80 {
                break;
            }
            let bytes: [u8; 16] = std::array::from_fn(|k| chunk[k] as u8);
            out.extend_from_slice(&bytes);
            i += 16;
        }
        let Some(&u) = units.get(i) else { break };
        let c = match u {
            0..=0x7f => {
                out.push(u as u8);
                i += 1;
                continue;
            }
            0xd800..=0xdbff => match units.get(i + 1) {
                Some(&low @ 0xdc00..=0xdfff) => {
                    i += 2;
                    let scalar =
                        0x10000 + ((u32::from(u) - 0xd800) << 10) + (u32::from(low) - 0xdc00);
                    char::from_u32(scalar).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                _ => {
                    i += 1;
                    char::REPLACEMENT_CHARACTER
                }
            },
            0xdc00..=0xdfff => {
                i += 1;
                char::REPLACEMENT_CHARACTER
            }
            _ => {
                i += 1;
                char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
        };
        out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_to_utf8_is_std_lossy_conversion() {
        let long = "0123456789abcdef".repeat(5) + "采购合同" + &"x".repeat(33) + "😀";
        for text in [
            "",
            "ascii only",
            "采购合同 😀 é",
            "a😀",
            "😀",
            "末尾é",
            long.as_str(),
        ] {
            let units: Vec<u16> = text.encode_utf16().collect();
            assert_eq!(utf16_to_utf8(&units), text.as_bytes());
        }
        let mut lone = vec![0x61u16; 20];
        lone[17] = 0xd800;
        for units in [
            &[0x61u16, 0xd800, 0x62][..],
            &[0xdc00],
            &[0xd83d],
            &[0xd83d, 0xde00, 0xde00],
            &[0x80, 0xd800, 0xd800, 0xdfff],
            &[0x7f, 0x80, 0x7ff, 0x800, 0xffff],
            &lone,
        ] {
            assert_eq!(
                utf16_to_utf8(units),
                String::from_utf16_lossy(units).as_bytes(),
                "{units:x?}"
            );
        }
    }
}
