//! Chapter 2: the waker rules, each shown by a program that breaks when the rule is broken.
//!
//! Everything here runs on one thread, and the "other side" acts at moments a script picks, so
//! each broken program fails the same way on every run: no thread races, no sleeps.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TrySendError};
use std::task::{Context, Poll, Wake, Waker};

use futures_task::ArcWake;

use crate::Trace;

// ANCHOR: std_wake
/// A waker made with the standard library's `Wake` trait: waking it writes `<name> woken`.
struct StdNamed(&'static str, Trace);

impl Wake for StdNamed {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.1.say(format!("  {} woken", self.0));
    }
}

/// Makes a `Waker` from an `Arc<StdNamed>`, then wakes it by reference and by value.
pub fn std_wake() -> Vec<String> {
    let trace = Trace::default();
    let waker = Waker::from(Arc::new(StdNamed("w1", trace.clone())));
    trace.say("wake_by_ref");
    waker.wake_by_ref();
    trace.say("wake (consumes the waker)");
    waker.wake();
    trace.lines()
}
// ANCHOR_END: std_wake

// ANCHOR: door
/// A door that someone opens once, and the waker of whoever waits for it.
pub struct Door {
    open: Cell<bool>,
    waiter: RefCell<Option<Waker>>,
    /// Script: open the door during the next `register`, before its waker is stored.
    open_while_registering: Cell<bool>,
    trace: Trace,
}

impl Door {
    /// Opens the door and wakes the stored waker, if any.
    pub fn open(&self) {
        self.trace.say("the door opens");
        self.open.set(true);
        match self.waiter.take() {
            Some(waker) => waker.wake(),
            None => self.trace.say("  no waker stored: nobody to wake"),
        }
    }

    fn register(&self, waker: &Waker, keep_latest: bool) {
        if self.open_while_registering.replace(false) {
            self.open();
        }
        let mut waiter = self.waiter.borrow_mut();
        if keep_latest || waiter.is_none() {
            *waiter = Some(waker.clone());
        }
    }
}
// ANCHOR_END: door

// ANCHOR: wait_door
/// Which rule a [`WaitDoor`] breaks, if any.
#[derive(Clone, Copy, PartialEq)]
pub enum Mistake {
    /// Follows every rule.
    None,
    /// Keeps the first waker it registered, not the latest.
    KeepFirstWaker,
    /// Returns `Pending` right after registering, without looking at the door again.
    NoRecheck,
    /// Believes that being polled again means the door is open.
    TrustTheWakeUp,
}

/// Waits until the door is open. Its output says whether the door really was open.
pub struct WaitDoor<'a> {
    door: &'a Door,
    mistake: Mistake,
    polled: bool,
}

impl Future for WaitDoor<'_> {
    type Output = bool;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool> {
        if self.door.open.get() {
            return Poll::Ready(true);
        }
        if self.mistake == Mistake::TrustTheWakeUp && self.polled {
            return Poll::Ready(self.door.open.get()); // wrong: a wake-up is only a hint
        }
        self.polled = true;
        let keep_latest = self.mistake != Mistake::KeepFirstWaker;
        self.door.register(cx.waker(), keep_latest);
        if self.mistake != Mistake::NoRecheck && self.door.open.get() {
            return Poll::Ready(true); // it opened while we registered
        }
        Poll::Pending
    }
}
// ANCHOR_END: wait_door

/// Runs one script: `steps` is a list of `poll with <waker>`, `poll if <waker> woken`, or `open`.
fn script(
    mistake: Mistake,
    open_while_registering: bool,
    steps: &[&'static str],
) -> Vec<String> {
    let trace = Trace::default();
    let door = Door {
        open: Cell::new(false),
        waiter: RefCell::new(None),
        open_while_registering: Cell::new(open_while_registering),
        trace: trace.clone(),
    };
    let mut future = pin!(WaitDoor {
        door: &door,
        mistake,
        polled: false,
    });
    for step in steps {
        if *step == "open" {
            door.open();
            continue;
        }
        let name = match step.strip_prefix("poll if ") {
            Some(condition) => {
                let name = condition.trim_end_matches(" woken");
                if !trace.lines().contains(&format!("  {name} woken")) {
                    trace.say(format!(
                        "{name} was never woken: its task sleeps forever"
                    ));
                    continue;
                }
                name
            }
            None => step.trim_start_matches("poll with "),
        };
        trace.say(format!("poll with {name}"));
        let waker = trace.waker(name);
        match future.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Pending => trace.say("  = Pending"),
            Poll::Ready(true) => trace.say("  = Ready: through the open door"),
            Poll::Ready(false) => {
                trace.say("  = Ready: but the door is closed!")
            }
        }
    }
    trace.lines()
}

// ANCHOR: rule_latest
/// Rule: keep the latest waker. The future is polled by a second task (waker w2) before the door
/// opens, so w2 is the one to wake.
pub fn latest_waker(mistake: Mistake) -> Vec<String> {
    let steps = ["poll with w1", "poll with w2", "open", "poll if w2 woken"];
    script(mistake, false, &steps)
}
// ANCHOR_END: rule_latest

// ANCHOR: rule_recheck
/// Rule: register, then check again. The script opens the door inside `register`, after the
/// future's first look and before its waker is stored.
pub fn recheck(mistake: Mistake) -> Vec<String> {
    script(mistake, true, &["poll with w1"])
}
// ANCHOR_END: rule_recheck

// ANCHOR: rule_spurious
/// Rule: spurious wake-ups are legal. The future is polled again although the door is closed.
pub fn spurious(mistake: Mistake) -> Vec<String> {
    script(mistake, false, &["poll with w1", "poll with w1"])
}
// ANCHOR_END: rule_spurious

// ANCHOR: rule_after_ready
/// Rule: never poll a future after it returned `Ready`. The compiler's futures panic.
pub fn poll_after_ready() -> Vec<String> {
    let trace = Trace::default();
    let mut future = pin!(async { 1 });
    let mut cx = Context::from_waker(Waker::noop());
    trace.say(format!("first poll: {:?}", future.as_mut().poll(&mut cx)));
    let again = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        future.as_mut().poll(&mut cx)
    }));
    match again {
        Ok(poll) => trace.say(format!("second poll: {poll:?}")),
        Err(panic) => {
            let message = panic.downcast_ref::<&str>().copied().unwrap_or("?");
            trace.say(format!("second poll: panicked: {message}"));
        }
    }
    trace.lines()
}
// ANCHOR_END: rule_after_ready

// ANCHOR: no_blocking_waker
/// The run queue of a tiny executor: task ids waiting to be polled.
pub enum RunQueue {
    /// Unbounded: sending never waits.
    Unbounded(Sender<usize>),
    /// Bounded: sending waits while the queue is full.
    Bounded(SyncSender<usize>),
}

/// The waker of task `id`: puts the task back on the run queue.
struct TaskWaker {
    id: usize,
    queue: RunQueue,
    trace: Trace,
}

impl ArcWake for TaskWaker {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        let id = arc_self.id;
        match &arc_self.queue {
            RunQueue::Unbounded(queue) => {
                queue.send(id).unwrap();
                arc_self.trace.say(format!("  wake: task {id} queued"));
            }
            // A blocking `send` would wait here until the executor takes a task off the queue,
            // but the executor is the thread running this very `wake`: it would wait forever.
            // `try_send` shows it without hanging the book's tests.
            RunQueue::Bounded(queue) => match queue.try_send(id) {
                Ok(()) => arc_self.trace.say(format!("  wake: task {id} queued")),
                Err(TrySendError::Full(_)) => arc_self.trace.say(
                    "  wake: the queue is full; a blocking send would wait for this thread: \
                     deadlock",
                ),
                Err(TrySendError::Disconnected(_)) => unreachable!("the receiver is alive"),
            },
        }
    }
}

// ANCHOR_END: no_blocking_waker

// ANCHOR: no_blocking_script
/// Rule: never block inside `wake`. Task 0 wakes itself twice while it is polled, on a run
/// queue that holds one task (`bounded`) or any number.
pub fn wake_twice(bounded: bool) -> Vec<String> {
    let trace = Trace::default();
    let (queue, receiver): (RunQueue, Receiver<usize>) = if bounded {
        let (tx, rx) = mpsc::sync_channel(1);
        (RunQueue::Bounded(tx), rx)
    } else {
        let (tx, rx) = mpsc::channel();
        (RunQueue::Unbounded(tx), rx)
    };
    let waker = futures_task::waker(Arc::new(TaskWaker {
        id: 0,
        queue,
        trace: trace.clone(),
    }));
    trace.say("polling task 0, which wakes itself twice");
    waker.wake_by_ref();
    waker.wake_by_ref();
    trace.say(format!(
        "tasks on the run queue: {}",
        receiver.try_iter().count()
    ));
    trace.lines()
}
// ANCHOR_END: no_blocking_script

#[cfg(test)]
mod tests {
    #[test]
    fn std_wake() {
        crate::check_output("ch02_std_wake", &super::std_wake());
    }

    use super::Mistake;
    use crate::check_output;

    #[test]
    fn latest_waker() {
        check_output("ch02_latest_ok", &super::latest_waker(Mistake::None));
        check_output(
            "ch02_latest_broken",
            &super::latest_waker(Mistake::KeepFirstWaker),
        );
    }

    #[test]
    fn recheck() {
        check_output("ch02_recheck_ok", &super::recheck(Mistake::None));
        check_output(
            "ch02_recheck_broken",
            &super::recheck(Mistake::NoRecheck),
        );
    }

    #[test]
    fn spurious() {
        check_output("ch02_spurious_ok", &super::spurious(Mistake::None));
        check_output(
            "ch02_spurious_broken",
            &super::spurious(Mistake::TrustTheWakeUp),
        );
    }

    #[test]
    fn poll_after_ready() {
        check_output("ch02_after_ready", &super::poll_after_ready());
    }

    #[test]
    fn wake_twice() {
        check_output("ch02_wake_unbounded", &super::wake_twice(false));
        check_output("ch02_wake_bounded", &super::wake_twice(true));
    }
}
