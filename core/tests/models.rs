//! The generated models (`essbasic::generated::models`): wire names, tolerance of what the
//! service sends, and the `Action` trait.

use essbasic::generated::models::*;
use essbasic::spec::{self, Scalar, TypeRef};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

#[test]
fn request_serializes_with_spec_wire_names() {
    let req = ChannelCreateFlowByFilesRequest {
        agent: Some(Agent {
            app_id: "app".into(),
            proxy_organization_open_id: Some("org".into()),
            proxy_operator: Some(UserInfo {
                open_id: Some("op".into()),
                ..Default::default()
            }),
            ..Default::default()
        }),
        flow_name: Some("contract".into()),
        file_ids: Some(vec!["file1".into()]),
        deadline: Some(1_700_000_000),
        unordered: Some(false),
        flow_approvers: Some(vec![FlowApproverInfo {
            name: Some("Alice".into()),
            mobile: Some("13200000000".into()),
            approver_type: Some("PERSON".into()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let v = serde_json::to_value(&req).unwrap();
    assert_eq!(
        v,
        json!({
            "Agent": {
                "AppId": "app",
                "ProxyOrganizationOpenId": "org",
                "ProxyOperator": { "OpenId": "op" }
            },
            "FlowName": "contract",
            "FlowApprovers": [
                { "Name": "Alice", "Mobile": "13200000000", "ApproverType": "PERSON" }
            ],
            "FileIds": ["file1"],
            "Deadline": 1_700_000_000,
            "Unordered": false
        })
    );
    assert_eq!(
        <ChannelCreateFlowByFilesRequest as Action>::NAME,
        "ChannelCreateFlowByFiles"
    );
}

#[test]
fn names_that_pascal_case_would_not_round_trip() {
    let req = CreateRequestWithEncryptionRequest {
        request_action: "ChannelCancelFlow".into(),
        application_id: "app".into(),
        iv: "iv".into(),
        encrypted_data: "data".into(),
        encryption_signature: None,
    };
    let v = serde_json::to_value(&req).unwrap();
    assert_eq!(
        v,
        json!({
            "RequestAction": "ChannelCancelFlow",
            "ApplicationId": "app",
            "IV": "iv",
            "EncryptedData": "data"
        })
    );
    let resp: CreateBatchInitOrganizationUrlResponse =
        serde_json::from_value(json!({ "QRCodeUrl": "https://q", "RequestId": "r" })).unwrap();
    assert_eq!(resp.qr_code_url.as_deref(), Some("https://q"));
    let p: Permission = serde_json::from_value(json!({ "Type": 2, "Children": [] })).unwrap();
    assert_eq!(p.r#type, Some(2));
    assert_eq!(p.children, Some(vec![]));
    // The spec object `Option` is `OptionItem` in Rust; its wire form is unchanged.
    let o = OptionItem {
        key: "k".into(),
        value: "v".into(),
    };
    assert_eq!(
        serde_json::to_value(&o).unwrap(),
        json!({ "Key": "k", "Value": "v" })
    );
}

#[test]
fn responses_tolerate_unknown_absent_and_null_members() {
    let resp: ChannelCreateFlowByFilesResponse = serde_json::from_value(json!({
        "FlowId": "flow",
        "Approvers": null,
        "SomethingNew": { "Nested": [1, 2, 3] },
        "RequestId": "req"
    }))
    .unwrap();
    assert_eq!(resp.flow_id.as_deref(), Some("flow"));
    assert_eq!(resp.approvers, None);
    assert_eq!(resp.preview_url, None);
    assert_eq!(resp.request_id.as_deref(), Some("req"));

    let empty: DescribeFlowDetailInfoResponse = serde_json::from_value(json!({})).unwrap();
    assert_eq!(empty, DescribeFlowDetailInfoResponse::default());
}

#[test]
#[allow(deprecated)]
fn deprecated_actions_still_implement_action() {
    assert_eq!(
        <ChannelGetTaskResultApiRequest as Action>::NAME,
        "ChannelGetTaskResultApi"
    );
    assert_eq!(
        <ChannelCreateConvertTaskApiRequest as Action>::NAME,
        "ChannelCreateConvertTaskApi"
    );
    let out: <ChannelGetTaskResultApiRequest as Action>::Output =
        serde_json::from_value(json!({ "TaskId": "t", "TaskStatus": 2 })).unwrap();
    assert_eq!(out.task_status, Some(2));
    let a = spec::action("ChannelGetTaskResultApi").unwrap();
    assert!(a.deprecated);
}

/// A JSON value carrying every member of the spec object (lists with one element), nested
/// down to `depth` levels.
fn full_value(object: &spec::ObjectSpec, depth: usize) -> Value {
    let mut map = serde_json::Map::new();
    for m in object.members {
        let elem = match m.ty {
            TypeRef::Scalar(Scalar::String) => json!("s"),
            TypeRef::Scalar(Scalar::Int64) => json!(-7),
            TypeRef::Scalar(Scalar::Uint64) => json!(7u64),
            TypeRef::Scalar(Scalar::Float) => json!(1.5),
            TypeRef::Scalar(Scalar::Bool) => json!(true),
            TypeRef::Object(id) => {
                if depth == 0 {
                    if m.list {
                        map.insert(m.name.to_string(), json!([]));
                    }
                    continue;
                }
                full_value(&spec::OBJECTS[id as usize], depth - 1)
            }
        };
        let v = if m.list { json!([elem]) } else { elem };
        map.insert(m.name.to_string(), v);
    }
    Value::Object(map)
}

/// Every member of the spec table survives a round trip through the typed struct.
fn round_trip<T: Serialize + DeserializeOwned>(object_name: &str) {
    let object = spec::object(object_name).unwrap();
    let v = full_value(object, 3);
    let typed: T =
        serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{object_name}: {e}\n{v:#}"));
    assert_eq!(serde_json::to_value(&typed).unwrap(), v, "{object_name}");
}

#[test]
fn typed_structs_carry_every_member_of_the_table() {
    round_trip::<ChannelCreateFlowByFilesRequest>("ChannelCreateFlowByFilesRequest");
    round_trip::<ChannelCreateFlowByFilesResponse>("ChannelCreateFlowByFilesResponse");
    round_trip::<DescribeFlowDetailInfoResponse>("DescribeFlowDetailInfoResponse");
    round_trip::<CreateRequestWithEncryptionResponse>("CreateRequestWithEncryptionResponse");
    round_trip::<CreateBatchInitOrganizationUrlResponse>("CreateBatchInitOrganizationUrlResponse");
    round_trip::<ChannelCreateFlowGroupByFilesRequest>("ChannelCreateFlowGroupByFilesRequest");
    round_trip::<UploadFilesRequest>("UploadFilesRequest");
    round_trip::<Permission>("Permission");
    round_trip::<OptionItem>("Option");
}
