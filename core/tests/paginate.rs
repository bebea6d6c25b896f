//! Pagination: the pageable actions derived from the spec by naming rules, and the stateless
//! first / next steps for both offset units and the string-typed `Limit`.

use essbasic::paginate::{
    first_page, first_page_with, items, next_page, next_page_with, pageable, pageable_actions,
    OffsetUnit,
};
use serde_json::{json, Value};

#[test]
fn the_naming_rules_find_exactly_the_documented_list_actions() {
    let found: Vec<(&str, &str, &str)> = pageable_actions()
        .iter()
        .map(|p| (p.action, p.items_member, p.total_member))
        .collect();
    assert_eq!(
        found,
        [
            ("ChannelDescribeBillUsageDetail", "Details", "Total"),
            ("ChannelDescribeEmployees", "Employees", "TotalCount"),
            ("ChannelDescribeOrganizationSeals", "Seals", "TotalCount"),
            ("ChannelDescribeRoles", "ChannelRoles", "TotalCount"),
            (
                "DescribeChannelOrganizations",
                "ChannelOrganizationInfos",
                "Total"
            ),
            ("DescribeTemplates", "Templates", "TotalCount"),
            ("DescribeUsage", "Details", "Total"),
        ]
    );
    // Offset/Limit actions that are not iterated, and why.
    assert!(pageable("OperateChannelTemplate").is_none()); // changes state
    assert!(pageable("DescribeExtendedServiceAuthDetail").is_none()); // nested lists
    assert!(pageable("ChannelCancelFlow").is_none());
    assert!(pageable("NoSuchAction").is_none());
    assert!(pageable("ChannelDescribeRoles").unwrap().limit_is_string);
}

#[test]
fn first_page_fills_offset_and_limit_with_spec_types() {
    let p = first_page("DescribeTemplates", &json!({"Agent": {"AppId": "a"}})).unwrap();
    assert_eq!(
        (p["Offset"].clone(), p["Limit"].clone()),
        (json!(0), json!(20))
    );
    essbasic::validate::validate("DescribeTemplates", &p, true).unwrap();
    let roles = first_page(
        "ChannelDescribeRoles",
        &json!({"Agent": {"AppId": "a"}, "Limit": "50"}),
    )
    .unwrap();
    assert_eq!(roles["Limit"], json!("50"));
    essbasic::validate::validate("ChannelDescribeRoles", &roles, true).unwrap();
    let kept = first_page("DescribeTemplates", &json!({"Offset": 40, "Limit": 10})).unwrap();
    assert_eq!(
        (kept["Offset"].clone(), kept["Limit"].clone()),
        (json!(40), json!(10))
    );
    assert_eq!(
        first_page("DescribeTemplates", &json!({"Limit": 0}))
            .unwrap_err()
            .kind(),
        "validation"
    );
    assert_eq!(
        first_page("DescribeTemplates", &json!({"Limit": "x"}))
            .unwrap_err()
            .kind(),
        "validation"
    );
    let e = first_page("ChannelCancelFlow", &json!({})).unwrap_err();
    assert!(e.to_string().contains("not a paginated action"), "{e}");
}

fn page(member: &str, n: usize, total: u64) -> Value {
    json!({member: vec![json!({}); n], "TotalCount": total, "Total": total, "RequestId": "r"})
}

/// Walks all pages of a fake server holding `total` items.
fn walk(action: &str, unit_items: bool, total: usize, limit: u64) -> (usize, Vec<u64>) {
    let info = pageable(action).unwrap();
    let mut params = first_page_with(&info, &json!({"Limit": limit})).unwrap();
    let (mut seen, mut offsets) = (0, Vec::new());
    loop {
        let offset = params["Offset"].as_u64().unwrap();
        offsets.push(offset);
        let start = if unit_items { offset } else { offset * limit } as usize;
        let n = total.saturating_sub(start).min(limit as usize);
        let resp = page(info.items_member, n, total as u64);
        seen += items(action, &resp).unwrap().len();
        match next_page_with(&info, &params, &resp).unwrap() {
            Some(p) => params = p,
            None => return (seen, offsets),
        }
        assert!(offsets.len() < 100, "runaway");
    }
}

#[test]
fn walks_item_and_page_offsets_to_the_end() {
    assert_eq!(
        walk("DescribeTemplates", true, 45, 20),
        (45, vec![0, 20, 40])
    );
    assert_eq!(walk("DescribeTemplates", true, 40, 20), (40, vec![0, 20]));
    assert_eq!(walk("DescribeTemplates", true, 0, 20), (0, vec![0]));
    assert_eq!(
        walk("ChannelDescribeEmployees", false, 45, 20),
        (45, vec![0, 1, 2])
    );
    assert_eq!(
        walk("ChannelDescribeEmployees", false, 20, 20),
        (20, vec![0])
    );
    assert_eq!(
        pageable("ChannelDescribeEmployees").unwrap().offset_unit,
        OffsetUnit::Pages
    );
}

#[test]
fn stops_on_short_pages_and_without_totals() {
    let p = first_page("DescribeTemplates", &json!({"Limit": 2})).unwrap();
    let full_no_total = json!({"Templates": [{}, {}]});
    let next = next_page("DescribeTemplates", &p, &full_no_total)
        .unwrap()
        .unwrap();
    assert_eq!(next["Offset"], 2);
    let short = json!({"Templates": [{}], "TotalCount": 100});
    assert!(next_page("DescribeTemplates", &next, &short)
        .unwrap()
        .is_none());
    let missing = json!({"TotalCount": 100});
    assert!(next_page("DescribeTemplates", &next, &missing)
        .unwrap()
        .is_none());
    // A unit override, e.g. if the service counts pages for an action documented otherwise.
    let info = pageable("DescribeTemplates")
        .unwrap()
        .with_offset_unit(OffsetUnit::Pages);
    let p = first_page_with(&info, &json!({"Limit": 2})).unwrap();
    let n = next_page_with(&info, &p, &json!({"Templates": [{}, {}], "TotalCount": 5}))
        .unwrap()
        .unwrap();
    assert_eq!(n["Offset"], 1);
}

/// The client's streams over a scripted transport holding 45 templates.
#[cfg(feature = "client")]
mod client {
    use std::sync::{Arc, Mutex};

    use essbasic::client::{BoxFuture, Client, HttpResponse};
    use essbasic::{Credentials, Error, HttpRequest};
    use serde_json::{json, Value};

    fn server(total: usize, seen: Arc<Mutex<Vec<Value>>>) -> Client {
        let transport =
            move |req: HttpRequest, _t| -> BoxFuture<'static, Result<HttpResponse, Error>> {
                let params: Value = serde_json::from_slice(&req.body).unwrap();
                seen.lock().unwrap().push(params.clone());
                let offset = params["Offset"].as_u64().unwrap() as usize;
                let limit = params["Limit"].as_u64().unwrap() as usize;
                let templates: Vec<Value> = (offset..total.min(offset + limit))
                    .map(|i| json!({"TemplateId": format!("t{i}")}))
                    .collect();
                let body = json!({"Response": {"Templates": templates, "TotalCount": total,
                                            "RequestId": "r"}});
                Box::pin(async move {
                    Ok(HttpResponse {
                        status: 200,
                        headers: vec![],
                        body: body.to_string().into_bytes(),
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
    async fn items_stream_walks_every_page_once() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let client = server(45, seen.clone());
        let all = client
            .items("DescribeTemplates", &json!({"Agent": {"AppId": "a"}}))
            .unwrap()
            .collect_all()
            .await
            .unwrap();
        let ids: Vec<&str> = all
            .iter()
            .map(|t| t["TemplateId"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 45);
        assert_eq!(ids[0], "t0");
        assert_eq!(ids[44], "t44");
        let offsets: Vec<u64> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|p| p["Offset"].as_u64().unwrap())
            .collect();
        assert_eq!(offsets, [0, 20, 40]);

        let mut pages = client
            .pages(
                "DescribeTemplates",
                &json!({"Agent": {"AppId": "a"}, "Limit": 30}),
            )
            .unwrap();
        let first = pages.next().await.unwrap().unwrap();
        assert_eq!(first["Templates"].as_array().unwrap().len(), 30);
        let second = pages.next().await.unwrap().unwrap();
        assert_eq!(second["Templates"].as_array().unwrap().len(), 15);
        assert!(pages.next().await.is_none());
    }

    #[tokio::test]
    async fn errors_end_the_stream_and_non_pageable_actions_are_refused() {
        let client = server(5, Arc::default());
        let mut items = client
            .items("DescribeTemplates", &json!({"Agent": {"AppId": 7}}))
            .unwrap();
        assert_eq!(
            items.next().await.unwrap().unwrap_err().kind(),
            "validation"
        );
        assert!(items.next().await.is_none());
        assert_eq!(
            client
                .pages("ChannelCancelFlow", &json!({}))
                .unwrap_err()
                .kind(),
            "validation"
        );
        assert_eq!(
            client.pages("Nope", &json!({})).unwrap_err().kind(),
            "validation"
        );
    }
}
