//! The single-threaded runtime's run loop. Its builder and the functions a program calls
//! (`run`, `try_run`, `spawn`) are in `runtime/builder.rs`.
//!
//! `run` owns a FIFO run queue (a local queue for the wake-ups of its own thread and an inject
//! queue for the others, taken in one FIFO order: see `task/run_queue.rs`) and a registry of
//! live tasks. It polls the main future and every spawned task in the order they were woken,
//! one at a time, on the calling thread, until the main future is ready.
//!
//! Guarantees:
//! - **Deterministic**: the same program wakes its tasks in the same order and so prints the same
//!   interleaving every time (as long as it does not involve other threads).
//! - **FIFO**: a woken task goes to the back of the queue; a spawned task starts only when the
//!   task that spawned it suspends, after every task that was ready before it.
//! - **Clean exit**: when the main future finishes, `run` returns and every task still pending
//!   is dropped, in spawn order, so its destructors run. Tasks and wakers form cycles (a task
//!   waits on a queue that holds its waker that holds the task), so only the registry can break
//!   them. A wake-up that arrives after `run` returned does nothing.
//! - **No hang**: when the main future is pending and nothing is runnable, nothing can ever
//!   change again, so `try_run` returns a [`Deadlock`] report and `run` panics with it, at once.
//!   "Nothing can ever change" means: every blocked future is tinyio's, or keeps no live
//!   waker. A future that is not tinyio's and whose waker is held outside tinyio (a plain
//!   thread, another crate's channel) may still be woken, so `run` waits for it instead (see
//!   [`keep_alive`](crate::keep_alive) for what the runtime can and cannot see).
//! - Calling `run`, `try_run` or `block_on` inside a running runtime panics with a message that
//!   says what to do instead.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use futures_task::{ArcWake, waker_ref};

use crate::context::{self, Entered};
use crate::deadlock::{Blocked, Deadlock};
use crate::join_handle::JoinHandle;
use crate::note::{self, Kept, Name, Note};
use crate::outside::Outside;
use crate::registry::{RECHECK, Registry};
use crate::state;
use crate::task::run_queue::{LocalGuard, Shared, Taker};
use crate::task::{Driver, Header, NUDGE, Nudge, Runnable, Turn, header, push, schedule, woken};
use crate::time::{ClockKind, TimeDriver};
use crate::trace::{Tracer, What};

mod builder;
pub use builder::{Runtime, run, spawn, spawn_named, try_run};

/// Runs `future` on this thread with a new run loop (`tracer`: tracing on; `clock`: real or
/// virtual): enters the runtime, drives the loop, and drops every live task at the end.
fn run_here<F: Future>(
    tracer: Option<Tracer>,
    clock: ClockKind,
    future: F,
) -> Result<F::Output, Deadlock> {
    let core = Rc::new(Core::new(tracer, clock));
    let entered = Entered {
        runtime: core.clone(),
        time: core.time.clone(),
        outside: core.outside.clone(),
    };
    let _entered = context::enter(entered, "tinyio::run");
    let _local = core.enter_local();
    let _closer = Closer(&core); // dropped first: tasks are dropped while still entered
    core.drive(future)
}

/// Drops every live task when the run ends, normally or by a panic, while the runtime is still
/// entered (a destructor may spawn; the task is then dropped at once).
struct Closer<'a>(&'a Core);

impl Drop for Closer<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// The state of one run, owned by the thread that runs it.
pub(crate) struct Core {
    /// What every task shares: the run queue's sending side, the tracer.
    shared: Arc<Shared>,
    /// The run queue's taking side: the local queue and the inject queue (`run_queue.rs`).
    ready: Taker,
    /// Every live task (spawned, not finished), with the note it left when it last suspended.
    registry: RefCell<Registry>,
    /// The id of the next spawned task (spawn order; 0 is the main future).
    next_id: Cell<u64>,
    /// Set when the run is over: tasks spawned from now on are dropped at once.
    closing: Cell<bool>,
    /// The trace recorder, when tracing is on.
    tracer: Option<Tracer>,
    /// Timers and the clock.
    time: Arc<TimeDriver>,
    /// Registered outside sources of wake-ups (`spawn_blocking`, `KeepAlive`).
    outside: Arc<Outside>,
    /// Scratch space for the wakers of fired timers.
    fired: RefCell<Vec<Waker>>,
}

/// The main future's waker: like a task, but the run loop polls the future itself, so the main
/// future needs neither `Send` nor `'static`.
struct MainTask {
    header: Header,
}

impl ArcWake for MainTask {
    fn wake(self: Arc<Self>) {
        schedule(self);
    }

    fn wake_by_ref(arc_self: &Arc<Self>) {
        if woken(&arc_self.header) {
            push(arc_self.clone());
        }
    }
}

impl Runnable for MainTask {
    fn header(&self) -> &Header {
        &self.header
    }
    fn run(self: Arc<Self>, _driver: &dyn Driver) {
        unreachable!("the run loop polls the main future itself")
    }
    fn cancel(&self) {}
}

impl Core {
    fn new(tracer: Option<Tracer>, clock: ClockKind) -> Core {
        let (shared, receiver) = Shared::new(true, tracer.clone(), None);
        let nudge: Arc<dyn Runnable> = Arc::new(Nudge {
            header: header(NUDGE, usize::MAX, None, &shared),
        });
        Core {
            outside: Arc::new(Outside::new(nudge)),
            ready: Taker::new(shared.clone(), receiver),
            shared,
            registry: RefCell::default(),
            next_id: Cell::new(1),
            closing: Cell::new(false),
            tracer,
            time: Arc::new(TimeDriver::new(clock)),
            fired: RefCell::default(),
        }
    }

    fn header(&self, id: u64, slot: usize, name: Option<Name>) -> Header {
        header(id, slot, name, &self.shared)
    }

    /// Makes this thread the runtime's own: its wake-ups go to the local queue.
    fn enter_local(&self) -> LocalGuard {
        self.shared.enter_local()
    }

    // ANCHOR: drive
    /// The run loop: take the next ready task, run it; stop when the main future is ready.
    fn drive<F: Future>(&self, future: F) -> Result<F::Output, Deadlock> {
        let main = Arc::new(MainTask {
            header: self.header(0, usize::MAX, None),
        });
        let mut future = Box::pin(future);
        let waker = waker_ref(&main);
        let mut cx = Context::from_waker(&waker);
        let mut main_note = None;
        self.poll_main_first(&main);
        loop {
            let next = self
                .next_task()
                .or_else(|| self.wait_for_unseen_wakers(&main, main_note.as_deref()));
            let Some(task) = next else {
                // Nothing is ready and nothing can ever wake a task: a deadlock.
                let report = self.deadlock(&main, main_note);
                drop(future);
                return Err(report);
            };
            match task.header().id {
                0 => {}
                NUDGE => continue,
                _ => {
                    task.run(self);
                    continue;
                }
            }
            state::begin(&main.header.state, false);
            if let Some(tracer) = &self.tracer {
                tracer.begin_turn(main.header.label(), "poll");
            }
            let turn = Turn::start(main_note.take());
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                drop(turn);
                self.trace(&main.header, What::Done);
                return Ok(output);
            }
            main_note = note::take_kept();
            self.trace_pending(&main.header, main_note.as_deref());
        }
    }
    // ANCHOR_END: drive

    // ANCHOR: next_task
    /// The next task to run. Fires the timers that are due; when nothing is ready, waits for
    /// the next timer (real clock), jumps to it (virtual clock), or waits for a registered
    /// outside thread. `None` when nothing can ever become ready: a deadlock.
    fn next_task(&self) -> Option<Arc<dyn Runnable>> {
        loop {
            if self.time.is_armed() {
                self.time.fire_due(&mut self.fired.borrow_mut());
            }
            if let Some(task) = self.ready.pop() {
                return Some(task);
            }
            match (self.time.next_deadline(), self.time.kind()) {
                // Jump unless outside work is in flight (a `spawn_blocking` closure runs): a
                // `KeepAlive` guard alone does not hold virtual time back (tokio's paused clock
                // does the same), or a guard kept by a task would stop the clock for ever.
                (Some(deadline), ClockKind::Virtual) if !self.outside.busy() => {
                    self.time.jump_to(deadline);
                    if let Some(tracer) = &self.tracer {
                        tracer.record_clock(deadline);
                    }
                }
                (Some(deadline), ClockKind::Real) => {
                    let wait = deadline.saturating_sub(self.time.now());
                    if let Some(task) = self.ready.wait(Some(wait)) {
                        return Some(task);
                    }
                }
                _ if self.outside.any() => return self.ready.wait(None),
                // Look once more: a thread may have woken a task just before unregistering.
                _ => return self.ready.pop(),
            }
        }
    }
    // ANCHOR_END: next_task

    /// Nothing is ready and nothing tinyio knows can wake a task. If a blocked future that is
    /// not tinyio's has a live waker clone held outside tinyio (a plain thread, another crate's
    /// channel), it may still be woken: wait for it, looking again every [`RECHECK`] in case
    /// its holder dropped it unwoken. `None` once no such waker is left: then it is a deadlock.
    fn wait_for_unseen_wakers(
        &self,
        main: &Arc<MainTask>,
        main_note: Option<&Note>,
    ) -> Option<Arc<dyn Runnable>> {
        loop {
            // `drive` holds one reference to main; any other is a waker someone kept.
            let main_waker_alive = Arc::strong_count(main) > 1;
            let main_outside = match main_note {
                Some(note) => note.may_be_woken_from_outside(main_waker_alive),
                None => main_waker_alive,
            };
            if !main_outside && !self.registry.borrow().may_be_woken_from_outside() {
                return self.ready.pop();
            }
            if let Some(task) = self.ready.wait(Some(RECHECK)) {
                return Some(task);
            }
        }
    }

    /// Queues the main future for its first poll.
    fn poll_main_first(&self, main: &Arc<MainTask>) {
        push(main.clone());
    }

    fn trace_pending(&self, header: &Header, note: Option<&Note>) {
        if let Some(tracer) = &self.tracer {
            let waits = match note {
                Some(note) => note.describe(),
                None => String::from("something that left no note"),
            };
            tracer.record(header.label(), What::Pending(waits));
        }
    }

    /// Records `what` for the task with `header`, when tracing.
    pub(crate) fn trace(&self, header: &Header, what: What) {
        if let Some(tracer) = &self.tracer {
            tracer.record(header.label(), what);
        }
    }

    // ANCHOR: spawn
    /// Creates a task, registers it and puts it at the back of the run queue.
    pub(crate) fn spawn<F>(&self, name: Option<Name>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let (handle, task) = self.registry.borrow_mut().spawn(
            self.closing.get(),
            |slot| self.header(id, slot, name),
            future,
        );
        match task {
            Ok(task) => {
                if let Some(tracer) = &self.tracer {
                    tracer.record_spawn(task.header.label());
                }
                push(task);
            }
            Err(refused) => refused.cancel(), // spawned while the run is closing
        }
        handle
    }
    // ANCHOR_END: spawn

    // ANCHOR: close
    /// Drops every live task, in spawn order. Called once, when the run ends.
    fn close(&self) {
        self.closing.set(true);
        self.time.close();
        if let Some(tracer) = &self.tracer {
            tracer.end_run();
        }
        let live = self.registry.borrow_mut().take_all();
        for task in &live {
            task.cancel();
        }
        // Tasks still in the run queue hold references too; let them go.
        self.ready.clear();
    }
    // ANCHOR_END: close

    /// Builds the report of a program that can never finish.
    fn deadlock(&self, main: &Arc<MainTask>, main_note: Option<Kept>) -> Deadlock {
        let mut blocked = vec![Blocked::new(
            Name::from("main"),
            main_note.map(|note| *note),
            // `drive` holds one reference; any other is a waker someone kept.
            Arc::strong_count(main) > 1,
        )];
        blocked.extend(self.registry.borrow().blocked());
        if let Some(tracer) = &self.tracer {
            tracer.record(Name::from("runtime"), What::Deadlock);
        }
        Deadlock::new(blocked)
    }
}

impl Driver for Core {
    /// Turns on note recording and traces the poll.
    fn begin_turn(&self, header: &Header, previous: Option<Kept>) -> Turn {
        if let Some(tracer) = &self.tracer {
            tracer.begin_turn(header.label(), "poll");
        }
        Turn::start(previous)
    }

    /// Takes the note the task left, for the task to keep.
    fn pending(&self, header: &Header, turn: Turn) -> Option<Kept> {
        let note = note::take_kept();
        drop(turn);
        self.trace_pending(header, note.as_deref());
        note
    }

    /// Takes the task out of the registry.
    fn task_finished(&self, header: &Header, what: What) {
        self.trace(header, what);
        let entry = self.registry.borrow_mut().remove(header.slot());
        drop(entry); // outside the borrow: dropping a note may run arbitrary destructors
    }
}
