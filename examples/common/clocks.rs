//! Clocks for `survlens::timing::record` in the timing examples (`#[path]`-included by
//! examples/step_timing.rs and examples/read_timing.rs; not an example of its own).

use std::time::Instant;

/// The clock `STEP_TIMING_CLOCK` asks for: wall seconds by default, `cpu`: the thread's
/// CPU seconds (time spent descheduled on a shared machine is then not counted).
pub fn chosen() -> survlens::timing::Clock {
    if std::env::var("STEP_TIMING_CLOCK").as_deref() == Ok("cpu") {
        cpu
    } else {
        wall
    }
}

/// Seconds since the first reading.
pub fn wall() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// The calling thread's CPU seconds (`CLOCK_THREAD_CPUTIME_ID`).
pub fn cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for clock_gettime to write.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}
