//! Wait notes: what a blocked future is waiting on, for the deadlock report.
//!
//! A future that returns `Poll::Pending` can leave a *note* saying what it waits on
//! (`Queue::get`, `JoinHandle`, a `gather`, ...). The runtime keeps the latest note of each task
//! and prints it when the program can never finish, so the report reads
//! `main > gather[1] consume: Queue::get (queue empty, 0 unfinished)` instead of "something hung".
//!
//! How it works, in one paragraph: while the runtime polls a task it turns on a thread-local
//! *slot*. A leaf future that is about to return `Pending` writes its note into the slot
//! ([`waiting_on`]); wrappers such as [`crate::named`] and [`crate::gather`] take the note their
//! child left and put it into their own; after the poll the runtime takes whatever is in the slot
//! and stores it with the task. Outside a runtime poll the slot is off and notes cost one
//! thread-local read.
//!
//! Invariants:
//! - the slot is on only between the runtime's "before poll" and "after poll" calls
//!   ([`Recording`]), and is empty at the start of every poll;
//! - a note is a description, never a promise: the runtime never trusts it for scheduling.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::mem;
use std::sync::Arc;

/// Something a note can ask, at report time, for a description of its current state
/// (for example a queue's length and unfinished count).
///
/// Implementors must not block and must not wake anything.
pub(crate) trait Probe: Send + Sync {
    /// A short description of the current state, such as `queue empty, 0 unfinished`.
    fn describe(&self) -> String;
}

/// The name of a task or of a named future. Cheap to clone.
pub(crate) type Name = Arc<str>;

/// What one pending future waits on.
#[derive(Clone)]
pub(crate) struct Note {
    /// The name given with [`crate::named`] or at spawn, if any.
    pub(crate) name: Option<Name>,
    /// What it waits on.
    pub(crate) wait: Wait,
}

/// The thing a note points at.
#[derive(Clone)]
pub(crate) enum Wait {
    /// The future left no note: a hand-written future, or one from another crate.
    Unknown,
    /// A leaf future such as `Queue::get`, with an optional probe for its live state.
    Leaf {
        what: &'static str,
        probe: Option<Arc<dyn Probe>>,
    },
    /// A `gather`: the children that are not finished, each with its own note.
    Gather(Arc<dyn GatherNotes>),
    /// A `JoinHandle` of the named task.
    Join(Name),
}

/// Gives the report the unfinished children of a pending gather.
pub(crate) trait GatherNotes: Send + Sync {
    /// `(index, note)` of every unfinished child, in input order.
    fn children(&self) -> Vec<(usize, Note)>;
    /// Whether an unfinished child may be woken by something outside tinyio (see
    /// [`Note::may_be_woken_from_outside`]).
    fn may_be_woken_from_outside(&self) -> bool;
}

thread_local! {
    static SLOT: RefCell<Slot> = const {
        RefCell::new(Slot {
            on: false,
            note: Left::Nothing,
            previous: None,
        })
    };
}

struct Slot {
    on: bool,
    /// The note left in this poll.
    note: Left,
    /// The note the task left at its previous turn, offered for reuse: a future that waits on
    /// the same thing again takes it back instead of cloning its probe.
    previous: Option<Kept>,
}

/// The note a poll left.
enum Left {
    /// None (yet).
    Nothing,
    /// The task's previous note, taken back.
    Kept(Kept),
    /// A new one: boxed only if the task keeps it (a gather keeps its children's unboxed).
    New(Note),
}

impl Left {
    fn is_nothing(&self) -> bool {
        matches!(self, Left::Nothing)
    }
}

/// A note as a task keeps it between its turns: boxed, as a note is rare next to the task that
/// may keep one (see `Header`), and the box moves cheaper than the note through a turn.
pub(crate) type Kept = Box<Note>;

/// Records the note of the leaf future being polled: call it right before returning
/// `Poll::Pending`. Does nothing outside a runtime poll.
pub(crate) fn waiting_on(what: &'static str, probe: Option<Arc<dyn Probe>>) {
    put(Wait::Leaf { what, probe });
}

/// Like [`waiting_on`] with a probe, but takes back the note of the task's previous turn when
/// it says the same thing (same `what`, same probe): a task that waits on the same queue turn
/// after turn then pays no `Arc` clone for its note.
pub(crate) fn waiting_on_probe<P: Probe + 'static>(what: &'static str, probe: &Arc<P>) {
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if !slot.on {
            return;
        }
        let same = match slot.previous.as_deref() {
            Some(Note {
                name: None,
                wait:
                    Wait::Leaf {
                        what: before,
                        probe: Some(before_probe),
                    },
            }) => {
                // The same call site passes the same literal: compare addresses before text.
                (std::ptr::eq(*before, what) || *before == what)
                    && std::ptr::addr_eq(Arc::as_ptr(before_probe), Arc::as_ptr(probe))
            }
            _ => false,
        };
        slot.note = match slot.previous.take_if(|_| same) {
            Some(previous) => Left::Kept(previous),
            None => {
                let probe: Arc<dyn Probe> = probe.clone();
                Left::New(Note {
                    name: None,
                    wait: Wait::Leaf {
                        what,
                        probe: Some(probe),
                    },
                })
            }
        };
    });
}

/// Records `wait` as the note of the future being polled, keeping no name.
pub(crate) fn put(wait: Wait) {
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.on {
            slot.note = Left::New(Note { name: None, wait });
        }
    });
}

/// Takes the note the last poll left, if recording is on.
pub(crate) fn take() -> Option<Note> {
    SLOT.with(
        |slot| match mem::replace(&mut slot.borrow_mut().note, Left::Nothing) {
            Left::Nothing => None,
            Left::Kept(note) => Some(*note),
            Left::New(note) => Some(note),
        },
    )
}

/// Takes the note the last poll left, as a task keeps it: the box it offered back, if the
/// poll reused its previous note.
pub(crate) fn take_kept() -> Option<Kept> {
    SLOT.with(
        |slot| match mem::replace(&mut slot.borrow_mut().note, Left::Nothing) {
            Left::Nothing => None,
            Left::Kept(note) => Some(note),
            Left::New(note) => Some(Box::new(note)),
        },
    )
}

/// The note the last poll left, without taking it.
pub(crate) fn peek() -> Option<Note> {
    SLOT.with(|slot| match &slot.borrow().note {
        Left::Nothing => None,
        Left::Kept(note) => Some(Note::clone(note)),
        Left::New(note) => Some(note.clone()),
    })
}

/// Puts back a note (used by wrappers that rename their child's note).
pub(crate) fn set(note: Note) {
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.on {
            slot.note = Left::New(note);
        }
    });
}

/// Whether notes are being recorded on this thread right now.
pub(crate) fn recording() -> bool {
    SLOT.with(|slot| slot.borrow().on)
}

/// Turns recording on for one poll; turns it off (and clears the slot) when dropped,
/// even if the poll panics.
pub(crate) struct Recording {
    was_on: bool,
}

impl Recording {
    /// Turns the slot on and empties it; `previous` is the task's note from its last turn,
    /// offered for reuse.
    pub(crate) fn start(previous: Option<Kept>) -> Recording {
        SLOT.with(|slot| {
            let mut slot = slot.borrow_mut();
            let was_on = slot.on;
            slot.on = true;
            slot.note = Left::Nothing;
            slot.previous = previous;
            Recording { was_on }
        })
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        let leftovers = SLOT.with(|slot| {
            let mut slot = slot.borrow_mut();
            slot.on = self.was_on;
            if slot.note.is_nothing() && slot.previous.is_none() {
                return None; // the usual case: the runtime took the note
            }
            Some((
                mem::replace(&mut slot.note, Left::Nothing),
                slot.previous.take(),
            ))
        });
        drop(leftovers); // outside the borrow: a note may hold the last `Arc` of a queue
    }
}

impl Note {
    /// Writes this note's lines under `path` (such as `main`), one line per blocked leaf.
    pub(crate) fn render(&self, path: &str, out: &mut Vec<String>) {
        let mut here = path.to_string();
        if let Some(name) = &self.name {
            if !here.is_empty() {
                here.push(' ');
            }
            here.push_str(name);
        }
        match &self.wait {
            Wait::Unknown => out.push(format!(
                "{here}: waiting on a future that left no note (not a tinyio future)"
            )),
            Wait::Leaf { what, probe } => {
                let mut line = format!("{here}: {what}");
                if let Some(probe) = probe {
                    let _ = write!(line, " ({})", probe.describe());
                }
                out.push(line);
            }
            Wait::Join(task) => out.push(format!("{here}: JoinHandle of {task}")),
            Wait::Gather(children) => {
                let children = children.children();
                if children.is_empty() {
                    out.push(format!("{here}: gather (no unfinished child)"));
                }
                for (index, note) in children {
                    let child = if here.is_empty() {
                        format!("gather[{index}]")
                    } else {
                        format!("{here} > gather[{index}]")
                    };
                    note.render(&child, out);
                }
            }
        }
    }
}

impl Note {
    /// Whether the future that left this note may still be woken by something the runtime
    /// does not know: it is not a tinyio future (it left no note) and a clone of its waker is
    /// alive (`waker_alive`, as the caller counted it) — so something holds it that is not one
    /// of tinyio's primitives, such as a plain thread or another crate's channel. A tinyio
    /// leaf keeps its waker in a tinyio primitive, which only a running task can trigger.
    pub(crate) fn may_be_woken_from_outside(&self, waker_alive: bool) -> bool {
        match &self.wait {
            Wait::Unknown => waker_alive,
            Wait::Leaf { .. } | Wait::Join(_) => false,
            Wait::Gather(children) => children.may_be_woken_from_outside(),
        }
    }

    /// The note on one line, without a path: `Queue::get (queue empty, 0 unfinished)`.
    pub(crate) fn describe(&self) -> String {
        let mut lines = Vec::new();
        self.render("", &mut lines);
        let lines: Vec<&str> = lines
            .iter()
            .map(|line| line.trim_start_matches(": ").trim_start())
            .collect();
        lines.join("; ")
    }
}

impl fmt::Debug for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
