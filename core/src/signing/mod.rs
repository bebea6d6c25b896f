//! Request signatures: TC3-HMAC-SHA256 and the legacy v1 HmacSHA256 / HmacSHA1.
//!
//! Everything here is a pure function of its arguments: the timestamp, the nonce and the
//! credentials are passed in, nothing reads a clock or an RNG.
//!
//! - [`tc3`]: signature v3 (`TC3-HMAC-SHA256`), one small function per stage of the
//!   published algorithm, plus the full header set the SDK sets ([`tc3::signed_headers`]) and
//!   the pieces a remote signer needs ([`tc3::presign`], [`tc3::sign_string`]).
//! - [`v1`]: the legacy signature (`HmacSHA256`, `HmacSHA1`) over form parameters, with the
//!   three form encodings the official SDKs put on the wire.
//! - [`flatten`]: a JSON parameter object as the `A.B.0.C` keys GET and v1 requests use.

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::Error;

pub mod flatten;
pub mod tc3;
pub mod v1;

/// A signature method of the Tencent Cloud API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignMethod {
    /// Signature v3, `TC3-HMAC-SHA256` (the default and the recommended method).
    #[default]
    Tc3HmacSha256,
    /// Legacy signature v1 with HMAC-SHA256, `HmacSHA256`.
    HmacSha256,
    /// Legacy signature v1 with HMAC-SHA1, `HmacSHA1`.
    HmacSha1,
}

impl SignMethod {
    /// The wire name: `TC3-HMAC-SHA256`, `HmacSHA256` or `HmacSHA1`.
    pub fn name(&self) -> &'static str {
        match self {
            SignMethod::Tc3HmacSha256 => "TC3-HMAC-SHA256",
            SignMethod::HmacSha256 => "HmacSHA256",
            SignMethod::HmacSha1 => "HmacSHA1",
        }
    }

    /// Whether this is one of the legacy v1 methods (parameters signed, no Authorization).
    pub fn is_v1(&self) -> bool {
        !matches!(self, SignMethod::Tc3HmacSha256)
    }
}

impl fmt::Display for SignMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SignMethod {
    type Err = Error;

    /// Parses the exact wire names `TC3-HMAC-SHA256`, `HmacSHA256` and `HmacSHA1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "TC3-HMAC-SHA256" => Ok(SignMethod::Tc3HmacSha256),
            "HmacSHA256" => Ok(SignMethod::HmacSha256),
            "HmacSHA1" => Ok(SignMethod::HmacSha1),
            other => Err(Error::Signing {
                message: format!(
                    "unknown signature method {other:?} (expected TC3-HMAC-SHA256, HmacSHA256 or HmacSHA1)"
                ),
            }),
        }
    }
}

/// The UTC calendar date of a Unix timestamp (seconds) as `YYYY-MM-DD`.
///
/// Pure arithmetic (days-from-civil inverted), no time-zone database: the TC3 credential
/// scope always uses the UTC date, whatever the local zone.
pub fn utc_date(timestamp: i64) -> String {
    let (y, m, d) = civil_from_days(timestamp.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift the epoch to 0000-03-01 so that leap days fall at the end of a year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // day of era, [0, 146096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from March 1, [0, 365]
    let mp = (5 * doy + 2) / 153; // month from March, [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `HMAC-SHA256(key, msg)`.
pub(crate) fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// `HMAC-SHA1(key, msg)`.
pub(crate) fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
    let mut mac =
        <Hmac<sha1::Sha1> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex of `SHA256(data)`.
#[cfg(test)]
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_date_boundaries() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(86_399), "1970-01-01");
        assert_eq!(utc_date(86_400), "1970-01-02");
        assert_eq!(utc_date(-1), "1969-12-31");
        assert_eq!(utc_date(-86_400), "1969-12-31");
        assert_eq!(utc_date(-86_401), "1969-12-30");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        // UTC 2024-12-31 23:59:59 is already 2025-01-01 in Asia/Shanghai.
        assert_eq!(utc_date(1_735_689_599), "2024-12-31");
        assert_eq!(utc_date(1_735_689_600), "2025-01-01");
        // Leap days: 2000 (divisible by 400) and 2024 are leap years, 2100 is not.
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(951_868_800), "2000-03-01");
        assert_eq!(utc_date(1_709_164_800), "2024-02-29");
        assert_eq!(utc_date(4_107_456_000), "2100-02-28");
        assert_eq!(utc_date(4_107_542_400), "2100-03-01");
        assert_eq!(utc_date(253_402_300_799), "9999-12-31");
    }

    #[test]
    fn utc_date_matches_day_by_day_walk() {
        // Walk every day from 1970 to 2100 and compare with a naive calendar.
        let (mut y, mut m, mut d) = (1970i64, 1u32, 1u32);
        for day in 0..47_482i64 {
            assert_eq!(
                utc_date(day * 86_400 + 43_200),
                format!("{y:04}-{m:02}-{d:02}")
            );
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let len = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            d += 1;
            if d > len {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }

    #[test]
    fn sign_method_names_round_trip() {
        for m in [
            SignMethod::Tc3HmacSha256,
            SignMethod::HmacSha256,
            SignMethod::HmacSha1,
        ] {
            assert_eq!(m.name().parse::<SignMethod>().unwrap(), m);
            assert_eq!(m.to_string(), m.name());
        }
        assert!(!SignMethod::Tc3HmacSha256.is_v1());
        assert!(SignMethod::HmacSha1.is_v1());
        let err = "hmacsha256".parse::<SignMethod>().unwrap_err();
        assert_eq!(err.kind(), "signing");
        assert!("".parse::<SignMethod>().is_err());
    }

    #[test]
    fn hash_helpers() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // RFC 4231 test case 2.
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // RFC 2202 test case 2.
        assert_eq!(
            hex::encode(hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }
}
