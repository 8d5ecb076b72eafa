//! The run queue of a runtime: a local FIFO for wake-ups from the runtime's own thread, and an
//! inject queue (a `crossbeam-channel`) for wake-ups from every other thread.
//!
//! Most wake-ups come from the thread that runs the tasks (a put wakes a getter, a task's end
//! wakes its awaiter, a timer fires). They go to a `VecDeque` that only this thread touches: a
//! push and a pop cost a few instructions, where a channel's send and receive cost about twenty
//! times more (the floor rows of the bench). Wake-ups from other threads (`spawn_blocking`, a
//! `KeepAlive` thread, a waker sent to a plain thread) cannot touch that deque, so they go
//! through the channel, as every wake-up of the multi-threaded runtime does (its workers have
//! no local queue). This is the shape of tokio's current-thread scheduler: a local queue plus
//! an inject queue.
//!
//! **One FIFO order across both.** A program must see the order it saw with one queue. Every
//! local push takes the next sequence number; an injecting thread stamps its entry with the
//! number of local pushes it can see (a relaxed store the runtime thread makes after each push,
//! a relaxed load by the injector). The runtime takes an injected entry before the local entry
//! whose number is at least its stamp. So if a local push happened before the injection (the
//! injecting thread was told of it by any synchronization), the local entry comes first; if the
//! injection happened before a local push (the runtime thread learned of it first), the
//! injected entry comes first; and entries that no synchronization orders may come either way,
//! as they could with one channel.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

use super::Runnable;
use crate::trace::Tracer;

/// An entry of the inject queue: a task, stamped with the local pushes its injector could see.
pub(crate) struct Injected {
    stamp: u64,
    pub(crate) task: Arc<dyn Runnable>,
}

/// What every task of one runtime shares: where its wake-ups go, and the runtime-wide options
/// that most tasks never use, kept once here rather than copied into every task.
pub(crate) struct Shared {
    /// Identifies the runtime in the process (never 0), and so its local queue, if it has one.
    id: usize,
    /// Whether the runtime has a local queue (the multi-threaded runtime has none).
    local: bool,
    /// The inject queue: wake-ups from other threads (every wake-up, multi-threaded).
    inject: Sender<Injected>,
    /// How many local pushes were made so far; written by the runtime thread only.
    pushed: AtomicU64,
    /// How many entries were injected so far: the runtime thread compares it with the number
    /// it took, a plain load, rather than asking the channel on every pop.
    injected: AtomicU64,
    /// The trace recorder, when tracing is on.
    pub(crate) tracer: Option<Tracer>,
    /// Multi-threaded runtime only: tasks queued or running. Raised before every push onto the
    /// run queue (by `task::push`), lowered after every turn, so zero means that nothing is
    /// queued or running.
    pub(crate) work: Option<Arc<AtomicUsize>>,
}

/// The runtime's own thread: its local queue.
struct Local {
    /// The `Shared::id` of the runtime running on this thread, 0 if none.
    id: usize,
    /// Local wake-ups, oldest first. Their sequence numbers are consecutive and end at
    /// `pushed`, so they need not be stored: the front's is `pushed - queue.len()`.
    queue: VecDeque<Arc<dyn Runnable>>,
    /// How many local pushes were made: the next sequence number.
    pushed: u64,
}

thread_local! {
    static LOCAL: RefCell<Local> = const {
        RefCell::new(Local { id: 0, queue: VecDeque::new(), pushed: 0 })
    };
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

impl Shared {
    /// The shared part of a new runtime, and the receiving end of its inject queue. `local`:
    /// the runtime has a local queue (single-threaded; see [`Shared::enter_local`]).
    pub(crate) fn new(
        local: bool,
        tracer: Option<Tracer>,
        work: Option<Arc<AtomicUsize>>,
    ) -> (Arc<Shared>, Receiver<Injected>) {
        let (inject, receiver) = crossbeam_channel::unbounded();
        let shared = Shared {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            local,
            inject,
            pushed: AtomicU64::new(0),
            injected: AtomicU64::new(0),
            tracer,
            work,
        };
        (Arc::new(shared), receiver)
    }

    /// Makes this thread the runtime's own until the guard is dropped: wake-ups made on it go
    /// to the local queue. The guard empties the queue when dropped.
    pub(crate) fn enter_local(&self) -> LocalGuard {
        assert!(self.local, "a runtime without a local queue entered one");
        LOCAL.with(|local| {
            let mut local = local.borrow_mut();
            local.id = self.id;
            local.pushed = 0;
        });
        self.pushed.store(0, Ordering::Relaxed);
        LocalGuard(())
    }

    /// The runtime's id, unique in the process.
    pub(crate) fn id(&self) -> usize {
        self.id
    }

    // ANCHOR: push
    /// Puts a task at the back of its runtime's run queue: the local queue on the runtime's own
    /// thread, the inject queue from any other.
    pub(crate) fn push(task: Arc<dyn Runnable>) {
        let task = LOCAL.with(|local| {
            let mut local = local.borrow_mut();
            let runtime = &task.header().runtime;
            if local.id != runtime.id {
                return Some(task); // another thread, or a runtime without a local queue: inject
            }
            let seq = local.pushed;
            local.pushed = seq + 1;
            runtime.pushed.store(seq + 1, Ordering::Relaxed);
            local.queue.push_back(task);
            None
        });
        if let Some(task) = task {
            Shared::inject(task);
        }
    }
    // ANCHOR_END: push

    /// Puts a task on its runtime's inject queue, stamped with the local pushes this thread can
    /// see.
    pub(crate) fn inject(task: Arc<dyn Runnable>) {
        // A second reference to the task (not to the runtime, whose count every thread shares)
        // lends the runtime while the first goes into the channel.
        let lender = task.clone();
        let runtime = &lender.header().runtime;
        let stamp = runtime.pushed.load(Ordering::Relaxed);
        // Counted only where a local queue takes them (the multi-threaded runtime's workers
        // receive from the channel directly). Fails only when the runtime is gone.
        if runtime.inject.send(Injected { stamp, task }).is_ok() && runtime.local {
            runtime.injected.fetch_add(1, Ordering::Release);
        }
    }
}

/// The runtime's side of its two queues, on its own thread: takes the oldest entry of both.
pub(crate) struct Taker {
    /// The receiving end of the inject queue.
    receiver: Receiver<Injected>,
    /// The runtime's shared part, for its count of injected entries.
    shared: Arc<Shared>,
    /// How many injected entries were taken off the channel so far.
    taken: Cell<u64>,
    /// Entries moved off the inject queue, not yet taken.
    injected: RefCell<VecDeque<Injected>>,
}

impl Taker {
    pub(crate) fn new(shared: Arc<Shared>, receiver: Receiver<Injected>) -> Taker {
        Taker {
            receiver,
            shared,
            taken: Cell::new(0),
            injected: RefCell::default(),
        }
    }

    /// Waits up to `timeout` (for ever if `None`) for an injected entry; call it only when
    /// [`Taker::pop`] found nothing. `None` on timeout, or when every sender is gone.
    pub(crate) fn wait(&self, timeout: Option<Duration>) -> Option<Arc<dyn Runnable>> {
        let entry = match timeout {
            Some(timeout) => self.receiver.recv_timeout(timeout).ok(),
            None => self.receiver.recv().ok(),
        }?;
        self.taken.set(self.taken.get() + 1);
        Some(entry.task)
    }

    // ANCHOR: pop
    /// The oldest ready entry of both queues, without waiting.
    pub(crate) fn pop(&self) -> Option<Arc<dyn Runnable>> {
        let mut injected = self.injected.borrow_mut();
        if self.shared.injected.load(Ordering::Acquire) != self.taken.get() {
            for entry in self.receiver.try_iter() {
                self.taken.set(self.taken.get() + 1);
                injected.push_back(entry);
            }
        }
        let stamp = injected.front().map(|entry| entry.stamp);
        let local = LOCAL.with(|local| {
            let mut local = local.borrow_mut();
            let front = local.pushed - local.queue.len() as u64; // the front's sequence number
            match stamp {
                // An injected entry goes before the local pushes it could not see.
                Some(stamp) if stamp <= front => None,
                _ => local.queue.pop_front(),
            }
        });
        local.or_else(|| injected.pop_front().map(|entry| entry.task))
    }
    // ANCHOR_END: pop

    /// Drops every queued entry (the run is over).
    pub(crate) fn clear(&self) {
        loop {
            let local = LOCAL.with(|local| std::mem::take(&mut local.borrow_mut().queue));
            let injected = std::mem::take(&mut *self.injected.borrow_mut());
            let channel: Vec<Injected> = self.receiver.try_iter().collect();
            if local.is_empty() && injected.is_empty() && channel.is_empty() {
                return;
            }
            // Outside every borrow: dropping a task may run any destructor, even one that wakes.
            drop((local, injected, channel));
        }
    }
}

/// Leaves the local queue when dropped: from then on, wake-ups on this thread are injected
/// (and do nothing once the runtime is gone).
pub(crate) struct LocalGuard(());

impl Drop for LocalGuard {
    fn drop(&mut self) {
        let left = LOCAL.with(|local| {
            let mut local = local.borrow_mut();
            local.id = 0;
            std::mem::take(&mut local.queue)
        });
        drop(left); // outside the borrow
    }
}
