//! `UploadFiles` preparation: base64, names, the count, size and type limits, with errors
//! that name the file.

use base64::Engine as _;
use essbasic::upload::{
    check_file, detect, file_name, prepare_files, FileType, MAX_FILES, MAX_IMAGE_BYTES,
    MAX_OTHER_BYTES,
};
use serde_json::json;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";

fn sized(prefix: &[u8], len: usize) -> Vec<u8> {
    let mut v = prefix.to_vec();
    v.resize(len, 0);
    v
}

#[test]
fn prepares_params_that_validate_against_the_spec() {
    let files = [("合同.pdf", PDF.to_vec()), ("", b"<html></html>".to_vec())];
    let mut params = prepare_files(&files, "DOCUMENT").unwrap();
    assert_eq!(params["BusinessType"], "DOCUMENT");
    let infos = params["FileInfos"].as_array().unwrap();
    assert_eq!(infos.len(), 2);
    assert_eq!(infos[0]["FileName"], "合同.pdf");
    let b64 = base64::engine::general_purpose::STANDARD;
    assert_eq!(
        b64.decode(infos[0]["FileBody"].as_str().unwrap()).unwrap(),
        PDF
    );
    assert!(infos[1].get("FileName").is_none());
    params["Agent"] = json!({"AppId": "yDapp"});
    essbasic::validate::validate("UploadFiles", &params, true).unwrap();
}

#[test]
fn count_limit() {
    let files: Vec<(String, Vec<u8>)> = (0..=MAX_FILES)
        .map(|i| (format!("f{i}.pdf"), PDF.to_vec()))
        .collect();
    let e = prepare_files(&files, "DOCUMENT").unwrap_err();
    assert_eq!(e.kind(), "validation");
    assert!(e.to_string().contains("at most 20"), "{e}");
    assert!(prepare_files(&files[..MAX_FILES], "DOCUMENT").is_ok());
    let none: [(&str, &[u8]); 0] = [];
    assert!(prepare_files(&none, "DOCUMENT").is_err());
    assert!(prepare_files(&[("a.pdf", PDF)], "").is_err());
}

#[test]
fn size_limits_by_type() {
    // An image: 8 MiB allowed, one byte more refused, whatever its name says.
    assert!(check_file(0, "seal.png", &sized(PNG, MAX_IMAGE_BYTES), "SEAL").is_ok());
    let e = check_file(3, "photo.pdf", &sized(PNG, MAX_IMAGE_BYTES + 1), "DOCUMENT").unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("FileInfos[3]") && text.contains("image"),
        "{text}"
    );
    // Other files: 60 MiB.
    assert!(check_file(0, "big.pdf", &sized(PDF, MAX_OTHER_BYTES), "DOCUMENT").is_ok());
    let e = check_file(1, "big.pdf", &sized(PDF, MAX_OTHER_BYTES + 1), "DOCUMENT").unwrap_err();
    assert!(e.to_string().contains("\"big.pdf\""), "{e}");
    assert!(check_file(0, "empty.pdf", b"", "DOCUMENT").is_err());
}

#[test]
fn types_by_business_type() {
    assert!(check_file(0, "t.docx", b"PK\x03\x04rest", "TEMPLATE").is_ok());
    let e = check_file(0, "seal.pdf", PDF, "SEAL").unwrap_err();
    assert!(
        e.to_string().contains("BusinessType SEAL takes jpg, png"),
        "{e}"
    );
    assert!(check_file(0, "t.png", PNG, "TEMPLATE").is_err());
    assert!(check_file(0, "x.gif", b"GIF89a....", "DOCUMENT").is_err());
    // An unknown business type gets the size checks only.
    assert!(check_file(0, "anything.bin", b"data", "SOMETHING_NEW").is_ok());
}

#[test]
fn detection_and_names() {
    assert_eq!(detect("a.bin", PDF), FileType::Pdf);
    assert_eq!(detect("noext", PNG), FileType::Png);
    assert_eq!(detect("x.jpeg", b"\xFF\xD8\xFF\xE0"), FileType::Jpg);
    assert_eq!(detect("sheet.xlsx", b"PK\x03\x04"), FileType::Xlsx);
    assert_eq!(
        detect("old.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
        FileType::Xls
    );
    assert_eq!(detect("page.HTM", b"<html>"), FileType::Html);
    assert_eq!(detect("a.txt", b"hello"), FileType::Other);
    assert_eq!(file_name("/tmp/dir/contract.pdf"), "contract.pdf");
    assert_eq!(file_name("C:\\docs\\a.docx"), "a.docx");
}

/// `Client::upload_bytes` / `upload_paths` over a scripted transport.
#[cfg(feature = "client")]
mod client {
    use super::*;
    use essbasic::client::{BoxFuture, Client, HttpResponse};
    use essbasic::{Credentials, Error, HttpRequest};
    use serde_json::Value;

    fn client(bodies: std::sync::Arc<std::sync::Mutex<Vec<Value>>>) -> Client {
        let transport = move |req: HttpRequest,
                              _t|
              -> BoxFuture<'static, Result<HttpResponse, Error>> {
            bodies
                .lock()
                .unwrap()
                .push(serde_json::from_slice(&req.body).unwrap());
            let body = br#"{"Response":{"FileIds":["yDfile"],"FileUrls":[],"TotalCount":1,"RequestId":"r"}}"#.to_vec();
            Box::pin(async move {
                Ok(HttpResponse {
                    status: 200,
                    headers: vec![],
                    body,
                })
            })
        };
        Client::builder()
            .credentials(Credentials::new("AKIDtest", "secret"))
            .endpoint("http://127.0.0.1:9")
            .transport(transport)
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn uploads_bytes_and_paths_and_checks_before_sending() {
        let bodies = std::sync::Arc::default();
        let c = client(std::sync::Arc::clone(&bodies));
        let agent = json!({"AppId": "yDapp"});
        let out = c
            .upload_bytes(&agent, "DOCUMENT", &[("a.pdf", PDF)])
            .await
            .unwrap();
        assert_eq!(out["FileIds"][0], "yDfile");
        let dir = std::env::temp_dir().join(format!("essbasic-upload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("seal.png");
        std::fs::write(&path, PNG).unwrap();
        c.upload_paths(&agent, "SEAL", &[&path]).await.unwrap();
        let sent = bodies.lock().unwrap().clone();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1]["FileInfos"][0]["FileName"], "seal.png");
        assert_eq!(sent[1]["Agent"]["AppId"], "yDapp");
        // Refused before anything is sent.
        let e = c
            .upload_paths(&agent, "SEAL", &[dir.join("missing.png")])
            .await
            .unwrap_err();
        assert!(e.to_string().contains("cannot read"), "{e}");
        let e = c
            .upload_bytes(&agent, "SEAL", &[("a.pdf", PDF)])
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "validation");
        assert_eq!(bodies.lock().unwrap().len(), 2);
        std::fs::remove_dir_all(&dir).ok();
    }
}
