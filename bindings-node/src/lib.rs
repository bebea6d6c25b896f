//! The node binding (in progress).
