//! Clean interrupts: SIGINT and SIGTERM ask a run, sweep or analysis to stop at its next check, so that it leaves no
//! results folder and no staging folder behind; a second signal ends the process at once (a later run into the same
//! place removes what it left). SIGXFSZ (a file-size limit, `ulimit -f`, `prlimit --fsize`) is caught so that the
//! write that crosses the limit fails with an error instead of killing the process.
//!
//! Nothing happens until [`install`] is called (the command line does; a library user may), so tests and programs
//! that use the library directly are never interrupted by it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The signal that asked to stop (its number), or 0.
static REQUESTED: AtomicUsize = AtomicUsize::new(0);
/// Set with [`REQUESTED`]; arms the immediate exit on a second signal.
static ARMED: AtomicBool = AtomicBool::new(false);
/// Set when a write crossed the file-size limit (only so that the signal has a handler).
static FILE_TOO_LARGE: AtomicBool = AtomicBool::new(false);

/// SIGINT's number.
pub const SIGINT: i32 = signal_hook::consts::SIGINT;
/// SIGTERM's number.
pub const SIGTERM: i32 = signal_hook::consts::SIGTERM;

/// The run was stopped by a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted by {}", signal_name(*signal))]
pub struct Interrupted {
    /// The signal's number.
    pub signal: i32,
}

impl Interrupted {
    /// The exit code a shell expects after this signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).
    pub fn exit_code(&self) -> u8 {
        u8::try_from(128 + self.signal).unwrap_or(u8::MAX)
    }
}

/// The name of a signal (`SIGINT`), as signal-hook knows it.
pub fn signal_name(signal: i32) -> &'static str {
    signal_hook::low_level::signal_name(signal).unwrap_or("a signal")
}

/// Installs the handlers: the first SIGINT or SIGTERM sets the stop request, a second one exits at once with
/// 128 + its number. SIGXFSZ gets a handler that only records it.
pub fn install() -> std::io::Result<()> {
    for signal in [SIGINT, SIGTERM] {
        // The shutdown must be registered first: on the first signal ARMED is still false, so only the flags below
        // are set; on the second, the process exits.
        signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, &ARMED)?;
        signal_hook::flag::register_usize(signal, &REQUESTED, usize::try_from(signal).unwrap_or(1))?;
        signal_hook::flag::register(signal, &ARMED)?;
    }
    signal_hook::flag::register(signal_hook::consts::SIGXFSZ, &FILE_TOO_LARGE)?;
    Ok(())
}

/// Whether a stop was asked for, and by which signal.
pub fn requested() -> Option<Interrupted> {
    match REQUESTED.load(Ordering::Relaxed) {
        0 => None,
        s => Some(Interrupted { signal: i32::try_from(s).unwrap_or(SIGTERM) }),
    }
}

/// `Err` once a stop was asked for.
pub fn check() -> Result<(), Interrupted> {
    requested().map_or(Ok(()), Err)
}
