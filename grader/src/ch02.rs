//! Chapter 2, wakers: the flag future (register, then re-check) and the counting waker.
//!
//! The flag exercise has a seam that makes the lost wake-up reproducible without threads: the
//! future waits on any `Event`, and the grader's [`Script`] is an event that can fire *inside*
//! `register`, before the new waker is stored — exactly the moment a setter on another thread
//! could pick, but scripted, so it happens every time.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::task::Waker;
use std::time::Duration;

use crate::{Exercise, Scenario, log, named_waker, poll_logged};

/// The flag exercise, as the grader sees it.
pub trait Flag {
    /// The learner's `Flag`.
    type Flag: Send + Sync;
    /// `Flag::new()`.
    fn new_flag() -> Self::Flag;
    /// `flag.set()`.
    fn set(flag: &Self::Flag);
    /// `Event::is_set(&flag)`.
    fn is_set(flag: &Self::Flag) -> bool;
    /// `Event::register(&flag, waker)`.
    fn register(flag: &Self::Flag, waker: &Waker);
    /// `wait_for(&event)` on the grader's scripted event.
    fn wait_for_script(script: &Script) -> impl Future<Output = ()> + '_;
    /// `wait_for(&flag)`.
    fn wait_for_flag(flag: &Self::Flag) -> impl Future<Output = ()> + '_;
}

/// The counting-waker exercise, as the grader sees it.
pub trait Counting {
    /// `counting_waker()`, with the counter turned into a function that reads it.
    fn counting_waker() -> (Waker, Box<dyn Fn() -> usize + Send + Sync>);
}

/// Implements [`Flag`] for `$ty` with the module `$m` (which has `Event`, `Flag`, `wait_for`).
#[macro_export]
macro_rules! bind_flag {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch02::Flag for $ty {
            type Flag = $($m)::+::Flag;
            fn new_flag() -> Self::Flag {
                $($m)::+::Flag::new()
            }
            fn set(flag: &Self::Flag) {
                flag.set()
            }
            fn is_set(flag: &Self::Flag) -> bool {
                $($m)::+::Event::is_set(flag)
            }
            fn register(flag: &Self::Flag, waker: &::std::task::Waker) {
                $($m)::+::Event::register(flag, waker)
            }
            fn wait_for_script(
                script: &$crate::ch02::Script,
            ) -> impl ::core::future::Future<Output = ()> + '_ {
                struct Scripted<'a>(&'a $crate::ch02::Script);
                impl $($m)::+::Event for Scripted<'_> {
                    fn is_set(&self) -> bool {
                        self.0.is_set()
                    }
                    fn register(&self, waker: &::std::task::Waker) {
                        self.0.register(waker)
                    }
                }
                async move {
                    let event = Scripted(script);
                    $($m)::+::wait_for(&event).await
                }
            }
            fn wait_for_flag(flag: &Self::Flag) -> impl ::core::future::Future<Output = ()> + '_ {
                $($m)::+::wait_for(flag)
            }
        }
    };
}

/// Implements [`Counting`] for `$ty` with the module `$m` (which has `counting_waker`).
#[macro_export]
macro_rules! bind_counting {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch02::Counting for $ty {
            fn counting_waker() -> (
                ::std::task::Waker,
                ::std::boxed::Box<dyn Fn() -> usize + Send + Sync>,
            ) {
                let (waker, counter) = $($m)::+::counting_waker();
                (waker, ::std::boxed::Box::new(move || counter.count()))
            }
        }
    };
}

/// The grader's event: set by the scenario, remembering the latest registered waker, and able
/// to fire at the worst moment: inside `register`, before the new waker is stored.
pub struct Script {
    set: AtomicBool,
    waker: Mutex<Option<Waker>>,
    fire_in_register: AtomicBool,
}

impl Script {
    fn new(fire_in_register: bool) -> Script {
        Script {
            set: AtomicBool::new(false),
            waker: Mutex::new(None),
            fire_in_register: AtomicBool::new(fire_in_register),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Waker>> {
        self.waker.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the event has fired.
    pub fn is_set(&self) -> bool {
        self.set.load(Ordering::SeqCst)
    }

    /// Stores `waker` as the one to wake (keeping only the latest). In the `race` scenario the
    /// event fires first, before the waker is stored.
    pub fn register(&self, waker: &Waker) {
        if self.fire_in_register.swap(false, Ordering::SeqCst) {
            log("  (event fires inside register)");
            self.fire();
        }
        let mut slot = self.slot();
        if !slot.as_ref().is_some_and(|w| w.will_wake(waker)) {
            *slot = Some(waker.clone());
        }
    }

    /// Fires the event: sets it, then wakes the stored waker, if any.
    pub fn fire(&self) {
        self.set.store(true, Ordering::SeqCst);
        let waker = self.slot().take();
        match waker {
            Some(waker) => waker.wake(),
            None => log("  no waker stored: nobody to wake"),
        }
    }
}

/// The grader for `exercises/src/ch02_flag.rs`.
pub fn flag<F: Flag>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch02_flag",
        chapter: 2,
        title: "Wakers",
        file: "exercises/src/ch02_flag.rs",
        recipe: "WaitFor::poll: if the event is set, Ready; otherwise register cx.waker(), then \
               check again (it may have fired in between) and only then return Pending. \
               Register on every Pending poll: the waker may change. Flag::register replaces \
               the stored waker (unless will_wake says it is the same); Flag::set stores true, \
               then takes the waker out and wakes it.",
        on_hang: "a wake-up was lost, or a poll never returns.",
        scenarios: vec![
            s(
                "already_set",
                "an event that fired before the first poll is Ready at once",
                "An event that happened before the first poll needs no waker: the first look \
                 decides. Chapter 2, \"A door to wait for\".",
                already_set::<F>,
            ),
            s(
                "set_later",
                "Pending, then the event fires and wakes the registered waker, then Ready",
                "A Pending poll must leave its waker where the event will find it, or nothing \
                 ever polls the future again. Chapter 2, \"Context and Waker\".",
                set_later::<F>,
            ),
            s(
                "race",
                "the event fires inside register: the check after it sees it",
                "Waker rule 2, register, then check again: here the event fires inside your \
                 register, before your waker is stored, so only a look after registering can see \
                 it.",
                race::<F>,
            ),
            s(
                "spurious",
                "a poll without the event (a spurious wake-up) is Pending again, and still woken \
                 later",
                "Waker rule 3, spurious wake-ups are legal: being polled says nothing about the \
                 event. Decide from the event itself on every poll, and stay registered while it \
                 has not fired.",
                spurious::<F>,
            ),
            s(
                "latest_waker",
                "polled with w1, then with w2: the event wakes w2, the latest",
                "Waker rule 1, keep the latest waker: every Pending poll must leave the waker of \
                 that poll with the event, not only the first poll.",
                latest_waker::<F>,
            ),
            s(
                "flag_latest",
                "Flag keeps only the latest registered waker and wakes it on set",
                "Your Flag's register replaces the waker it held: only the latest one registered \
                 is woken (waker rule 1).",
                flag_latest::<F>,
            ),
            s(
                "flag_set_twice",
                "Flag::set wakes once; setting it again is harmless",
                "set must work with no waker registered, and must not wake the same waker twice: \
                 the task says what set does with the waker it finds.",
                flag_set_twice::<F>,
            ),
            s(
                "flag_wait",
                "wait_for(&flag): Pending, set wakes it, then Ready",
                "Your WaitFor on your own Flag: both halves together, as in set_later.",
                flag_wait::<F>,
            ),
            s(
                "flag_thread",
                "tinyio::block_on(wait_for(&flag)) returns when another thread sets the flag",
                "The flag is set by another thread while this one sleeps in tinyio::block_on: the \
                 store must be visible there, and the wake-up must reach the sleeping thread. \
                 Chapter 2, \"Atomics in one page\".",
                flag_thread::<F>,
            ),
        ],
    }
}

fn show_unit(_: &()) -> String {
    "()".to_string()
}

fn already_set<F: Flag>() {
    let script = Script::new(false);
    log("the event fires");
    script.fire();
    let mut fut = pin!(F::wait_for_script(&script));
    let _ = poll_logged(1, fut.as_mut(), "w1", show_unit);
}

fn set_later<F: Flag>() {
    let script = Script::new(false);
    let mut fut = pin!(F::wait_for_script(&script));
    let _ = poll_logged(1, fut.as_mut(), "w1", show_unit);
    log("the event fires");
    script.fire();
    let _ = poll_logged(2, fut.as_mut(), "w1", show_unit);
}

fn race<F: Flag>() {
    let script = Script::new(true);
    let mut fut = pin!(F::wait_for_script(&script));
    if poll_logged(1, fut.as_mut(), "w1", show_unit).is_pending() {
        log("w1 was never stored: nobody will wake it");
    }
}

fn spurious<F: Flag>() {
    let script = Script::new(false);
    let mut fut = pin!(F::wait_for_script(&script));
    let _ = poll_logged(1, fut.as_mut(), "w1", show_unit);
    log("a spurious wake-up: polled again, the event has not fired");
    let _ = poll_logged(2, fut.as_mut(), "w1", show_unit);
    log("the event fires");
    script.fire();
    let _ = poll_logged(3, fut.as_mut(), "w1", show_unit);
}

fn latest_waker<F: Flag>() {
    let script = Script::new(false);
    let mut fut = pin!(F::wait_for_script(&script));
    let _ = poll_logged(1, fut.as_mut(), "w1", show_unit);
    let _ = poll_logged(2, fut.as_mut(), "w2", show_unit);
    log("the event fires");
    script.fire();
    let _ = poll_logged(3, fut.as_mut(), "w2", show_unit);
}

fn flag_latest<F: Flag>() {
    let flag = F::new_flag();
    log(format!("is_set: {}", F::is_set(&flag)));
    log("register w1, then w2");
    F::register(&flag, &named_waker("w1"));
    F::register(&flag, &named_waker("w2"));
    log("set");
    F::set(&flag);
    log(format!("is_set: {}", F::is_set(&flag)));
}

fn flag_set_twice<F: Flag>() {
    let flag = F::new_flag();
    log("set, with no waker registered");
    F::set(&flag);
    log("register w1");
    F::register(&flag, &named_waker("w1"));
    log("set again");
    F::set(&flag);
    log("set a third time");
    F::set(&flag);
    log(format!("is_set: {}", F::is_set(&flag)));
}

fn flag_wait<F: Flag>() {
    let flag = F::new_flag();
    let mut fut = pin!(F::wait_for_flag(&flag));
    let _ = poll_logged(1, fut.as_mut(), "w1", show_unit);
    log("set");
    F::set(&flag);
    let _ = poll_logged(2, fut.as_mut(), "w1", show_unit);
}

fn flag_thread<F: Flag>() {
    let flag = F::new_flag();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(20));
            F::set(&flag);
        });
        tinyio::block_on(F::wait_for_flag(&flag));
        log("block_on returned after the other thread set the flag");
    });
}

/// The grader for `exercises/src/ch02_counting.rs`.
pub fn counting<K: Counting>() -> Exercise {
    Exercise {
        id: "ch02_counting",
        chapter: 2,
        title: "Wakers",
        file: "exercises/src/ch02_counting.rs",
        recipe: "wake_by_ref adds 1 to the counter (fetch_add). counting_waker creates ONE \
               Arc<WakeCounter>, turns a clone of it into a Waker with futures_task::waker, and \
               returns both: the waker and the counter must share the same Arc.",
        on_hang: "does wake_by_ref wait for something?",
        scenarios: vec![
            Scenario {
                name: "counts",
                checks: "every kind of wake-up counts once; clones and drops do not count",
                hint: "Only wake and wake_by_ref are wake-ups; clone and drop are not. The waker \
                       you return and the counter you return must count in the same place. \
                       Chapter 2, \"Context and Waker\".",
                run: counts::<K>,
            },
            Scenario {
                name: "threads",
                checks: "4 threads waking 250 times each count 1000",
                hint: "Four threads wake at once: each wake-up must be counted by one atomic \
                       read-modify-write, not a load and then a store, or wake-ups get lost. \
                       Chapter 2, \"Atomics in one page\".",
                run: threads::<K>,
            },
        ],
    }
}

fn counts<K: Counting>() {
    let (waker, count) = K::counting_waker();
    log(format!("new: {}", count()));
    waker.wake_by_ref();
    log(format!("after wake_by_ref: {}", count()));
    let clone = waker.clone();
    log(format!("after clone: {}", count()));
    clone.wake_by_ref();
    log(format!("after clone.wake_by_ref: {}", count()));
    clone.wake();
    log(format!(
        "after clone.wake (consumes the clone): {}",
        count()
    ));
    drop(waker.clone());
    log(format!("after dropping another clone: {}", count()));
    waker.wake();
    log(format!("after waker.wake: {}", count()));
}

fn threads<K: Counting>() {
    let (waker, count) = K::counting_waker();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let waker = waker.clone();
            scope.spawn(move || {
                for _ in 0..250 {
                    waker.wake_by_ref();
                }
            });
        }
    });
    log(format!("after 4 x 250 wake-ups on 4 threads: {}", count()));
}
