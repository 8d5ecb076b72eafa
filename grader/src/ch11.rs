//! Chapter 11, asyncio's other primitives, built with the queue's patterns: `Event`, `Lock`,
//! `PriorityQueue`, `as_completed` and `Semaphore`.
//!
//! Most scenarios poll the learner's futures by hand, each with a waker named after its owner
//! (`A`, `B`, ...) that logs `  A woken`: the order of wake-ups and results is what the task
//! statements fix (FIFO, notify-not-hand-off, pass-on on drop), so every correct answer writes
//! the same trace. One scenario per exercise runs real tasks on tinyio.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::{Exercise, Scenario, log, named_waker};

/// Polls `future` once with the waker named `who`, and logs `who: Pending` or `who: <shown>`.
fn poll_as<F: Future + ?Sized>(
    who: &'static str,
    future: Pin<&mut F>,
    show: impl Fn(&F::Output) -> String,
) -> Poll<F::Output> {
    let waker = named_waker(who);
    let result = future.poll(&mut Context::from_waker(&waker));
    match &result {
        Poll::Ready(v) => log(format!("{who}: {}", show(v))),
        Poll::Pending => log(format!("{who}: Pending")),
    }
    result
}

/// A boxed future, so a scenario can drop it at the moment it chooses.
type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

fn ready(_: &()) -> String {
    "Ready".to_string()
}

// ---------------------------------------------------------------------------------------------
// Event

/// The `Event` exercise, as the grader sees it.
pub trait Event {
    /// The learner's `Event`.
    type Event: Sync;
    /// `Event::new()`.
    fn new_event() -> Self::Event;
    /// `event.is_set()`.
    fn is_set(event: &Self::Event) -> bool;
    /// `event.set()`.
    fn set(event: &Self::Event);
    /// `event.clear()`.
    fn clear(event: &Self::Event);
    /// `event.wait()`.
    fn wait(event: &Self::Event) -> impl Future<Output = ()> + '_;
}

/// Implements [`Event`] for `$ty` with the module `$m` (which has `Event`).
#[macro_export]
macro_rules! bind_event {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch11::Event for $ty {
            type Event = $($m)::+::Event;
            fn new_event() -> Self::Event {
                $($m)::+::Event::new()
            }
            fn is_set(event: &Self::Event) -> bool {
                event.is_set()
            }
            fn set(event: &Self::Event) {
                event.set()
            }
            fn clear(event: &Self::Event) {
                event.clear()
            }
            fn wait(event: &Self::Event) -> impl ::core::future::Future<Output = ()> + '_ {
                event.wait()
            }
        }
    };
}

/// The grader for `exercises/src/ch11_event.rs`.
pub fn event<E: Event>() -> Exercise {
    let s = |name, checks, run| Scenario { name, checks, run };
    Exercise {
        id: "ch11_event",
        chapter: 11,
        title: "asyncio's other primitives",
        file: "exercises/src/ch11_event.rs",
        hint: "set: under the lock, set = true and state.waiters.notify_all(&mut wakeups); \
               wake after unlocking. Wait::poll: with a key, return what poll_turn says (Ready \
               means released, whatever is_set says now); without one, Ready if set, else \
               key = Some(join_back(cx.waker())) and Pending. Drop: if let Some(key), cancel it.",
        on_hang: "does set or wait lock the event twice, or wake while holding the lock?",
        scenarios: vec![
            s(
                "already_set",
                "wait on an event that is set: Ready at the first poll",
                event_already_set::<E>,
            ),
            s(
                "set_wakes_all",
                "three waiters: set wakes all three, in the order they started to wait",
                event_set_wakes_all::<E>,
            ),
            s(
                "set_then_clear",
                "set then clear before the waiter runs: it is released anyway; a new wait waits",
                event_set_then_clear::<E>,
            ),
            s(
                "dropped_waiter",
                "a waiter dropped before set is not woken",
                event_dropped_waiter::<E>,
            ),
            s(
                "spurious",
                "a poll without set is Pending and keeps the latest waker",
                event_spurious::<E>,
            ),
            s(
                "tasks",
                "on tinyio: three tasks wait, main sets the event, all three go on",
                event_tasks::<E>,
            ),
        ],
    }
}

fn event_already_set<E: Event>() {
    let event = E::new_event();
    E::set(&event);
    log(format!("set; is_set: {}", E::is_set(&event)));
    let mut a = Box::pin(E::wait(&event));
    let _ = poll_as("A", a.as_mut(), ready);
}

fn event_set_wakes_all<E: Event>() {
    let event = E::new_event();
    let mut waits: Vec<(&'static str, Boxed<'_, ()>)> = ["A", "B", "C"]
        .into_iter()
        .map(|who| (who, Box::pin(E::wait(&event)) as Boxed<'_, ()>))
        .collect();
    for (who, wait) in &mut waits {
        let _ = poll_as(who, wait.as_mut(), ready);
    }
    log("set");
    E::set(&event);
    for (who, wait) in &mut waits {
        let _ = poll_as(who, wait.as_mut(), ready);
    }
    log("set again: nobody waits");
    E::set(&event);
}

fn event_set_then_clear<E: Event>() {
    let event = E::new_event();
    let mut a = Box::pin(E::wait(&event));
    let _ = poll_as("A", a.as_mut(), ready);
    log("set, then clear, before A runs");
    E::set(&event);
    E::clear(&event);
    log(format!("is_set: {}", E::is_set(&event)));
    let _ = poll_as("A", a.as_mut(), ready);
    let mut b = Box::pin(E::wait(&event));
    let _ = poll_as("B", b.as_mut(), ready);
}

fn event_dropped_waiter<E: Event>() {
    let event = E::new_event();
    let mut a = Box::pin(E::wait(&event));
    let mut b = Box::pin(E::wait(&event));
    let _ = poll_as("A", a.as_mut(), ready);
    let _ = poll_as("B", b.as_mut(), ready);
    log("A's wait is dropped");
    drop(a);
    log("set");
    E::set(&event);
    let _ = poll_as("B", b.as_mut(), ready);
}

fn event_spurious<E: Event>() {
    let event = E::new_event();
    let mut a = Box::pin(E::wait(&event));
    let _ = poll_as("A", a.as_mut(), ready);
    log("polled again, not set, with a new waker A2");
    let _ = poll_as("A2", a.as_mut(), ready);
    log("set");
    E::set(&event);
    let _ = poll_as("A2", a.as_mut(), ready);
}

fn event_tasks<E: Event>() {
    let event = E::new_event();
    tinyio::run(async {
        let waiter = |who: &'static str| {
            let event = &event;
            async move {
                log(format!("{who} waits"));
                E::wait(event).await;
                log(format!("{who} goes on"));
            }
        };
        let setter = async {
            tinyio::yield_now().await;
            log("main sets the event");
            E::set(&event);
        };
        tinyio::gather!(waiter("t1"), waiter("t2"), waiter("t3"), setter).await;
    });
    log("run returned");
}
