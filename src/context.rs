//! Which runtime runs on this thread: what `spawn`, `sleep` and friends reach for.
//!
//! A thread runs at most one runtime at a time. `run` (and each worker of the multi-threaded
//! runtime) enters its runtime here for the length of the run; the free functions find it
//! here. Calling them with no runtime entered panics with a message that says what to do.
//!
//! This module sits below everything that uses it: it stores the entered runtime's parts as
//! type-erased handles (`dyn Any`), and each user takes back the part it knows (the runtime
//! module its `Core` or pool, `time.rs` its `TimeDriver`, `blocking.rs` its `Outside`). So it
//! depends on none of them, and none of them on each other through it.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// The parts of the runtime entered on this thread.
pub(crate) struct Entered {
    /// The runtime itself: `Core` (single thread) or `Arc<Pool>` (a worker), for `spawn`.
    pub(crate) runtime: Rc<dyn Any>,
    /// Its timers and clock: an `Arc<TimeDriver>`.
    pub(crate) time: Arc<dyn Any + Send + Sync>,
    /// Its registered outside sources: an `Arc<Outside>`.
    pub(crate) outside: Arc<dyn Any + Send + Sync>,
}

thread_local! {
    static CONTEXT: RefCell<Option<Entered>> = const { RefCell::new(None) };
}

/// Runs `f` with the runtime entered on this thread, or panics saying that `what` needs one.
pub(crate) fn with<R>(what: &str, f: impl FnOnce(&Entered) -> R) -> R {
    CONTEXT.with(|context| match &*context.borrow() {
        Some(entered) => f(entered),
        None => panic!(
            "{what} was called outside a runtime. It needs a running tinyio runtime: call \
             {what} from code that runs inside tinyio::run(async {{ ... }})."
        ),
    })
}

/// The part `T` of the runtime entered on this thread (its `TimeDriver` or its `Outside`),
/// taken from `part`, or a panic that says `what` needs a runtime.
pub(crate) fn part<T: Any + Send + Sync>(
    what: &str,
    part: fn(&Entered) -> &Arc<dyn Any + Send + Sync>,
) -> Arc<T> {
    let any = with(what, |entered| part(entered).clone());
    any.downcast::<T>()
        .unwrap_or_else(|_| unreachable!("a runtime entered a part of another type"))
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
