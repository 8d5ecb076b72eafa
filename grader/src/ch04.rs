//! Chapter 4, a run-queue executor: `run`, `spawn` and `JoinHandle`.
//!
//! The scenarios are small programs whose tasks log what they do. FIFO fixes the order of those
//! lines, so every correct executor writes the same trace. Poll counts are checked only as a
//! bound (a task woken twice before its turn runs once), after `run` returned: a `stop` inside a
//! task would be caught by the executor's own `catch_unwind`.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use tinyio::yield_now;

use crate::{Exercise, Scenario, log, stop};

/// A spawned task's result as the grader sees it: the output, or the panic message.
pub type Joined<T> = Pin<Box<dyn Future<Output = Result<T, String>> + Send>>;

/// The executor exercise, as the grader sees it.
pub trait Executor {
    /// `run(future)`: `Some(output)`, or `None` for `Err(Deadlock)`.
    fn run<F>(future: F) -> Option<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;
    /// `spawn(future)`, called at once; awaiting the result awaits the `JoinHandle`.
    fn spawn<F>(future: F) -> Joined<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;
}

/// Implements [`Executor`] for `$ty` with the module `$m` (which has `run`, `spawn`,
/// `JoinHandle` and `JoinError { panic }`).
#[macro_export]
macro_rules! bind_executor {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch04::Executor for $ty {
            fn run<F>(future: F) -> ::core::option::Option<F::Output>
            where
                F: ::core::future::Future + Send + 'static,
                F::Output: Send + 'static,
            {
                $($m)::+::run(future).ok()
            }
            fn spawn<F>(future: F) -> $crate::ch04::Joined<F::Output>
            where
                F: ::core::future::Future + Send + 'static,
                F::Output: Send + 'static,
            {
                let handle = $($m)::+::spawn(future); // spawned now, not when first awaited
                ::std::boxed::Box::pin(async move {
                    handle.await.map_err(|error| error.panic)
                })
            }
        }
    };
}

/// The grader for `exercises/src/ch04_executor.rs`.
pub fn executor<E: Executor>() -> Exercise {
    Exercise {
        id: "ch04_executor",
        chapter: 4,
        title: "Tasks on a run queue",
        file: "exercises/src/ch04_executor.rs",
        recipe: "the run queue is a crossbeam channel used as a FIFO: spawn and wake-ups `send` to \
               the back, the loop `try_recv`s from the front. A wake-up pushes the task only if \
               `queued.swap(true)` was false; `Runnable::run` clears `queued` before polling. \
               Wrap the poll in `catch_unwind(AssertUnwindSafe(..))`. When `try_recv` finds \
               nothing while the main task has no result, return Err(Deadlock).",
        on_hang: "your executor never returned. If the main future waits for something that \
                  nothing can wake, the run queue is empty: return Err(Deadlock) then, instead of \
                  waiting or spinning. Also check that a task woken during its own poll (a \
                  yield) is queued again: clear `queued` before the poll, not after.",
        scenarios: vec![
            Scenario {
                name: "order",
                checks: "three tasks that yield twice each run round-robin, in spawn order (FIFO), \
                         and only once main suspends",
                hint: "FIFO, and spawn does not poll: a new task waits at the back of the run queue \
                       until its spawner suspends. A task that yields wakes itself during its own \
                       poll, and that wake-up must put it at the back again. Chapter 4, \
                       \"Spawning does not poll\" and \"The queued flag\".",
                run: order::<E>,
            },
            Scenario {
                name: "join",
                checks: "join results: a handle awaited after its task finished, and a task that \
                         spawns and awaits its own child",
                hint: "A handle awaited after its task finished finds the result at once; one \
                       awaited before leaves its waker for the task to wake when it finishes. The \
                       JoinHandle is chapter 2's flag with a value in it (chapter 4, \"Stage \
                       3\").",
                run: join::<E>,
            },
            Scenario {
                name: "panic",
                checks: "a task that panics gives Err with the panic message to its handle; the \
                         other tasks and run go on",
                hint: "A panic ends one task, not the run: it becomes that task's Err(JoinError) \
                       with the message, the task is never polled again, and the other tasks go \
                       on. Chapter 4, \"A panic is contained\".",
                run: panic::<E>,
            },
            Scenario {
                name: "woken_twice",
                checks: "a task woken twice before its turn is in the queue once, so it is polled \
                         once",
                hint: "A task is in the run queue at most once: two wake-ups before its turn give \
                       one poll, and a wake-up during its own poll still counts. Chapter 4, the \
                       flaws of Stage 2 and the queued flag of Stage 3.",
                run: woken_twice::<E>,
            },
            Scenario {
                name: "deadlock",
                checks: "main pending with nothing runnable: run returns Err(Deadlock) at once; a \
                         task still pending when main finishes is no deadlock",
                hint: "When the main future is pending and the run queue is empty, nothing can \
                       ever run again: say so with Err(Deadlock) instead of waiting. A task still \
                       pending when main finishes is not a deadlock. Chapter 4, \"No hang\".",
                run: deadlock::<E>,
            },
        ],
    }
}

/// Shows a join result.
fn show<T: std::fmt::Display>(result: Result<T, String>) -> String {
    match result {
        Ok(value) => format!("returned {value}"),
        Err(message) => format!("panicked: {message}"),
    }
}

/// A task body: `steps` steps with a yield between them, each logged.
async fn worker(name: &'static str, steps: u32) -> String {
    for step in 1..=steps {
        log(format!("{name}: step {step}"));
        if step < steps {
            yield_now().await;
        }
    }
    format!("'{name} finished'")
}

fn order<E: Executor>() {
    let out = E::run(async {
        let a = E::spawn(worker("a", 3));
        let b = E::spawn(worker("b", 3));
        let c = E::spawn(worker("c", 3));
        log("main: spawned a, b, c; now awaiting a");
        let a = a.await;
        log(format!("main: a {}", show(a)));
        log(format!("main: b {}", show(b.await)));
        log(format!("main: c {}", show(c.await)));
        "main done"
    });
    log(format!("run returned {}", out.unwrap_or("Err(Deadlock)")));
}

fn join<E: Executor>() {
    let out = E::run(async {
        let quick = E::spawn(async { 1 });
        yield_now().await;
        log("main: yielded once (quick has finished by now)");
        log(format!("main: quick {}", show(quick.await)));
        let parent = E::spawn(async {
            let child = E::spawn(async {
                yield_now().await;
                String::from("hello")
            });
            log("parent: spawned child, awaiting it");
            let got = child.await.unwrap_or_else(|message| message);
            log(format!("parent: child returned {got}"));
            format!("'{got}, from parent'")
        });
        log(format!("main: parent {}", show(parent.await)));
    });
    log(match out {
        Some(()) => "run returned",
        None => "run returned Err(Deadlock)",
    });
}

fn panic<E: Executor>() {
    let out = E::run(async {
        let bad = E::spawn(async {
            log("bad: step 1");
            yield_now().await;
            log("bad: about to panic");
            if true {
                panic!("out of coffee");
            }
            0
        });
        let good = E::spawn(async {
            log("good: step 1");
            yield_now().await;
            log("good: step 2");
            yield_now().await;
            log("good: step 3");
            2
        });
        log(format!("main: bad {}", show(bad.await)));
        log(format!("main: good {}", show(good.await)));
    });
    log(match out {
        Some(()) => "run returned",
        None => "run returned Err(Deadlock)",
    });
}

/// A task's wait: it stays pending until `open`, keeping its latest waker; counts its polls.
#[derive(Default)]
struct Gate {
    open: bool,
    waker: Option<Waker>,
}

fn woken_twice<E: Executor>() {
    let gate = Arc::new(Mutex::new(Gate::default()));
    let polls = Arc::new(AtomicU32::new(0));
    let after_wakes = Arc::new(AtomicU32::new(0));
    let (g, p, after) = (gate.clone(), polls.clone(), after_wakes.clone());
    let out = E::run(async move {
        let (g2, p2) = (g.clone(), p.clone());
        let a = E::spawn(async move {
            poll_fn(|cx| {
                p2.fetch_add(1, Ordering::SeqCst);
                let mut gate = g2.lock().unwrap();
                if gate.open {
                    return Poll::Ready("released");
                }
                gate.waker = Some(cx.waker().clone());
                Poll::Pending
            })
            .await
        });
        yield_now().await;
        log("main: a waits on a gate; main wakes a's waker twice, then yields");
        let waker = g.lock().unwrap().waker.clone();
        if let Some(waker) = waker {
            waker.wake_by_ref();
            waker.wake_by_ref();
        }
        yield_now().await;
        after.store(p.load(Ordering::SeqCst), Ordering::SeqCst);
        log("main: resumed; opens the gate and wakes a");
        let waker = {
            let mut gate = g.lock().unwrap();
            gate.open = true;
            gate.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        log(format!("main: a {}", show(a.await)));
    });
    let polled = after_wakes.load(Ordering::SeqCst);
    if polled > 2 {
        stop(&format!(
            "task a was woken twice before its turn, then polled {} times in a row: a task must \
             be in the run queue at most once, so two wake-ups before its turn give one poll. \
             Push it only when `queued` was false.",
            polled - 1
        ));
    }
    log(match out {
        Some(()) => "run returned",
        None => "run returned Err(Deadlock)",
    });
}

fn deadlock<E: Executor>() {
    let kept: Arc<Mutex<Option<Waker>>> = Arc::default();
    let k = kept.clone();
    let out = E::run(async move {
        let stuck = E::spawn(async move {
            log("stuck: waits on a gate nobody will open");
            poll_fn(|cx| {
                *k.lock().unwrap() = Some(cx.waker().clone());
                Poll::<u32>::Pending
            })
            .await
        });
        log("main: awaits stuck");
        let result = stuck.await;
        log(format!("main: stuck {}", show(result)));
    });
    log(match out {
        Some(()) => "run returned (it should have reported a deadlock)",
        None => "run returned Err(Deadlock)",
    });
    let out = E::run(async {
        let _forever = E::spawn(poll_fn(|_| Poll::<()>::Pending));
        yield_now().await;
        log("main: a task is still pending; main returns");
        "main done"
    });
    log(format!(
        "second run returned {}",
        out.unwrap_or("Err(Deadlock)")
    ));
}
