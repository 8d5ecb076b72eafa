//! Chapter 12, time: `sleep` on a timer map, and `timeout` on tinyio's `sleep`.
//!
//! The `sleep` scenarios drive the learner's future by hand against [`ScriptedTimers`], a timer
//! map whose clock moves only when the scenario says so. The `timeout` scenarios run on tinyio's
//! virtual clock, so every timestamp they log is the same on every run.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::{Exercise, Scenario, log, poll_logged, stop};

/// The `sleep` exercise, as the grader sees it.
pub trait Sleep {
    /// `sleep(timers, duration)`, on the grader's timer map.
    fn sleep(timers: ScriptedTimers, duration: Duration) -> impl Future<Output = ()> + Unpin;
}

/// The `timeout` exercise, as the grader sees it.
pub trait Timeout {
    /// `timeout(duration, future)`.
    fn timeout<F>(
        duration: Duration,
        future: F,
    ) -> impl Future<Output = Result<F::Output, tinyio::Elapsed>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;
}

/// Implements [`Sleep`] for `$ty` with the module `$m` (which has `Timers`, `TimerId`, `sleep`).
#[macro_export]
macro_rules! bind_sleep {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch12::Sleep for $ty {
            fn sleep(
                timers: $crate::ch12::ScriptedTimers,
                duration: ::std::time::Duration,
            ) -> impl ::core::future::Future<Output = ()> + ::core::marker::Unpin {
                struct Clock($crate::ch12::ScriptedTimers);
                impl $($m)::+::Timers for Clock {
                    fn now(&self) -> ::std::time::Duration {
                        self.0.now()
                    }
                    fn arm(
                        &self,
                        deadline: ::std::time::Duration,
                        waker: &::std::task::Waker,
                    ) -> $($m)::+::TimerId {
                        $($m)::+::TimerId(self.0.arm(deadline, waker))
                    }
                    fn rearm(&self, id: $($m)::+::TimerId, waker: &::std::task::Waker) -> bool {
                        self.0.rearm(id.0, waker)
                    }
                    fn disarm(&self, id: $($m)::+::TimerId) {
                        self.0.disarm(id.0)
                    }
                }
                $($m)::+::sleep(Clock(timers), duration)
            }
        }
    };
}

/// Implements [`Timeout`] for `$ty` with the module `$m` (which has `timeout`).
#[macro_export]
macro_rules! bind_timeout {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch12::Timeout for $ty {
            fn timeout<F>(
                duration: ::std::time::Duration,
                future: F,
            ) -> impl ::core::future::Future<Output = Result<F::Output, ::tinyio::Elapsed>>
            where
                F: ::core::future::Future + Send + 'static,
                F::Output: Send + 'static,
            {
                $($m)::+::timeout(duration, future)
            }
        }
    };
}

/// A timer map with a scripted clock: time moves only when the scenario calls
/// [`ScriptedTimers::advance_to`]. It logs what a learner's sleep does to it: arming a timer,
/// disarming an armed one, and each timer that fires. Replacing a waker logs nothing (the
/// waker that is finally woken shows it). Cheap to clone: clones share one map.
#[derive(Clone, Default)]
pub struct ScriptedTimers(Arc<Mutex<Map>>);

#[derive(Default)]
struct Map {
    now: Duration,
    next_id: u64,
    armed: BTreeMap<u64, (Duration, Waker)>,
}

/// Seconds, as the traces write them: `0s`, `2s`, `1.5s`.
pub fn secs(d: Duration) -> String {
    format!("{}s", d.as_secs_f64())
}

impl ScriptedTimers {
    fn map(&self) -> MutexGuard<'_, Map> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The scripted clock's reading.
    pub fn now(&self) -> Duration {
        self.map().now
    }

    /// Arms a timer and returns its id.
    pub fn arm(&self, deadline: Duration, waker: &Waker) -> u64 {
        let mut map = self.map();
        let id = map.next_id;
        map.next_id += 1;
        map.armed.insert(id, (deadline, waker.clone()));
        log(format!("  timer #{id} armed for {}", secs(deadline)));
        id
    }

    /// Replaces the waker of an armed timer; `false` if it is not armed.
    pub fn rearm(&self, id: u64, waker: &Waker) -> bool {
        match self.map().armed.get_mut(&id) {
            Some(entry) => {
                if !entry.1.will_wake(waker) {
                    entry.1 = waker.clone();
                }
                true
            }
            None => false,
        }
    }

    /// Removes an armed timer (logged); does nothing for one that fired or never existed.
    pub fn disarm(&self, id: u64) {
        let removed = self.map().armed.remove(&id);
        if removed.is_some() {
            log(format!("  timer #{id} disarmed"));
        }
    }

    /// Moves the clock to `to` and fires the timers that are due, earliest first.
    pub fn advance_to(&self, to: Duration) {
        let due: Vec<(u64, Waker)> = {
            let mut map = self.map();
            if map.now == to {
                log(format!("the clock still reads {}", secs(to)));
            } else {
                log(format!("the clock moves to {}", secs(to)));
            }
            map.now = to;
            let ids: Vec<u64> = map
                .armed
                .iter()
                .filter(|(_, (deadline, _))| *deadline <= to)
                .map(|(id, _)| *id)
                .collect();
            ids.into_iter()
                .map(|id| (id, map.armed.remove(&id).expect("listed").1))
                .collect()
        };
        for (id, waker) in due {
            log(format!("  timer #{id} fires"));
            waker.wake();
        }
    }

    /// How many timers are armed.
    pub fn armed(&self) -> usize {
        self.map().armed.len()
    }
}

/// The grader for `exercises/src/ch12_sleep.rs`.
pub fn sleep<S: Sleep>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch12_sleep",
        chapter: 12,
        title: "Time",
        file: "exercises/src/ch12_sleep.rs",
        recipe: "keep the timer's id in `armed`. poll: if `armed` is None, arm a timer for \
               timers.now() + duration with cx.waker(), store the id, return Pending; otherwise \
               return Pending if timers.rearm(id, cx.waker()) is true, Ready(()) if it is false. \
               Drop: if let Some(id) = armed.take(), timers.disarm(id).",
        on_hang: "does a poll or the drop wait for something? Nothing here needs to block.",
        scenarios: vec![
            s(
                "lazy",
                "creating a sleep arms nothing; the deadline counts from the first poll",
                "Futures are lazy: creating a `Sleep` arms nothing, and its deadline counts from its first poll, not from the call (chapter 12, `sleep` and `timeout`).",
                lazy::<S>,
            ),
            s(
                "spurious",
                "a poll before the deadline is Pending and arms no second timer; the fired \
                 timer makes the next poll Ready",
                "A poll before the deadline is Pending and must not arm a second timer; once the timer has fired, the next poll is Ready.",
                spurious::<S>,
            ),
            s(
                "latest_waker",
                "polled with w1, then with w2: the timer wakes w2, the latest",
                "Only the latest waker counts (chapter 2's waker rules): every poll must give the timer the waker of that poll.",
                latest_waker::<S>,
            ),
            s(
                "dropped",
                "a sleep dropped before its deadline disarms its timer: nothing fires later",
                "A sleep dropped before its deadline must remove its timer, or the timer keeps the runtime awake and wakes a task that no longer waits for it.",
                dropped::<S>,
            ),
            s(
                "zero",
                "sleep(0s) is Pending once (its timer fires at the next turn), then Ready",
                "`sleep(0s)` still lets the others run once, as `asyncio.sleep(0)` does: the first poll is Pending even for a zero duration.",
                zero::<S>,
            ),
        ],
    }
}

fn show_unit(_: &()) -> String {
    "()".to_string()
}

fn lazy<S: Sleep>() {
    let timers = ScriptedTimers::default();
    log("sleep(5s) is created at 0s and dropped unpolled");
    drop(S::sleep(timers.clone(), Duration::from_secs(5)));
    log(format!("timers armed: {}", timers.armed()));
    log("sleep(5s) is created at 0s");
    let mut nap = S::sleep(timers.clone(), Duration::from_secs(5));
    timers.advance_to(Duration::from_secs(2));
    let _ = poll_logged(1, Pin::new(&mut nap), "w1", show_unit);
    timers.advance_to(Duration::from_secs(5));
    timers.advance_to(Duration::from_secs(7));
    let _ = poll_logged(2, Pin::new(&mut nap), "w1", show_unit);
}

fn spurious<S: Sleep>() {
    let timers = ScriptedTimers::default();
    log("sleep(3s), first polled at 0s");
    let mut nap = S::sleep(timers.clone(), Duration::from_secs(3));
    let _ = poll_logged(1, Pin::new(&mut nap), "w1", show_unit);
    timers.advance_to(Duration::from_secs(1));
    log("a spurious poll: nothing woke it");
    let _ = poll_logged(2, Pin::new(&mut nap), "w1", show_unit);
    timers.advance_to(Duration::from_secs(3));
    let _ = poll_logged(3, Pin::new(&mut nap), "w1", show_unit);
    drop(nap);
    log(format!(
        "dropped after it finished; timers armed: {}",
        timers.armed()
    ));
}

fn latest_waker<S: Sleep>() {
    let timers = ScriptedTimers::default();
    log("sleep(2s), polled with w1, then moved to a task whose waker is w2");
    let mut nap = S::sleep(timers.clone(), Duration::from_secs(2));
    let _ = poll_logged(1, Pin::new(&mut nap), "w1", show_unit);
    let _ = poll_logged(2, Pin::new(&mut nap), "w2", show_unit);
    timers.advance_to(Duration::from_secs(2));
    let _ = poll_logged(3, Pin::new(&mut nap), "w2", show_unit);
}

fn dropped<S: Sleep>() {
    let timers = ScriptedTimers::default();
    log("sleep(4s), polled at 0s");
    let mut nap = S::sleep(timers.clone(), Duration::from_secs(4));
    let _ = poll_logged(1, Pin::new(&mut nap), "w1", show_unit);
    timers.advance_to(Duration::from_secs(1));
    log("the sleep is dropped (its task was cancelled)");
    drop(nap);
    log(format!("timers armed: {}", timers.armed()));
    timers.advance_to(Duration::from_secs(4));
}

fn zero<S: Sleep>() {
    let timers = ScriptedTimers::default();
    log("sleep(0s), polled at 0s");
    let mut nap = pin!(S::sleep(timers.clone(), Duration::ZERO));
    let _ = poll_logged(1, nap.as_mut(), "w1", show_unit);
    log("the run loop's next turn fires the timers that are due");
    timers.advance_to(Duration::ZERO);
    let _ = poll_logged(2, nap.as_mut(), "w1", show_unit);
}

/// The grader for `exercises/src/ch12_timeout.rs`.
pub fn timeout<T: Timeout>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch12_timeout",
        chapter: 12,
        title: "Time",
        file: "exercises/src/ch12_timeout.rs",
        recipe: "in poll: take `self.future.as_mut()`; poll it first, and on Ready set future to \
               None and return Ready(Ok(output)). If it is Pending, poll the timer with \
               Pin::new(&mut self.timer).poll(cx); on Ready set future to None (that drop is \
               the cancellation) and return Ready(Err(Elapsed)). Otherwise Pending, without \
               waking anything yourself.",
        on_hang: "on the virtual clock, time moves only when no task can run. Does your timeout \
                  wake its own task, or wait in a loop?",
        scenarios: vec![
            s(
                "in_time",
                "timeout(5s) around a job of 2s: Ok at 2s",
                "A job that finishes before the time runs out gives `Ok` at the moment it finishes, on the virtual clock.",
                in_time::<T>,
            ),
            s(
                "too_late",
                "timeout(2s) around a job of 10s: the job is dropped at 2s, before timeout \
                 returns Err(Elapsed)",
                "When the time runs out, the inner future is dropped at once, before `timeout` returns: dropping is how Rust cancels (chapter 12, what gets dropped).",
                too_late::<T>,
            ),
            s(
                "tie",
                "timeout(2s) around a job of 2s: the job finished in time (poll it first)",
                "A job that finishes at the very moment the time runs out has finished in time. Which of the two futures do you look at first?",
                tie::<T>,
            ),
            s(
                "lazy",
                "a timeout created at 0s and first awaited at 5s starts the job and the clock at 5s",
                "Futures are lazy: the job and the timer start at the first poll of the `timeout`, not when it was created.",
                lazy_timeout::<T>,
            ),
        ],
    }
}

/// A job for the timeout scenarios: logs when it starts, finishes, or is dropped unfinished.
fn job(
    name: &'static str,
    nap: Duration,
    output: &'static str,
) -> impl Future<Output = &'static str> + Send {
    struct Unfinished(&'static str);
    impl Drop for Unfinished {
        fn drop(&mut self) {
            log(format!(
                "  {} dropped unfinished at {}",
                self.0,
                secs(tinyio::now())
            ));
        }
    }
    async move {
        log(format!("  {name} starts at {}", secs(tinyio::now())));
        let guard = Unfinished(name);
        tinyio::sleep(nap).await;
        std::mem::forget(guard);
        log(format!("  {name} finishes at {}", secs(tinyio::now())));
        output
    }
}

/// Stops the scenario if the learner's future is polled absurdly often: it wakes itself.
struct Bounded<F> {
    inner: Pin<Box<F>>,
    polls: u32,
}

impl<F: Future> Future for Bounded<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls += 1;
        if self.polls > 1000 {
            stop(
                "your Timeout was polled more than 1000 times: it wakes its own task instead of \
                 waiting for its timer, so the virtual clock never moves (time jumps only when \
                 no task can run). Return Pending and let the timer and the inner future wake \
                 the task.",
            );
        }
        self.inner.as_mut().poll(cx)
    }
}

fn bounded<F: Future>(future: F) -> Bounded<F> {
    Bounded {
        inner: Box::pin(future),
        polls: 0,
    }
}

fn show<T: std::fmt::Debug>(result: &Result<T, tinyio::Elapsed>) -> String {
    match result {
        Ok(v) => format!("Ok({v:?})"),
        Err(_) => "Err(Elapsed)".to_string(),
    }
}

fn virtual_run(main: impl Future<Output = ()>) {
    tinyio::Runtime::new().virtual_clock().run(main);
}

fn in_time<T: Timeout>() {
    virtual_run(async {
        log("main awaits timeout(5s, job of 2s) at 0s");
        let got = bounded(T::timeout(
            Duration::from_secs(5),
            job("job", Duration::from_secs(2), "done"),
        ))
        .await;
        log(format!(
            "timeout returned {} at {}",
            show(&got),
            secs(tinyio::now())
        ));
    });
}

fn too_late<T: Timeout>() {
    virtual_run(async {
        log("main awaits timeout(2s, job of 10s) at 0s, keeping the Timeout");
        let mut kept = bounded(T::timeout(
            Duration::from_secs(2),
            job("job", Duration::from_secs(10), "done"),
        ));
        let got = (&mut kept).await;
        log(format!(
            "timeout returned {} at {}",
            show(&got),
            secs(tinyio::now())
        ));
        tinyio::sleep(Duration::from_secs(1)).await;
        log(format!("main drops the Timeout at {}", secs(tinyio::now())));
        drop(kept);
        log("main ends");
    });
}

fn tie<T: Timeout>() {
    virtual_run(async {
        log("main awaits timeout(2s, job of 2s) at 0s");
        let got = bounded(T::timeout(
            Duration::from_secs(2),
            job("job", Duration::from_secs(2), "just in time"),
        ))
        .await;
        log(format!(
            "timeout returned {} at {}",
            show(&got),
            secs(tinyio::now())
        ));
    });
}

fn lazy_timeout<T: Timeout>() {
    virtual_run(async {
        log("main creates timeout(2s, job of 1s) at 0s, then sleeps 5s");
        let later = bounded(T::timeout(
            Duration::from_secs(2),
            job("job", Duration::from_secs(1), "done"),
        ));
        tinyio::sleep(Duration::from_secs(5)).await;
        log(format!("main awaits it at {}", secs(tinyio::now())));
        let got = later.await;
        log(format!(
            "timeout returned {} at {}",
            show(&got),
            secs(tinyio::now())
        ));
    });
}
