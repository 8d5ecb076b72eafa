//! The registry of live tasks: what lets the runtime drop every pending task at the end, and
//! report what each one waits on when nothing can run.
//!
//! Tasks and wakers form cycles: a task waits on a queue, the queue holds the task's waker, the
//! waker holds the task. Reference counting alone would leak them all when the run ends. The
//! registry holds one strong reference to every task that was spawned and has not finished,
//! so the runtime can find them and drop their futures, which breaks the cycles.
//!
//! Invariants: an entry is `Some` exactly while its task is spawned and not finished; `free`
//! holds the indices of the `None` entries; a task's `Header::slot` is its entry's index.
//! Finding a task's entry is an index, never a hash.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::deadlock::Blocked;
use crate::join_handle::JoinHandle;
use crate::task::{Busy, Header, Runnable, Task};

/// How often an idle runtime that waits on wakers held outside tinyio looks whether they are
/// still held.
pub(crate) const RECHECK: std::time::Duration = std::time::Duration::from_millis(20);

/// A slab of live tasks, indexed by `Header::slot`.
#[derive(Default)]
pub(crate) struct Registry {
    entries: Vec<Option<Entry>>,
    free: Vec<usize>,
}

/// A new task: `Ok` when registered (push it), `Err` when refused (cancel it).
pub(crate) type Spawned<F> = Result<Arc<Task<F>>, Arc<Task<F>>>;

/// One live task (its header keeps the note it left when it last returned `Pending`).
pub(crate) struct Entry {
    task: Arc<dyn Runnable>,
}

impl Registry {
    /// Creates a task in a free slot (`header` makes its header, given the slot) and its
    /// handle. `Ok`: the task is registered, for the caller to push onto the run queue.
    /// `Err` (the runtime is `closing`): it is not, and the caller cancels it, after releasing
    /// the registry, since dropping a future may run any destructor, even one that spawns.
    pub(crate) fn spawn<F>(
        &mut self,
        closing: bool,
        header: impl FnOnce(usize) -> Header,
        future: F,
    ) -> (JoinHandle<F::Output>, Spawned<F>)
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.entries.push(None);
            self.entries.len() - 1
        });
        let task = Arc::new(Task::new(header(slot), future));
        let handle = JoinHandle::new(task.clone());
        if closing {
            self.free.push(slot);
            return (handle, Err(task));
        }
        self.entries[slot] = Some(Entry { task: task.clone() });
        (handle, Ok(task))
    }

    /// Empties the slot of a finished task. The caller drops the entry after releasing the
    /// registry: dropping it may drop the task, and its note, which may run any destructor.
    pub(crate) fn remove(&mut self, slot: usize) -> Option<Entry> {
        let entry = self.entries.get_mut(slot)?.take();
        if entry.is_some() {
            self.free.push(slot);
        }
        entry
    }

    /// Takes every live task out, in spawn order.
    pub(crate) fn take_all(&mut self) -> Vec<Arc<dyn Runnable>> {
        self.free.clear();
        let mut live: Vec<Arc<dyn Runnable>> = std::mem::take(&mut self.entries)
            .into_iter()
            .flatten()
            .map(|entry| entry.task)
            .collect();
        live.sort_by_key(|task| task.header().id);
        live
    }

    /// Whether a live task may still be woken by something outside tinyio: see
    /// [`crate::note::Note::may_be_woken_from_outside`]. A task that left no note counts as one
    /// that waits on a future that is not tinyio's.
    pub(crate) fn may_be_woken_from_outside(&self) -> bool {
        self.entries.iter().flatten().any(|entry| {
            let waker_alive = entry.wakers_alive();
            match &entry.task.note() {
                Ok(Some(note)) => note.may_be_woken_from_outside(waker_alive),
                Ok(None) => waker_alive,
                Err(Busy) => true, // a worker is polling it: it is not blocked
            }
        })
    }

    /// Every live task as the deadlock report shows it, in spawn order.
    pub(crate) fn blocked(&self) -> Vec<Blocked> {
        let mut live: Vec<&Entry> = self.entries.iter().flatten().collect();
        live.sort_by_key(|entry| entry.task.header().id);
        live.into_iter()
            .map(|entry| {
                let header = entry.task.header();
                let note = entry.task.note().unwrap_or_default();
                Blocked::new(header.label(), note, entry.wakers_alive())
            })
            .collect()
    }
}

impl Entry {
    /// Whether a clone of the task's waker is alive (or something else holds the task: a waiter
    /// line's note of its owner, which always comes with a waker).
    fn wakers_alive(&self) -> bool {
        let handles = usize::from(self.task.header().has_handle.load(Ordering::Acquire));
        // Strong references: the registry's, the handle's, and one per live waker.
        Arc::strong_count(&self.task) > 1 + handles
    }
}
