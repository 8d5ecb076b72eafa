//! Time: `sleep`, `timeout` and `now`, driven by the runtime's own timers.
//!
//! The runtime keeps every armed timer in one ordered map, keyed by (deadline, arming order).
//! Nothing runs a thread per sleep: when no task is ready, the run loop looks at the earliest
//! deadline and either waits for it (the real clock) or jumps straight to it (the virtual
//! clock, [`Runtime::virtual_clock`](crate::Runtime::virtual_clock)).
//!
//! Guarantees:
//! - a `Sleep` completes at the first turn at which the clock reads at least its deadline;
//!   timers due at the same moment fire in the order they were armed;
//! - a dropped `Sleep` removes its timer at once, so a forgotten timer never keeps the runtime
//!   from reporting a deadlock;
//! - an armed timer is a source of wake-ups: while one exists, the runtime is not idle and no
//!   deadlock is reported;
//! - with no timer armed, the run loop never reads the clock;
//! - on the virtual clock, time moves only when every task is waiting, so a program that
//!   sleeps for an hour ends in milliseconds and prints the same output on every run.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::context;
use crate::note;
use crate::sync::lock;

/// Which clock a runtime reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClockKind {
    /// The machine's monotonic clock: sleeping takes real time.
    Real,
    /// A clock that jumps to the next deadline whenever nothing can run.
    Virtual,
}

// ANCHOR: time_driver
/// The timers and the clock of one runtime, shared with every `Sleep` it arms.
pub(crate) struct TimeDriver {
    kind: ClockKind,
    /// When the run started (the real clock's zero).
    start: Instant,
    /// The virtual clock's reading, in nanoseconds since the start. Moves only forward, and
    /// only when the run loop jumps to a deadline.
    virtual_nanos: AtomicU64,
    /// Armed timers, earliest first. Invariant: a key is present exactly while its `Sleep` is
    /// armed (polled, not yet fired, not dropped).
    timers: Mutex<Timers>,
    /// The number of armed timers, plus fired ones whose wake-ups are not yet delivered. The
    /// run loop reads it on every turn without locking, and reads the clock only when it is
    /// not zero.
    armed: AtomicUsize,
    /// Set when the runtime ends: a `Sleep` polled after that panics instead of waiting for a
    /// timer that nothing will ever fire.
    closed: AtomicBool,
    /// Multi-threaded runtime: makes an idle worker look again. Called when a timer becomes the
    /// earliest (a worker may be waiting with no deadline, or a later one) and when the last
    /// armed timer goes (the idle check must run again: a fired timer may have woken nobody).
    nudge: Option<Box<dyn Fn() + Send + Sync>>,
}

/// The end of both clocks: 2^64 - 1 nanoseconds after the start, about 584 years. A deadline
/// at or past it never comes (the virtual clock cannot reach it, the real one would take
/// centuries), so its timer is never armed: it is not a source of wake-ups.
const END_OF_CLOCK: Duration = Duration::from_nanos(u64::MAX);

#[derive(Default)]
struct Timers {
    armed: BTreeMap<TimerKey, Waker>,
    /// Arming order, to break ties between equal deadlines.
    next_seq: u64,
}

/// (deadline since start, arming order).
type TimerKey = (Duration, u64);
// ANCHOR_END: time_driver

impl TimeDriver {
    pub(crate) fn new(kind: ClockKind) -> TimeDriver {
        TimeDriver::with_nudge(kind, None)
    }

    /// A driver that calls `nudge` as described on its field.
    pub(crate) fn with_nudge(
        kind: ClockKind,
        nudge: Option<Box<dyn Fn() + Send + Sync>>,
    ) -> TimeDriver {
        TimeDriver {
            kind,
            start: Instant::now(),
            virtual_nanos: AtomicU64::new(0),
            timers: Mutex::default(),
            armed: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            nudge,
        }
    }

    /// The runtime ended: no timer of this driver will ever fire again.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    /// Panics if the runtime of this driver ended (`what` is the future being polled).
    fn assert_open(&self) {
        assert!(
            !self.closed.load(Ordering::SeqCst),
            "a tinyio::sleep (or timeout) was polled after the runtime that started it ended. \
             Its timer belonged to that runtime, which no longer runs, so it could never fire. \
             Await a sleep to its end inside the run that first polled it, or create a new \
             sleep in the new run."
        );
    }

    /// The time since the run started, on this runtime's clock.
    pub(crate) fn now(&self) -> Duration {
        match self.kind {
            ClockKind::Real => self.start.elapsed(),
            ClockKind::Virtual => Duration::from_nanos(self.virtual_nanos.load(Ordering::Acquire)),
        }
    }

    pub(crate) fn kind(&self) -> ClockKind {
        self.kind
    }

    /// Whether any timer is armed.
    pub(crate) fn is_armed(&self) -> bool {
        self.armed.load(Ordering::SeqCst) > 0
    }

    /// The earliest deadline, if any timer is armed.
    pub(crate) fn next_deadline(&self) -> Option<Duration> {
        lock(&self.timers).armed.keys().next().map(|key| key.0)
    }

    /// Moves the virtual clock forward to `deadline` (never backward).
    pub(crate) fn jump_to(&self, deadline: Duration) {
        let nanos = u64::try_from(deadline.as_nanos()).unwrap_or(u64::MAX);
        self.virtual_nanos.fetch_max(nanos, Ordering::AcqRel);
    }

    // ANCHOR: fire_due
    /// Fires every timer whose deadline has come, in deadline order, waking its task. Returns
    /// how many fired. Wakes outside the lock.
    pub(crate) fn fire_due(&self, scratch: &mut Vec<Waker>) -> usize {
        let now = self.now();
        {
            let mut timers = lock(&self.timers);
            while let Some(entry) = timers.armed.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                scratch.push(entry.remove());
            }
        }
        let fired = scratch.len();
        for waker in scratch.drain(..) {
            waker.wake();
        }
        // Only now do the fired timers stop counting as armed: their tasks are queued, so an
        // idle check on another thread never sees "no timer and no work" in between.
        if fired > 0 && self.armed.fetch_sub(fired, Ordering::SeqCst) == fired {
            self.nudge(); // the last timer went: the idle check must run again
        }
        fired
    }

    fn nudge(&self) {
        if let Some(nudge) = &self.nudge {
            nudge();
        }
    }
    // ANCHOR_END: fire_due

    // ANCHOR: arm
    fn arm(&self, deadline: Duration, waker: &Waker) -> TimerKey {
        let waker = waker.clone(); // outside the lock
        let earliest = {
            let mut timers = lock(&self.timers);
            let key = (deadline, timers.next_seq);
            timers.next_seq += 1;
            timers.armed.insert(key, waker);
            self.armed.fetch_add(1, Ordering::SeqCst);
            let earliest = timers.armed.keys().next() == Some(&key);
            (key, earliest)
        };
        // A new earliest deadline: a worker waiting for a later one (or none) must look again.
        if earliest.1 {
            self.nudge();
        }
        earliest.0
    }
    // ANCHOR_END: arm

    // ANCHOR: rearm_disarm
    /// Updates the waker of an armed timer; `false` if it already fired. The waker is cloned,
    /// and the old one dropped, with the lock released.
    fn rearm(&self, key: TimerKey, waker: &Waker) -> bool {
        let same = match lock(&self.timers).armed.get(&key) {
            Some(stored) => stored.will_wake(waker),
            None => return false,
        };
        if same {
            return true;
        }
        let new = waker.clone();
        let old = match lock(&self.timers).armed.get_mut(&key) {
            Some(stored) => std::mem::replace(stored, new),
            None => return false, // fired meanwhile (another thread); `new` is dropped here
        };
        drop(old);
        true
    }

    fn disarm(&self, key: TimerKey) {
        let (removed, last) = {
            let mut timers = lock(&self.timers);
            let removed = timers.armed.remove(&key);
            let last = removed.is_some() && self.armed.fetch_sub(1, Ordering::SeqCst) == 1;
            (removed, last)
        };
        drop(removed); // outside the lock
        if last {
            self.nudge();
        }
    }
    // ANCHOR_END: rearm_disarm
}

/// The timers and clock of the runtime entered on this thread.
fn time_driver(what: &str) -> Arc<TimeDriver> {
    context::part(what, |entered| &entered.time)
}

/// The time since the running runtime started, on its clock: the real one, or the virtual
/// one of [`Runtime::virtual_clock`](crate::Runtime::virtual_clock). This is asyncio's
/// `loop.time()`.
///
/// ```
/// use std::time::Duration;
/// let elapsed = tinyio::Runtime::new().virtual_clock().run(async {
///     tinyio::sleep(Duration::from_secs(3600)).await;
///     tinyio::now()
/// });
/// assert_eq!(elapsed, Duration::from_secs(3600)); // an hour, in a few microseconds
/// ```
///
/// # Panics
///
/// Outside a tinyio runtime.
pub fn now() -> Duration {
    time_driver("tinyio::now").now()
}

/// Waits until `duration` has passed on the runtime's clock: `asyncio.sleep(seconds)`.
///
/// The deadline is taken at the first poll (futures are lazy). A duration that reaches past
/// the end of the clock (about 584 years from the start of the run, such as `Duration::MAX`,
/// the usual "forever") never elapses: such a sleep never completes, and a program in which
/// nothing else can happen is reported as a deadlock.
///
/// ```
/// use std::time::Duration;
/// let report = tinyio::Runtime::new()
///     .try_run(tinyio::sleep(Duration::MAX))
///     .unwrap_err();
/// assert!(report.to_string().contains("sleep (never fires"));
/// ```
///
/// # Panics
///
/// When polled outside a tinyio runtime: the timers belong to the runtime; and when polled
/// again after the runtime that first polled it ended.
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        duration,
        armed: None,
    }
}

/// The future of [`sleep`]. Its deadline is set at its first poll, not when it is made:
///
/// ```
/// use std::time::Duration;
///
/// tinyio::Runtime::new().virtual_clock().run(async {
///     let nap = tinyio::sleep(Duration::from_secs(5)); // nothing starts yet
///     tinyio::sleep(Duration::from_secs(1)).await;
///     nap.await; // 5 seconds from now
///     assert_eq!(tinyio::now(), Duration::from_secs(6));
/// });
/// ```
// ANCHOR: sleep
#[must_use = "futures do nothing unless you .await them"]
pub struct Sleep {
    duration: Duration,
    /// The runtime's time driver and this sleep's timer in it, from the first poll on.
    armed: Option<(Arc<TimeDriver>, Timer)>,
}

/// A sleep's timer.
enum Timer {
    /// Armed in the driver's map under this key.
    Armed(TimerKey),
    /// The deadline is past the end of the clock: never armed, never fires. The sleep keeps
    /// its waker only so that the deadlock report does not call it a lost waker.
    Never(Waker),
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &mut self.armed {
            None => {
                let driver = time_driver("tinyio::sleep");
                // Saturates: `Duration::MAX` means "never", not an overflow.
                let deadline = driver.now().saturating_add(self.duration);
                let timer = if deadline >= END_OF_CLOCK {
                    Timer::Never(cx.waker().clone())
                } else {
                    Timer::Armed(driver.arm(deadline, cx.waker()))
                };
                self.armed = Some((driver, timer));
            }
            Some((driver, Timer::Armed(key))) => {
                driver.assert_open();
                if !driver.rearm(*key, cx.waker()) {
                    return Poll::Ready(()); // the timer fired and left the map
                }
            }
            Some((driver, Timer::Never(waker))) => {
                driver.assert_open();
                if !waker.will_wake(cx.waker()) {
                    let old = std::mem::replace(waker, cx.waker().clone());
                    drop(old);
                }
            }
        }
        match &self.armed {
            Some((_, Timer::Never(_))) => note::waiting_on(
                "sleep (never fires: its deadline is past the end of the clock)",
                None,
            ),
            _ => note::waiting_on("sleep", None),
        }
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some((driver, Timer::Armed(key))) = self.armed.take() {
            driver.disarm(key);
        }
    }
}
// ANCHOR_END: sleep

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("duration", &self.duration)
            .field("armed", &matches!(self.armed, Some((_, Timer::Armed(_)))))
            .finish()
    }
}

/// Runs `future`, but gives up after `duration`: `asyncio.wait_for(future, seconds)`.
///
/// Returns `Ok(output)` if the future finished first, or `Err(Elapsed)` once the time ran out,
/// after dropping the future (that is how it is cancelled: at its current `.await`).
///
/// ```
/// use std::time::Duration;
/// tinyio::Runtime::new().virtual_clock().run(async {
///     let queue = tinyio::Queue::<u32>::new();
///     let got = tinyio::timeout(Duration::from_secs(1), queue.get()).await;
///     assert_eq!(got, Err(tinyio::Elapsed));
///     assert!(queue.is_empty()); // the dropped get took nothing
/// });
/// ```
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(Box::pin(future)),
        sleep: sleep(duration),
    }
}

/// The future of [`timeout`]. Its output is the inner future's output, or [`Elapsed`]:
///
/// ```
/// use std::time::Duration;
///
/// tinyio::Runtime::new().virtual_clock().run(async {
///     let quick = tinyio::timeout(Duration::from_secs(2), async { "done" });
///     assert_eq!(quick.await, Ok("done"));
/// });
/// ```
// ANCHOR: timeout
#[must_use = "futures do nothing unless you .await them"]
pub struct Timeout<F> {
    /// Boxed so that it can be polled without unsafe pin projection; `None` once it finished
    /// or was dropped.
    future: Option<Pin<Box<F>>>,
    sleep: Sleep,
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let future = this
            .future
            .as_mut()
            .expect("a Timeout was polled after it completed");
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            this.future = None;
            return Poll::Ready(Ok(output));
        }
        let inner_note = note::take();
        if Pin::new(&mut this.sleep).poll(cx).is_ready() {
            this.future = None; // cancel the inner future: drop it
            return Poll::Ready(Err(Elapsed));
        }
        // Report what the inner future waits on: the timer alone would hide it.
        if let Some(inner) = inner_note {
            note::set(inner);
        }
        Poll::Pending
    }
}
// ANCHOR_END: timeout

/// The error of [`timeout`]: the time ran out before the future finished.
///
/// ```
/// use std::time::Duration;
///
/// let result = tinyio::Runtime::new().virtual_clock().run(async {
///     let slow = tinyio::sleep(Duration::from_secs(10));
///     tinyio::timeout(Duration::from_secs(1), slow).await
/// });
/// assert_eq!(result, Err(tinyio::Elapsed));
/// assert_eq!(result.unwrap_err().to_string(), "the time ran out before the future finished");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed;

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the time ran out before the future finished")
    }
}

impl Error for Elapsed {}
