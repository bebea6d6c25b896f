//! HTTP/1.1 response reading never panics, and how the bytes are split into reads changes
//! nothing: fed whole or in two pieces at any point, the outcome is the same.
#![no_main]
use essbasic::http1::{Progress, ResponseReader};
use libfuzzer_sys::fuzz_target;

fn read(chunks: &[&[u8]], limit: Option<u64>) -> Result<(Progress, u16, Vec<u8>, bool), String> {
    let mut r = ResponseReader::new(limit);
    let mut progress = Progress::NeedMore;
    for chunk in chunks {
        progress = r.feed(chunk).map_err(|e| e.to_string())?;
        if progress == Progress::TooLarge {
            break;
        }
    }
    if progress == Progress::NeedMore {
        progress = r.eof().map_err(|e| e.to_string())?;
    }
    Ok((progress, r.status(), r.take_body(), r.keep_alive()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, wire)) = data.split_first() else { return };
    let limit = if cut & 1 == 0 { None } else { Some(u64::from(cut) * 4) };
    let at = (cut as usize * 31) % (wire.len() + 1);
    let whole = read(&[wire], limit);
    let split = read(&[&wire[..at], &wire[at..]], limit);
    match (&whole, &split) {
        // Errors may differ in wording only if both fail.
        (Err(_), Err(_)) => {}
        _ => assert_eq!(whole, split, "split at {at}"),
    }
    if let Ok((Progress::Done, _, body, _)) = &whole {
        if let Some(limit) = limit {
            assert!(body.len() as u64 <= limit);
        }
    }
});
