//! Uploads and encrypted calls on the client.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use super::Client;
use crate::encryption::{self, EncryptionKeys};
use crate::upload::{self, MAX_OTHER_BYTES};
use crate::Error;

impl Client {
    /// Uploads files given as (name, bytes) with `UploadFiles`, after the client-side checks
    /// of [`crate::upload::prepare_files`]; `agent` is the `Agent` object. Returns the
    /// `Response` (`FileIds`, `FileUrls`, ...).
    pub async fn upload_bytes<N: AsRef<str>, B: AsRef<[u8]>>(
        &self,
        agent: &Value,
        business_type: &str,
        files: &[(N, B)],
    ) -> Result<Value, Error> {
        let mut params = upload::prepare_files(files, business_type)?;
        params["Agent"] = agent.clone();
        self.call(upload::ACTION, &params).await
    }

    /// Uploads files from paths (the name sent is each path's file name). Sizes are checked
    /// before a file is read.
    pub async fn upload_paths<P: AsRef<Path>>(
        &self,
        agent: &Value,
        business_type: &str,
        paths: &[P],
    ) -> Result<Value, Error> {
        let files = read_paths(paths)?;
        self.upload_bytes(agent, business_type, &files).await
    }

    /// Calls `action` inside `CreateRequestWithEncryption`: `params` are validated, encrypted
    /// with a fresh IV from the operating system's CSPRNG and signed; the answer's signature
    /// is checked before it is decrypted. Returns the inner action's `Response` object (its
    /// errors as [`Error::Api`]).
    pub async fn call_encrypted(
        &self,
        action: &str,
        application_id: &str,
        params: &Value,
        keys: &EncryptionKeys,
    ) -> Result<Value, Error> {
        let mut iv = [0u8; 16];
        getrandom::getrandom(&mut iv).map_err(|e| Error::Crypto {
            message: format!("no random IV from the operating system: {e}"),
        })?;
        let outer = encryption::build_params(action, application_id, params, keys, iv)?;
        let response = self.call(encryption::ACTION, &outer).await?;
        encryption::open_response(&response, keys)
    }
}

/// Reads files for an upload: (file name, bytes), refusing a file over the size limit before
/// reading it.
pub fn read_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut files = Vec::with_capacity(paths.len());
    for (i, p) in paths.iter().enumerate() {
        let path = p.as_ref();
        let io = |e: std::io::Error| Error::Validation {
            action: upload::ACTION.to_owned(),
            path: format!("FileInfos[{i}]"),
            message: format!("cannot read {}: {e}", path.display()),
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = read_limited(file, MAX_OTHER_BYTES).map_err(io)?;
        files.push((name, bytes));
    }
    Ok(files)
}

/// Reads at most `limit + 1` bytes from `reader` (enough for the size check to refuse an
/// oversized stream without reading all of it).
pub fn read_limited(reader: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut out)?;
    Ok(out)
}
