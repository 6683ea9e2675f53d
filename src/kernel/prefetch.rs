//! A cache hint: ask the processor to start loading a value that will be needed soon.
//!
//! The event loop calls [`Model::prefetch`](super::Model::prefetch) with the next pending event before handling the
//! current one, so that a large model's per-entity state (scattered over memory much larger than the caches) is on
//! its way while the current event runs. A hint only: it never changes what the simulation computes.

/// Starts loading the cache line holding `value` (a no-op where no prefetch instruction is available).
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` only hints the cache and never dereferences its pointer (which comes from a reference
    // anyway); the SSE instruction set it needs is part of every x86-64 processor.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
