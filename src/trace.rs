//! Tracing for learners: a timeline of every spawn, poll, suspension, wake-up and completion.
//!
//! Turn it on with [`Runtime::trace`](crate::Runtime::trace) (or the environment variable
//! `TINYIO_TRACE=1` for [`run`](crate::run)), then print [`Trace::render`]:
//!
//! ```
//! let trace = tinyio::Trace::new();
//! tinyio::Runtime::new().trace(&trace).run(async {
//!     let consumer = tinyio::spawn_named("consumer", async {});
//!     consumer.await.unwrap();
//! });
//! assert_eq!(
//!     trace.render(),
//!     "\
//! turn  task      event
//!    1  main      poll
//!       main      spawn consumer
//!       main      pending: JoinHandle of consumer
//!    2  consumer  poll
//!       consumer  complete
//!       consumer  wake main
//!    3  main      poll
//!       main      complete
//! "
//! );
//! ```
//!
//! A *turn* is one poll of one task by the run loop. Events inside a `gather` are labelled with
//! the child's place, such as `main > gather[1] consume`. Programs add their own lines with
//! [`log`], so a timeline can show what the tasks printed next to what the runtime did.
//!
//! Guarantees: with tracing off, the runtime pays one branch per event site and allocates
//! nothing for tracing; the same program gives the same timeline every run.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use crate::note::Name;
use crate::sync::lock;

/// A recorder of runtime events, and the timeline it renders.
///
/// Cheap to clone: clones share one log.
///
/// ```
/// let trace = tinyio::Trace::new();
/// let copy = trace.clone(); // the same log
/// tinyio::Runtime::new().trace(&trace).run(async {});
/// assert!(copy.render().contains("main  complete"));
/// ```
#[derive(Clone, Default)]
pub struct Trace {
    tracer: Tracer,
}

impl Trace {
    /// An empty trace.
    ///
    /// ```
    /// let trace = tinyio::Trace::new();
    /// assert_eq!(trace.render(), "turn  task  event\n"); // nothing recorded yet
    /// ```
    pub fn new() -> Trace {
        Trace::default()
    }

    pub(crate) fn tracer(&self) -> Tracer {
        self.tracer.clone()
    }

    /// The timeline: one line per event, with the turn number on the first event of each turn,
    /// the task (or gather child) in an aligned column, and the event.
    ///
    /// ```
    /// let trace = tinyio::Trace::new();
    /// tinyio::Runtime::new().trace(&trace).run(async { tinyio::yield_now().await });
    /// let timeline = trace.render();
    /// let lines: Vec<&str> = timeline.lines().collect();
    /// assert_eq!(lines[0], "turn  task  event");
    /// assert_eq!(lines[1], "   1  main  poll"); // the turn number on its first event
    /// assert_eq!(lines[2], "      main  wake itself"); // blank on the others
    /// ```
    pub fn render(&self) -> String {
        let log = lock(&self.tracer.log);
        let width = log
            .events
            .iter()
            .map(|event| event.who.chars().count())
            .max()
            .unwrap_or(0)
            .max("task".len());
        let mut out = format!("turn  {:width$}  event\n", "task");
        let mut last_turn = None;
        for event in &log.events {
            if last_turn == Some(event.turn) {
                out.push_str("      ");
            } else {
                let _ = write!(out, "{:>4}  ", event.turn);
                last_turn = Some(event.turn);
            }
            let _ = writeln!(out, "{:width$}  {}", event.who, event.what);
        }
        out
    }

    /// Forgets every recorded event.
    ///
    /// ```
    /// let trace = tinyio::Trace::new();
    /// let runtime = tinyio::Runtime::new().trace(&trace);
    /// runtime.run(async {});
    /// trace.clear();
    /// assert_eq!(trace.render(), tinyio::Trace::new().render()); // empty again
    /// runtime.run(async {});
    /// assert!(trace.render().starts_with("turn  task  event\n   1  main")); // turns count from 1
    /// ```
    pub fn clear(&self) {
        let mut log = lock(&self.tracer.log);
        log.events.clear();
        log.turn = 0;
    }
}

impl fmt::Debug for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// Adds a line of the program's own to the timeline of the running runtime, under the task (or
/// gather child) that calls it. Does nothing when tracing is off.
///
/// ```
/// let trace = tinyio::Trace::new();
/// tinyio::Runtime::new().trace(&trace).run(async {
///     tinyio::trace::log("hello");
/// });
/// assert!(trace.render().contains("main  hello"));
/// ```
pub fn log(text: impl fmt::Display) {
    if let Some(tracer) = active() {
        let who = tracer.who();
        tracer.push(who, text.to_string());
    }
}

/// What happened, as the runtime reports it to the tracer.
pub(crate) enum What {
    Pending(String),
    Done,
    Panicked(String),
    Aborted,
    Deadlock,
}

thread_local! {
    /// The tracer of the runtime polling on this thread, while tracing is on.
    static ACTIVE: RefCell<Option<Tracer>> = const { RefCell::new(None) };
}

/// The tracer of the runtime running on this thread, if it traces.
pub(crate) fn active() -> Option<Tracer> {
    ACTIVE.with(|active| active.borrow().clone())
}

/// The shared log behind a [`Trace`].
#[derive(Clone, Default)]
pub(crate) struct Tracer {
    log: Arc<Mutex<Log>>,
}

#[derive(Default)]
struct Log {
    /// The number of the current turn (the first is 1).
    turn: u64,
    /// The task being polled, and inside it the gather children and named futures being
    /// polled, outermost first.
    path: Vec<String>,
    /// The thread that runs the runtime; wakes from other threads are labelled as such.
    thread: Option<ThreadId>,
    /// The path segment left last, so that a gather can pick up its child's name.
    left: Option<String>,
    events: Vec<Event>,
}

struct Event {
    turn: u64,
    who: String,
    what: String,
}

impl Log {
    fn who(&self) -> String {
        if self.thread.is_some_and(|t| t != thread::current().id()) {
            return String::from("(another thread)");
        }
        match self.path.first() {
            None => String::from("runtime"),
            Some(first) => {
                let mut who = first.clone();
                for segment in &self.path[1..] {
                    if let Some(name) = segment.strip_prefix(' ') {
                        who.push(' ');
                        who.push_str(name);
                    } else {
                        who.push_str(" > ");
                        who.push_str(segment);
                    }
                }
                who
            }
        }
    }
}

impl Tracer {
    fn push(&self, who: String, what: String) {
        let mut log = lock(&self.log);
        let turn = log.turn;
        log.events.push(Event { turn, who, what });
    }

    fn who(&self) -> String {
        lock(&self.log).who()
    }

    /// A new turn of `task`, whose first event is `first` (`poll`, usually).
    pub(crate) fn begin_turn(&self, task: Name, first: &str) {
        ACTIVE.with(|active| *active.borrow_mut() = Some(self.clone()));
        let mut log = lock(&self.log);
        log.thread.get_or_insert_with(|| thread::current().id());
        log.turn += 1;
        log.path.clear();
        log.path.push(task.to_string());
        let turn = log.turn;
        log.events.push(Event {
            turn,
            who: task.to_string(),
            what: first.to_string(),
        });
    }

    /// Enters a gather child (`gather[2]`) or a named future (` name`, with a leading space).
    pub(crate) fn enter(&self, segment: String) {
        lock(&self.log).path.push(segment);
    }

    /// Leaves what [`Tracer::enter`] entered.
    pub(crate) fn leave(&self) {
        let mut log = lock(&self.log);
        log.left = log.path.pop();
    }

    /// After a gather child was polled: if a named future was the last thing left inside it,
    /// label the child's next events with that name (`gather[1]` becomes `gather[1] consume`).
    pub(crate) fn name_child(&self) {
        let mut log = lock(&self.log);
        if let Some(name) = log.left.take().filter(|left| left.starts_with(' ')) {
            if let Some(child) = log.path.last_mut() {
                if !child.contains(' ') {
                    child.push_str(&name);
                }
            }
        }
    }

    /// Records an event of the task (or child) being polled right now.
    pub(crate) fn here(&self, what: String) {
        let who = self.who();
        self.push(who, what);
    }

    /// Records `what` of `task`.
    pub(crate) fn record(&self, task: Name, what: What) {
        let what = match what {
            What::Pending(waits) => format!("pending: {waits}"),
            What::Done => String::from("complete"),
            What::Panicked(message) => format!("panicked: {message}"),
            What::Aborted => String::from("cancelled"),
            What::Deadlock => String::from("deadlock: nothing can run"),
        };
        self.push(task.to_string(), what);
        ACTIVE.with(|active| active.borrow_mut().take());
    }

    /// The run is over: what happens from now on (tasks dropped, wake-ups they cause) belongs
    /// to the runtime, not to the task polled last.
    pub(crate) fn end_run(&self) {
        lock(&self.log).path.clear();
        // A run that ends by a panic of its main future never recorded its end: forget this
        // tracer here, or `trace::log` in a later, untraced run would write into this trace.
        let ours = ACTIVE.with(|active| active.borrow_mut().take());
        drop(ours);
    }

    /// The task being polled spawned `child`.
    pub(crate) fn record_spawn(&self, child: Name) {
        self.here(format!("spawn {child}"));
    }

    /// The task being polled (or another thread) woke `task`.
    pub(crate) fn record_wake(&self, task: Name) {
        let who = self.who();
        let what = if who == *task {
            String::from("wake itself")
        } else {
            format!("wake {task}")
        };
        self.push(who, what);
    }

    /// The virtual clock jumped to `time` because nothing could run.
    pub(crate) fn record_clock(&self, time: std::time::Duration) {
        let mut log = lock(&self.log);
        log.turn += 1;
        let turn = log.turn;
        log.path.clear();
        log.events.push(Event {
            turn,
            who: String::from("(clock)"),
            what: format!("nothing can run: time jumps to {time:?}"),
        });
    }

    /// The task being polled asked to abort `task`.
    pub(crate) fn record_abort(&self, task: Name) {
        self.here(format!("abort {task}"));
    }
}
