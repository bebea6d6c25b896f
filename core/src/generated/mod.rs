//! Generated from core/spec/api.json.
pub mod table;
