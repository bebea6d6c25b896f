//! The compact spec table: every action and object of essbasic 2021-05-26 as static data.
//!
//! Generated from `core/spec/api.json` into `generated/table.rs`; one walker
//! ([`crate::validate`]) serves every action from it, in every language.

/// A JSON scalar type of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// A JSON string (`string`, and `date`, which the service sends as a string).
    String,
    /// A JSON integer in `i64` range.
    Int64,
    /// A JSON integer in `u64` range.
    Uint64,
    /// Any JSON number.
    Float,
    /// `true` or `false`.
    Bool,
}

impl Scalar {
    /// The spec's name for the type (`string`, `int64`, `uint64`, `float`, `bool`).
    pub fn name(self) -> &'static str {
        match self {
            Scalar::String => "string",
            Scalar::Int64 => "int64",
            Scalar::Uint64 => "uint64",
            Scalar::Float => "float",
            Scalar::Bool => "bool",
        }
    }
}

/// An index into [`OBJECTS`].
pub type ObjectId = u16;

/// The type of a member: a scalar or an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A scalar.
    Scalar(Scalar),
    /// An object, by its index in [`OBJECTS`].
    Object(ObjectId),
}

/// One member of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberSpec {
    /// The PascalCase wire name.
    pub name: &'static str,
    /// The element type (for lists, the type of each element).
    pub ty: TypeRef,
    /// Whether the member is a JSON array of `ty`.
    pub list: bool,
    /// Whether a request must carry it.
    pub required: bool,
    /// Whether the service may send `null` for it.
    pub nullable: bool,
    /// Whether the spec marks it disabled (not open yet, or withdrawn).
    pub disabled: bool,
}

/// An object (a request, a response, or a shared structure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectSpec {
    /// The object's name in the spec (`FlowApproverInfo`, `ChannelCancelFlowRequest`, ...).
    pub name: &'static str,
    /// Its members in spec order.
    pub members: &'static [MemberSpec],
}

impl ObjectSpec {
    /// The member named `name`, if any.
    pub fn member(&self, name: &str) -> Option<&'static MemberSpec> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// Which host serves an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host {
    /// `essbasic.tencentcloudapi.com` (test: `essbasic.test.ess.tencent.cn`).
    Api,
    /// `file.ess.tencent.cn` (test: `file.test.ess.tencent.cn`), for `UploadFiles`.
    File,
}

/// One action of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    /// The action name, e.g. `ChannelCancelFlow`.
    pub name: &'static str,
    /// The official short title (Chinese).
    pub title: &'static str,
    /// The request object.
    pub input: ObjectId,
    /// The response object.
    pub output: ObjectId,
    /// The host that serves it.
    pub host: Host,
    /// Whether the action is deprecated.
    pub deprecated: bool,
    /// The action that replaces a deprecated one.
    pub replaced_by: Option<&'static str>,
    /// Whether the action only reads (Describe*, Get*, Verify*, ...): safe to retry after
    /// the request may have reached the server.
    pub read_only: bool,
}

impl ActionSpec {
    /// The request object.
    pub fn input(&self) -> &'static ObjectSpec {
        &OBJECTS[self.input as usize]
    }
    /// The response object.
    pub fn output(&self) -> &'static ObjectSpec {
        &OBJECTS[self.output as usize]
    }
}

pub use crate::generated::table::{ACTIONS, API_VERSION, OBJECTS, SERVICE};

/// Looks an action up by its exact name.
pub fn action(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS
        .binary_search_by(|a| a.name.cmp(name))
        .ok()
        .map(|i| &ACTIONS[i])
}

/// Looks an object up by its exact name.
pub fn object(name: &str) -> Option<&'static ObjectSpec> {
    OBJECTS
        .binary_search_by(|o| o.name.cmp(name))
        .ok()
        .map(|i| &OBJECTS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert_eq!(ACTIONS.len(), 101);
        assert!(ACTIONS.windows(2).all(|w| w[0].name < w[1].name));
        assert!(OBJECTS.windows(2).all(|w| w[0].name < w[1].name));
        for a in ACTIONS {
            assert_eq!(a.input().name, format!("{}Request", a.name));
            assert_eq!(a.output().name, format!("{}Response", a.name));
        }
    }

    #[test]
    fn lookups() {
        let a = action("UploadFiles").unwrap();
        assert_eq!(a.host, Host::File);
        assert!(action("ChannelCancelFlows").is_none());
        let legacy = action("ChannelGetTaskResultApi").unwrap();
        assert!(legacy.deprecated);
        assert_eq!(legacy.replaced_by, Some("DescribeFileConvertTask"));
        assert!(action("DescribeFlowDetailInfo").unwrap().read_only);
        assert!(!action("ChannelCreateFlowByFiles").unwrap().read_only);
        let m = object("FlowApproverInfo")
            .unwrap()
            .member("ApproverType")
            .unwrap();
        assert_eq!(m.ty, TypeRef::Scalar(Scalar::String));
    }
}
