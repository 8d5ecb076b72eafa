//! Chapter 1, futures by hand: the countdown and the hand-written `async fn`.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use crate::{Exercise, Scenario, WAKERS, catch, log, named_waker, poll_logged};

/// The countdown exercise, as the grader sees it.
pub trait Countdown {
    /// `Countdown::new(n)`: `Pending` `n` times, waking itself each time, then `Ready(())`.
    fn countdown(n: u32) -> impl Future<Output = ()>;
}

/// The hand-written `async fn` exercise, as the grader sees it.
pub trait Hello {
    /// `Hello::new(say)`: says `hello`, yields once, says `world`, returns 42.
    fn hello(say: fn(&str)) -> impl Future<Output = u32>;
}

/// Implements [`Countdown`] for `$ty` with the module `$m` (which has `Countdown::new`).
#[macro_export]
macro_rules! bind_countdown {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch01::Countdown for $ty {
            fn countdown(n: u32) -> impl ::core::future::Future<Output = ()> {
                $($m)::+::Countdown::new(n)
            }
        }
    };
}

/// Implements [`Hello`] for `$ty` with the module `$m` (which has `Hello::new`).
#[macro_export]
macro_rules! bind_hello {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch01::Hello for $ty {
            fn hello(say: fn(&str)) -> impl ::core::future::Future<Output = u32> {
                $($m)::+::Hello::new(say)
            }
        }
    };
}

/// Wake-ups seen by the countdown scenarios' wakers.
static WAKES: AtomicUsize = AtomicUsize::new(0);

/// The grader for `exercises/src/ch01_countdown.rs`.
pub fn countdown<C: Countdown>() -> Exercise {
    Exercise {
        id: "ch01_countdown",
        chapter: 1,
        title: "Futures by hand",
        file: "exercises/src/ch01_countdown.rs",
        recipe: "keep the number left in the struct. In poll: if it is 0 return Poll::Ready(()); \
               otherwise take one off, call cx.waker().wake_by_ref() (so the executor polls \
               again) and return Poll::Pending.",
        on_hang: "a poll that never returns? Look for a loop inside poll.",
        scenarios: vec![
            Scenario {
                name: "zero",
                checks: "Countdown::new(0) is Ready on its first poll",
                hint: "Countdown::new(0) has nothing left to count, so its first poll is already \
                       the poll after the last Pending. Chapter 1, \"The Future trait in one \
                       page\": Ready means done.",
                run: countdown_zero::<C>,
            },
            Scenario {
                name: "three",
                checks: "Countdown::new(3) is Pending 3 times, waking the waker of each poll, \
                         then Ready",
                hint: "Every Pending comes with a promise: the waker of that poll will be woken \
                       when polling again is worth it. A countdown waits for nothing, so nothing \
                       else will ever keep that promise for it. Chapter 1, the last point of \
                       \"The Future trait in one page\".",
                run: countdown_three::<C>,
            },
            Scenario {
                name: "block_on",
                checks: "tinyio::block_on runs Countdown::new(5) to the end",
                hint: "A real executor polls again only after a wake-up: a Pending poll that does \
                       not wake its waker leaves tinyio::block_on with nothing to wait for \
                       (chapter 3, \"When nobody wakes it\").",
                run: countdown_block_on::<C>,
            },
        ],
    }
}

fn countdown_zero<C: Countdown>() {
    let mut fut = pin!(C::countdown(0));
    let _ = poll_logged(1, fut.as_mut(), "w1", |()| "()".into());
}

fn countdown_three<C: Countdown>() {
    let mut fut = pin!(C::countdown(3));
    for (k, name) in (1..).zip(WAKERS.iter().take(6)) {
        let before = WAKES.load(Ordering::SeqCst);
        let waker = counted(name);
        log(format!("poll {k} with {name}"));
        match fut.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Ready(()) => {
                log("  = Ready(())");
                return;
            }
            Poll::Pending => log("  = Pending"),
        }
        if WAKES.load(Ordering::SeqCst) == before {
            log(format!(
                "  ({name} was not woken: no executor would ever poll this future again)"
            ));
        }
    }
    log("gave up: still Pending after 6 polls");
}

/// A named waker that also counts its wake-ups in [`WAKES`].
fn counted(name: &'static str) -> std::task::Waker {
    struct Counted(std::task::Waker);
    impl futures_task::ArcWake for Counted {
        fn wake_by_ref(arc_self: &std::sync::Arc<Self>) {
            WAKES.fetch_add(1, Ordering::SeqCst);
            arc_self.0.wake_by_ref();
        }
    }
    futures_task::waker(std::sync::Arc::new(Counted(named_waker(name))))
}

fn countdown_block_on<C: Countdown>() {
    tinyio::block_on(C::countdown(5));
    log("block_on returned");
}

/// The `say` function the scenarios hand to `Hello::new`: it writes `say: <words>`.
pub fn say(words: &str) {
    log(format!("  say: {words}"));
}

/// The grader for `exercises/src/ch01_hello.rs`.
pub fn hello<H: Hello>() -> Exercise {
    Exercise {
        id: "ch01_hello",
        chapter: 1,
        title: "Futures by hand",
        file: "exercises/src/ch01_hello.rs",
        recipe: "one enum variant per place the async fn can be suspended (Start, Yielded, Done). \
               Hello::new only stores `say` and State::Start: nothing runs before the first poll. \
               In poll, match on the state, do that step's work and move to the next state.",
        on_hang: "a poll that never returns? Look for a loop inside poll.",
        scenarios: vec![
            Scenario {
                name: "lazy",
                checks: "creating and dropping the future runs none of its code",
                hint: "Futures are lazy: creating one runs none of the body, and dropping it \
                       unpolled says nothing. Chapter 1, \"Futures are lazy\".",
                run: hello_lazy::<H>,
            },
            Scenario {
                name: "steps",
                checks: "poll 1 says hello, wakes, is Pending; poll 2 says world, is Ready(42)",
                hint: "Each poll runs the body from where it stopped to the next .await that is \
                       not ready, or to the end, in the async fn's own order (the yield wakes \
                       before it is Pending). Chapter 1, \"What an async fn turns into\".",
                run: hello_steps::<H>,
            },
            Scenario {
                name: "after_ready",
                checks: "polling the future again after Ready panics",
                hint: "The compiler's futures panic when they are polled after Ready; a \
                       hand-written one must remember that it finished. Chapter 2, waker rule 4.",
                run: hello_after_ready::<H>,
            },
            Scenario {
                name: "block_on",
                checks: "tinyio::block_on runs the future to the end",
                hint: "tinyio::block_on polls again only after a wake-up, so the step that \
                       returns Pending must wake its waker, as the yield inside the async fn \
                       does.",
                run: hello_block_on::<H>,
            },
        ],
    }
}

fn hello_lazy<H: Hello>() {
    let fut = H::hello(say);
    log("created (not polled)");
    drop(fut);
    log("dropped");
}

fn hello_steps<H: Hello>() {
    let mut fut = pin!(H::hello(say));
    log("created");
    for (k, name) in (1..).zip(WAKERS.iter().take(4)) {
        if poll_logged(k, fut.as_mut(), name, u32::to_string).is_ready() {
            return;
        }
    }
    log("gave up: still Pending after 4 polls");
}

fn hello_after_ready<H: Hello>() {
    let mut fut = pin!(H::hello(say));
    let mut cx = Context::from_waker(std::task::Waker::noop());
    for _ in 0..4 {
        if fut.as_mut().poll(&mut cx).is_ready() {
            log("Ready");
            match catch(|| fut.as_mut().poll(&mut cx)) {
                Err(_) => log("polled again: panicked, as a finished future should"),
                Ok(Poll::Pending) => log("polled again: returned Pending instead of panicking"),
                Ok(Poll::Ready(v)) => log(format!(
                    "polled again: returned Ready({v}) instead of panicking"
                )),
            }
            return;
        }
    }
    log("gave up: still Pending after 4 polls");
}

fn hello_block_on<H: Hello>() {
    let answer = tinyio::block_on(H::hello(say));
    log(format!("block_on returned {answer}"));
}
