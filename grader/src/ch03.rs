//! Chapter 3, `block_on`: the smallest executor.
//!
//! The scenarios never log poll counts (an executor may poll spuriously); they check counts only
//! as bounds, to tell an executor that sleeps from one that spins.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::time::Duration;

use crate::{Exercise, Scenario, log, stop};

/// The `block_on` exercise, as the grader sees it.
pub trait BlockOn {
    /// Runs `future` to completion on the current thread.
    fn block_on<F: Future>(future: F) -> F::Output;
}

/// Implements [`BlockOn`] for `$ty` with the module `$m` (which has `block_on`).
#[macro_export]
macro_rules! bind_block_on {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch03::BlockOn for $ty {
            fn block_on<F: ::core::future::Future>(future: F) -> F::Output {
                $($m)::+::block_on(future)
            }
        }
    };
}

/// The grader for `exercises/src/ch03_block_on.rs`.
pub fn block_on<B: BlockOn>() -> Exercise {
    Exercise {
        id: "ch03_block_on",
        chapter: 3,
        title: "block_on",
        file: "exercises/src/ch03_block_on.rs",
        recipe: "build a Waker from an Arc<Signal> (futures_task::waker_ref) whose wake_by_ref sets \
               an AtomicBool and unparks the blocked thread. Loop: poll; on Ready return; on \
               Pending park until the flag is set, clearing it as you take it \
               (`while !woken.swap(false, ..) { park() }`).",
        on_hang: "your executor never returned: is a wake-up lost? A wake-up that arrives while \
                  the future is being polled must not be forgotten: remember it in a flag, and \
                  check the flag before you park.",
        scenarios: vec![
            Scenario {
                name: "ready",
                checks: "a future that is Ready at once: block_on returns its output",
                hint: "A future that is Ready at its first poll: block_on gives back its output \
                       at once, and never polls it again (chapter 2, waker rule 4).",
                run: ready::<B>,
            },
            Scenario {
                name: "self_wake",
                checks: "a future that wakes itself during poll is polled again (the wake-up \
                         arrives before you park)",
                hint: "The wake-up arrives during the poll, before your block_on decides to \
                       sleep: it must not be lost. Chapter 3, \"Why a flag, and when to clear \
                       it\".",
                run: self_wake::<B>,
            },
            Scenario {
                name: "many_wakes",
                checks: "three wake-ups during one poll: polled again, no hang",
                hint: "Three wake-ups before the thread sleeps are one reason to poll again, not \
                       three; each one comes through a clone of the waker, which must reach this \
                       thread. Chapter 3, \"Why a flag, and when to clear it\".",
                run: many_wakes::<B>,
            },
            Scenario {
                name: "other_thread",
                checks: "woken by another thread after 50 ms: block_on sleeps meanwhile (a \
                         handful of polls, not thousands)",
                hint: "The future waits 50 ms for another thread: block_on must sleep until the \
                       waker is woken, not poll in a loop. Chapter 3, \"The loop, and the sleep \
                       in it\".",
                run: other_thread::<B>,
            },
            Scenario {
                name: "stale_waker",
                checks: "waking a waker after block_on returned is harmless",
                hint: "A waker may be woken after its future finished (chapter 2, waker rule 4). \
                       That old wake-up can leave this thread's park token set when the next \
                       block_on starts: chapter 3 explains why park's return alone proves \
                       nothing.",
                run: stale_waker::<B>,
            },
            Scenario {
                name: "shared_token",
                checks: "a nested block_on's park takes the token your unpark left: the wake-up \
                         still counts",
                hint: "The park token belongs to the thread, not to your block_on: any other park \
                       on this thread can take it. Chapter 3, \"Why a flag, and when to clear \
                       it\".",
                run: shared_token::<B>,
            },
        ],
    }
}

/// Stops the scenario if a future was polled more than `limit` times: the executor spins.
fn bound(polls: u32, limit: u32, waiting_for: &str) {
    if polls > limit {
        stop(&format!(
            "block_on polled the future more than {limit} times while it waited for \
             {waiting_for}: it spins instead of sleeping. Park the thread until the waker is woken."
        ));
    }
}

fn ready<B: BlockOn>() {
    let mut done = false;
    let out = B::block_on(poll_fn(|_| {
        assert!(!done, "polled again after it returned Ready");
        done = true;
        Poll::Ready(String::from("hello"))
    }));
    log(format!("block_on returned {out:?}"));
}

fn self_wake<B: BlockOn>() {
    let mut wakes = 0;
    let mut polls = 0;
    let out = B::block_on(poll_fn(|cx| {
        polls += 1;
        bound(polls, 100, "its own wake-ups");
        if wakes == 3 {
            return Poll::Ready(wakes);
        }
        wakes += 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }));
    log(format!(
        "block_on returned: the future woke itself {out} times and was polled again each time"
    ));
}

fn many_wakes<B: BlockOn>() {
    let mut polls = 0;
    B::block_on(poll_fn(|cx| {
        polls += 1;
        bound(polls, 100, "three wake-ups");
        if polls > 1 {
            return Poll::Ready(());
        }
        // Three wake-ups, by value through clones, as a future handing its waker away would.
        for _ in 0..3 {
            #[allow(clippy::waker_clone_wake)]
            cx.waker().clone().wake();
        }
        Poll::Pending
    }));
    log("block_on returned after three wake-ups in one poll");
}

fn other_thread<B: BlockOn>() {
    let mut woken = woken_later(Duration::from_millis(50));
    let mut polls = 0;
    B::block_on(poll_fn(|cx| {
        polls += 1;
        bound(polls, 20, "another thread (50 ms)");
        woken.as_mut().poll(cx)
    }));
    log("block_on returned after the other thread woke it");
}

fn stale_waker<B: BlockOn>() {
    let kept: Mutex<Option<Waker>> = Mutex::new(None);
    let mut first = true;
    B::block_on(poll_fn(|cx| {
        *kept.lock().unwrap() = Some(cx.waker().clone());
        if first {
            first = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(())
    }));
    log("block_on returned; the future kept a clone of its waker");
    if let Some(waker) = kept.lock().unwrap().take() {
        waker.wake();
    }
    log("woke that clone: nothing happened, as it should");
    let out = B::block_on(async { 7 });
    log(format!(
        "a second block_on on the same thread returned {out}"
    ));
}

fn shared_token<B: BlockOn>() {
    let mut polls = 0;
    B::block_on(poll_fn(|cx| {
        polls += 1;
        bound(polls, 100, "its own wake-up");
        if polls > 1 {
            return Poll::Ready(());
        }
        log("wakes its waker, then runs a nested block_on");
        cx.waker().wake_by_ref();
        // tinyio's block_on parks this thread too: its first park takes the token that the
        // wake-up above left, and it sleeps until the other thread wakes it.
        tinyio::block_on(woken_later(Duration::from_millis(20)));
        log("nested block_on returned; Pending");
        Poll::Pending
    }));
    log("block_on returned: the wake-up was kept");
}

/// A future that is `Pending` once; another thread wakes it 20 ms later.
/// A future that is ready once another thread, started at its first poll, wakes it after
/// `delay`.
fn woken_later(delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    let done = Arc::new(AtomicBool::new(false));
    let mut started = false;
    Box::pin(poll_fn(move |cx| {
        if done.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        if !started {
            started = true;
            let (done, waker) = (done.clone(), cx.waker().clone());
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                done.store(true, Ordering::SeqCst);
                waker.wake();
            });
        }
        Poll::Pending
    }))
}
