//! The workbook's grading harness.
//!
//! A grader runs *scenarios* against an implementation of one exercise and compares the trace
//! each scenario writes with a committed expected file in `grader/expected/`. The pieces:
//!
//! - [`log`] writes one line of the running scenario's trace. Only the scenario's own code and
//!   the wakers it hands out write lines: never the learner's code directly, so every correct
//!   answer writes the same trace.
//! - [`Exercise`] and [`Scenario`] describe what is graded; `ch01`, `ch02` and `ch03` build them,
//!   generically over a small trait per exercise, so one build can grade the learner's file, the
//!   reference solution, the committed stub and planted wrong answers.
//! - [`runner`] runs each exercise in a child process (the test binary itself, started again with
//!   `--grader-child`) that is killed at a deadline, compares, and prints the report.
//! - [`manifest`] checks the expected files against a committed checksum manifest.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch05;
pub mod ch06;
pub mod ch07;
pub mod ch08;
pub mod ch09;
pub mod ch10;
pub mod ch11;
pub mod ch12;
pub mod ch13;
pub mod ch14;
pub mod manifest;
pub mod runner;

/// The runtime, for the `bind_*!` macros (their users need not depend on it).
#[doc(hidden)]
pub use tinyio;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::{future::Future, pin::Pin};

use futures_task::ArcWake;

/// One graded exercise: the learner's file, the scenarios that grade it and the hint.
pub struct Exercise {
    /// The id, also the name of the file and of the folder of expected traces: `ch01_countdown`.
    pub id: &'static str,
    /// The chapter number, for the report and for "next: chapter K".
    pub chapter: u32,
    /// The chapter's title, for the report.
    pub title: &'static str,
    /// The file the learner edits, relative to the workspace root.
    pub file: &'static str,
    /// The full recipe, the second tier of help: printed only when the learner asks for it with
    /// `cargo hint <id>` (the grading command with `--hint`). A failure shows the failing scenario's own [`Scenario::hint`].
    pub recipe: &'static str,
    /// Printed when the child process does not finish before the deadline.
    pub on_hang: &'static str,
    /// The scenarios, in the order they run.
    pub scenarios: Vec<Scenario>,
}

/// One scenario: a function that drives the implementation and writes a trace with [`log`].
#[derive(Clone, Copy)]
pub struct Scenario {
    /// The name, also the expected file's name without `.txt`.
    pub name: &'static str,
    /// One line saying what the scenario checks, shown when it fails.
    pub checks: &'static str,
    /// The first tier of help, printed under this scenario's failure: what it probes and the
    /// rule or book section it relates to, in a sentence or three. Never the recipe: no line of
    /// the answer (the self-test checks it).
    pub hint: &'static str,
    /// Runs the scenario. It may panic: the runner reports the panic as part of the trace.
    pub run: fn(),
}

/// Whether [`log`] also prints each line for the parent process (set in the child).
static ECHO: AtomicBool = AtomicBool::new(false);
/// The trace of the running scenario.
static TRACE: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Appends one line to the running scenario's trace. Callable from any thread.
pub fn log(line: impl Into<String>) {
    let line: String = line.into().replace('\n', " ");
    if ECHO.load(Ordering::Relaxed) {
        runner::emit("line", &line);
    }
    TRACE.lock().unwrap_or_else(|e| e.into_inner()).push(line);
}

/// Takes the trace written so far.
pub fn take_trace() -> Vec<String> {
    std::mem::take(&mut *TRACE.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Stops the scenario with a message of the grader's own (a bound that was exceeded, say).
/// The report shows it as `stopped: <message>`.
pub fn stop(message: &str) -> ! {
    std::panic::panic_any(Stop(message.to_string()))
}

/// The panic payload of [`stop`].
pub struct Stop(pub String);

/// A waker that writes `<name> woken` to the trace each time it is woken.
pub fn named_waker(name: &'static str) -> Waker {
    futures_task::waker(Arc::new(Named(name)))
}

struct Named(&'static str);

impl ArcWake for Named {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        log(format!("  {} woken", arc_self.0));
    }
}

/// Polls `future` once with `waker`, writing `poll <k> with <waker>` before and the result after.
/// Returns the result.
pub fn poll_logged<F: Future + ?Sized>(
    k: u32,
    future: Pin<&mut F>,
    waker_name: &'static str,
    show: impl Fn(&F::Output) -> String,
) -> Poll<F::Output> {
    log(format!("poll {k} with {waker_name}"));
    let waker = named_waker(waker_name);
    let result = future.poll(&mut Context::from_waker(&waker));
    match &result {
        Poll::Ready(v) => log(format!("  = Ready({})", show(v))),
        Poll::Pending => log("  = Pending"),
    }
    result
}

/// Runs `f`, returning its result, or the panic message if it panicked.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| runner::panic_text(&*p))
}

/// The waker names that scenarios use for the first, second, ... poll.
pub const WAKERS: [&str; 8] = ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"];

/// Every exercise, graded against one implementation of each (chapters 6 onwards share `L`).
pub fn all<C, H, F, K, B, X, G, T, L>() -> Vec<Exercise>
where
    C: ch01::Countdown,
    H: ch01::Hello,
    F: ch02::Flag,
    K: ch02::Counting,
    B: ch03::BlockOn,
    X: ch04::Executor,
    G: ch05::Gather,
    T: ch05::TryGather,
    L: Later,
{
    vec![
        ch01::countdown::<C>(),
        ch01::hello::<H>(),
        ch02::flag::<F>(),
        ch02::counting::<K>(),
        ch03::block_on::<B>(),
        ch04::executor::<X>(),
        ch05::gather::<G>(),
        ch05::try_gather::<T>(),
        ch06::queue::<L>(),
        ch07::bounded::<L>(),
        ch08::join::<L>(),
        ch09::workers::<L>(),
        ch10::shutdown::<L>(),
        ch11::event::<L>(),
        ch11::lock::<L>(),
        ch11::priority::<L>(),
        ch11::as_completed::<L>(),
        ch11::barrier::<L>(),
        ch12::sleep::<L>(),
        ch12::timeout::<L>(),
        ch13::pool::<L>(),
        ch14::capstone::<L>(),
    ]
}

/// Every exercise, graded against one type that implements them all (what `bind_all!` makes):
/// the learner's crate, the solutions or the stubs.
pub fn all_of<E>() -> Vec<Exercise>
where
    E: ch01::Countdown
        + ch01::Hello
        + ch02::Flag
        + ch02::Counting
        + ch03::BlockOn
        + ch04::Executor
        + ch05::Gather
        + ch05::TryGather
        + Later,
{
    all::<E, E, E, E, E, E, E, E, E>()
}

/// The exercises of chapter 6 onwards, bound to one type (one type parameter of [`all`] for all
/// of them).
pub trait Later:
    ch06::Unbounded
    + ch07::Bounded
    + ch08::Joinable
    + ch09::Workers
    + ch10::Shutdown
    + ch11::Event
    + ch11::Lock
    + ch11::Priority
    + ch11::AsCompleted
    + ch11::Barrier
    + ch12::Sleep
    + ch12::Timeout
    + ch13::Pool
    + ch14::Capstone
{
}

impl<
    T: ch06::Unbounded
        + ch07::Bounded
        + ch08::Joinable
        + ch09::Workers
        + ch10::Shutdown
        + ch11::Event
        + ch11::Lock
        + ch11::Priority
        + ch11::AsCompleted
        + ch11::Barrier
        + ch12::Sleep
        + ch12::Timeout
        + ch13::Pool
        + ch14::Capstone,
> Later for T
{
}

/// Implements every grader trait for `$ty` with the exercise modules of the crate `$krate`
/// (`exercises` or `solutions`): one module per exercise, from `ch01_countdown` to `ch14_seed`.
#[macro_export]
macro_rules! bind_all {
    ($ty:ty, $krate:ident) => {
        $crate::bind_countdown!($ty, $krate::ch01_countdown);
        $crate::bind_hello!($ty, $krate::ch01_hello);
        $crate::bind_flag!($ty, $krate::ch02_flag);
        $crate::bind_counting!($ty, $krate::ch02_counting);
        $crate::bind_block_on!($ty, $krate::ch03_block_on);
        $crate::bind_executor!($ty, $krate::ch04_executor);
        $crate::bind_gather!($ty, $krate::ch05_gather);
        $crate::bind_try_gather!($ty, $krate::ch05_try_gather);
        $crate::bind_unbounded!($ty, $krate::ch06_queue);
        $crate::bind_bounded!($ty, $krate::ch07_bounded);
        $crate::bind_joinable!($ty, $krate::ch08_join);
        $crate::bind_workers!($ty, $krate::ch09_workers);
        $crate::bind_shutdown!($ty, $krate::ch10_shutdown);
        $crate::bind_event!($ty, $krate::ch11_event);
        $crate::bind_lock!($ty, $krate::ch11_lock);
        $crate::bind_priority!($ty, $krate::ch11_priority);
        $crate::bind_as_completed!($ty, $krate::ch11_as_completed);
        $crate::bind_barrier!($ty, $krate::ch11_barrier);
        $crate::bind_sleep!($ty, $krate::ch12_sleep);
        $crate::bind_timeout!($ty, $krate::ch12_timeout);
        $crate::bind_pool!($ty, $krate::ch13_pool);
        $crate::bind_capstone!($ty, $krate::ch14_seed);
    };
}
