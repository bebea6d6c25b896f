//! `UploadFiles` parameters from file names and bytes, with the documented limits enforced
//! before anything is encoded or sent.
//!
//! Limits (from the `UploadFiles` documentation): at most [`MAX_FILES`] files per call;
//! images at most [`MAX_IMAGE_BYTES`], other files at most [`MAX_OTHER_BYTES`]; and the file
//! types each `BusinessType` takes:
//!
//! | `BusinessType` | file types |
//! | --- | --- |
//! | `TEMPLATE` | pdf, doc, docx, html |
//! | `DOCUMENT` | pdf, doc, docx, jpg, png, xls, xlsx, html |
//! | `SEAL` | jpg, jpeg, png |
//!
//! A business type not in this table is passed through with the count and size checks only.
//! The type of a file is read from its first bytes when they are recognizable (PDF, PNG,
//! JPEG, GIF, BMP, Office containers), else from its extension.
//!
//! ```
//! use essbasic::upload::prepare_files;
//!
//! let params = prepare_files(&[("contract.pdf", b"%PDF-1.7 ...")], "DOCUMENT")?;
//! assert_eq!(params["BusinessType"], "DOCUMENT");
//! assert_eq!(params["FileInfos"][0]["FileName"], "contract.pdf");
//! assert_eq!(params["FileInfos"][0]["FileBody"], "JVBERi0xLjcgLi4u");
//! # Ok::<(), essbasic::Error>(())
//! ```

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::error::Error;

/// The action these parameters are for.
pub const ACTION: &str = "UploadFiles";
/// The most files one `UploadFiles` call takes.
pub const MAX_FILES: usize = 20;
/// The largest image (jpg, png, ...): 8 MiB.
pub const MAX_IMAGE_BYTES: usize = 8 << 20;
/// The largest non-image file (pdf, doc(x), xls(x), html): 60 MiB.
pub const MAX_OTHER_BYTES: usize = 60 << 20;

/// A file type as far as the limits care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    /// PDF.
    Pdf,
    /// Word 97-2003.
    Doc,
    /// Word.
    Docx,
    /// Excel 97-2003.
    Xls,
    /// Excel.
    Xlsx,
    /// HTML.
    Html,
    /// JPEG (`.jpg` / `.jpeg`).
    Jpg,
    /// PNG.
    Png,
    /// GIF (an image, but no business type takes it).
    Gif,
    /// BMP (an image, but no business type takes it).
    Bmp,
    /// Anything else.
    Other,
}

impl FileType {
    /// The lower-case name (`pdf`, `jpg`, ...; `other`).
    pub fn name(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Doc => "doc",
            FileType::Docx => "docx",
            FileType::Xls => "xls",
            FileType::Xlsx => "xlsx",
            FileType::Html => "html",
            FileType::Jpg => "jpg",
            FileType::Png => "png",
            FileType::Gif => "gif",
            FileType::Bmp => "bmp",
            FileType::Other => "other",
        }
    }

    /// Whether the image limit applies.
    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileType::Jpg | FileType::Png | FileType::Gif | FileType::Bmp
        )
    }

    /// The size limit for this type.
    pub fn max_bytes(self) -> usize {
        if self.is_image() {
            MAX_IMAGE_BYTES
        } else {
            MAX_OTHER_BYTES
        }
    }

    fn from_extension(name: &str) -> FileType {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "pdf" => FileType::Pdf,
            "doc" => FileType::Doc,
            "docx" => FileType::Docx,
            "xls" => FileType::Xls,
            "xlsx" => FileType::Xlsx,
            "html" | "htm" => FileType::Html,
            "jpg" | "jpeg" => FileType::Jpg,
            "png" => FileType::Png,
            "gif" => FileType::Gif,
            "bmp" => FileType::Bmp,
            _ => FileType::Other,
        }
    }
}

/// The type of a file from its first bytes, falling back to its name's extension. Office
/// containers (ZIP, OLE) are told apart by the extension.
pub fn detect(name: &str, bytes: &[u8]) -> FileType {
    let by_name = FileType::from_extension(name);
    let by_magic = if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some(FileType::Jpg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(FileType::Gif)
    } else if bytes.starts_with(b"BM") && by_name == FileType::Bmp {
        Some(FileType::Bmp)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(match by_name {
            FileType::Xlsx => FileType::Xlsx,
            _ => FileType::Docx,
        })
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some(match by_name {
            FileType::Xls => FileType::Xls,
            _ => FileType::Doc,
        })
    } else if looks_like_html(bytes) {
        Some(FileType::Html)
    } else {
        None
    };
    by_magic.unwrap_or(by_name)
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head: Vec<u8> = bytes[start..]
        .iter()
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// The file types `business_type` takes, or `None` for a type this table does not know.
pub fn allowed_types(business_type: &str) -> Option<&'static [FileType]> {
    use FileType::*;
    match business_type {
        "TEMPLATE" => Some(&[Pdf, Doc, Docx, Html]),
        "DOCUMENT" => Some(&[Pdf, Doc, Docx, Jpg, Png, Xls, Xlsx, Html]),
        "SEAL" => Some(&[Jpg, Png]),
        _ => None,
    }
}

/// Checks one file against the limits; returns its type.
pub fn check_file(
    index: usize,
    name: &str,
    bytes: &[u8],
    business_type: &str,
) -> Result<FileType, Error> {
    let path = format!("FileInfos[{index}]");
    let label = if name.is_empty() {
        format!("file #{}", index + 1)
    } else {
        format!("{name:?}")
    };
    if bytes.is_empty() {
        return Err(Error::validation(ACTION, path, format!("{label} is empty")));
    }
    let ty = detect(name, bytes);
    if ty.is_image() && bytes.len() > MAX_IMAGE_BYTES {
        return Err(Error::validation(
            ACTION,
            path,
            format!(
                "{label} is an image of {} bytes; images may have at most {MAX_IMAGE_BYTES} bytes (8 MiB)",
                bytes.len()
            ),
        ));
    }
    if bytes.len() > MAX_OTHER_BYTES {
        return Err(Error::validation(
            ACTION,
            path,
            format!(
                "{label} has {} bytes; files may have at most {MAX_OTHER_BYTES} bytes (60 MiB)",
                bytes.len()
            ),
        ));
    }
    if let Some(allowed) = allowed_types(business_type) {
        if !allowed.contains(&ty) {
            let names: Vec<&str> = allowed.iter().map(|t| t.name()).collect();
            return Err(Error::validation(
                ACTION,
                path,
                format!(
                    "{label} is of type {}; BusinessType {business_type} takes {}",
                    ty.name(),
                    names.join(", ")
                ),
            ));
        }
    }
    Ok(ty)
}

/// The `UploadFiles` parameters for `files` (name, bytes): `BusinessType` and `FileInfos`
/// (`FileBody` in standard base64, `FileName` when the name is not empty). Add `Agent` (and
/// `Deadline` if you want one) before sending.
pub fn prepare_files<N: AsRef<str>, B: AsRef<[u8]>>(
    files: &[(N, B)],
    business_type: &str,
) -> Result<Value, Error> {
    if business_type.is_empty() {
        return Err(Error::validation(
            ACTION,
            "BusinessType".to_owned(),
            "BusinessType is required (TEMPLATE, DOCUMENT or SEAL)",
        ));
    }
    if files.is_empty() {
        return Err(Error::validation(
            ACTION,
            "FileInfos".to_owned(),
            "no file to upload",
        ));
    }
    if files.len() > MAX_FILES {
        return Err(Error::validation(
            ACTION,
            "FileInfos".to_owned(),
            format!(
                "{} files; one UploadFiles call takes at most {MAX_FILES} (split them into batches)",
                files.len()
            ),
        ));
    }
    for (i, (name, bytes)) in files.iter().enumerate() {
        check_file(i, name.as_ref(), bytes.as_ref(), business_type)?;
    }
    let infos: Vec<Value> = files
        .iter()
        .map(|(name, bytes)| {
            let mut m = Map::new();
            m.insert("FileBody".into(), Value::String(B64.encode(bytes.as_ref())));
            if !name.as_ref().is_empty() {
                m.insert("FileName".into(), Value::String(name.as_ref().to_owned()));
            }
            Value::Object(m)
        })
        .collect();
    Ok(json!({ "BusinessType": business_type, "FileInfos": infos }))
}

/// The base name of a path (`/a/b/contract.pdf` → `contract.pdf`), for `FileName`.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}
