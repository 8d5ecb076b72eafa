//! Tasks: a spawned future, its scheduling state and its result slot, shared through an `Arc`.
//!
//! A task is reached from three places: the runtime's registry of live tasks, the run queue
//! (while it is scheduled), and every [`Waker`] made from it. Waking a task pushes it onto the
//! run queue unless it is already there, so a task woken ten times before its turn runs once.
//!
//! Guarantees (the state bits and their rules are in `state.rs`):
//! - a task is in the run queue at most once (the `SCHEDULED` bit guards the push);
//! - a wake-up that arrives while the task is being polled is kept: single-threaded, the bit is
//!   cleared *before* the poll, so such a wake queues the task again, at the back; with several
//!   workers the task is `RUNNING` during the poll, and is queued once when the poll ends, so no
//!   other worker takes it meanwhile;
//! - the future is never polled after it returned `Ready`, panicked or was aborted: the slot
//!   that holds it is emptied at that moment;
//! - a panic inside the future is caught and becomes the task's [`JoinError`]; the runtime
//!   goes on;
//! - waking a task whose runtime is gone does nothing (the channel's receiver is dropped).
//!
//! A task costs two allocations: the `Arc<Task<F>>` and the pinned box of the future. Doing it
//! in one, as async-task does, needs `unsafe` pin projection, which this crate forbids.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use futures_task::{ArcWake, waker_ref};

use crate::join_error::JoinError;
use crate::note::{Kept, Name, Note, Recording};
use crate::owner::{self, OwnerKey};
use crate::state::{self, ABORT};
use crate::sync::lock;
use crate::trace::What;

pub(crate) mod run_queue;
use run_queue::Shared;

/// What the runtime needs of every task, whatever its future's type.
pub(crate) trait Runnable: Send + Sync {
    /// The task's identity and scheduling state.
    fn header(&self) -> &Header;
    /// Runs one turn: polls the future once, or drops it if the task was aborted.
    fn run(self: Arc<Self>, driver: &dyn Driver);
    /// Drops the future without polling it (the runtime is shutting down or the task was
    /// spawned while it shuts down). The task's result becomes "cancelled".
    fn cancel(&self);
    /// A copy of the note the task left when it last returned `Pending`, for a report; `Err`
    /// if a worker is polling the task right now (it is not blocked).
    fn note(&self) -> Result<Option<Note>, Busy> {
        Ok(None)
    }
}

/// A report asked for the note of a task that a worker is polling.
pub(crate) struct Busy;

/// What a task's turn needs of the runtime that runs it (single- or multi-threaded).
pub(crate) trait Driver {
    /// A poll of the task with `header` starts: record notes (`previous` is the note of its
    /// last turn, offered for reuse), trace the poll.
    fn begin_turn(&self, header: &Header, previous: Option<Kept>) -> Turn;
    /// The poll returned `Pending`: returns the note the task left, which the task keeps.
    fn pending(&self, header: &Header, turn: Turn) -> Option<Kept>;
    /// The task finished (`what` says how): forget it.
    fn task_finished(&self, header: &Header, what: What);
    /// Whether wake-ups during a poll are deferred to its end (`RUNNING`): with several
    /// workers, so that no other worker takes the task while it is polled.
    fn defers_wakeups(&self) -> bool {
        false
    }
}

/// One poll of one task: while alive, the runtime records what the task waits on.
pub(crate) struct Turn {
    _recording: Recording,
}

impl Turn {
    /// Starts recording; `previous` is the note the task left at its last turn, if the runtime
    /// kept it, offered for reuse.
    pub(crate) fn start(previous: Option<Kept>) -> Turn {
        Turn {
            _recording: Recording::start(previous),
        }
    }
}

/// Identity and scheduling state, the part of a task that does not depend on its future.
///
/// Kept to 32 bytes, so that a task with a small future and output (the whole `Task`, with its
/// reference counts) is a 120-byte allocation, the largest that glibc serves from its fastest
/// lists (fastbins): allocating and freeing are a third of what spawning costs (the bench's W2).
pub(crate) struct Header {
    /// Spawn order; 0 is the main future.
    pub(crate) id: u64,
    /// Index of the task's entry in the runtime's registry.
    slot: u32,
    /// The name given at spawn, if any (`task-ID` is printed otherwise); boxed, as it is rare.
    name: Option<Box<Name>>,
    /// `SCHEDULED | RUNNING | ABORT | DONE` bits, changed only through `state.rs`.
    pub(crate) state: AtomicU8,
    /// Whether a `JoinHandle` for this task is alive (it holds one strong reference).
    pub(crate) has_handle: AtomicBool,
    /// What every task of its runtime shares: the run queue, the tracer, the work count.
    pub(crate) runtime: Arc<Shared>,
}

impl Header {
    /// Index of the task's entry in the runtime's registry.
    pub(crate) fn slot(&self) -> usize {
        self.slot as usize
    }

    /// The task's name in the process, for the waiter lines (`owner.rs`).
    pub(crate) fn owner_key(&self) -> OwnerKey {
        OwnerKey {
            runtime: self.runtime.id(),
            task: self.id,
        }
    }

    /// The name used in traces and reports.
    pub(crate) fn label(&self) -> Name {
        match &self.name {
            Some(name) => Name::clone(name),
            None if self.id == 0 => Name::from("main"),
            None => Name::from(format!("task-{}", self.id)),
        }
    }
}

/// An aborted task is forgotten by the waiter lines when it goes.
impl Drop for Header {
    fn drop(&mut self) {
        if state::is_aborted(&self.state) {
            owner::forget(self.owner_key());
        }
    }
}

/// The id of the no-op entry that an outside thread pushes to make an idle run loop look again.
pub(crate) const NUDGE: u64 = u64::MAX;

/// A new task's header, already marked `SCHEDULED` (it is about to be pushed).
///
/// # Panics
///
/// If `slot` does not fit in 32 bits: more than four billion live tasks.
pub(crate) fn header(id: u64, slot: usize, name: Option<Name>, runtime: &Arc<Shared>) -> Header {
    Header {
        id,
        slot: match slot {
            usize::MAX => u32::MAX, // not in a registry: the main future, a nudge
            slot => u32::try_from(slot).expect("more than four billion live tasks"),
        },
        name: name.map(Box::new),
        state: AtomicU8::new(state::NEW),
        has_handle: AtomicBool::new(false),
        runtime: runtime.clone(),
    }
}

/// The no-op entry of [`NUDGE`]: never run, only looked at.
pub(crate) struct Nudge {
    pub(crate) header: Header,
}

impl Runnable for Nudge {
    fn header(&self) -> &Header {
        &self.header
    }
    fn run(self: Arc<Self>, _driver: &dyn Driver) {}
    fn cancel(&self) {}
}

// ANCHOR: schedule
/// A wake-up of the task `header` belongs to: sets `SCHEDULED`, and returns whether the caller
/// must push the task onto the back of the run queue (not if it is queued already or done).
pub(crate) fn woken(header: &Header) -> bool {
    if !state::wake(&header.state) {
        return false;
    }
    if let Some(tracer) = &header.runtime.tracer {
        tracer.record_wake(header.label());
    }
    true
}

/// A wake-up that owns a reference to the task: that reference goes onto the run queue, or is
/// dropped if the task needs no push.
pub(crate) fn schedule(task: Arc<dyn Runnable>) {
    if woken(task.header()) {
        push(task);
    }
}

// ANCHOR: push_counted
/// Puts a task on the back of its run queue (counting it, on the multi-threaded runtime).
pub(crate) fn push(task: Arc<dyn Runnable>) {
    let runtime = &task.header().runtime;
    if let Some(work) = &runtime.work {
        work.fetch_add(1, Ordering::SeqCst);
    }
    // The local queue on the runtime's own thread, the inject queue from any other.
    Shared::push(task);
}
// ANCHOR_END: push_counted
// ANCHOR_END: schedule

// ANCHOR: task
/// A spawned future and its result slot.
pub(crate) struct Task<F: Future> {
    pub(crate) header: Header,
    /// The future, and the note it left at its last turn: locked by the task's turn.
    future: Mutex<Stage<F>>,
    /// The result and the waker of whoever awaits the `JoinHandle`.
    join: Mutex<JoinSlot<F::Output>>,
}
// ANCHOR_END: task

/// What a turn of the task works on, under the one lock the turn takes.
pub(crate) struct Stage<F> {
    /// The future, until it finishes, panics or is aborted; `None` afterwards.
    future: Option<Pin<Box<F>>>,
    /// The note the task left when it last returned `Pending`, for the deadlock report.
    note: Option<Kept>,
}

/// How a turn went.
enum Outcome<F: Future> {
    /// The future returned `Pending`.
    Pending,
    /// The task ended: returned, panicked, or was aborted.
    Ended(Ended<F>),
    /// The task had already finished (it was queued again before it ended).
    Gone,
}

/// What a turn that ended the task took out of it, to drop and report once the lock is
/// released.
struct Ended<F: Future> {
    /// The future (`None` if it was already gone) and the task's note.
    leftovers: (Option<Pin<Box<F>>>, Option<Kept>),
    /// The task's result.
    result: Result<F::Output, JoinError>,
    /// How it ended, for the trace.
    what: What,
}

/// Where a task leaves its result for its `JoinHandle`.
pub(crate) struct JoinSlot<T> {
    /// `Some` from the moment the task finishes until the handle takes it.
    pub(crate) result: Option<Result<T, JoinError>>,
    /// The waker of the task that awaits the handle, if it is waiting.
    pub(crate) waker: Option<Waker>,
    /// The handle took the result; polling it again is a bug.
    pub(crate) taken: bool,
}

impl<F> Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    pub(crate) fn new(header: Header, future: F) -> Task<F> {
        Task {
            header,
            future: Mutex::new(Stage {
                future: Some(Box::pin(future)),
                note: None,
            }),
            join: Mutex::new(JoinSlot {
                result: None,
                waker: None,
                taken: false,
            }),
        }
    }

    // ANCHOR: finish
    /// Stores the result, marks the task done and wakes whoever awaits its handle.
    fn finish(&self, result: Result<F::Output, JoinError>) {
        let waker = {
            let mut join = lock(&self.join);
            join.result = Some(result);
            state::finish(&self.header.state);
            join.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
    // ANCHOR_END: finish

    /// The result slot, for the `JoinHandle`.
    pub(crate) fn join_slot(&self) -> MutexGuard<'_, JoinSlot<F::Output>> {
        lock(&self.join)
    }
}

/// The helpers of [`Runnable::run`]: the poll itself, the outcomes, the end of a task.
impl<F> Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    /// Polls the future once, with this task's waker, as the owner of the waiters it joins
    /// (see `queue/waiters.rs`), catching a panic.
    fn poll_future(
        self: &Arc<Self>,
        future: &mut Pin<Box<F>>,
    ) -> std::thread::Result<Poll<F::Output>> {
        let waker = waker_ref(self);
        let mut cx = Context::from_waker(&waker);
        let _polling = owner::polling(self.header.owner_key());
        catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx)))
    }

    /// The future returned `output`: the task's result, unless the task was aborted during
    /// this poll (by itself, or by another thread); then it ends as cancelled, as asyncio's
    /// `Task.__step` ends a task whose cancel was requested while it ran.
    fn returned(&self, output: F::Output) -> (Result<F::Output, JoinError>, What) {
        if state::is_aborted(&self.header.state) {
            drop_quietly(output);
            (
                Err(JoinError::cancelled(self.header.label())),
                What::Aborted,
            )
        } else {
            (Ok(output), What::Done)
        }
    }

    /// The future panicked with `payload`.
    fn panicked(&self, payload: &(dyn Any + Send)) -> (Result<F::Output, JoinError>, What) {
        let message = panic_message(payload);
        let error = JoinError::panicked(self.header.label(), message.clone());
        (Err(error), What::Panicked(message))
    }

    /// The task's end, with the future's lock released: drops what the turn took out of the
    /// task (the future and its note), tells the driver, stores the result and wakes the
    /// awaiter.
    fn end(&self, core: &dyn Driver, ended: Ended<F>) {
        drop_quietly(ended.leftovers);
        core.task_finished(&self.header, ended.what);
        self.finish(ended.result);
    }

    // ANCHOR: turn
    /// One turn's work under the lock of the future (released when it returns): drops the
    /// future if the task was aborted, or polls it once.
    fn turn(self: &Arc<Self>, core: &dyn Driver, state: u8) -> Outcome<F> {
        let mut slot = lock(&self.future);
        let stage = &mut *slot;
        let Some(future) = stage.future.as_mut() else {
            return Outcome::Gone;
        };
        let (result, what) = if state & ABORT != 0 {
            self.trace_turn("abort: future dropped");
            (
                Err(JoinError::cancelled(self.header.label())),
                What::Aborted,
            )
        } else {
            let turn = core.begin_turn(&self.header, stage.note.take());
            let outcome = match self.poll_future(future) {
                Ok(Poll::Pending) => {
                    stage.note = core.pending(&self.header, turn);
                    return Outcome::Pending;
                }
                Ok(Poll::Ready(output)) => self.returned(output),
                Err(payload) => self.panicked(&*payload),
            };
            drop(turn);
            outcome
        };
        Outcome::Ended(Ended {
            leftovers: (stage.future.take(), stage.note.take()),
            result,
            what,
        })
    }
    // ANCHOR_END: turn

    /// Records the start of a turn, when tracing.
    fn trace_turn(&self, what: &str) {
        if let Some(tracer) = &self.header.runtime.tracer {
            tracer.begin_turn(self.header.label(), what);
        }
    }
}

impl<F> ArcWake for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn wake(self: Arc<Self>) {
        schedule(self); // the waker's own reference goes onto the run queue
    }

    fn wake_by_ref(arc_self: &Arc<Self>) {
        if woken(&arc_self.header) {
            push(arc_self.clone());
        }
    }
}

impl<F> Runnable for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn header(&self) -> &Header {
        &self.header
    }

    // ANCHOR: run
    fn run(self: Arc<Self>, core: &dyn Driver) {
        // Clear SCHEDULED first: a wake-up from now on queues the task again (at once, or when
        // this poll ends if the driver defers wake-ups: see `state.rs`).
        let defer = core.defers_wakeups();
        let state = state::begin(&self.header.state, defer);
        match self.turn(core, state) {
            Outcome::Pending if defer && state::end_pending(&self.header.state) => {
                push(self); // woken during the poll
            }
            Outcome::Pending | Outcome::Gone => {}
            Outcome::Ended(ended) => self.end(core, ended),
        }
    }
    // ANCHOR_END: run

    fn note(&self) -> Result<Option<Note>, Busy> {
        match self.future.try_lock() {
            Ok(stage) => Ok(stage.note.as_deref().cloned()),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                Ok(poisoned.into_inner().note.as_deref().cloned())
            }
            Err(std::sync::TryLockError::WouldBlock) => Err(Busy),
        }
    }

    fn cancel(&self) {
        let future = {
            let mut stage = lock(&self.future);
            (stage.future.take(), stage.note.take())
        };
        if future.0.is_some() {
            drop_quietly(future);
            self.finish(Err(JoinError::cancelled(self.header.label())));
        }
    }
}

/// Drops a future, catching a panic in its destructor so that one bad task cannot take the
/// runtime down while it cleans up.
pub(crate) fn drop_quietly<T>(value: T) {
    let _ = catch_unwind(AssertUnwindSafe(move || drop(value)));
}

/// The text of a panic payload (`&str` or `String`), or a placeholder.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic payload that is not a string)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::Task;

    fn task_size<F: Future>(_: &F) -> usize {
        std::mem::size_of::<Task<F>>()
    }

    /// With its two reference counts, a task with a small future and output takes 120 bytes:
    /// the largest request glibc serves from its fastbins. (Shrinking it from 192 bytes took
    /// the bench's W2, spawn + await, from about 212 to about 168 ns per task on the 2-core
    /// machine of chapter 90, with about the same number of instructions.)
    #[test]
    fn a_small_task_fits_in_a_fastbin() {
        let small = async { 1_u64 };
        assert!(task_size(&small) <= 104, "{} bytes", task_size(&small));
    }
}
