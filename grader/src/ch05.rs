//! Chapter 5, `gather` and `try_gather`: concurrency inside one task.
//!
//! The scenarios run the learner's gather inside `tinyio::run`, so only what chapter 5 adds is
//! graded. Children log when they start and finish; the order of those lines is fixed by the
//! task (first poll in input order, then only woken children, each finishing in its own turn).
//! Poll counts are checked as a bound, after `run` returned.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use tinyio::yield_now;

use crate::{Exercise, Scenario, log, poll_logged, stop};

/// The `gather` exercise, as the grader sees it.
pub trait Gather {
    /// `gather(futures)`.
    fn gather<F: Future>(futures: Vec<F>) -> impl Future<Output = Vec<F::Output>>;
}

/// The `try_gather` exercise, as the grader sees it.
pub trait TryGather {
    /// `try_gather(futures)`.
    fn try_gather<F, T, E>(futures: Vec<F>) -> impl Future<Output = Result<Vec<T>, E>>
    where
        F: Future<Output = Result<T, E>>;
}

/// Implements [`Gather`] for `$ty` with the module `$m` (which has `gather`).
#[macro_export]
macro_rules! bind_gather {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch05::Gather for $ty {
            fn gather<F: ::core::future::Future>(
                futures: ::std::vec::Vec<F>,
            ) -> impl ::core::future::Future<Output = ::std::vec::Vec<F::Output>> {
                $($m)::+::gather(futures)
            }
        }
    };
}

/// Implements [`TryGather`] for `$ty` with the module `$m` (which has `try_gather`).
#[macro_export]
macro_rules! bind_try_gather {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch05::TryGather for $ty {
            fn try_gather<F, T, E>(
                futures: ::std::vec::Vec<F>,
            ) -> impl ::core::future::Future<Output = ::core::result::Result<::std::vec::Vec<T>, E>>
            where
                F: ::core::future::Future<Output = ::core::result::Result<T, E>>,
            {
                $($m)::+::try_gather(futures)
            }
        }
    };
}

/// The grader for `exercises/src/ch05_gather.rs`.
pub fn gather<G: Gather>() -> Exercise {
    Exercise {
        id: "ch05_gather",
        chapter: 5,
        title: "gather",
        file: "exercises/src/ch05_gather.rs",
        recipe: "keep each output in its child's place (`Child::Done`) and collect them in input \
               order at the end. Give every child its own waker (a `ChildWaker` with its index) \
               that pushes the index onto `woken.indices` and wakes the parent; each later poll \
               takes that list (`mem::take`) and polls only those children.",
        on_hang: "your gather never finished. Does every child get its own waker, and does that \
                  waker wake the gather's task (the `parent` waker stored at each poll)? Take the \
                  woken list before polling the batch, so a child that wakes itself during its \
                  poll is not forgotten.",
        scenarios: vec![
            Scenario {
                name: "input_order",
                checks: "four children that finish in reverse order: started in input order, \
                         results in input order",
                hint: "Outputs come back in input order whatever order the children finish in, \
                       and the first poll starts every child in input order. Chapter 5, \"One \
                       waker per child\".",
                run: input_order::<G>,
            },
            Scenario {
                name: "empty",
                checks: "a gather of no futures is Ready at its first poll",
                hint: "A gather of no futures has nothing to wait for: it is Ready at its first \
                       poll (a Pending here would have nobody to wake it).",
                run: empty::<G>,
            },
            Scenario {
                name: "only_woken",
                checks: "1000 children woken one at a time: results in input order, and each wake \
                         polls only the child that was woken (a few polls per child)",
                hint: "Each wake-up must lead to a poll of the woken child only, so the gather \
                       must learn which child was woken: that is what each child's own waker is \
                       for. Chapter 5, \"Counting polls\".",
                run: only_woken::<G>,
            },
        ],
    }
}

/// The grader for `exercises/src/ch05_try_gather.rs`.
pub fn try_gather<T: TryGather>() -> Exercise {
    Exercise {
        id: "ch05_try_gather",
        chapter: 5,
        title: "gather",
        file: "exercises/src/ch05_try_gather.rs",
        recipe: "Catch keeps only the first error (`slot.get_or_insert(error)` or \
               `if slot.is_none()`). TryGather::poll polls the inner gather once, then checks \
               the slot before looking at the poll's result: an error means `self.inner = None` \
               (dropping the other children) and `Ready(Err(error))`, even if they are pending.",
        on_hang: "your try_gather never returned: does it wait for every child even after one \
                  failed? Return the error as soon as a child fails.",
        scenarios: vec![
            Scenario {
                name: "all_ok",
                checks: "three children that succeed in reverse order: Ok, values in input order",
                hint: "No child fails: Ok with the values in input order, as gather gives them.",
                run: all_ok::<T>,
            },
            Scenario {
                name: "first_error",
                checks: "a child fails while its siblings are pending: Err at once, the siblings \
                         are dropped before it returns (one of them would never finish)",
                hint: "The first Err by completion ends try_gather in that poll: the siblings are \
                       dropped before it returns (their destructors run), even one that would \
                       never finish. Chapter 5, \"try_gather\".",
                run: first_error::<T>,
            },
            Scenario {
                name: "same_turn",
                checks: "two children fail in the same poll: the first one polled (by completion) \
                         wins",
                hint: "Two children fail in the same poll of the gather: the first failure is the \
                       one returned; a later one must not replace it.",
                run: same_turn::<T>,
            },
        ],
    }
}

/// Writes `<name> dropped` when dropped.
struct DropLog(String);

impl Drop for DropLog {
    fn drop(&mut self) {
        log(format!("{} dropped", self.0));
    }
}

fn input_order<G: Gather>() {
    let out = tinyio::try_run(async {
        let children = (0..4u32).map(|i| async move {
            log(format!("child {i}: start"));
            for _ in 0..(4 - i) {
                yield_now().await;
            }
            log(format!("child {i}: done"));
            i * 10
        });
        G::gather(children.collect()).await
    });
    match out {
        Ok(values) => log(format!("gather returned {values:?}")),
        Err(_) => log("tinyio::run reported a deadlock: the gather was never woken"),
    }
}

fn empty<G: Gather>() {
    let mut gather = pin!(G::gather(Vec::<std::future::Ready<u32>>::new()));
    let _ = poll_logged(1, gather.as_mut(), "w1", |v| format!("{v:?}"));
}

/// One gate per child; the opener opens them, one per turn.
type Gates = Arc<Mutex<Vec<(bool, Option<Waker>)>>>;

fn only_woken<G: Gather>() {
    const N: usize = 1000;
    let gates: Gates = Arc::new(Mutex::new(vec![(false, None); N]));
    let polls = Arc::new(AtomicU64::new(0));
    let (g, p) = (gates.clone(), polls.clone());
    let out = tinyio::try_run(async move {
        let opener_gates = g.clone();
        let _opener = tinyio::spawn(async move {
            for index in (0..N).rev() {
                let waker = {
                    let mut gates = opener_gates.lock().unwrap();
                    gates[index].0 = true;
                    gates[index].1.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
                yield_now().await;
            }
        });
        let children = (0..N).map(|index| {
            let (g, p) = (g.clone(), p.clone());
            poll_fn(move |cx| {
                p.fetch_add(1, Ordering::Relaxed);
                let mut gates = g.lock().unwrap();
                if gates[index].0 {
                    return Poll::Ready(index);
                }
                gates[index].1 = Some(cx.waker().clone());
                Poll::Pending
            })
        });
        G::gather(children.collect()).await
    });
    let polls = polls.load(Ordering::Relaxed);
    if polls > 3 * N as u64 {
        stop(&format!(
            "your gather polled its {N} children {polls} times for {N} wake-ups of one child \
             each: it polls every child on every wake-up. Give each child its own waker, and \
             poll only the children whose waker was woken."
        ));
    }
    match out {
        Ok(values) if values.iter().copied().eq(0..N) => log(format!(
            "gather returned {N} results in input order (the children finished in reverse)"
        )),
        Ok(values) => log(format!(
            "gather returned results out of input order: {:?} ...",
            &values[..values.len().min(5)]
        )),
        Err(_) => log("tinyio::run reported a deadlock: the gather was never woken"),
    }
}

/// A child that logs its start, yields `yields` times, then returns `result`.
async fn child(
    name: &'static str,
    yields: u32,
    result: Result<u32, String>,
) -> Result<u32, String> {
    log(format!("{name}: start"));
    for _ in 0..yields {
        yield_now().await;
    }
    log(format!("{name}: returns {result:?}"));
    result
}

/// A child that logs its start, then waits forever; logs when dropped.
async fn forever(name: &'static str) -> Result<u32, String> {
    let _guard = DropLog(name.to_string());
    log(format!("{name}: start, waits forever"));
    poll_fn(|_| Poll::Pending).await
}

/// A boxed child of the `try_gather` scenarios.
type TryChild = std::pin::Pin<Box<dyn Future<Output = Result<u32, String>> + Send>>;

/// Runs a `try_gather` of boxed children on tinyio and logs its result.
fn run_try<T: TryGather>(children: Vec<TryChild>) {
    let out = tinyio::try_run(T::try_gather(children));
    match out {
        Ok(Ok(values)) => log(format!("try_gather returned Ok({values:?})")),
        Ok(Err(error)) => log(format!("try_gather returned Err({error:?})")),
        Err(_) => log("tinyio::run reported a deadlock: try_gather never returned"),
    }
}

fn all_ok<T: TryGather>() {
    run_try::<T>(vec![
        Box::pin(child("c0", 3, Ok(1))),
        Box::pin(child("c1", 2, Ok(2))),
        Box::pin(child("c2", 1, Ok(3))),
    ]);
}

fn first_error<T: TryGather>() {
    run_try::<T>(vec![
        Box::pin(forever("c0")),
        Box::pin(child("c1", 1, Err(String::from("c1 failed")))),
        Box::pin(async {
            let _guard = DropLog(String::from("c2"));
            child("c2", 3, Err(String::from("c2 failed"))).await
        }),
        Box::pin(forever("c3")),
    ]);
}

fn same_turn<T: TryGather>() {
    run_try::<T>(vec![
        Box::pin(child("c0", 0, Err(String::from("c0 failed")))),
        Box::pin(child("c1", 0, Err(String::from("c1 failed")))),
        Box::pin(forever("c2")),
    ]);
}
