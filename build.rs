//! Build script: the page's memory budget (issue 7, src/wasm/memory.rs). The
//! WebAssembly module's memory may grow to 768 MiB and no further; set on the final
//! link only, so the dependencies' builds are unaffected.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        // Must equal survlens::wasm::memory::BUDGET_BYTES (768 MiB).
        println!("cargo:rustc-link-arg-cdylib=--max-memory=805306368");
    }
}
