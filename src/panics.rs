//! Panics: one line for the user, never a backtrace they did not ask for.
//!
//! In: a closure that may panic (a bug in planbook). Out: its result, or the panic's message with
//! where it happened. `install_hook` (called by the binary) replaces Rust's default hook: a panic
//! inside `guard` prints nothing (the caller turns it into a diagnostic, E026), any other panic
//! prints one `error: internal error …` line. With `RUST_BACKTRACE` set the default hook stays,
//! so whoever asked for a backtrace gets one.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// How many `guard`s this thread is inside.
    static GUARDED: Cell<usize> = const { Cell::new(0) };
    /// The last panic on this thread, with its location (set by the hook).
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`; a panic inside it comes back as `Err(message at file:line)`.
pub fn guard<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    GUARDED.with(|g| g.set(g.get() + 1));
    LAST.with(|l| l.borrow_mut().take());
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    result.map_err(|payload| LAST.with(|l| l.borrow_mut().take()).unwrap_or_else(|| message(payload.as_ref())))
}

/// Installs the hook described in the module docs (unless `RUST_BACKTRACE` is set).
pub fn install_hook() {
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| !v.is_empty() && v != "0") {
        return;
    }
    panic::set_hook(Box::new(|info| {
        let what = message(info.payload());
        let what = match info.location() {
            Some(at) => format!("{what} (at {}:{})", at.file(), at.line()),
            None => what,
        };
        if GUARDED.with(Cell::get) > 0 {
            LAST.with(|l| *l.borrow_mut() = Some(what));
        } else {
            eprintln!("error: internal error: {what}; this is a bug in planbook, please report it");
        }
    }));
}

/// A panic payload as text.
pub fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guarded_panic_is_a_message() {
        assert_eq!(guard(|| 1), Ok(1));
        let e = guard(|| {
            let s = "é";
            s.get(0..1).expect("cut inside a character").len()
        })
        .unwrap_err();
        assert!(e.contains("cut inside a character"), "{e}");
        let nested = guard(|| guard(|| panic!("inner")).unwrap_err());
        assert!(nested.unwrap().contains("inner"));
    }
}
