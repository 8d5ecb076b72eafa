//! The engine shared by `gather`, `try_gather` and `gather!`: one waker per child, so that a
//! wake-up polls only the child that was woken.
//!
//! The first poll polls every child, in input order (asyncio starts gather children in argument
//! order). Later polls poll only the children woken since the previous poll, in the order they
//! were woken. A child woken while it is being polled is polled again at the gather's next turn,
//! not in a loop inside this one, so a child that keeps waking itself cannot starve other tasks.
//!
//! Invariants:
//! - a child index is in `ready` at most once between two polls of the gather: its waker's
//!   `queued` flag guards the push, and the flag is cleared right before the child is polled;
//! - the parent's waker is woken once per batch: by the push that makes `ready` non-empty;
//! - a finished child is never polled again, even if a stale clone of its waker fires;
//! - a child waker is recycled for the next fresh child only when nothing else holds a clone of
//!   it, so no stale clone can ever wake the wrong child. A gather of futures that are all
//!   ready at once allocates a single child waker.

use std::mem;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll, Waker};

use futures_task::{ArcWake, waker_ref};

use crate::note::{self, GatherNotes, Note, Wait};
use crate::sync::lock;
use crate::trace;

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
            let mut state = lock(&arc_self.shared.state);
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
}

struct State {
    /// Children woken since the last poll of the gather, in wake order.
    ready: Vec<usize>,
    /// The waker of the task that polls the gather. In an `Arc`, so that a child's wake-up
    /// takes a copy under the lock without running any waker code there.
    parent: Option<Arc<Waker>>,
    /// For the deadlock report: the note of each child, `None` once it finished. Empty until
    /// the gather is first polled inside a runtime.
    notes: Vec<Option<Note>>,
    /// For the deadlock report: the waker of each waiting child, to see whether anyone but the
    /// gather holds a clone. Weak, so it changes no count; same length as `notes`.
    wakers: Vec<Weak<ChildWaker>>,
}

impl GatherNotes for Shared {
    fn children(&self) -> Vec<(usize, Note)> {
        let state = lock(&self.state);
        state
            .notes
            .iter()
            .enumerate()
            .filter_map(|(index, note)| note.clone().map(|note| (index, note)))
            .collect()
    }

    fn may_be_woken_from_outside(&self) -> bool {
        let state = lock(&self.state);
        state.notes.iter().zip(&state.wakers).any(|(note, waker)| {
            // The gather's slot holds one reference; any other is a clone someone kept.
            let waker_alive = waker.strong_count() > 1;
            note.as_ref()
                .is_some_and(|note| note.may_be_woken_from_outside(waker_alive))
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
    slots: Vec<Slot>,
    /// Unfinished children.
    remaining: usize,
    started: bool,
    /// A waker that nobody else holds, ready to be given to the next fresh child.
    spare: Option<Arc<ChildWaker>>,
    /// Scratch space: the batch of children to poll in this turn.
    batch: Vec<usize>,
    /// Scratch space: note changes (with the child's waker) to publish at the end of this turn.
    notes: Vec<(usize, Option<Note>, Weak<ChildWaker>)>,
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
            }),
            slots: Vec::new(),
            remaining: 0,
            started: false,
            spare: None,
            batch: Vec::new(),
            notes: Vec::new(),
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
        self.batch.clear();
        let old_parent = {
            let mut state = lock(&self.shared.state);
            let same = state
                .parent
                .as_ref()
                .is_some_and(|p| p.will_wake(cx.waker()));
            if self.started {
                mem::swap(&mut self.batch, &mut state.ready);
            }
            if same {
                None
            } else {
                // Clone with the lock released (a waker's clone may run any code); a child
                // woken meanwhile finds no parent to wake, but it is in `ready` already, and
                // this poll is about to look at `ready` again.
                drop(state);
                let parent = Arc::new(cx.waker().clone());
                let mut state = lock(&self.shared.state);
                self.batch.append(&mut state.ready);
                state.parent.replace(parent)
            }
        };
        drop(old_parent); // outside the lock
        if !self.started {
            self.started = true;
            self.remaining = children.count();
            self.slots = (0..self.remaining).map(|_| Slot::Fresh).collect();
            self.batch.extend(0..self.remaining);
        }
        let tracer = trace::active();
        let recording = note::recording();
        for k in 0..self.batch.len() {
            let index = self.batch[k];
            let waker = match mem::replace(&mut self.slots[index], Slot::Done) {
                Slot::Done => continue, // a stale wake-up of a finished child
                Slot::Waiting(waker) => waker,
                Slot::Fresh => self.fresh_waker(index),
            };
            waker.queued.store(false, Ordering::Release);
            if let Some(tracer) = &tracer {
                tracer.enter(format!("gather[{index}]"));
            }
            let poll = children.poll_child(index, &mut Context::from_waker(&waker_ref(&waker)));
            if let Some(tracer) = &tracer {
                tracer.name_child();
            }
            match poll {
                Poll::Pending => {
                    if let Some(tracer) = &tracer {
                        let waits = note_text();
                        tracer.here(format!("pending: {waits}"));
                        tracer.leave();
                    }
                    if recording {
                        let weak = Arc::downgrade(&waker);
                        self.notes.push((index, Some(child_note()), weak));
                    }
                    self.slots[index] = Slot::Waiting(waker);
                }
                Poll::Ready(flow) => {
                    if let Some(tracer) = &tracer {
                        tracer.here(String::from("complete"));
                        tracer.leave();
                    }
                    self.remaining -= 1;
                    self.recycle(waker);
                    if recording {
                        self.notes.push((index, None, Weak::new()));
                    }
                    if let Flow::Stop = flow {
                        return Poll::Ready(Some(index));
                    }
                }
            }
        }
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        if recording {
            self.publish_notes();
        }
        Poll::Pending
    }
    // ANCHOR_END: poll

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

    /// Publishes this turn's note changes for the deadlock report, and leaves the gather's own
    /// note for the task (or the enclosing gather).
    fn publish_notes(&mut self) {
        {
            let mut state = lock(&self.shared.state);
            if state.notes.is_empty() {
                state.notes = self
                    .slots
                    .iter()
                    .map(|slot| match slot {
                        Slot::Done => None,
                        _ => Some(unknown()),
                    })
                    .collect();
                state.wakers = (0..self.slots.len()).map(|_| Weak::new()).collect();
            }
            for (index, note, waker) in self.notes.drain(..) {
                state.notes[index] = note;
                state.wakers[index] = waker;
            }
        }
        note::put(Wait::Gather(self.shared.clone()));
    }
}

/// The note a child left, or "unknown".
fn child_note() -> Note {
    note::take().unwrap_or_else(unknown)
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
