//! The Rust conformance runner: every `*.json` under `tests/vectors/` (or
//! `$ESSBASIC_VECTORS_DIR`), every case by its kind. Prints each failure with its case id,
//! then `rust: N passed, M failed`, and exits non-zero on any failure. A case of an unknown
//! kind fails.

mod json_eq;
mod requests;
mod responses;
mod signing;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn vectors_dir() -> PathBuf {
    match std::env::var_os("ESSBASIC_VECTORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors"),
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read the vectors directory {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn check(case: &Value) -> Result<(), String> {
    match case["kind"].as_str() {
        Some("signing") => signing::check(case),
        Some("request") => requests::check(case),
        Some("response") => responses::check(case),
        other => Err(format!("unknown case kind {other:?}")),
    }
}

fn main() {
    let dir = vectors_dir();
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable vector file");
        let doc: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
        let Some(cases) = doc["cases"].as_array() else {
            eprintln!("{}: no `cases` array", file.display());
            failed += 1;
            continue;
        };
        for case in cases {
            let id = case["id"].as_str().unwrap_or("<no id>");
            match std::panic::catch_unwind(|| check(case)) {
                Ok(Ok(())) => passed += 1,
                Ok(Err(why)) => {
                    failed += 1;
                    eprintln!("FAIL {id}: {why}");
                }
                Err(_) => {
                    failed += 1;
                    eprintln!("FAIL {id}: panicked");
                }
            }
        }
    }
    if files.is_empty() {
        eprintln!("no vector files under {}", dir.display());
        failed += 1;
    }
    println!("rust: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}
