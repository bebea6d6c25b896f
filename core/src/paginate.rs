//! Pagination over the `Offset` / `Limit` actions, as stateless pure steps.
//!
//! Which actions page, and how, is derived from the spec table by naming rules (checked by a
//! test against the spec): a read-only action whose request has `Offset` and `Limit`, and
//! whose response has exactly one list member (the items) and an integer `TotalCount` or
//! `Total`. Today that is `DescribeTemplates`, `ChannelDescribeRoles`,
//! `ChannelDescribeEmployees`, `DescribeChannelOrganizations`,
//! `ChannelDescribeOrganizationSeals`, `DescribeUsage` and `ChannelDescribeBillUsageDetail`.
//! (`DescribeExtendedServiceAuthDetail` nests its lists in one object and
//! `OperateChannelTemplate` changes state, so neither is iterated.)
//!
//! The loop, in any language: `params = first_page(action, params)`, then call, take
//! [`items`], and `params = next_page(action, params, response)` until it returns `None`.
//!
//! ```
//! use essbasic::paginate::{first_page, items, next_page};
//! use serde_json::json;
//!
//! let p = first_page("DescribeTemplates", &json!({"Agent": {"AppId": "a"}, "Limit": 2}))?;
//! assert_eq!(p["Offset"], 0);
//! let page = json!({"Templates": [{}, {}], "TotalCount": 3, "RequestId": "r"});
//! assert_eq!(items("DescribeTemplates", &page)?.len(), 2);
//! let p = next_page("DescribeTemplates", &p, &page)?.expect("one more page");
//! assert_eq!(p["Offset"], 2);
//! let last = json!({"Templates": [{}], "TotalCount": 3, "RequestId": "r"});
//! assert!(next_page("DescribeTemplates", &p, &last)?.is_none());
//! # Ok::<(), essbasic::Error>(())
//! ```

use serde_json::{Map, Value};

use crate::error::Error;
use crate::spec::{self, Scalar, TypeRef};

/// What `Offset` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OffsetUnit {
    /// Items skipped (the next page starts at `Offset + Limit`).
    Items,
    /// Pages, from 0 (the next page is `Offset + 1`).
    Pages,
}

/// How one action pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// The action.
    pub action: &'static str,
    /// The request member with the offset: `Offset`.
    pub offset_member: &'static str,
    /// The request member with the page size: `Limit`.
    pub limit_member: &'static str,
    /// Whether `Limit` is a JSON string in the spec (`ChannelDescribeRoles`, for historical
    /// reasons).
    pub limit_is_string: bool,
    /// The response member with the total: `TotalCount` or `Total`.
    pub total_member: &'static str,
    /// The response list with the items, e.g. `Templates`.
    pub items_member: &'static str,
    /// The page size used when the caller sets none.
    pub default_limit: u64,
    /// The largest page size the documentation allows, when known.
    pub max_limit: Option<u64>,
    /// What `Offset` counts.
    pub offset_unit: OffsetUnit,
}

impl PageInfo {
    /// The same with another offset unit (when the service turns out to count otherwise).
    pub fn with_offset_unit(mut self, unit: OffsetUnit) -> Self {
        self.offset_unit = unit;
        self
    }
}

/// Documented page sizes and offset units, by action: (action, default, max, unit). The
/// unit is `Pages` where the current documentation says `Offset` is a page number ("页码从 0
/// 开始"); elsewhere it is an item offset ("偏移量").
const DOCUMENTED: &[(&str, u64, Option<u64>, OffsetUnit)] = &[
    (
        "ChannelDescribeBillUsageDetail",
        20,
        None,
        OffsetUnit::Items,
    ),
    ("ChannelDescribeEmployees", 20, Some(20), OffsetUnit::Pages),
    (
        "ChannelDescribeOrganizationSeals",
        20,
        None,
        OffsetUnit::Items,
    ),
    ("ChannelDescribeRoles", 20, Some(200), OffsetUnit::Items),
    (
        "DescribeChannelOrganizations",
        20,
        Some(200),
        OffsetUnit::Items,
    ),
    ("DescribeTemplates", 20, Some(100), OffsetUnit::Items),
    ("DescribeUsage", 20, Some(1000), OffsetUnit::Pages),
];

/// How `action` pages, or `None` when it does not (see the module docs for the rules).
pub fn pageable(action: &str) -> Option<PageInfo> {
    let spec = spec::action(action)?;
    if !spec.read_only {
        return None;
    }
    let input = spec.input();
    let offset = input.member("Offset").filter(|m| !m.list && is_int(m.ty))?;
    let limit = input
        .member("Limit")
        .filter(|m| !m.list && (is_int(m.ty) || m.ty == TypeRef::Scalar(Scalar::String)))?;
    let output = spec.output();
    let mut lists = output.members.iter().filter(|m| m.list);
    let items = lists.next()?;
    if lists.next().is_some() {
        return None;
    }
    let total = ["TotalCount", "Total"]
        .into_iter()
        .find_map(|n| output.member(n).filter(|m| !m.list && is_int(m.ty)))?;
    let (default_limit, max_limit, offset_unit) = DOCUMENTED
        .iter()
        .find(|d| d.0 == spec.name)
        .map(|d| (d.1, d.2, d.3))
        .unwrap_or((20, None, OffsetUnit::Items));
    Some(PageInfo {
        action: spec.name,
        offset_member: offset.name,
        limit_member: limit.name,
        limit_is_string: limit.ty == TypeRef::Scalar(Scalar::String),
        total_member: total.name,
        items_member: items.name,
        default_limit,
        max_limit,
        offset_unit,
    })
}

/// Every pageable action, in name order.
pub fn pageable_actions() -> Vec<PageInfo> {
    spec::ACTIONS
        .iter()
        .filter_map(|a| pageable(a.name))
        .collect()
}

/// The parameters of the first page: `params` with `Offset` (0 unless given) and `Limit` (the
/// default unless given, as a string where the spec wants one).
pub fn first_page(action: &str, params: &Value) -> Result<Value, Error> {
    first_page_with(&info(action)?, params)
}

/// [`first_page`] with an explicit [`PageInfo`].
pub fn first_page_with(info: &PageInfo, params: &Value) -> Result<Value, Error> {
    let mut map = object(info, params)?;
    let offset = read_u64(info, &map, info.offset_member)?.unwrap_or(0);
    let limit = read_u64(info, &map, info.limit_member)?.unwrap_or(info.default_limit);
    if limit == 0 {
        return Err(Error::validation(
            info.action,
            info.limit_member.to_owned(),
            "the page size must be at least 1",
        ));
    }
    map.insert(info.offset_member.to_owned(), Value::from(offset));
    map.insert(info.limit_member.to_owned(), limit_value(info, limit));
    Ok(Value::Object(map))
}

/// The items of one page (the response's list member; none when it is absent or `null`).
pub fn items(action: &str, response: &Value) -> Result<Vec<Value>, Error> {
    Ok(items_with(&info(action)?, response))
}

/// [`items`] with an explicit [`PageInfo`].
pub fn items_with(info: &PageInfo, response: &Value) -> Vec<Value> {
    response
        .get(info.items_member)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The total the response announces, if any.
pub fn total(info: &PageInfo, response: &Value) -> Option<u64> {
    response.get(info.total_member).and_then(as_u64)
}

/// The parameters of the page after the one `params` fetched and `response` answered, or
/// `None` when that was the last page: an empty or short page, or the total reached.
pub fn next_page(action: &str, params: &Value, response: &Value) -> Result<Option<Value>, Error> {
    next_page_with(&info(action)?, params, response)
}

/// [`next_page`] with an explicit [`PageInfo`].
pub fn next_page_with(
    info: &PageInfo,
    params: &Value,
    response: &Value,
) -> Result<Option<Value>, Error> {
    let mut map = object(info, params)?;
    let offset = read_u64(info, &map, info.offset_member)?.unwrap_or(0);
    let limit = read_u64(info, &map, info.limit_member)?.unwrap_or(info.default_limit);
    let count = response
        .get(info.items_member)
        .and_then(Value::as_array)
        .map_or(0, Vec::len) as u64;
    if count == 0 || count < limit {
        return Ok(None);
    }
    let (next, seen) = match info.offset_unit {
        OffsetUnit::Items => (offset.saturating_add(limit), offset.saturating_add(limit)),
        OffsetUnit::Pages => (
            offset.saturating_add(1),
            offset.saturating_add(1).saturating_mul(limit),
        ),
    };
    if total(info, response).is_some_and(|t| seen >= t) {
        return Ok(None);
    }
    map.insert(info.offset_member.to_owned(), Value::from(next));
    map.insert(info.limit_member.to_owned(), limit_value(info, limit));
    Ok(Some(Value::Object(map)))
}

fn info(action: &str) -> Result<PageInfo, Error> {
    crate::validate::lookup_action(action)?;
    pageable(action).ok_or_else(|| {
        Error::validation(
            action,
            String::new(),
            format!("{action} is not a paginated action (no Offset/Limit and item list)"),
        )
    })
}

fn object(info: &PageInfo, params: &Value) -> Result<Map<String, Value>, Error> {
    match params {
        Value::Object(m) => Ok(m.clone()),
        Value::Null => Ok(Map::new()),
        _ => Err(Error::validation(
            info.action,
            String::new(),
            "parameters must be a JSON object",
        )),
    }
}

fn read_u64(info: &PageInfo, map: &Map<String, Value>, name: &str) -> Result<Option<u64>, Error> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => as_u64(v).map(Some).ok_or_else(|| {
            Error::validation(
                info.action,
                name.to_owned(),
                format!("{name} must be a non-negative integer"),
            )
        }),
    }
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn limit_value(info: &PageInfo, limit: u64) -> Value {
    if info.limit_is_string {
        Value::String(limit.to_string())
    } else {
        Value::from(limit)
    }
}

fn is_int(t: TypeRef) -> bool {
    matches!(t, TypeRef::Scalar(Scalar::Int64 | Scalar::Uint64))
}
