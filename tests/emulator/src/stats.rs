//! Counters for `GET /__emulator/stats`: requests per action, error codes, faults and side
//! effects, so a test can prove that no retry created a duplicate contract.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;

use serde_json::{json, Map, Value};

use crate::spec_data::SPEC;

/// Per-action counters.
#[derive(Debug, Default)]
struct ActionCounters {
    requests: AtomicU64,
    ok: AtomicU64,
    errors: AtomicU64,
}

/// A side effect that the state machine performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// A file id was issued.
    FileUploaded,
    /// A conversion task was created.
    ConvertTaskCreated,
    /// A flow (contract) was created.
    FlowCreated,
    /// A flow was cancelled.
    FlowCancelled,
    /// A flow changed status another way (admin API).
    FlowStatusChanged,
    /// A batch-cancel task was created.
    CancelTaskCreated,
    /// A sign link was issued.
    SignUrlIssued,
    /// A callback was delivered (2xx).
    CallbackDelivered,
    /// A callback failed after its retries.
    CallbackFailed,
}

const EFFECTS: [(Effect, &str); 9] = [
    (Effect::FileUploaded, "files_uploaded"),
    (Effect::ConvertTaskCreated, "convert_tasks_created"),
    (Effect::FlowCreated, "flows_created"),
    (Effect::FlowCancelled, "flows_cancelled"),
    (Effect::FlowStatusChanged, "flow_status_changes"),
    (Effect::CancelTaskCreated, "cancel_tasks_created"),
    (Effect::SignUrlIssued, "sign_urls_issued"),
    (Effect::CallbackDelivered, "callbacks_delivered"),
    (Effect::CallbackFailed, "callbacks_failed"),
];

/// All counters.
#[derive(Debug)]
pub struct Stats {
    requests: AtomicU64,
    actions: Vec<ActionCounters>,
    unknown_action: AtomicU64,
    effects: [AtomicU64; 9],
    errors: Mutex<BTreeMap<String, u64>>,
    faults: Mutex<BTreeMap<String, u64>>,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            requests: AtomicU64::new(0),
            actions: SPEC
                .actions
                .iter()
                .map(|_| ActionCounters::default())
                .collect(),
            unknown_action: AtomicU64::new(0),
            effects: Default::default(),
            errors: Mutex::default(),
            faults: Mutex::default(),
        }
    }
}

impl Stats {
    /// Counts an API request (any path but `/__emulator/`).
    pub fn request(&self) {
        self.requests.fetch_add(1, Relaxed);
    }

    /// Counts the outcome of a request for `action` (`None` when no known action was named);
    /// `error` is the error code, if any.
    pub fn outcome(&self, action: Option<usize>, error: Option<&str>) {
        match action {
            Some(i) => {
                let c = &self.actions[i];
                c.requests.fetch_add(1, Relaxed);
                match error {
                    None => c.ok.fetch_add(1, Relaxed),
                    Some(_) => c.errors.fetch_add(1, Relaxed),
                };
            }
            None => {
                self.unknown_action.fetch_add(1, Relaxed);
            }
        }
        if let Some(code) = error {
            *self
                .errors
                .lock()
                .unwrap()
                .entry(code.to_owned())
                .or_default() += 1;
        }
    }

    /// Counts an injected fault by its kind (`status`, `reset`, ...).
    pub fn fault(&self, kind: &str) {
        *self
            .faults
            .lock()
            .unwrap()
            .entry(kind.to_owned())
            .or_default() += 1;
    }

    /// Counts a side effect.
    pub fn effect(&self, effect: Effect, n: u64) {
        let i = EFFECTS
            .iter()
            .position(|(e, _)| *e == effect)
            .expect("listed");
        self.effects[i].fetch_add(n, Relaxed);
    }

    /// The count of one side effect.
    pub fn effect_count(&self, effect: Effect) -> u64 {
        let i = EFFECTS
            .iter()
            .position(|(e, _)| *e == effect)
            .expect("listed");
        self.effects[i].load(Relaxed)
    }

    /// Zeroes everything.
    pub fn reset(&self) {
        self.requests.store(0, Relaxed);
        self.unknown_action.store(0, Relaxed);
        for c in &self.actions {
            c.requests.store(0, Relaxed);
            c.ok.store(0, Relaxed);
            c.errors.store(0, Relaxed);
        }
        for e in &self.effects {
            e.store(0, Relaxed);
        }
        self.errors.lock().unwrap().clear();
        self.faults.lock().unwrap().clear();
    }

    /// The stats document.
    pub fn to_json(&self) -> Value {
        let mut actions = Map::new();
        for (a, c) in SPEC.actions.iter().zip(&self.actions) {
            let requests = c.requests.load(Relaxed);
            if requests > 0 {
                actions.insert(
                    a.name.clone(),
                    json!({
                        "requests": requests,
                        "ok": c.ok.load(Relaxed),
                        "errors": c.errors.load(Relaxed),
                    }),
                );
            }
        }
        let effects: Map<String, Value> = EFFECTS
            .iter()
            .zip(&self.effects)
            .map(|((_, name), n)| ((*name).to_owned(), Value::from(n.load(Relaxed))))
            .collect();
        json!({
            "requests": self.requests.load(Relaxed),
            "unknown_action": self.unknown_action.load(Relaxed),
            "actions": actions,
            "errors": *self.errors.lock().unwrap(),
            "faults": *self.faults.lock().unwrap(),
            "side_effects": effects,
        })
    }
}
