//! Placeholder: the web branch provides the wasm shell.
