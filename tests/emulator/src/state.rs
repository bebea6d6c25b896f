//! The contract lifecycle: files, conversion tasks, flows, sign links, cancellation.
//!
//! Each handler gets the synthesized response (every member present) and overlays what the
//! state knows; actions without state keep the synthesized values. Unknown flow ids in any
//! request's top-level `FlowId` / `FlowIds` get `ResourceNotFound.Flow`.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::{json, Map, Value};

use crate::callbacks;
use crate::errors::ApiError;
use crate::stats::{Effect, Stats};
use crate::synth;

/// The actions whose answers come from the state.
const STATEFUL: [&str; 14] = [
    "UploadFiles",
    "CreateFileConvertTask",
    "ChannelCreateConvertTaskApi",
    "DescribeFileConvertTask",
    "ChannelGetTaskResultApi",
    "ChannelCreateFlowByFiles",
    "CreateFlowsByTemplates",
    "DescribeFlowDetailInfo",
    "ChannelCreateFlowSignUrl",
    "CreateSignUrls",
    "ChannelCancelFlow",
    "ChannelBatchCancelFlows",
    "DescribeCancelFlowsTask",
    "ArchiveDynamicFlow",
];

/// Whether answering `action` with `params` reads or changes the state (otherwise the
/// synthesized response is the answer).
pub fn involves_state(action: &str, params: &Value) -> bool {
    stateful_action(action) || params.get("FlowId").is_some() || params.get("FlowIds").is_some()
}

/// Whether `action` always reads or changes the state (whatever its parameters).
pub fn stateful_action(action: &str) -> bool {
    STATEFUL.contains(&action)
}

/// The synthesized objects the handlers fill in (the spec does not change while running).
static FLOW_APPROVER_URL_INFO: LazyLock<Map<String, Value>> =
    LazyLock::new(|| synth::object_named("FlowApproverUrlInfo"));
static SIGN_URL_INFO: LazyLock<Map<String, Value>> =
    LazyLock::new(|| synth::object_named("SignUrlInfo"));
static FLOW_DETAIL_INFO: LazyLock<Map<String, Value>> =
    LazyLock::new(|| synth::object_named("FlowDetailInfo"));
static FLOW_APPROVER_DETAIL: LazyLock<Map<String, Value>> =
    LazyLock::new(|| synth::object_named("FlowApproverDetail"));

/// Flow statuses in which a flow can still be signed or cancelled.
const OPEN: [&str; 2] = ["INIT", "PART"];

/// One signer of a flow.
#[derive(Debug, Clone)]
struct Approver {
    name: String,
    mobile: String,
    approver_type: String,
    organization_name: String,
    organization_open_id: String,
    open_id: String,
    role_name: String,
    sign_id: String,
    recipient_id: String,
    sign_order: i64,
}

/// One flow (contract).
#[derive(Debug, Clone)]
struct Flow {
    id: String,
    name: String,
    flow_type: String,
    status: String,
    message: String,
    created_on: i64,
    deadline: i64,
    customer_data: String,
    template_id: String,
    application_id: String,
    proxy_organization_open_id: String,
    approvers: Vec<Approver>,
    /// `serde_json::to_vec(&flow_detail(self))`, computed when first asked for and dropped
    /// by every change ([`Flow::set_status`] is the only way the state changes a flow).
    detail_json: Option<Arc<[u8]>>,
}

impl Flow {
    /// Moves the flow to `status` (and sets its message, if given); forgets the cached detail.
    fn set_status(&mut self, status: &str, message: Option<&str>) {
        self.detail_json = None;
        self.status = status.to_owned();
        if let Some(m) = message {
            self.message = m.to_owned();
        }
    }

    /// The flow's `FlowDetailInfo` as JSON bytes: `serde_json::to_vec(&flow_detail(self))`,
    /// serialized once per state of the flow.
    fn detail_json(&mut self) -> Arc<[u8]> {
        if let Some(bytes) = &self.detail_json {
            return bytes.clone();
        }
        let bytes: Arc<[u8]> = flow_detail_json(self).into();
        self.detail_json = Some(bytes.clone());
        bytes
    }
}

/// A file conversion task.
#[derive(Debug)]
struct ConvertTask {
    polls: u32,
    result_id: String,
}

/// A batch-cancel task.
#[derive(Debug)]
struct CancelTask {
    polls: u32,
    succeeded: Vec<String>,
    failed: Vec<(String, String, String)>,
}

#[derive(Debug, Default)]
struct Inner {
    files: HashMap<String, String>,
    convert_tasks: HashMap<String, ConvertTask>,
    flows: HashMap<String, Flow>,
    cancel_tasks: HashMap<String, CancelTask>,
}

/// What a handler needs besides the request.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The emulator's clock, Unix seconds.
    pub now: i64,
    /// The counters.
    pub stats: &'a Stats,
}

/// The lifecycle state.
#[derive(Debug)]
pub struct State {
    inner: Mutex<Inner>,
    polls: u32,
    callbacks: Option<callbacks::Sender>,
}

type Reply = Result<Map<String, Value>, ApiError>;

/// A handler's answer: the `Response` object without `RequestId`, one member of which may
/// be serialized already (the flows of DescribeFlowDetailInfo, from each flow's cache).
#[derive(Debug)]
pub struct Answer {
    map: Map<String, Value>,
    /// A member whose value in `map` is a placeholder, and its JSON text: an array of
    /// these pre-serialized elements.
    raw: Option<(&'static str, Vec<Arc<[u8]>>)>,
}

/// `[e1,e2,...]` of JSON texts.
fn write_array(out: &mut Vec<u8>, elements: &[Arc<[u8]>]) {
    out.push(b'[');
    for (i, e) in elements.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(e);
    }
    out.push(b']');
}

impl Answer {
    fn new(map: Map<String, Value>) -> Answer {
        Answer { map, raw: None }
    }

    /// The `Response` object as a `Value` map.
    pub fn into_map(self) -> Map<String, Value> {
        let mut map = self.map;
        if let Some((key, elements)) = self.raw {
            let mut json = Vec::new();
            write_array(&mut json, &elements);
            let value = serde_json::from_slice(&json).expect("the emulator wrote JSON");
            map.insert(key.to_owned(), value);
        }
        map
    }

    /// The response body, byte for byte what [`synth::render`] makes of [`Answer::into_map`].
    pub fn render(self, request_id: &str) -> Vec<u8> {
        let Some((raw_key, raw)) = &self.raw else {
            return synth::render(self.map, request_id);
        };
        if self.map.contains_key("RequestId") {
            return synth::render(self.into_map(), request_id);
        }
        // What serde_json's compact serializer writes for {"Response": {..map, RequestId}}.
        let raw_len: usize = raw.iter().map(|e| e.len() + 1).sum();
        let mut out = Vec::with_capacity(raw_len + 4096);
        out.extend_from_slice(br#"{"Response":{"#);
        for (k, v) in &self.map {
            serde_json::to_writer(&mut out, k).expect("a string serializes");
            out.push(b':');
            if k == raw_key {
                write_array(&mut out, raw);
            } else {
                serde_json::to_writer(&mut out, v).expect("a JSON value serializes");
            }
            out.push(b',');
        }
        out.extend_from_slice(br#""RequestId":"#);
        serde_json::to_writer(&mut out, request_id).expect("a string serializes");
        out.extend_from_slice(b"}}");
        out
    }
}

impl State {
    /// Empty state; tasks report "processing" for `polls` polls before they finish.
    pub fn new(polls: u32, callbacks: Option<callbacks::Sender>) -> Arc<State> {
        Arc::new(State {
            inner: Mutex::default(),
            polls,
            callbacks,
        })
    }

    /// Forgets everything.
    pub fn reset(&self) {
        *self.inner.lock().unwrap() = Inner::default();
    }

    /// Answers `action`: the synthesized response overlaid with the state's values.
    pub fn handle(&self, action: &str, p: &Value, ctx: Ctx<'_>) -> Reply {
        self.answer(action, p, ctx).map(Answer::into_map)
    }

    /// Answers `action` like [`State::handle`], in a form that renders without rebuilding
    /// what the state keeps serialized.
    pub fn answer(&self, action: &str, p: &Value, ctx: Ctx<'_>) -> Result<Answer, ApiError> {
        let mut out = synth::response(action).unwrap_or_default();
        let mut inner = self.inner.lock().unwrap();
        if action == "DescribeFlowDetailInfo" {
            return describe_flow_detail(&mut inner, p, out);
        }
        match action {
            "UploadFiles" => upload_files(&mut inner, p, &mut out, ctx)?,
            "CreateFileConvertTask" | "ChannelCreateConvertTaskApi" => {
                create_convert_task(&mut inner, p, &mut out, ctx)?
            }
            "DescribeFileConvertTask" | "ChannelGetTaskResultApi" => {
                self.describe_convert_task(&mut inner, action, p, &mut out)?
            }
            "ChannelCreateFlowByFiles" => {
                let flow = self.create_flow_by_files(&mut inner, p, ctx)?;
                out.insert("FlowId".into(), json!(flow.id));
                out.insert("Approvers".into(), approver_items(&flow));
                drop(inner);
                self.notify(&flow);
                ctx.stats.effect(Effect::FlowCreated, 1);
            }
            "CreateFlowsByTemplates" => {
                let flows = create_flows_by_templates(&mut inner, p, &mut out, ctx);
                drop(inner);
                ctx.stats.effect(Effect::FlowCreated, flows.len() as u64);
                flows.iter().for_each(|f| self.notify(f));
            }
            "ChannelCreateFlowSignUrl" => flow_sign_url(&inner, p, &mut out, ctx)?,
            "CreateSignUrls" => create_sign_urls(&inner, p, &mut out, ctx)?,
            "ChannelCancelFlow" => {
                let id = str_of(p, "FlowId");
                let flow = cancel(&mut inner, id, str_of(p, "CancelMessage"))?;
                drop(inner);
                ctx.stats.effect(Effect::FlowCancelled, 1);
                self.notify(&flow);
            }
            "ChannelBatchCancelFlows" => {
                let cancelled = batch_cancel(&mut inner, p, &mut out);
                drop(inner);
                ctx.stats.effect(Effect::CancelTaskCreated, 1);
                ctx.stats
                    .effect(Effect::FlowCancelled, cancelled.len() as u64);
                cancelled.iter().for_each(|f| self.notify(f));
            }
            "DescribeCancelFlowsTask" => self.describe_cancel_task(&mut inner, p, &mut out)?,
            _ => check_flows_exist(&inner, p)?,
        }
        Ok(Answer::new(out))
    }

    /// Sets a flow's status (the admin API: "the signer signed", "it expired", ...).
    pub fn set_status(&self, id: &str, status: &str, stats: &Stats) -> Option<Value> {
        let flow = {
            let mut inner = self.inner.lock().unwrap();
            let flow = inner.flows.get_mut(id)?;
            flow.set_status(status, None);
            flow.clone()
        };
        stats.effect(Effect::FlowStatusChanged, 1);
        self.notify(&flow);
        Some(flow_detail(&flow))
    }

    /// The number of flows held.
    pub fn flow_count(&self) -> usize {
        self.inner.lock().unwrap().flows.len()
    }

    fn notify(&self, flow: &Flow) {
        if let Some(sender) = &self.callbacks {
            sender.send(callbacks::envelope("FlowStatusChange", callback_data(flow)));
        }
    }

    fn describe_convert_task(
        &self,
        inner: &mut Inner,
        action: &str,
        p: &Value,
        out: &mut Map<String, Value>,
    ) -> Result<(), ApiError> {
        let id = str_of(p, "TaskId");
        let task = inner.convert_tasks.get_mut(id).ok_or_else(|| {
            ApiError::new(
                "ResourceNotFound",
                format!("The conversion task `{id}` does not exist."),
            )
        })?;
        task.polls += 1;
        let done = task.polls > self.polls;
        let (status, message, resource) = match (done, action) {
            (true, "ChannelGetTaskResultApi") => (8, "TaskEnd", task.result_id.as_str()),
            (true, _) => (8, "任务处理完成", task.result_id.as_str()),
            (false, "ChannelGetTaskResultApi") => (4, "Processing", ""),
            (false, _) => (4, "任务转换中", ""),
        };
        out.insert("TaskId".into(), json!(id));
        out.insert("TaskStatus".into(), json!(status));
        out.insert("TaskMessage".into(), json!(message));
        out.insert("ResourceId".into(), json!(resource));
        if out.contains_key("PreviewUrl") {
            let url = if done {
                format!("https://file.ess.tencent.cn/preview/{resource}.pdf")
            } else {
                String::new()
            };
            out.insert("PreviewUrl".into(), json!(url));
        }
        Ok(())
    }

    fn create_flow_by_files(
        &self,
        inner: &mut Inner,
        p: &Value,
        ctx: Ctx<'_>,
    ) -> Result<Flow, ApiError> {
        if let Some(ids) = p.get("FileIds").and_then(Value::as_array) {
            for (i, id) in ids.iter().enumerate() {
                let id = id.as_str().unwrap_or_default();
                if !inner.files.contains_key(id) {
                    return Err(ApiError::new(
                        "ResourceNotFound.File",
                        format!("FileIds.{i}: the file `{id}` does not exist (upload it with UploadFiles first)."),
                    ));
                }
            }
        }
        let flow = new_flow(p, p, ctx);
        inner.flows.insert(flow.id.clone(), flow.clone());
        Ok(flow)
    }

    fn describe_cancel_task(
        &self,
        inner: &mut Inner,
        p: &Value,
        out: &mut Map<String, Value>,
    ) -> Result<(), ApiError> {
        let id = str_of(p, "TaskId");
        let task = inner.cancel_tasks.get_mut(id).ok_or_else(|| {
            ApiError::new(
                "ResourceNotFound",
                format!("The cancel task `{id}` does not exist."),
            )
        })?;
        task.polls += 1;
        let done = task.polls > self.polls;
        out.insert("TaskId".into(), json!(id));
        out.insert(
            "TaskStatus".into(),
            json!(if done { "END" } else { "PROCESSING" }),
        );
        let (ok, failed): (Vec<String>, Vec<Value>) = if done {
            let failed = task
                .failed
                .iter()
                .map(|(f, reason, name)| json!({"FlowId": f, "Reason": reason, "FlowName": name}))
                .collect();
            (task.succeeded.clone(), failed)
        } else {
            (Vec::new(), Vec::new())
        };
        out.insert("SuccessFlowIds".into(), json!(ok));
        out.insert("FailureFlows".into(), json!(failed));
        Ok(())
    }
}

fn upload_files(
    inner: &mut Inner,
    p: &Value,
    out: &mut Map<String, Value>,
    ctx: Ctx<'_>,
) -> Result<(), ApiError> {
    use base64::Engine as _;
    let infos = p
        .get("FileInfos")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut names = Vec::new();
    for (i, info) in infos.iter().enumerate() {
        let body = str_of(info, "FileBody");
        if base64::engine::general_purpose::STANDARD
            .decode(body.trim())
            .is_err()
        {
            return Err(ApiError::invalid_value(
                &format!("FileInfos.{i}.FileBody"),
                "not valid base64",
            ));
        }
        names.push(str_of(info, "FileName").to_owned());
    }
    if names.is_empty() {
        names.push("file.pdf".to_owned());
    }
    let mut ids = Vec::new();
    let mut urls = Vec::new();
    for name in names {
        let id = new_id();
        urls.push(format!(
            "https://file.ess.tencent.cn/file/{id}/{}",
            url_safe(&name)
        ));
        inner.files.insert(id.clone(), name);
        ids.push(id);
    }
    ctx.stats.effect(Effect::FileUploaded, ids.len() as u64);
    out.insert("TotalCount".into(), json!(ids.len()));
    out.insert("FileIds".into(), json!(ids));
    out.insert("FileUrls".into(), json!(urls));
    if let Some(deadline) = p.get("Deadline").and_then(Value::as_i64) {
        out.insert("Deadline".into(), json!(deadline));
    } else {
        out.insert("Deadline".into(), json!(ctx.now + 3600));
    }
    Ok(())
}

fn create_convert_task(
    inner: &mut Inner,
    p: &Value,
    out: &mut Map<String, Value>,
    ctx: Ctx<'_>,
) -> Result<(), ApiError> {
    let source = str_of(p, "ResourceId");
    if !inner.files.contains_key(source) {
        return Err(ApiError::new(
            "ResourceNotFound.File",
            format!("ResourceId: the file `{source}` does not exist (upload it with UploadFiles first)."),
        ));
    }
    let result_id = new_id();
    inner.files.insert(
        result_id.clone(),
        format!("{}.pdf", str_of(p, "ResourceName")),
    );
    let task_id = new_id();
    inner.convert_tasks.insert(
        task_id.clone(),
        ConvertTask {
            polls: 0,
            result_id,
        },
    );
    ctx.stats.effect(Effect::ConvertTaskCreated, 1);
    out.insert("TaskId".into(), json!(task_id));
    Ok(())
}

fn create_flows_by_templates(
    inner: &mut Inner,
    p: &Value,
    out: &mut Map<String, Value>,
    ctx: Ctx<'_>,
) -> Vec<Flow> {
    let infos = p
        .get("FlowInfos")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let flows: Vec<Flow> = infos.iter().map(|info| new_flow(p, info, ctx)).collect();
    for f in &flows {
        inner.flows.insert(f.id.clone(), f.clone());
    }
    let ids: Vec<&str> = flows.iter().map(|f| f.id.as_str()).collect();
    out.insert("FlowIds".into(), json!(ids));
    out.insert(
        "CustomerData".into(),
        json!(flows
            .iter()
            .map(|f| f.customer_data.as_str())
            .collect::<Vec<_>>()),
    );
    out.insert("ErrorMessages".into(), json!(vec![""; flows.len()]));
    let previews: Vec<String> = if p.get("NeedPreview").and_then(Value::as_bool) == Some(true) {
        ids.iter()
            .map(|id| format!("https://essurl.cn/preview/{id}"))
            .collect()
    } else {
        vec![String::new(); flows.len()]
    };
    out.insert("PreviewUrls".into(), json!(previews));
    let tasks: Vec<Value> = flows
        .iter()
        .map(|_| json!({"TaskId": "", "TaskStatus": ""}))
        .collect();
    out.insert("TaskInfos".into(), json!(tasks));
    let items: Vec<Value> = flows
        .iter()
        .map(|f| json!({"FlowId": f.id, "Approvers": approver_items(f)}))
        .collect();
    out.insert("FlowApprovers".into(), json!(items));
    flows
}

fn describe_flow_detail(
    inner: &mut Inner,
    p: &Value,
    mut out: Map<String, Value>,
) -> Result<Answer, ApiError> {
    let Some(ids) = p.get("FlowIds").and_then(Value::as_array) else {
        return Ok(Answer::new(out)); // a FlowGroupId query: synthesized
    };
    // `FlowInfo` is the flows' cached details side by side: `[d1,d2,...]`.
    let mut details = Vec::with_capacity(ids.len());
    for id in ids {
        let id = id.as_str().unwrap_or_default();
        let flow = inner
            .flows
            .get_mut(id)
            .ok_or_else(|| ApiError::flow_not_found(id))?;
        details.push(flow.detail_json());
    }
    let agent = p.get("Agent").unwrap_or(&Value::Null);
    out.insert("ApplicationId".into(), json!(str_of(agent, "AppId")));
    out.insert(
        "ProxyOrganizationOpenId".into(),
        json!(str_of(agent, "ProxyOrganizationOpenId")),
    );
    out.insert("FlowInfo".into(), Value::Null); // a placeholder for `raw`
    out.insert("FlowGroupId".into(), json!(""));
    out.insert("FlowGroupName".into(), json!(""));
    Ok(Answer {
        map: out,
        raw: Some(("FlowInfo", details)),
    })
}

fn open_flow<'a>(inner: &'a Inner, id: &str) -> Result<&'a Flow, ApiError> {
    let flow = inner
        .flows
        .get(id)
        .ok_or_else(|| ApiError::flow_not_found(id))?;
    if !OPEN.contains(&flow.status.as_str()) {
        return Err(ApiError::new(
            "OperationDenied.FlowStatusForbid",
            format!(
                "The flow `{id}` is in status {} and cannot be signed or changed.",
                flow.status
            ),
        ));
    }
    Ok(flow)
}

fn flow_sign_url(
    inner: &Inner,
    p: &Value,
    out: &mut Map<String, Value>,
    ctx: Ctx<'_>,
) -> Result<(), ApiError> {
    let flow = open_flow(inner, str_of(p, "FlowId"))?;
    let wanted = p
        .get("FlowApproverInfos")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let approvers: Vec<Approver> = if wanted.is_empty() {
        flow.approvers.clone()
    } else {
        wanted.iter().map(|a| approver(a, 0)).collect()
    };
    let template = &*FLOW_APPROVER_URL_INFO;
    let infos: Vec<Value> = approvers
        .iter()
        .map(|a| {
            let code = short_code();
            let mut m = template.clone();
            m.insert("SignUrl".into(), json!(format!("https://essurl.cn/{code}")));
            m.insert("ApproverType".into(), json!(a.approver_type));
            m.insert("Name".into(), json!(a.name));
            m.insert("Mobile".into(), json!(a.mobile));
            m.insert(
                "LongUrl".into(),
                json!(format!(
                    "https://quick.qian.tencent.cn/guide?Code={code}&FlowId={}",
                    flow.id
                )),
            );
            Value::Object(m)
        })
        .collect();
    ctx.stats.effect(Effect::SignUrlIssued, infos.len() as u64);
    out.insert("FlowApproverUrlInfos".into(), Value::Array(infos));
    Ok(())
}

fn create_sign_urls(
    inner: &Inner,
    p: &Value,
    out: &mut Map<String, Value>,
    ctx: Ctx<'_>,
) -> Result<(), ApiError> {
    let Some(ids) = p.get("FlowIds").and_then(Value::as_array) else {
        return Ok(()); // a FlowGroupId query: synthesized
    };
    let template = &*SIGN_URL_INFO;
    let mut infos = Vec::new();
    for id in ids {
        let flow = open_flow(inner, id.as_str().unwrap_or_default())?;
        let mut approvers = flow.approvers.clone();
        if approvers.is_empty() {
            approvers.push(approver(p, 0));
        }
        for a in approvers {
            let code = short_code();
            let mut m = template.clone();
            m.insert("SignUrl".into(), json!(format!("https://essurl.cn/{code}")));
            m.insert("Deadline".into(), json!(flow.deadline));
            m.insert("SignOrder".into(), json!(a.sign_order));
            m.insert("SignId".into(), json!(a.sign_id));
            m.insert("CustomUserId".into(), json!(""));
            m.insert("Name".into(), json!(a.name));
            m.insert("Mobile".into(), json!(a.mobile));
            m.insert("OrganizationName".into(), json!(a.organization_name));
            m.insert("ApproverType".into(), json!(a.approver_type));
            m.insert("IdCardNumber".into(), json!(""));
            m.insert("FlowId".into(), json!(flow.id));
            m.insert("OpenId".into(), json!(a.open_id));
            m.insert("FlowGroupId".into(), json!(""));
            m.insert(
                "SignQrcodeUrl".into(),
                json!(format!("https://file.ess.tencent.cn/qrcode/{code}.png")),
            );
            infos.push(Value::Object(m));
        }
    }
    ctx.stats.effect(Effect::SignUrlIssued, infos.len() as u64);
    out.insert("SignUrlInfos".into(), Value::Array(infos));
    out.insert("ErrorMessages".into(), json!(vec![""; ids.len()]));
    Ok(())
}

fn cancel(inner: &mut Inner, id: &str, message: &str) -> Result<Flow, ApiError> {
    open_flow(inner, id)?;
    let flow = inner.flows.get_mut(id).expect("checked");
    flow.set_status("CANCEL", Some(message));
    Ok(flow.clone())
}

fn batch_cancel(inner: &mut Inner, p: &Value, out: &mut Map<String, Value>) -> Vec<Flow> {
    let ids: Vec<String> = p
        .get("FlowIds")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let message = str_of(p, "CancelMessage");
    let mut cancelled = Vec::new();
    let mut fail_messages = Vec::new();
    let mut failed = Vec::new();
    for id in &ids {
        match cancel(inner, id, message) {
            Ok(flow) => {
                fail_messages.push(String::new());
                cancelled.push(flow);
            }
            Err(e) => {
                let name = inner
                    .flows
                    .get(id)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                fail_messages.push(format!("合同流程Id:{id} {}", e.message));
                failed.push((id.clone(), e.message, name));
            }
        }
    }
    let task_id = new_id();
    inner.cancel_tasks.insert(
        task_id.clone(),
        CancelTask {
            polls: 0,
            succeeded: cancelled.iter().map(|f| f.id.clone()).collect(),
            failed,
        },
    );
    out.insert("FailMessages".into(), json!(fail_messages));
    out.insert("TaskId".into(), json!(task_id));
    cancelled
}

/// Any other action naming flows: each must exist.
fn check_flows_exist(inner: &Inner, p: &Value) -> Result<(), ApiError> {
    let single = p.get("FlowId").and_then(Value::as_str).into_iter();
    let many = p
        .get("FlowIds")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    for id in single.chain(many) {
        if !inner.flows.contains_key(id) {
            return Err(ApiError::flow_not_found(id));
        }
    }
    Ok(())
}

fn new_flow(request: &Value, info: &Value, ctx: Ctx<'_>) -> Flow {
    let agent = request.get("Agent").cloned().unwrap_or(Value::Null);
    let approvers = info
        .get("FlowApprovers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, v)| approver(v, i as i64))
                .collect()
        })
        .unwrap_or_default();
    Flow {
        id: new_id(),
        name: str_of(info, "FlowName").to_owned(),
        flow_type: str_of(info, "FlowType").to_owned(),
        status: "INIT".to_owned(),
        message: String::new(),
        created_on: ctx.now,
        deadline: info
            .get("Deadline")
            .and_then(Value::as_i64)
            .unwrap_or(ctx.now + 7 * 86_400),
        customer_data: str_of(info, "CustomerData").to_owned(),
        template_id: str_of(info, "TemplateId").to_owned(),
        application_id: str_of(&agent, "AppId").to_owned(),
        proxy_organization_open_id: str_of(&agent, "ProxyOrganizationOpenId").to_owned(),
        approvers,
        detail_json: None,
    }
}

fn approver(v: &Value, order: i64) -> Approver {
    Approver {
        name: str_of(v, "Name").to_owned(),
        mobile: str_of(v, "Mobile").to_owned(),
        approver_type: match str_of(v, "ApproverType") {
            "" => "PERSON".to_owned(),
            t => t.to_owned(),
        },
        organization_name: str_of(v, "OrganizationName").to_owned(),
        organization_open_id: str_of(v, "OrganizationOpenId").to_owned(),
        open_id: str_of(v, "OpenId").to_owned(),
        role_name: str_of(v, "ApproverRoleName").to_owned(),
        sign_id: new_id(),
        recipient_id: match str_of(v, "RecipientId") {
            "" => new_id(),
            r => r.to_owned(),
        },
        sign_order: order,
    }
}

fn approver_items(flow: &Flow) -> Value {
    flow.approvers
        .iter()
        .map(|a| {
            json!({"SignId": a.sign_id, "RecipientId": a.recipient_id, "ApproverRoleName": a.role_name})
        })
        .collect()
}

fn approve_status(flow_status: &str) -> &'static str {
    match flow_status {
        "ALL" => "ACCEPT",
        "CANCEL" => "CANCEL",
        "REJECT" => "REJECT",
        "DEADLINE" => "DEADLINE",
        "RELIEVED" => "RELIEVED",
        _ => "PENDING",
    }
}

/// A value the state puts into a synthesized object.
#[derive(Debug, Clone, Copy)]
enum Field<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
    EmptyList,
    /// The flow's approvers, each a `FlowApproverDetail` (in a flow detail only).
    Approvers,
}

impl Field<'_> {
    /// The value as `json!` made it.
    fn to_value(self, flow: &Flow) -> Value {
        match self {
            Field::Str(s) => json!(s),
            Field::Int(i) => json!(i),
            Field::Bool(b) => json!(b),
            Field::EmptyList => json!([]),
            Field::Approvers => Value::Array(
                flow.approvers
                    .iter()
                    .map(|a| {
                        let mut d = FLOW_APPROVER_DETAIL.clone();
                        for (k, f) in APPROVER_KEYS.iter().zip(approver_fields(flow, a)) {
                            d.insert((*k).into(), f.to_value(flow));
                        }
                        Value::Object(d)
                    })
                    .collect(),
            ),
        }
    }

    /// What serde_json writes for [`Field::to_value`].
    fn write(self, flow: &Flow, out: &mut Vec<u8>) {
        match self {
            Field::Str(s) => serde_json::to_writer(out, s).expect("a string serializes"),
            Field::Int(i) => serde_json::to_writer(out, &i).expect("an integer serializes"),
            Field::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            Field::EmptyList => out.extend_from_slice(b"[]"),
            Field::Approvers => {
                out.push(b'[');
                for (i, a) in flow.approvers.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    let fields = approver_fields(flow, a);
                    APPROVER_SHAPE.write(out, |slot, out| fields[slot].write(flow, out));
                }
                out.push(b']');
            }
        }
    }
}

/// The members a flow detail overlays on the synthesized `FlowDetailInfo`, in this order.
const FLOW_KEYS: [&str; 12] = [
    "FlowId",
    "FlowName",
    "FlowType",
    "FlowStatus",
    "FlowMessage",
    "CreateOn",
    "DeadLine",
    "CustomData",
    "FlowApproverInfos",
    "CcInfos",
    "NeedCreateReview",
    "TemplateId",
];

fn flow_fields(flow: &Flow) -> [Field<'_>; 12] {
    [
        Field::Str(&flow.id),
        Field::Str(&flow.name),
        Field::Str(&flow.flow_type),
        Field::Str(&flow.status),
        Field::Str(&flow.message),
        Field::Int(flow.created_on),
        Field::Int(flow.deadline),
        Field::Str(&flow.customer_data),
        Field::Approvers,
        Field::EmptyList,
        Field::Bool(false),
        Field::Str(&flow.template_id),
    ]
}

/// The members an approver overlays on the synthesized `FlowApproverDetail`, in this order.
const APPROVER_KEYS: [&str; 14] = [
    "ReceiptId",
    "ProxyOrganizationOpenId",
    "ProxyOperatorOpenId",
    "ProxyOrganizationName",
    "Mobile",
    "SignOrder",
    "ApproveName",
    "ApproveStatus",
    "ApproveMessage",
    "ApproveTime",
    "ApproveType",
    "ApproverRoleName",
    "SignId",
    "RecipientId",
];

fn approver_fields<'a>(flow: &'a Flow, a: &'a Approver) -> [Field<'a>; 14] {
    [
        Field::Str(&a.recipient_id),
        Field::Str(&a.organization_open_id),
        Field::Str(&a.open_id),
        Field::Str(&a.organization_name),
        Field::Str(&a.mobile),
        Field::Int(a.sign_order),
        Field::Str(&a.name),
        Field::Str(approve_status(&flow.status)),
        Field::Str(""),
        Field::Int(0),
        Field::Str(&a.approver_type),
        Field::Str(&a.role_name),
        Field::Str(&a.sign_id),
        Field::Str(&a.recipient_id),
    ]
}

/// A synthesized object with some members overlaid, as JSON text with holes: what
/// serde_json writes for `template` after `insert(key, _)` of each of `keys` (members the
/// template has keep their place, the others follow in `keys` order).
#[derive(Debug)]
struct Shape {
    parts: Vec<Part>,
}

#[derive(Debug)]
enum Part {
    Text(Vec<u8>),
    /// The value of `keys[i]`.
    Slot(usize),
}

impl Shape {
    fn new(template: &Map<String, Value>, keys: &[&str]) -> Shape {
        let mut m = template.clone();
        for k in keys {
            m.insert((*k).to_owned(), Value::Null);
        }
        let mut parts = Vec::new();
        let mut text = vec![b'{'];
        for (i, (k, v)) in m.iter().enumerate() {
            if i > 0 {
                text.push(b',');
            }
            serde_json::to_writer(&mut text, k).expect("a string serializes");
            text.push(b':');
            match keys.iter().rposition(|key| key == k) {
                Some(slot) => {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                    parts.push(Part::Slot(slot));
                }
                None => serde_json::to_writer(&mut text, v).expect("a JSON value serializes"),
            }
        }
        text.push(b'}');
        parts.push(Part::Text(text));
        Shape { parts }
    }

    fn write(&self, out: &mut Vec<u8>, mut slot: impl FnMut(usize, &mut Vec<u8>)) {
        for p in &self.parts {
            match p {
                Part::Text(t) => out.extend_from_slice(t),
                Part::Slot(i) => slot(*i, out),
            }
        }
    }
}

static FLOW_SHAPE: LazyLock<Shape> = LazyLock::new(|| Shape::new(&FLOW_DETAIL_INFO, &FLOW_KEYS));
static APPROVER_SHAPE: LazyLock<Shape> =
    LazyLock::new(|| Shape::new(&FLOW_APPROVER_DETAIL, &APPROVER_KEYS));

/// The flow's `FlowDetailInfo`: the synthesized one overlaid with the flow's values.
fn flow_detail(flow: &Flow) -> Value {
    let mut m = FLOW_DETAIL_INFO.clone();
    for (k, f) in FLOW_KEYS.iter().zip(flow_fields(flow)) {
        m.insert((*k).into(), f.to_value(flow));
    }
    Value::Object(m)
}

/// `serde_json::to_vec(&flow_detail(flow))`, written without building the tree.
fn flow_detail_json(flow: &Flow) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024 + 512 * flow.approvers.len());
    let fields = flow_fields(flow);
    FLOW_SHAPE.write(&mut out, |slot, out| fields[slot].write(flow, out));
    out
}

/// `MsgData` of a `FlowStatusChange` callback.
fn callback_data(flow: &Flow) -> Value {
    let approvers: Vec<Value> = flow
        .approvers
        .iter()
        .map(|a| {
            json!({
                "ReceiptId": a.recipient_id,
                "ProxyOrganizationOpenId": a.organization_open_id,
                "ProxyOperatorOpenId": a.open_id,
                "ProxyOrganizationName": a.organization_name,
                "Mobile": a.mobile,
                "SignOrder": a.sign_order,
                "ApproveName": a.name,
                "ApproveStatus": approve_status(&flow.status),
                "ApproveMessage": "",
                "ApproveTime": 0,
                "ApproveType": a.approver_type,
            })
        })
        .collect();
    json!({
        "ApplicationId": flow.application_id,
        "ProxyOrganizationOpenId": flow.proxy_organization_open_id,
        "FlowId": flow.id,
        "FlowName": flow.name,
        "FlowType": flow.flow_type,
        "FlowStatus": flow.status,
        "FlowMessage": flow.message,
        "CreateOn": flow.created_on,
        "Deadline": flow.deadline,
        "CustomerData": flow.customer_data,
        "TemplateId": flow.template_id,
        "FlowApproverInfo": approvers,
        "CcInfo": [],
    })
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A fresh 32-character id in the service's style (`yD` and 30 base62 characters).
pub fn new_id() -> String {
    let mut bits = crate::rng::u128();
    let mut more = crate::rng::u128();
    let mut id = String::with_capacity(32);
    id.push_str("yD");
    for i in 0..30 {
        let src = if i < 20 { &mut bits } else { &mut more };
        id.push(ALPHABET[(*src % 62) as usize] as char);
        *src /= 62;
    }
    id
}

fn short_code() -> String {
    new_id()[2..12].to_owned()
}

fn url_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow_params(name: &str, approvers: usize) -> Value {
        let approvers: Vec<Value> = (0..approvers)
            .map(|i| {
                json!({
                    "ApproverType": if i % 2 == 0 { "ORGANIZATION" } else { "" },
                    "Name": format!("签署人 \"{i}\"\t\u{7f}"),
                    "Mobile": format!("1320000{i:04}"),
                    "OrganizationName": "典子谷科技有限公司 </script>",
                    "OrganizationOpenId": format!("org_{i}"),
                    "OpenId": format!("user_{i}"),
                    "ApproverRoleName": "甲方\\",
                })
            })
            .collect();
        json!({
            "Agent": {"AppId": "app\u{0}", "ProxyOrganizationOpenId": "org"},
            "FlowName": name, "FlowType": "采购合同", "CustomerData": "c\"d",
            "FlowApprovers": approvers,
        })
    }

    /// What DescribeFlowDetailInfo answered before the cache: the flows' details as Values
    /// in the synthesized response, serialized as one tree.
    fn uncached(inner: &Inner, p: &Value, request_id: &str) -> Vec<u8> {
        let mut out = synth::response("DescribeFlowDetailInfo").unwrap();
        let infos = p["FlowIds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| flow_detail(&inner.flows[id.as_str().unwrap()]))
            .collect();
        let agent = p.get("Agent").cloned().unwrap_or(Value::Null);
        out.insert("ApplicationId".into(), json!(str_of(&agent, "AppId")));
        out.insert(
            "ProxyOrganizationOpenId".into(),
            json!(str_of(&agent, "ProxyOrganizationOpenId")),
        );
        out.insert("FlowInfo".into(), Value::Array(infos));
        out.insert("FlowGroupId".into(), json!(""));
        out.insert("FlowGroupName".into(), json!(""));
        synth::render(out, request_id)
    }

    #[test]
    fn details_written_directly_are_the_serialized_tree() {
        let stats = Stats::default();
        for (n, now) in [(0, 0), (1, -5), (5, i64::MAX / 2), (3, i64::MIN / 2)] {
            let ctx = Ctx { now, stats: &stats };
            let p = flow_params("名\u{0}\"x\"", n);
            let mut flow = new_flow(&p, &p, ctx);
            for status in ["INIT", "PART", "ALL", "CANCEL", "REJECT", "weird\\"] {
                flow.set_status(status, Some("msg \u{1f600}\r\n"));
                assert_eq!(
                    String::from_utf8(flow_detail_json(&flow)).unwrap(),
                    serde_json::to_string(&flow_detail(&flow)).unwrap()
                );
            }
        }
    }

    #[test]
    fn cached_details_render_the_same_bytes() {
        let stats = Stats::default();
        let ctx = Ctx {
            now: 1_700_000_000,
            stats: &stats,
        };
        let state = State::new(1, None);
        let mut ids = Vec::new();
        for (name, n) in [("a \"b\"", 3), ("采购合同\n", 0), ("c", 7)] {
            let mut inner = state.inner.lock().unwrap();
            let flow = new_flow(&flow_params(name, n), &flow_params(name, n), ctx);
            ids.push(flow.id.clone());
            inner.flows.insert(flow.id.clone(), flow);
        }
        let p = json!({"Agent": {"AppId": "x\"y", "ProxyOrganizationOpenId": "z"},
                       "FlowIds": [ids[0], ids[1], ids[2], ids[0]]});
        let check = || {
            let answer = state.answer("DescribeFlowDetailInfo", &p, ctx).unwrap();
            let inner = state.inner.lock().unwrap();
            assert_eq!(
                String::from_utf8(answer.render("rid")).unwrap(),
                String::from_utf8(uncached(&inner, &p, "rid")).unwrap()
            );
        };
        check(); // fills the cache
        check(); // served from it
        state.set_status(&ids[0], "PART", &stats);
        check();
        state.set_status(&ids[0], "ALL", &stats);
        check();
        {
            let mut inner = state.inner.lock().unwrap();
            cancel(&mut inner, &ids[2], "不要了 \"now\"").unwrap();
        }
        check();
        // A FlowGroupId query and an unknown id take the other paths.
        let group = json!({"Agent": {"AppId": "a"}, "FlowGroupId": "g"});
        let answer = state.answer("DescribeFlowDetailInfo", &group, ctx).unwrap();
        let synthesized = synth::response("DescribeFlowDetailInfo").unwrap();
        assert_eq!(answer.render("r"), synth::render(synthesized, "r"));
        let unknown = json!({"FlowIds": [ids[0], "nope"]});
        let e = state
            .answer("DescribeFlowDetailInfo", &unknown, ctx)
            .unwrap_err();
        assert_eq!(e.code, "ResourceNotFound.Flow");
    }
}
