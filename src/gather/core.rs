//! The engine shared by `gather`, `try_gather` and `gather!`: one waker per child, so that a
//! wake-up polls only the child that was woken.
//!
//! The first poll polls every child, in input order (asyncio starts gather children in argument
//! order). Later polls poll only the children woken since the previous poll, in the order they were
//! woken. A child woken while it is being polled is polled again at the gather's next turn, not in
//! a loop inside this one, so a child that keeps waking itself cannot starve other tasks.
//!
//! Invariants:
//! - a child index is in `ready` at most once between two polls of the gather: its waker's `queued`
//!   flag guards the push, and the flag is cleared right before the child is polled;
//! - the parent's waker is woken once per batch: by the push that makes `ready` non-empty;
//! - a finished child is never polled again, even if a stale clone of its waker fires;
//! - a child waker is recycled for the next fresh child only when nothing else holds a clone of it,
//!   so no stale clone can ever wake the wrong child. A gather of futures that are all ready at
//!   once allocates a single child waker.
//!
//! Locks: a poll locks the shared state once, to take the woken list (and store the parent's waker
//! if it changed: the engine keeps its own copy to compare with), and, when the runtime records
//! wait notes, the children's notes too: the poll updates them in place, without a lock, and puts
//! them back with a second lock at its end. A child's wake-up locks it once. No `Waker` is cloned,
//! woken or dropped while it is held: the parent is shared as an `Arc<Waker>`.

use std::mem;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::{Context, Poll, Waker};

use futures_task::{ArcWake, waker_ref};

use crate::note::{self, GatherNotes, Note, Wait};
use crate::sync::lock;
use crate::trace::{self, Tracer};

/// What a child says when it finishes.
pub(crate) enum Flow {
    /// Keep going with the other children.
    Continue,
    /// Stop the whole gather now (`try_gather` got an error).
    Stop,
}

/// A set of children that the engine can poll by index.
pub(crate) trait Children {
    /// How many children there are.
    fn count(&self) -> usize;
    /// Polls child `index`, which has not finished yet.
    fn poll_child(&mut self, index: usize, cx: &mut Context<'_>) -> Poll<Flow>;
}

// ANCHOR: child_waker
/// The waker of one child: it records which child was woken, then wakes the gather's task.
struct ChildWaker {
    index: usize,
    /// The index is in `ready` (or the child is about to be polled anyway).
    queued: AtomicBool,
    shared: Arc<Shared>,
}

impl ArcWake for ChildWaker {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        if arc_self.queued.swap(true, Ordering::AcqRel) {
            return; // already in the ready list
        }
        let parent = {
            let mut state = arc_self.shared.lock();
            state.ready.push(arc_self.index);
            // Only the first push of a batch needs to wake the gather's task.
            if state.ready.len() == 1 {
                state.parent.clone()
            } else {
                None
            }
        };
        if let Some(parent) = parent {
            parent.wake_by_ref(); // outside the lock; our copy is dropped outside it too
        }
    }
}
// ANCHOR_END: child_waker

/// What the children's wakers and the deadlock report share with the gather.
struct Shared {
    state: Mutex<State>,
    /// How many times `state` was locked, for the tests that count the locks of a poll.
    #[cfg(test)]
    locks: std::sync::atomic::AtomicUsize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        #[cfg(test)]
        self.locks.fetch_add(1, Ordering::Relaxed);
        lock(&self.state)
    }
}

struct State {
    /// Children woken since the last poll of the gather, in wake order.
    ready: Vec<usize>,
    /// The waker of the task that polls the gather. In an `Arc`, so that a child's wake-up
    /// takes a copy under the lock without running any waker code there.
    parent: Option<Arc<Waker>>,
    /// For the deadlock report: what each child waits on. Empty until the gather first leaves
    /// a child pending inside a runtime.
    notes: Vec<ChildNote>,
    /// For the deadlock report: the waker of each waiting child, to see whether anyone but the
    /// gather holds a clone. Weak, so it changes no count; same length as `notes`.
    wakers: Vec<Weak<ChildWaker>>,
}

/// What the deadlock report knows of one child.
enum ChildNote {
    /// It finished: it waits on nothing.
    Finished,
    /// Not polled yet, or pending without leaving a note.
    Unknown,
    /// The note it left when it last returned `Pending`.
    Left(Note),
}

impl GatherNotes for Shared {
    fn children(&self) -> Vec<(usize, Note)> {
        let state = self.lock();
        state
            .notes
            .iter()
            .enumerate()
            .filter_map(|(index, note)| match note {
                ChildNote::Finished => None,
                ChildNote::Unknown => Some((index, unknown())),
                ChildNote::Left(note) => Some((index, note.clone())),
            })
            .collect()
    }

    fn may_be_woken_from_outside(&self) -> bool {
        let state = self.lock();
        state.notes.iter().zip(&state.wakers).any(|(note, waker)| {
            // The gather's slot holds one reference; any other is a clone someone kept.
            let waker_alive = waker.strong_count() > 1;
            match note {
                ChildNote::Finished => false,
                ChildNote::Unknown => waker_alive,
                ChildNote::Left(note) => note.may_be_woken_from_outside(waker_alive),
            }
        })
    }
}

/// The place of one child.
enum Slot {
    /// Not polled yet.
    Fresh,
    /// Polled, pending; this is its waker.
    Waiting(Arc<ChildWaker>),
    /// Finished.
    Done,
}

/// The per-child wakers and the bookkeeping of one gather.
pub(crate) struct Engine {
    shared: Arc<Shared>,
    /// The parent waker stored in `shared`, kept here too so that a poll can see whether it
    /// changed without locking.
    parent: Option<Arc<Waker>>,
    slots: Vec<Slot>,
    /// Unfinished children.
    remaining: usize,
    started: bool,
    /// A waker that nobody else holds, ready to be given to the next fresh child.
    spare: Option<Arc<ChildWaker>>,
    /// Scratch space: the batch of children to poll in this turn.
    batch: Vec<usize>,
    /// While a turn that records notes runs: the children's notes, taken out of `Shared` at
    /// its start and put back at its end (one entry per child once filled in; empty otherwise).
    notes: Vec<ChildNote>,
    /// The same for the weak copies of the children's wakers (see `State::wakers`).
    note_wakers: Vec<Weak<ChildWaker>>,
}

impl Engine {
    pub(crate) fn new() -> Engine {
        Engine {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    ready: Vec::new(),
                    parent: None,
                    notes: Vec::new(),
                    wakers: Vec::new(),
                }),
                #[cfg(test)]
                locks: std::sync::atomic::AtomicUsize::new(0),
            }),
            parent: None,
            slots: Vec::new(),
            remaining: 0,
            started: false,
            spare: None,
            batch: Vec::new(),
            notes: Vec::new(),
            note_wakers: Vec::new(),
        }
    }

    // ANCHOR: poll
    /// Polls the children that need it. `Ready(None)`: all finished. `Ready(Some(i))`: child `i`
    /// asked to stop the gather.
    pub(crate) fn poll<C: Children>(
        &mut self,
        children: &mut C,
        cx: &mut Context<'_>,
    ) -> Poll<Option<usize>> {
        let watch = Watch::new();
        let count = (!self.started).then(|| children.count());
        self.take_woken(cx.waker(), watch.recording, count);
        if let Some(count) = count {
            self.start(count);
        }
        for k in 0..self.batch.len() {
            let index = self.batch[k];
            let waker = match mem::replace(&mut self.slots[index], Slot::Done) {
                Slot::Done => continue, // a stale wake-up of a finished child
                Slot::Waiting(waker) => waker,
                Slot::Fresh => self.fresh_waker(index),
            };
            waker.queued.store(false, Ordering::Release);
            watch.enter(index);
            let poll = children.poll_child(index, &mut Context::from_waker(&waker_ref(&waker)));
            watch.leave(&poll);
            match poll {
                Poll::Pending => {
                    self.note_pending(&watch, index, &waker);
                    self.slots[index] = Slot::Waiting(waker);
                }
                Poll::Ready(flow) => {
                    self.note_finished(&watch, index);
                    self.remaining -= 1;
                    self.recycle(waker);
                    if let Flow::Stop = flow {
                        return Poll::Ready(Some(index));
                    }
                }
            }
        }
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        self.publish_notes(&watch);
        Poll::Pending
    }
    // ANCHOR_END: poll

    /// Stores the task's waker as the parent, if it changed, and takes the children woken since
    /// the previous poll into `batch`, leaving an empty list, and the children's notes if
    /// `notes` (the runtime records them). On the first poll (`first`: the number of children),
    /// makes room in that list for every child, which the first poll may wake all at once. One
    /// lock; the new parent is cloned,
    /// and the old one dropped, with the lock released (a waker's clone or drop may run any
    /// code). A child woken before the lock finds the old parent, which is fine: this poll is
    /// about to look at its index anyway.
    fn take_woken(&mut self, waker: &Waker, notes: bool, first: Option<usize>) {
        let new_parent = match &self.parent {
            Some(parent) if parent.will_wake(waker) => None,
            _ => Some(Arc::new(waker.clone())),
        };
        self.batch.clear();
        let old_parent = {
            let mut state = self.shared.lock();
            mem::swap(&mut self.batch, &mut state.ready);
            if let Some(count) = first {
                state.ready.reserve(count);
            }
            if notes {
                mem::swap(&mut self.notes, &mut state.notes);
                mem::swap(&mut self.note_wakers, &mut state.wakers);
            }
            match &new_parent {
                Some(parent) => state.parent.replace(parent.clone()),
                None => None,
            }
        };
        if let Some(parent) = new_parent {
            self.parent = Some(parent);
        }
        drop(old_parent); // outside the lock
    }

    /// The first poll: every child is fresh, and all are polled, in input order.
    fn start(&mut self, count: usize) {
        self.started = true;
        self.remaining = count;
        self.slots = (0..count).map(|_| Slot::Fresh).collect();
        self.batch.extend(0..count);
    }

    /// A waker for a child polled for the first time: the spare one if there is one.
    fn fresh_waker(&mut self, index: usize) -> Arc<ChildWaker> {
        match self.spare.take() {
            Some(mut waker) => {
                if let Some(unique) = Arc::get_mut(&mut waker) {
                    unique.index = index;
                }
                waker
            }
            None => Arc::new(ChildWaker {
                index,
                queued: AtomicBool::new(false),
                shared: self.shared.clone(),
            }),
        }
    }

    /// Keeps a finished child's waker as the spare, if nobody else holds a clone of it.
    fn recycle(&mut self, mut waker: Arc<ChildWaker>) {
        if self.spare.is_none() && Arc::get_mut(&mut waker).is_some() {
            self.spare = Some(waker);
        }
    }

    /// The first time a child is left pending while notes are recorded: every child gets an
    /// entry, "unknown" until polled, none once finished. (A gather whose children all finish
    /// at their first poll never needs them.)
    fn fill_notes(&mut self) {
        if self.notes.len() == self.slots.len() {
            return;
        }
        self.notes = self
            .slots
            .iter()
            .map(|slot| match slot {
                Slot::Done => ChildNote::Finished,
                _ => ChildNote::Unknown,
            })
            .collect();
        self.note_wakers = (0..self.slots.len()).map(|_| Weak::new()).collect();
    }

    /// Keeps the note a pending child left for the deadlock report, with a weak copy of its
    /// waker if the report will ask who else holds one: only for a child that left no note (a
    /// tinyio future's note says on its own whether anything outside can wake it). So the usual
    /// child costs no count change, and its waker can be recycled once it finishes.
    fn note_pending(&mut self, watch: &Watch, index: usize, waker: &Arc<ChildWaker>) {
        if watch.recording {
            self.fill_notes();
            let (note, weak) = match note::take() {
                Some(note) if !matches!(note.wait, Wait::Unknown) => {
                    (ChildNote::Left(note), Weak::new())
                }
                Some(note) => (ChildNote::Left(note), Arc::downgrade(waker)),
                None => (ChildNote::Unknown, Arc::downgrade(waker)),
            };
            self.notes[index] = note;
            self.note_wakers[index] = weak;
        }
    }

    /// Clears a finished child's note (if the notes were filled in: else `fill_notes` will
    /// see that the child finished).
    fn note_finished(&mut self, watch: &Watch, index: usize) {
        if watch.recording && !self.notes.is_empty() {
            self.notes[index] = ChildNote::Finished;
            self.note_wakers[index] = Weak::new();
        }
    }

    /// Puts the notes back where the deadlock report reads them, and leaves the gather's own
    /// note for the task (or the enclosing gather).
    fn publish_notes(&mut self, watch: &Watch) {
        if !watch.recording {
            return;
        }
        self.fill_notes(); // in case no child was left pending by a turn that recorded notes
        {
            let mut state = self.shared.lock();
            mem::swap(&mut self.notes, &mut state.notes);
            mem::swap(&mut self.note_wakers, &mut state.wakers);
        }
        note::put(Wait::Gather(self.shared.clone()));
    }
}

/// What one turn of a gather reports, when the runtime asks for it: the trace (each child's poll
/// as `gather[i]`, with its outcome) and the wait notes of the deadlock report.
struct Watch {
    tracer: Option<Tracer>,
    recording: bool,
}

impl Watch {
    fn new() -> Watch {
        Watch {
            tracer: trace::active(),
            recording: note::recording(),
        }
    }

    /// Child `index` is about to be polled.
    fn enter(&self, index: usize) {
        if let Some(tracer) = &self.tracer {
            tracer.enter(format!("gather[{index}]"));
        }
    }

    /// The child's poll returned `poll`. Reads the child's note without taking it.
    fn leave(&self, poll: &Poll<Flow>) {
        let Some(tracer) = &self.tracer else { return };
        tracer.name_child();
        match poll {
            Poll::Pending => tracer.here(format!("pending: {}", note_text())),
            Poll::Ready(_) => tracer.here(String::from("complete")),
        }
        tracer.leave();
    }
}

/// The note the child being traced left, as text (without taking it).
fn note_text() -> String {
    match note::peek() {
        Some(note) => Note { name: None, ..note }.describe(),
        None => String::from("something that left no note"),
    }
}

fn unknown() -> Note {
    Note {
        name: None,
        wait: Wait::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use std::future::poll_fn;
    use std::sync::atomic::AtomicUsize;

    use super::*;

    /// A parent waker that counts its wake-ups.
    struct Parent(AtomicUsize);

    impl ArcWake for Parent {
        fn wake_by_ref(arc_self: &Arc<Self>) {
            arc_self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn parent() -> (Arc<Parent>, Waker) {
        let parent = Arc::new(Parent(AtomicUsize::new(0)));
        (parent.clone(), futures_task::waker(parent))
    }

    /// Children that stay pending, holding their waker, until told to finish.
    struct Held {
        wakers: Vec<Option<Waker>>,
        finish: bool,
    }

    impl Held {
        fn new(count: usize) -> Held {
            Held {
                wakers: (0..count).map(|_| None).collect(),
                finish: false,
            }
        }

        fn wake(&mut self, index: usize) {
            self.wakers[index].take().expect("child waiting").wake();
        }
    }

    impl Children for Held {
        fn count(&self) -> usize {
            self.wakers.len()
        }

        fn poll_child(&mut self, index: usize, cx: &mut Context<'_>) -> Poll<Flow> {
            if self.finish {
                return Poll::Ready(Flow::Continue);
            }
            self.wakers[index] = Some(cx.waker().clone());
            Poll::Pending
        }
    }

    /// Polls `engine` and returns the poll and the number of locks it took.
    fn counted(engine: &mut Engine, held: &mut Held, waker: &Waker) -> (bool, usize) {
        let before = engine.shared.locks.load(Ordering::Relaxed);
        let ready = engine
            .poll(held, &mut Context::from_waker(waker))
            .is_ready();
        (ready, engine.shared.locks.load(Ordering::Relaxed) - before)
    }

    #[test]
    fn a_new_parent_costs_no_extra_lock_is_woken_and_the_old_one_is_let_go() {
        let (first, first_waker) = parent();
        let (second, second_waker) = parent();
        let mut engine = Engine::new();
        let mut held = Held::new(2);
        assert_eq!(counted(&mut engine, &mut held, &first_waker), (false, 1));
        assert_eq!(Arc::strong_count(&first), 3); // ours, the waker's, the engine's clone
        assert_eq!(counted(&mut engine, &mut held, &first_waker), (false, 1));
        assert_eq!(counted(&mut engine, &mut held, &second_waker), (false, 1));
        assert_eq!(Arc::strong_count(&first), 2, "the old parent is dropped");
        held.wake(1);
        assert_eq!(first.0.load(Ordering::Relaxed), 0);
        assert_eq!(second.0.load(Ordering::Relaxed), 1);
        held.finish = true;
        held.wake(0);
        assert_eq!(second.0.load(Ordering::Relaxed), 1, "one wake-up per batch");
        assert_eq!(counted(&mut engine, &mut held, &second_waker), (true, 1));
    }

    #[test]
    fn with_notes_on_a_poll_locks_twice_to_take_and_put_back_the_notes() {
        let locks = crate::run(async {
            let mut engine = Engine::new();
            let mut held = Held::new(2);
            let mut locks = Vec::new();
            let mut turn = 0;
            poll_fn(|cx| {
                assert!(note::recording(), "a task's poll records notes");
                turn += 1;
                let (ready, count) = counted(&mut engine, &mut held, cx.waker());
                locks.push(count);
                match turn {
                    1 => held.wake(0),             // turn 2 polls child 0, whose note changes
                    2 => cx.waker().wake_by_ref(), // turn 3 polls no child
                    3 => {
                        held.finish = true;
                        held.wake(0);
                        held.wake(1);
                    }
                    _ => return Poll::Ready(ready),
                }
                Poll::Pending
            })
            .await;
            locks
        });
        // Turns 1 to 3 take the notes and put them back (turn 3 polls no child); turn 4 ends
        // the gather, and keeps them.
        assert_eq!(locks, [2, 2, 2, 1]);
    }
}
