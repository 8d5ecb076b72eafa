//! Outside threads: `spawn_blocking`, and the `KeepAlive` guard for threads the program starts.
//!
//! The deadlock rule says: when nothing can run, nothing ever will. Threads break that rule:
//! a thread that holds a waker can wake a task at any moment. So the runtime counts the
//! *registered* outside sources of wake-ups, and while the count is above zero an idle run
//! loop waits for them instead of reporting a deadlock.
//!
//! - [`spawn_blocking`] registers itself for as long as its closure runs.
//! - A thread the program starts itself registers by holding a [`KeepAlive`] (from
//!   [`keep_alive`]) for as long as it may wake tasks, and drops it after its last wake-up.
//! - What the runtime sees without help: which futures are tinyio's (they leave a wait note),
//!   and whether a clone of a blocked task's waker is alive. A blocked future that is not
//!   tinyio's, whose waker someone still holds (a plain thread, another crate's channel), may
//!   be woken from outside: the idle runtime waits for it, looking again every few
//!   milliseconds in case the clone is dropped unwoken, and reports only what is certain.
//! - What it cannot see: a thread that holds no waker but will act on a tinyio primitive
//!   (`try_put` into a [`Queue`](crate::Queue) from a plain thread, say). The waker is then in
//!   the queue's line, which only a task could trigger as far as the runtime knows, so the run
//!   is reported as a deadlock. Such a thread registers with a `KeepAlive`. So does a future
//!   that is not tinyio's but that a `select`-like combinator hides behind a tinyio one's note.
//!
//! On the virtual clock only `spawn_blocking` work in flight holds time back; a `KeepAlive`
//! alone does not (a guard kept by a task would otherwise stop the clock for ever).
//!
//! Invariant: a registered thread wakes its task *before* it unregisters, so an idle run loop
//! that sees the count drop to zero finds the woken task in the run queue when it looks again.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::join_handle::JoinHandle;
use crate::note;
use crate::outside::Outside;
use crate::sync::lock;
use crate::{context, runtime};

/// The registered outside sources of the runtime entered on this thread.
fn outside(what: &str) -> Arc<Outside> {
    context::part(what, |entered| &entered.outside)
}

// ANCHOR: keep_alive
/// Registers the calling program's own thread as a source of wake-ups of the running runtime.
///
/// While the returned guard (or a clone) is alive, the runtime does not report a deadlock when
/// nothing can run: it waits, because the thread holding the guard may still wake a task. Give
/// the guard to the thread together with the waker, wake first, then drop the guard.
///
/// What the runtime sees on its own, and what it does not: it knows tinyio's own futures (they
/// leave a wait note) and can count the live clones of a task's waker. A future that is not
/// tinyio's and whose waker is held somewhere may be woken from outside, so the runtime waits
/// for it without a guard (a plain thread woken through a waker, as below, needs none). It
/// cannot see a thread that holds no waker but will use a tinyio primitive, such as a thread
/// that calls [`Queue::try_put`](crate::Queue::try_put): the waiting getter's waker sits in
/// the queue, which as far as the runtime knows only a task can trigger. Such a thread needs a
/// guard, or the run is reported as a deadlock before it puts. On the virtual clock a guard
/// does not stop time from jumping to the next timer (only `spawn_blocking` work does).
///
/// ```
/// use std::sync::{Arc, Mutex};
/// let value = tinyio::run(async {
///     let slot: Arc<Mutex<(Option<u32>, Option<std::task::Waker>)>> = Arc::default();
///     let guard = tinyio::keep_alive();
///     let thread_slot = slot.clone();
///     std::future::poll_fn(|cx| {
///         let mut s = slot.lock().unwrap();
///         if let Some(v) = s.0 { return std::task::Poll::Ready(v); }
///         if s.1.is_none() {
///             s.1 = Some(cx.waker().clone());
///             let (slot, guard) = (thread_slot.clone(), guard.clone());
///             std::thread::spawn(move || {
///                 let waker = { let mut s = slot.lock().unwrap(); s.0 = Some(7); s.1.take() };
///                 waker.unwrap().wake(); // wake first...
///                 drop(guard);           // ...then unregister
///             });
///         }
///         std::task::Poll::Pending
///     })
///     .await
/// });
/// assert_eq!(value, 7);
/// ```
///
/// # Panics
///
/// Outside a tinyio runtime.
pub fn keep_alive() -> KeepAlive {
    KeepAlive::new(outside("tinyio::keep_alive"), false)
}

// ANCHOR: keep_alive_guard
/// A registration of an outside source of wake-ups; see [`keep_alive`]. Cloning registers
/// once more; dropping unregisters.
///
/// ```
/// let got = tinyio::run(async {
///     let queue = tinyio::Queue::new();
///     let (sender, guard) = (queue.clone(), tinyio::keep_alive());
///     std::thread::spawn(move || {
///         sender.try_put("from a thread").unwrap();
///         drop(guard); // after the put: until then the runtime waits for this thread
///     });
///     queue.get().await.unwrap()
/// });
/// assert_eq!(got, "from a thread");
/// ```
pub struct KeepAlive {
    outside: Arc<Outside>,
    /// Registered by `spawn_blocking` for the time its closure runs: work in flight.
    busy: bool,
}

impl KeepAlive {
    fn new(outside: Arc<Outside>, busy: bool) -> KeepAlive {
        outside.register(busy);
        KeepAlive { outside, busy }
    }
}

impl Clone for KeepAlive {
    fn clone(&self) -> KeepAlive {
        KeepAlive::new(self.outside.clone(), false)
    }
}

impl Drop for KeepAlive {
    fn drop(&mut self) {
        self.outside.unregister(self.busy);
    }
}
// ANCHOR_END: keep_alive
// ANCHOR_END: keep_alive_guard

impl fmt::Debug for KeepAlive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeepAlive")
    }
}

/// Runs `work` on a thread of its own and resolves with its result, without blocking the
/// runtime: `asyncio.to_thread(work)` / `loop.run_in_executor(None, work)`.
///
/// While `work` runs, the runtime is not idle (see [`keep_alive`]). A panic in `work` becomes
/// the handle's [`JoinError`](crate::JoinError), with the panic message.
///
/// ```
/// let sum = tinyio::run(async {
///     tinyio::spawn_blocking(|| (1..=100u64).sum::<u64>()).await.unwrap()
/// });
/// assert_eq!(sum, 5050);
/// ```
///
/// # Panics
///
/// Outside a tinyio runtime, or if the operating system refuses to start a thread.
// ANCHOR: spawn_blocking
pub fn spawn_blocking<W, T>(work: W) -> JoinHandle<T>
where
    W: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let guard = KeepAlive::new(outside("tinyio::spawn_blocking"), true);
    let slot: Arc<Mutex<Slot<T>>> = Arc::new(Mutex::new(Slot {
        result: None,
        waker: None,
    }));
    let thread_slot = slot.clone();
    std::thread::Builder::new()
        .name(String::from("tinyio-blocking"))
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(work));
            let waker = {
                let mut slot = lock(&thread_slot);
                slot.result = Some(result);
                slot.waker.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
            drop(guard); // after the wake-up: see the module's invariant
        })
        .expect("tinyio::spawn_blocking: the operating system refused to start a thread");
    runtime::spawn_named("spawn_blocking", Blocking { slot })
}
// ANCHOR_END: spawn_blocking

/// Where the blocking thread leaves its result.
struct Slot<T> {
    result: Option<Result<T, Box<dyn Any + Send>>>,
    waker: Option<Waker>,
}

/// The task that waits for the blocking thread.
struct Blocking<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> Future for Blocking<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = lock(&self.slot);
        match slot.result.take() {
            Some(Ok(value)) => Poll::Ready(value),
            // Re-raise the thread's panic inside the task: the runtime turns it into the
            // handle's JoinError, message included.
            Some(Err(payload)) => {
                drop(slot);
                resume_unwind(payload)
            }
            None => {
                slot.waker = Some(cx.waker().clone());
                drop(slot);
                note::waiting_on("spawn_blocking (its closure runs on another thread)", None);
                Poll::Pending
            }
        }
    }
}
