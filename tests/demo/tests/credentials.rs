//! The Rust client's credential chain: explicit → environment → profile file. One test in
//! its own binary, since it changes the process environment.

use essbasic::client::Client;
use essbasic::Credentials;

#[test]
fn the_chain_in_order() {
    let home = std::env::temp_dir().join(format!("essbasic-cred-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
    for var in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
        "TENCENTCLOUD_PROFILE",
    ] {
        std::env::remove_var(var);
    }
    std::env::set_var("HOME", &home);
    let id = |c: &Client| format!("{c:?}");

    // Nothing anywhere: the error names what was looked for, and no secret.
    let err = Client::builder().build().unwrap_err().to_string();
    for looked_for in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "[default]",
        ".tencentcloud/credentials",
    ] {
        assert!(err.contains(looked_for), "{err}");
    }

    // The profile file, default section and a named one.
    std::fs::write(
        home.join(".tencentcloud/credentials"),
        "[default]\nsecret_id = AKIDfromfile\nsecret_key = file-secret\n\n[prod]\nsecret_id=AKIDprod\nsecret_key=prod-secret\ntoken=prod-token\n",
    )
    .unwrap();
    let c = Client::builder().build().unwrap();
    assert!(id(&c).contains("AKIDfromfile"));
    std::env::set_var("TENCENTCLOUD_PROFILE", "prod");
    let c = Client::builder().build().unwrap();
    assert!(id(&c).contains("AKIDprod"));
    assert!(!id(&c).contains("prod-secret") && !id(&c).contains("prod-token"));
    let err = Client::builder()
        .from_default_chain(Some("nosuch"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("[nosuch]"), "{err}");

    // The environment wins over the file; half a setting is an error naming the missing half.
    std::env::set_var("TENCENTCLOUD_SECRET_ID", "AKIDfromenv");
    let err = Client::builder().build().unwrap_err().to_string();
    assert!(err.contains("TENCENTCLOUD_SECRET_KEY"), "{err}");
    std::env::set_var("TENCENTCLOUD_SECRET_KEY", "env-secret");
    let c = Client::builder().build().unwrap();
    assert!(id(&c).contains("AKIDfromenv"));

    // Explicit credentials win over everything.
    let c = Client::builder()
        .credentials(Credentials::new("AKIDexplicit", "explicit-secret"))
        .build()
        .unwrap();
    assert!(id(&c).contains("AKIDexplicit"));
    assert!(!id(&c).contains("explicit-secret"));
    std::fs::remove_dir_all(&home).unwrap();
}
