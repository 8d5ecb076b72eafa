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
pub mod ch12;
pub mod ch13;
pub mod manifest;
pub mod runner;

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
    /// Printed under a failure: where to look first.
    pub hint: &'static str,
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

/// Every exercise of chapters 1 to 3, graded against one implementation of each.
pub fn all<C, H, F, K, B, S12, T12, P13>() -> Vec<Exercise>
where
    C: ch01::Countdown,
    H: ch01::Hello,
    F: ch02::Flag,
    K: ch02::Counting,
    B: ch03::BlockOn,
    S12: ch12::Sleep,
    T12: ch12::Timeout,
    P13: ch13::Pool,
{
    vec![
        ch01::countdown::<C>(),
        ch01::hello::<H>(),
        ch02::flag::<F>(),
        ch02::counting::<K>(),
        ch03::block_on::<B>(),
        ch12::sleep::<S12>(),
        ch12::timeout::<T12>(),
        ch13::pool::<P13>(),
    ]
}

/// Implements every grader trait for `$ty` with the exercise modules of the crate `$krate`
/// (`exercises` or `solutions`): `ch01_countdown`, `ch01_hello`, `ch02_flag`, `ch02_counting`,
/// `ch03_block_on`.
#[macro_export]
macro_rules! bind_all {
    ($ty:ty, $krate:ident) => {
        $crate::bind_countdown!($ty, $krate::ch01_countdown);
        $crate::bind_hello!($ty, $krate::ch01_hello);
        $crate::bind_flag!($ty, $krate::ch02_flag);
        $crate::bind_counting!($ty, $krate::ch02_counting);
        $crate::bind_block_on!($ty, $krate::ch03_block_on);
        $crate::bind_sleep!($ty, $krate::ch12_sleep);
        $crate::bind_timeout!($ty, $krate::ch12_timeout);
        $crate::bind_pool!($ty, $krate::ch13_pool);
    };
}
