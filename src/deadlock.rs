//! The deadlock report: why a program can never finish, task by task.
//!
//! `run` reports a deadlock when the main future is pending and nothing can run: no task is in
//! the run queue, and nothing the runtime knows of can put one there. It reports only what is
//! certain: while a blocked future that is not tinyio's has a live waker held outside tinyio,
//! the runtime waits instead (see [`keep_alive`](crate::keep_alive)). Each blocked task is
//! listed with the note its innermost future left (see `note.rs`), in spawn order, main first.
//! A task that kept no clone of its waker and did not wake itself is singled out: nothing at all
//! can wake it, which is almost always a hand-written future that forgot to store its waker.

use std::error::Error;
use std::fmt;

use crate::note::{Name, Note};

/// One blocked task, as the report shows it.
pub(crate) struct Blocked {
    name: Name,
    note: Option<Note>,
    /// Some clone of the task's waker is still alive somewhere.
    has_waker: bool,
}

impl Blocked {
    pub(crate) fn new(name: Name, note: Option<Note>, has_waker: bool) -> Blocked {
        Blocked {
            name,
            note,
            has_waker,
        }
    }
}

/// The report of a program that can never finish, returned by [`try_run`](crate::try_run).
///
/// Its `Display` text begins with `deadlock`, says why the program can never finish, and lists
/// what each blocked task waits on, for example
/// `main > gather[1] consume: Queue::get (queue empty, 0 unfinished)`.
///
/// ```
/// let report = tinyio::try_run(async {
///     let queue = tinyio::Queue::<u32>::new();
///     queue.get().await // nobody will ever put
/// })
/// .unwrap_err();
/// assert!(report.to_string().starts_with("deadlock"));
/// ```
pub struct Deadlock {
    /// One line per blocked leaf future, main first, then tasks in spawn order.
    lines: Vec<String>,
    /// Names of the tasks that kept no waker at all.
    lost: Vec<Name>,
}

impl Deadlock {
    pub(crate) fn new(blocked: Vec<Blocked>) -> Deadlock {
        let mut lines = Vec::new();
        let mut lost = Vec::new();
        for task in blocked {
            match &task.note {
                Some(note) => note.render(&task.name, &mut lines),
                None => lines.push(format!(
                    "{}: waiting on a future that left no note (not a tinyio future)",
                    task.name
                )),
            }
            if !task.has_waker {
                lost.push(task.name);
            }
        }
        Deadlock { lines, lost }
    }

    /// What each blocked task waits on, one line per blocked future, main first.
    ///
    /// ```
    /// let queue = tinyio::Queue::<u32>::new();
    /// let report = tinyio::try_run(async { queue.get().await }).unwrap_err();
    /// assert_eq!(report.blocked(), ["main: Queue::get (queue empty, 0 unfinished)"]);
    /// ```
    pub fn blocked(&self) -> &[String] {
        &self.lines
    }

    /// The tasks that returned `Pending` without keeping any clone of their waker.
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use std::task::Poll;
    ///
    /// let report = tinyio::try_run(async {
    ///     poll_fn(|_| Poll::<()>::Pending).await // keeps no waker: nothing can ever wake it
    /// })
    /// .unwrap_err();
    /// assert_eq!(report.lost_wakers().collect::<Vec<_>>(), ["main"]);
    /// ```
    pub fn lost_wakers(&self) -> impl Iterator<Item = &str> {
        self.lost.iter().map(|name| &**name)
    }
}

impl fmt::Display for Deadlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "deadlock: the program can never finish. The main future is waiting, no task is \
             ready to run, and nothing outside the runtime can wake one."
        )?;
        writeln!(f, "Blocked, and what each one waits on:")?;
        for line in &self.lines {
            writeln!(f, "  {line}")?;
        }
        for name in &self.lost {
            writeln!(
                f,
                "{name} returned Poll::Pending without keeping a clone of its waker and without \
                 waking itself, so nothing can ever wake it. Likely mistake: a hand-written \
                 future must store cx.waker().clone() where the event it waits for will find it \
                 before it returns Pending."
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for Deadlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Error for Deadlock {}
