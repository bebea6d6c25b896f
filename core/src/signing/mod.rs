//! Request signatures: TC3-HMAC-SHA256 and the legacy v1 HmacSHA256 / HmacSHA1.
