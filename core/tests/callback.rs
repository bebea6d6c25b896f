//! Callbacks: a known answer computed with `openssl` (AES-256-CBC with the key's bytes and
//! its first 16 bytes as IV; HMAC-SHA256 of the body with the token), the plain and URL-check
//! forms, every refusal, and secret hygiene.

use essbasic::callback::{self, open, open_value, verify_signature, Event};
use serde_json::{json, Value};

const KEY: &str = "0123456789ABCDEFfedcba9876543210";
const TOKEN: &str = "callback-token";
const ENVELOPE: &str = r#"{"MsgId":"yDmsg0001","MsgType":"FlowStatusChange","MsgVersion":"ThirdPartyApp","MsgData":{"ApplicationId":"yDapp","ProxyOrganizationOpenId":"org-1","FlowId":"yDflow01","FlowName":"Lease","FlowType":"contract","FlowStatus":"ALL","FlowMessage":"","CreateOn":1700000000,"Deadline":1700604800,"CustomerData":"order-42","FlowApproverInfo":[{"ReceiptId":"yDrcpt","ProxyOrganizationOpenId":"org-1","ProxyOperatorOpenId":"op-1","ProxyOrganizationName":"ACME","Mobile":"132****0000","SignOrder":0,"ApproveName":"Alice","ApproveStatus":"ACCEPT","ApproveMessage":"","ApproveTime":1700000100,"ApproveType":"ORGANIZATION"}]}}"#;
// KHEX=$(printf %s "$KEY" | xxd -p -c 256); IVHEX=$(printf %s "${KEY:0:16}" | xxd -p -c 256)
// printf %s "$ENVELOPE" | openssl enc -aes-256-cbc -K $KHEX -iv $IVHEX -base64 -A
const ENCRYPTED: &str = "XbrqsasD9R7Ru4UCVpKKKJeN237pWj2MFDmIROojKBR59vFXnqtEZvj+dZlhzmRjED7DzN1EGISHmcL+eMd2KQAb0o+RvInhAYIzDwUPHI3EbnLLPzv2vxLqJTvyb+QIXznZT2GMEGWCf/vfkMTmg/WfSjEXPtKEfihLtuo51VG5E+G5Doly9wHdGEof+BNLMH2p8tobywMpQ2kRZzktG+uZVgelKhzSAHnr9yYQddwzI80iJR2EUtaBv8rmdwJcI1rmhvVGzpzkbd8nnLw9mZCrkW8T1iSdhBTnnsErHO66ei0HBhPU7NnED0Xl/d4ToQTzjuV7oB6OElIJaWVS+kjSJsB/YE2ktXg4Hd4nIrR30ecFooKIocNFDbT2pC8Wv27VK3IDBMjSrbIt9iO9KUVn0Ph4sWEDQwMc8cCg4wPDN42gKobMsw765H66f9rHjLiW2kRq8m72U/qkWetzCCAtBw4nzQ3I1jyRkcvKA4k2KV50y8DnkzsXB9Au/3RCpOGLfq1RG4RT8yeENGeWopfg0Etv4EGTN9AWy7vXVIG9QKZKtur4kzzOz/7Nk3TR1WqoZWwAHxLPGapf0p9fwqEv5lnMlam9xJgPjCVR0ySMxhxp7Bfhjt97wdnkM/iIQ+rcz3CxXE/YPCsEaf6ZiiUjcQjwA7yWSDGmmBnH3/UlD1pCxuft1DJqF6ECztA070wR80uJhPmP+XFQd0jrZCZKZZ0CB9zmtgoKvyyHixkFUbyWtuEeG8xdgqechXGiuO35alsICxUjMbK9PtNbJJdeBAwcdxS2Yg/kXkic0ZKsEqLXwHtIdSQiBJdPjkDN";
// printf %s "{\"encrypt\":\"$ENCRYPTED\"}" | openssl dgst -sha256 -hmac "$TOKEN"
const SIGNATURE_HEX: &str = "94727739b0562a7c38ac7d414aff1ef23fbf890bd2ec18ea6956e3a3421dfb21";

fn body() -> Vec<u8> {
    format!("{{\"encrypt\":\"{ENCRYPTED}\"}}").into_bytes()
}

fn signature() -> String {
    format!("sha256={SIGNATURE_HEX}")
}

#[test]
fn known_answer_decodes_into_a_typed_flow_status_change() {
    let event = open(&body(), Some(KEY), Some(TOKEN), Some(&signature()))
        .unwrap()
        .unwrap();
    assert_eq!(event.msg_id, "yDmsg0001");
    assert_eq!(event.msg_type, "FlowStatusChange");
    assert_eq!(event.msg_version, "ThirdPartyApp");
    assert_eq!(
        event.to_value(),
        serde_json::from_str::<Value>(ENVELOPE).unwrap()
    );
    let Event::FlowStatusChange(f) = event.event() else {
        panic!("{:?}", event.event())
    };
    assert_eq!(f.flow_id.as_deref(), Some("yDflow01"));
    assert_eq!(f.flow_status.as_deref(), Some("ALL"));
    assert!(f.is_final());
    assert_eq!(f.create_on, Some(1_700_000_000));
    assert_eq!(f.deadline, Some(1_700_604_800));
    assert_eq!(f.customer_data.as_deref(), Some("order-42"));
    assert_eq!(f.approvers.len(), 1);
    assert_eq!(f.approvers[0].approve_status.as_deref(), Some("ACCEPT"));
    assert_eq!(f.approvers[0].approve_time, Some(1_700_000_100));
    // The same with a hex signature in upper case, and with no token configured.
    let upper = format!("SHA256={}", SIGNATURE_HEX.to_uppercase());
    assert!(open(&body(), Some(KEY), Some(TOKEN), Some(&upper))
        .unwrap()
        .is_some());
    assert!(open(&body(), Some(KEY), None, None).unwrap().is_some());
    // What bindings forward.
    assert_eq!(
        open_value(&body(), Some(KEY), Some(TOKEN), Some(&signature())).unwrap()["MsgId"],
        "yDmsg0001"
    );
}

#[test]
fn seal_reproduces_the_known_answer() {
    let sealed = callback::seal(ENVELOPE.as_bytes(), Some(KEY), Some(TOKEN)).unwrap();
    assert_eq!(sealed.body, body());
    assert_eq!(sealed.signature, Some(signature()));
    assert_eq!(callback::signature(TOKEN, &body()), signature());
    assert_eq!(
        callback::decrypt(ENCRYPTED, KEY).unwrap(),
        ENVELOPE.as_bytes()
    );
}

#[test]
fn plain_form_and_url_check() {
    // No key configured: the body is the envelope itself.
    let e = open(ENVELOPE.as_bytes(), None, None, None)
        .unwrap()
        .unwrap();
    assert_eq!(e.msg_id, "yDmsg0001");
    // Plain and signed.
    let sig = callback::signature(TOKEN, ENVELOPE.as_bytes());
    assert!(open(ENVELOPE.as_bytes(), None, Some(TOKEN), Some(&sig))
        .unwrap()
        .is_some());
    // The console's URL check, with or without a key, signed or not.
    for body in [&b"{}"[..], b" { }\r\n", b"\xEF\xBB\xBF{}"] {
        assert!(open(body, Some(KEY), Some(TOKEN), None).unwrap().is_none());
        assert!(open(body, None, None, None).unwrap().is_none());
    }
    assert_eq!(
        open_value(b"{}", Some(KEY), None, None).unwrap(),
        Value::Null
    );
    // A URL check with a wrong signature is still refused.
    assert!(open(b"{}", Some(KEY), Some(TOKEN), Some("sha256=00")).is_err());
}

#[test]
fn unknown_types_pass_through_and_msgdata_strings_are_parsed() {
    let plain = json!({"MsgId": "m", "MsgType": "SomethingNew", "MsgVersion": "ThirdPartyApp",
                       "MsgData": "{\"X\":1}"})
    .to_string();
    let sealed = callback::seal(plain.as_bytes(), Some(KEY), None).unwrap();
    let e = open(&sealed.body, Some(KEY), None, None).unwrap().unwrap();
    assert_eq!(e.msg_data, json!({"X": 1}));
    match e.event() {
        Event::Other { msg_type, data } => {
            assert_eq!(msg_type, "SomethingNew");
            assert_eq!(data["X"], 1);
        }
        other => panic!("{other:?}"),
    }
    // The other documented types are typed, leniently (strings for numbers and booleans).
    let typed = |t: &str, data: Value| {
        let plain =
            json!({"MsgId": "m", "MsgType": t, "MsgVersion": "ThirdPartyApp", "MsgData": data});
        open(plain.to_string().as_bytes(), None, None, None)
            .unwrap()
            .unwrap()
            .event()
    };
    match typed(
        "OperateSeal",
        json!({"SealId": "s", "Operate": "Enable", "ProxyOperatorOpenId": "op"}),
    ) {
        Event::OperateSeal(s) => {
            assert_eq!(s.seal_id.as_deref(), Some("s"));
            assert_eq!(s.operate.as_deref(), Some("Enable"));
        }
        other => panic!("{other:?}"),
    }
    match typed("VerifyStaffInfo", json!({"ProxyOperatorOpenId": "op-9"})) {
        Event::VerifyStaffInfo(s) => assert_eq!(s.proxy_operator_open_id.as_deref(), Some("op-9")),
        other => panic!("{other:?}"),
    }
    match typed("OrgAuth", json!({"AuthSuccess": "true"})) {
        Event::OrgAuth(a) => assert_eq!(a.auth_success, Some(true)),
        other => panic!("{other:?}"),
    }
    match typed(
        "OrgCertify",
        json!({"OperateSuccess": false, "CertifyReason": "blurred"}),
    ) {
        Event::OrgCertify(c) => {
            assert_eq!(c.operate_success, Some(false));
            assert_eq!(c.certify_reason.as_deref(), Some("blurred"));
        }
        other => panic!("{other:?}"),
    }
    match typed(
        "OrgOpenTsignBiz",
        json!({"ProxyAppId": "yDproxy", "OpenSuccess": 1, "USCC": "91x"}),
    ) {
        Event::OrgOpenTsignBiz(o) => {
            assert_eq!(o.proxy_app_id.as_deref(), Some("yDproxy"));
            assert_eq!(o.open_success, Some(true));
            assert_eq!(o.uscc.as_deref(), Some("91x"));
        }
        other => panic!("{other:?}"),
    }
    match typed(
        "FlowStatusChange",
        json!({"CreateOn": "1700000000", "FlowStatus": "PART"}),
    ) {
        Event::FlowStatusChange(f) => {
            assert_eq!(f.create_on, Some(1_700_000_000));
            assert!(!f.is_final());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn refusals() {
    let refused = |r: Result<Option<callback::CallbackEvent>, essbasic::Error>| {
        let e = r.expect_err("must be refused");
        assert_eq!(e.kind(), "callback");
        assert_eq!(e.code(), "CallbackError");
        e.to_string()
    };
    // Signature: missing, malformed, wrong, over a changed body, with a wrong token.
    assert!(refused(open(&body(), Some(KEY), Some(TOKEN), None)).contains("no Content-Signature"));
    assert!(
        refused(open(&body(), Some(KEY), Some(TOKEN), Some(SIGNATURE_HEX))).contains("sha256=")
    );
    assert!(
        refused(open(&body(), Some(KEY), Some(TOKEN), Some("sha256=zz"))).contains("hexadecimal")
    );
    let mut changed = body();
    let n = changed.len();
    changed.insert(n - 1, b' ');
    assert!(
        refused(open(&changed, Some(KEY), Some(TOKEN), Some(&signature())))
            .contains("does not match")
    );
    assert!(
        refused(open(&body(), Some(KEY), Some("other"), Some(&signature())))
            .contains("does not match")
    );
    // Keys: wrong length, wrong key, none while the body is encrypted.
    assert!(refused(open(&body(), Some("short"), None, None)).contains("32"));
    refused(open(
        &body(),
        Some("ffffffffffffffffffffffffffffffff"),
        None,
        None,
    ));
    assert!(refused(open(&body(), None, None, None)).contains("no callback key"));
    // A plain envelope while a key is configured (an attacker skipping the encryption).
    assert!(refused(open(ENVELOPE.as_bytes(), Some(KEY), None, None)).contains("not encrypted"));
    // Garbage.
    refused(open(b"not json", Some(KEY), None, None));
    refused(open(b"[]", Some(KEY), None, None));
    refused(open(br#"{"encrypt": 5}"#, Some(KEY), None, None));
    refused(open(br#"{"encrypt": "%%%"}"#, Some(KEY), None, None));
    refused(open(br#"{"encrypt": "AAAA"}"#, Some(KEY), None, None));
    refused(open(br#"{"MsgId":"m"}"#, None, None, None));
    refused(open(
        &vec![b' '; callback::MAX_BODY_BYTES + 1],
        None,
        None,
        None,
    ));
    assert!(verify_signature(b"x", TOKEN, "sha256=").is_err());
}

#[test]
fn secrets_never_appear_in_errors() {
    let cases = [
        open(&body(), Some(KEY), Some(TOKEN), Some("sha256=0011")),
        open(
            &body(),
            Some("ffffffffffffffffffffffffffffffff"),
            Some(TOKEN),
            Some(&signature()),
        ),
        open(&body(), Some(&KEY[..31]), None, None),
        open(
            ENVELOPE.as_bytes(),
            Some(KEY),
            Some(TOKEN),
            Some(&callback::signature(TOKEN, ENVELOPE.as_bytes())),
        ),
    ];
    for r in cases {
        let e = r.unwrap_err();
        let text = format!("{e} {e:?}");
        for secret in [
            KEY,
            &KEY[..31],
            TOKEN,
            "ffffffffffffffffffffffffffffffff",
            "yDflow01",
        ] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}
