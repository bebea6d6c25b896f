//! Placeholder until the generator writes the real table.
use crate::spec::{ActionSpec, ObjectSpec};
/// The service name.
pub const SERVICE: &str = "essbasic";
/// The API version.
pub const API_VERSION: &str = "2021-05-26";
/// Every action, sorted by name.
pub static ACTIONS: &[ActionSpec] = &[];
/// Every object, sorted by name.
pub static OBJECTS: &[ObjectSpec] = &[];
