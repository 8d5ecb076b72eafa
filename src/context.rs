//! Which runtime runs on this thread: what `spawn`, `sleep` and friends reach for.
//!
//! A thread runs at most one runtime at a time. `run` (and each worker of the multi-threaded
//! runtime) enters its runtime here for the length of the run; the free functions find it
//! here. Calling them with no runtime entered panics with a message that says what to do.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;

use crate::blocking::Outside;
use crate::join_handle::JoinHandle;
use crate::multi_thread::Pool;
use crate::note::Name;
use crate::runtime::Core;
use crate::time::TimeDriver;

/// The runtime entered on this thread.
#[derive(Clone)]
pub(crate) enum Entered {
    /// `run`: the single-threaded runtime, owned by this thread.
    Single(Rc<Core>),
    /// A worker (or the closing thread) of the multi-threaded runtime.
    Multi(Arc<Pool>),
}

thread_local! {
    static CONTEXT: RefCell<Option<Entered>> = const { RefCell::new(None) };
}

/// The runtime entered on this thread, or a panic that says `what` needs one.
fn current(what: &str) -> Entered {
    CONTEXT
        .with(|context| context.borrow().clone())
        .unwrap_or_else(|| {
            panic!(
                "{what} was called outside a runtime. It needs a running tinyio runtime: call \
                 {what} from code that runs inside tinyio::run(async {{ ... }})."
            )
        })
}

/// Spawns on the runtime entered on this thread.
pub(crate) fn spawn<F>(name: Option<Name>, future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match current("tinyio::spawn") {
        Entered::Single(core) => core.spawn(name, future),
        Entered::Multi(pool) => pool.spawn(name, future),
    }
}

/// The timers and clock of the runtime entered on this thread.
pub(crate) fn time_driver(what: &str) -> Arc<TimeDriver> {
    match current(what) {
        Entered::Single(core) => core.time().clone(),
        Entered::Multi(pool) => pool.time().clone(),
    }
}

/// The registered outside sources of the runtime entered on this thread.
pub(crate) fn outside(what: &str) -> Arc<Outside> {
    match current(what) {
        Entered::Single(core) => core.outside().clone(),
        Entered::Multi(pool) => pool.outside().clone(),
    }
}

/// Panics with a clear message if a runtime is entered on this thread (`what` is the caller).
pub(crate) fn assert_not_in_runtime(what: &str) {
    if CONTEXT.with(|context| context.borrow().is_some()) {
        panic!(
            "{what} was called inside a running tinyio runtime. It would block the thread that \
             runs the tasks, so none could run, including the one that would wake it. Inside a \
             task, .await the future instead (or tinyio::spawn it)."
        );
    }
}

/// Enters `runtime` on this thread until the guard is dropped.
pub(crate) fn enter(runtime: Entered, what: &str) -> EnterGuard {
    assert_not_in_runtime(what);
    CONTEXT.with(|context| *context.borrow_mut() = Some(runtime));
    EnterGuard(())
}

/// Leaves the runtime when dropped (also when the run ends by a panic).
pub(crate) struct EnterGuard(());

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let left = CONTEXT.with(|context| context.borrow_mut().take());
        drop(left); // outside the borrow
    }
}
