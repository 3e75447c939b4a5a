//! The page's memory budget (issue 7).
//!
//! The core's WebAssembly memory may grow to [`BUDGET_BYTES`] (768 MiB; the link
//! argument `--max-memory` in `build.rs` sets it); with the page's
//! JavaScript and chromium's own ~200 MB, the tab stays under 1 GB. A 10⁶-row
//! cohort of 11 columns runs KM, log-rank, Cox, the PH test or IPTW within it.
//!
//! The allocator also counts live heap bytes against the same budget (their peak is
//! what the benchmark reports as the core's memory). An allocation beyond the budget fails. Fallible reservations (the file buffer,
//! the results JSON) answer `out_of_memory` and nothing is lost; anywhere else the
//! failure aborts (a trap). This allocator records the size of the failed request,
//! so the worker can tell that trap from a bug ([`failed_allocation`]) and say
//! "not enough memory" with what to do, instead of "internal error".

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use wasm_bindgen::prelude::*;

/// The most the core's memory may grow to (must equal `--max-memory`).
pub const BUDGET_BYTES: usize = 768 << 20;

static FAILED: AtomicUsize = AtomicUsize::new(0);
/// Bytes allocated and not freed, their peak, and the limit on them (tests lower it).
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static LIMIT: AtomicUsize = AtomicUsize::new(BUDGET_BYTES);

/// The system allocator, counting live bytes against [`LIMIT`] and remembering the
/// last request it could not satisfy.
pub struct Watched;

/// Whether `size` more bytes fit the limit; records the refusal.
fn admit(size: usize) -> bool {
    let live = LIVE.load(Ordering::Relaxed);
    if live.saturating_add(size) > LIMIT.load(Ordering::Relaxed) {
        FAILED.store(size.max(1), Ordering::Relaxed);
        return false;
    }
    true
}

fn granted(p: *mut u8, size: usize) -> *mut u8 {
    if p.is_null() {
        FAILED.store(size.max(1), Ordering::Relaxed);
    } else {
        let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
    p
}

// SAFETY: every call forwards to `System` with the caller's arguments unchanged, or
// returns null (an allocation failure, which the contract of GlobalAlloc allows).
unsafe impl GlobalAlloc for Watched {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !admit(layout.size()) {
            return std::ptr::null_mut();
        }
        granted(unsafe { System.alloc(layout) }, layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !admit(layout.size()) {
            return std::ptr::null_mut();
        }
        granted(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !admit(new_size - old) {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            FAILED.store(new_size.max(1), Ordering::Relaxed);
        } else if new_size >= old {
            let live = LIVE.fetch_add(new_size - old, Ordering::Relaxed) + (new_size - old);
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(old - new_size, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Watched = Watched;

/// Forgets an earlier failed request (a refused file is not a later trap's cause).
pub fn clear_failed() {
    FAILED.store(0, Ordering::Relaxed);
}

/// Bytes of the last allocation the core could not get (0: none failed). Readable
/// after a trap: it touches no heap and no stack.
#[wasm_bindgen]
pub fn failed_allocation() -> f64 {
    FAILED.load(Ordering::Relaxed) as f64
}

/// The limit on the core's live heap bytes ([`BUDGET_BYTES`] unless lowered).
#[wasm_bindgen]
pub fn memory_budget() -> f64 {
    LIMIT.load(Ordering::Relaxed) as f64
}

/// The peak of the core's live heap bytes so far (the benchmark reports it).
#[wasm_bindgen]
pub fn memory_peak() -> f64 {
    PEAK.load(Ordering::Relaxed) as f64
}

/// Tests only: lowers (or restores, with 0) the limit on live heap bytes, so the
/// out-of-memory path can be met with a small file.
#[wasm_bindgen]
pub fn debug_set_memory_budget(bytes: f64) {
    let limit = if bytes > 0.0 && bytes < BUDGET_BYTES as f64 {
        bytes as usize
    } else {
        BUDGET_BYTES
    };
    LIMIT.store(limit, Ordering::Relaxed);
}
