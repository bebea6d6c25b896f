//! Waiters as pure decisions: the backoff schedule, the deadline, and how each task's answer
//! is read (including the emulator's and the documentation's status values).

use essbasic::waiter::{classify, decide, next_delay_ms, Progress, TaskKind, WaitPolicy};
use serde_json::json;

#[test]
fn backoff_starts_at_one_second_grows_by_half_and_caps_at_fifteen() {
    let p = WaitPolicy::default();
    let delays: Vec<u64> = (1..=10).map(|a| next_delay_ms(&p, a)).collect();
    assert_eq!(
        delays,
        [1000, 1500, 2250, 3375, 5062, 7593, 11390, 15000, 15000, 15000]
    );
    assert_eq!(next_delay_ms(&p, 1000), 15_000);
    assert_eq!(p.deadline_ms, 600_000);
}

#[test]
fn deadline_cuts_the_last_wait_then_gives_up() {
    let p = WaitPolicy {
        deadline_ms: 10_000,
        ..WaitPolicy::default()
    };
    assert_eq!(decide(&p, 1, 0), Some(1000));
    assert_eq!(decide(&p, 8, 9_000), Some(1000));
    assert_eq!(decide(&p, 8, 10_000), None);
    assert_eq!(decide(&p, 1, 20_000), None);
}

#[test]
fn file_conversion_statuses() {
    for kind in [TaskKind::FileConvert, TaskKind::LegacyFileConvert] {
        let pending = classify(kind, &json!({"TaskStatus": 4, "TaskMessage": "Processing"}));
        assert!(matches!(pending, Progress::Pending { .. }), "{pending:?}");
        assert_eq!(pending.status(), "4 Processing");
        let submitted = classify(
            kind,
            &json!({"TaskStatus": 0, "TaskMessage": "NeedTranform"}),
        );
        assert!(matches!(submitted, Progress::Pending { .. }));
        let done = classify(kind, &json!({"TaskStatus": 8, "ResourceId": "yDpdf"}));
        assert!(matches!(done, Progress::Done(ref v) if v["ResourceId"] == "yDpdf"));
        for failed in [-2, -6, -13] {
            let p = classify(
                kind,
                &json!({"TaskStatus": failed, "TaskMessage": "ProcessFailed"}),
            );
            let err = p.into_result(kind, "t1").unwrap_err();
            assert_eq!(err.kind(), "task");
            assert_eq!(err.code(), "TaskFailed");
            assert!(err.to_string().contains("t1") && err.to_string().contains("ProcessFailed"));
        }
    }
}

#[test]
fn cancel_registration_and_evidence_statuses() {
    let k = TaskKind::CancelFlows;
    assert!(matches!(
        classify(k, &json!({"TaskStatus": "PROCESSING"})),
        Progress::Pending { .. }
    ));
    assert!(matches!(
        classify(k, &json!({"TaskStatus": "END"})),
        Progress::Done(_)
    ));
    assert!(matches!(
        classify(k, &json!({"TaskStatus": "TIMEOUT"})),
        Progress::Failed { .. }
    ));

    let k = TaskKind::OrganizationRegistration;
    let half = classify(
        k,
        &json!({"Details": [{"Status": "Processing"}, {"Status": "Create"}]}),
    );
    assert_eq!(
        half,
        Progress::Pending {
            status: "Processing".into(),
            percent: Some(50)
        }
    );
    let done = classify(
        k,
        &json!({"Details": [{"Status": "Failed"}, {"Status": "Submit"}]}),
    );
    assert!(matches!(done, Progress::Done(_)));
    let failed = classify(
        k,
        &json!({"Details": [{"Status": "Failed", "ErrorMessage": "bad USCC"}]}),
    );
    assert_eq!(
        failed,
        Progress::Failed {
            status: "Failed".into(),
            message: "bad USCC".into()
        }
    );
    assert!(matches!(
        classify(k, &json!({"Details": []})),
        Progress::Pending { .. }
    ));

    let k = TaskKind::EvidenceReport;
    assert!(matches!(
        classify(k, &json!({"Status": "EvidenceStatusExecuting"})),
        Progress::Pending { .. }
    ));
    assert!(matches!(
        classify(
            k,
            &json!({"Status": "EvidenceStatusSuccess", "ReportUrl": "u"})
        ),
        Progress::Done(_)
    ));
    assert!(matches!(
        classify(k, &json!({"Status": "EvidenceStatusFailed"})),
        Progress::Failed { .. }
    ));
}

#[test]
fn actions_ids_and_poll_parameters_fit_the_spec() {
    let agent = json!({"AppId": "yDapp", "ProxyOrganizationOpenId": "org", "ProxyOperator": {"OpenId": "op"}});
    for kind in TaskKind::ALL {
        assert!(
            essbasic::spec::action(kind.start_action()).is_some(),
            "{kind:?}"
        );
        assert!(
            essbasic::spec::action(kind.poll_action())
                .unwrap()
                .read_only,
            "{kind:?}"
        );
        assert_eq!(TaskKind::from_name(kind.name()), Some(kind));
        assert_eq!(TaskKind::from_name(kind.poll_action()), Some(kind));
        let base = json!({"Agent": agent, "ReportType": 1, "ResourceId": "x"});
        let params = kind.poll_params(&base, "task-1");
        essbasic::validate::validate(kind.poll_action(), &params, true)
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert!(params.get("ResourceId").is_none());
    }
    assert_eq!(TaskKind::from_name("convert"), Some(TaskKind::FileConvert));
    assert_eq!(
        TaskKind::from_name("convert-legacy"),
        Some(TaskKind::LegacyFileConvert)
    );
    assert_eq!(TaskKind::from_name("nope"), None);
    assert_eq!(
        TaskKind::EvidenceReport
            .task_id(&json!({"ReportId": "r1"}))
            .as_deref(),
        Some("r1")
    );
    assert_eq!(TaskKind::FileConvert.task_id(&json!({"TaskId": ""})), None);
    assert_eq!(
        TaskKind::OrganizationRegistration.poll_params(&json!({}), "t")["TaskIds"],
        json!(["t"])
    );
}

#[test]
fn profile_file_parsing() {
    use essbasic::profile::{parse_profile, profile_names};
    let text = "# comment\n[default]\nsecret_id = AKIDdef\nsecret_key = \"k-def\"\n\n; another\n[Prod]\nSECRET_ID=AKIDprod\nsecret_key=k-prod\ntoken = tok\n[broken]\nsecret_id = only\n";
    let d = parse_profile(text, "default").unwrap().unwrap();
    assert_eq!(
        (d.secret_id(), d.secret_key(), d.token()),
        ("AKIDdef", "k-def", None)
    );
    let p = parse_profile(text, "prod").unwrap().unwrap();
    assert_eq!((p.secret_id(), p.token()), ("AKIDprod", Some("tok")));
    assert!(parse_profile(text, "none").unwrap().is_none());
    let e = parse_profile(text, "broken").unwrap_err();
    assert!(e.to_string().contains("[broken]") && !e.to_string().contains("only"));
    assert_eq!(profile_names(text), ["default", "Prod", "broken"]);
}

/// The client's waiter over a scripted transport.
#[cfg(feature = "client")]
mod client {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use essbasic::client::{BoxFuture, Client, HttpResponse, WaitUpdate};
    use essbasic::waiter::{Progress, TaskKind, WaitPolicy};
    use essbasic::{Credentials, Error, HttpRequest};
    use serde_json::{json, Value};

    const FAST: WaitPolicy = WaitPolicy {
        initial_delay_ms: 5,
        multiplier: 1.5,
        max_delay_ms: 20,
        deadline_ms: 5_000,
    };

    /// Answers the start action with a task id, then `statuses` one poll at a time.
    fn server(statuses: Vec<Value>, polls: Arc<AtomicU32>) -> Client {
        let transport =
            move |req: HttpRequest, _t| -> BoxFuture<'static, Result<HttpResponse, Error>> {
                let action = req.header("X-TC-Action").unwrap().to_owned();
                let params: Value = serde_json::from_slice(&req.body).unwrap();
                let response = if action.starts_with("Create") {
                    json!({"TaskId": "task-9", "RequestId": "r0"})
                } else {
                    assert_eq!(params["TaskId"], "task-9");
                    assert_eq!(params["Agent"]["AppId"], "yDapp");
                    assert!(params.get("ResourceId").is_none());
                    let n = polls.fetch_add(1, Ordering::SeqCst) as usize;
                    let mut r = statuses[n.min(statuses.len() - 1)].clone();
                    r["RequestId"] = json!(format!("r{}", n + 1));
                    r
                };
                let body = json!({ "Response": response }).to_string().into_bytes();
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

    fn start_params() -> Value {
        json!({"Agent": {"AppId": "yDapp"}, "ResourceType": "docx", "ResourceName": "c",
               "ResourceId": "yDsrc"})
    }

    #[tokio::test]
    async fn polls_until_done_reporting_progress() {
        let polls = Arc::new(AtomicU32::new(0));
        let client = server(
            vec![
                json!({"TaskId": "task-9", "TaskStatus": 0, "TaskMessage": "NeedTranform"}),
                json!({"TaskId": "task-9", "TaskStatus": 4, "TaskMessage": "Processing"}),
                json!({"TaskId": "task-9", "TaskStatus": 8, "TaskMessage": "TaskEnd", "ResourceId": "yDpdf"}),
            ],
            polls.clone(),
        );
        let updates: Arc<Mutex<Vec<WaitUpdate>>> = Arc::default();
        let sink = updates.clone();
        let waiter = client
            .start_task(TaskKind::FileConvert, &start_params())
            .await
            .unwrap();
        assert_eq!(waiter.task_id(), "task-9");
        let done = waiter
            .policy(FAST)
            .on_progress(move |u| sink.lock().unwrap().push(u.clone()))
            .wait()
            .await
            .unwrap();
        assert_eq!(done["ResourceId"], "yDpdf");
        assert_eq!(polls.load(Ordering::SeqCst), 3);
        let updates = updates.lock().unwrap();
        let attempts: Vec<u32> = updates.iter().map(|u| u.attempt).collect();
        assert_eq!(attempts, [1, 2, 3]);
        assert_eq!(updates[0].next_poll_in, Some(Duration::from_millis(5)));
        assert_eq!(updates[1].next_poll_in, Some(Duration::from_millis(7)));
        assert!(matches!(updates[2].progress, Progress::Done(_)));
        assert_eq!(updates[2].next_poll_in, None);
    }

    #[tokio::test]
    async fn failures_are_typed_and_the_deadline_gives_up() {
        let client = server(
            vec![json!({"TaskId": "task-9", "TaskStatus": -6, "TaskMessage": "ProcessFailed"})],
            Arc::default(),
        );
        let err = client
            .waiter(TaskKind::FileConvert, &start_params(), "task-9")
            .policy(FAST)
            .wait()
            .await
            .unwrap_err();
        match &err {
            Error::Task {
                task,
                task_id,
                status,
                message,
            } => {
                assert_eq!(
                    (task.as_str(), task_id.as_str()),
                    ("file_convert", "task-9")
                );
                assert_eq!((status.as_str(), message.as_str()), ("-6", "ProcessFailed"));
            }
            other => panic!("{other:?}"),
        }
        let client = server(
            vec![json!({"TaskId": "task-9", "TaskStatus": 4})],
            Arc::default(),
        );
        let started = std::time::Instant::now();
        let err = client
            .waiter(TaskKind::FileConvert, &start_params(), "task-9")
            .policy(FAST)
            .deadline(Duration::from_millis(80))
            .wait()
            .await
            .unwrap_err();
        assert_eq!(err, Error::Timeout { after_ms: 80 });
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}
