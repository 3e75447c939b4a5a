//! Placeholder: owned by a helper (see stats/mod.rs).
