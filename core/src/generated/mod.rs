//! Generated from core/spec/api.json.
