//! The repository's own documentation and structure, one binary: no citation of a
//! document outside the repository, every warning code documented, the generated schema
//! and reference current (`SURVLENS_BLESS=1 cargo test --test docs generated` rewrites
//! them), and the workspace's layers. Run one module with `cargo test --test docs layers`.

mod citations;
mod generated;
mod layers;
