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
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch11_event",
        chapter: 11,
        title: "asyncio's other primitives",
        file: "exercises/src/ch11_event.rs",
        recipe: "set: under the lock, set = true and state.waiters.notify_all(&mut wakeups); \
               wake after unlocking. Wait::poll: with a key, return what poll_turn says (Ready \
               means released, whatever is_set says now); without one, Ready if set, else \
               key = Some(join_back(cx.waker())) and Pending. Drop: if let Some(key), cancel it.",
        on_hang: "does set or wait lock the event twice, or wake while holding the lock?",
        scenarios: vec![
            s(
                "already_set",
                "wait on an event that is set: Ready at the first poll",
                "An event that is set already must not make a new waiter wait: the first poll looks at the flag before it joins the line. See chapter 11, `Event`.",
                event_already_set::<E>,
            ),
            s(
                "set_wakes_all",
                "three waiters: set wakes all three, in the order they started to wait",
                "`set` releases every waiter, not only the first, and in the order they started to wait (the waiting pattern, first come, first served). Collect the wakers under the lock and wake them after it.",
                event_set_wakes_all::<E>,
            ),
            s(
                "set_then_clear",
                "set then clear before the waiter runs: it is released anyway; a new wait waits",
                "A waiter that `set` released returns even if `clear` came before it ran: for an event the notification is the outcome, not a reason to look at the flag again. A wait that starts after `clear` waits.",
                event_set_then_clear::<E>,
            ),
            s(
                "dropped_waiter",
                "a waiter dropped before set is not woken",
                "A waiting future that is dropped must leave the line in its `Drop`, or `set` spends a wake-up on a future that no longer exists. See chapter 7 on cancelled waiters.",
                event_dropped_waiter::<E>,
            ),
            s(
                "spurious",
                "a poll without set is Pending and keeps the latest waker",
                "A poll that no `set` preceded is spurious: the waiter keeps its place in line, and only the waker of its latest poll counts (chapter 2's waker rules).",
                event_spurious::<E>,
            ),
            s(
                "tasks",
                "on tinyio: three tasks wait, main sets the event, all three go on",
                "The same event with real tasks on tinyio. If the other scenarios pass and this one hangs, look for a waker that is stored but never woken.",
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

// ---------------------------------------------------------------------------------------------
// Lock

/// The `Lock` exercise, as the grader sees it.
pub trait Lock {
    /// The learner's `Lock`.
    type Lock: Sync;
    /// `Lock::new()`.
    fn new_lock() -> Self::Lock;
    /// `lock.locked()`.
    fn locked(lock: &Self::Lock) -> bool;
    /// `lock.acquire()`; its output is the guard, which releases the lock when dropped.
    fn acquire(lock: &Self::Lock) -> impl Future<Output = impl Sized + '_> + '_;
}

/// Implements [`Lock`] for `$ty` with the module `$m` (which has `Lock`).
#[macro_export]
macro_rules! bind_lock {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch11::Lock for $ty {
            type Lock = $($m)::+::Lock;
            fn new_lock() -> Self::Lock {
                $($m)::+::Lock::new()
            }
            fn locked(lock: &Self::Lock) -> bool {
                lock.locked()
            }
            fn acquire(
                lock: &Self::Lock,
            ) -> impl ::core::future::Future<Output = impl Sized + '_> + '_ {
                lock.acquire()
            }
        }
    };
}

/// The grader for `exercises/src/ch11_lock.rs`.
pub fn lock<L: Lock>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch11_lock",
        chapter: 11,
        title: "asyncio's other primitives",
        file: "exercises/src/ch11_lock.rs",
        recipe: "poll: with a key, poll_turn; on Ready, key = None and woken -= 1, then take the \
               lock if it is free. Without a key, take it only if !locked && woken == 0. Else \
               key = Some(join_back(..)), Pending. Guard's drop: locked = false, then \
               notify_one (woken += 1 if it returned a waker), wake after unlocking. Acquire's \
               drop: if cancel(key) returns true, woken -= 1 and, if the lock is free, notify \
               the next waiter.",
        on_hang: "does a Drop lock the state while it is already locked (a guard dropped inside \
                  poll)?",
        scenarios: vec![
            s(
                "free",
                "a free lock is taken at the first poll; dropping the guard frees it",
                "A free lock is taken at the first poll, and dropping the guard must free it for the next `acquire`.",
                lock_free::<L>,
            ),
            s(
                "fifo",
                "waiters get the lock in order; a newcomer does not overtake a notified waiter",
                "Releasing notifies the first waiter, which takes the lock when it runs; a newcomer that arrives in between must not take it first (asyncio's no-overtaking rule, chapter 11, `Lock`). What tells a first poll that someone is on the way?",
                lock_fifo::<L>,
            ),
            s(
                "pass_on",
                "a notified waiter that is dropped passes the lock on to the next one",
                "A waiter dropped after it was notified got a wake-up it will never use: while the lock is free, the next waiter must get it (the waiting pattern, pass it on).",
                lock_pass_on::<L>,
            ),
            s(
                "dropped_waiting",
                "a waiter dropped before its turn leaves the line: the next one is notified",
                "A waiter dropped before its turn only leaves the line; the lock then goes to the next one in order.",
                lock_dropped_waiting::<L>,
            ),
            s(
                "tasks",
                "on tinyio: three tasks hold the lock across an await, one at a time, in order",
                "Three tasks on tinyio hold the lock across an `.await`, one after the other. A hang here usually means a release that notified nobody, or a notified waiter that was never counted back.",
                lock_tasks::<L>,
            ),
        ],
    }
}

fn held<G>(_: &G) -> String {
    "Ready (holds the lock)".to_string()
}

fn lock_free<L: Lock>() {
    let lock = L::new_lock();
    let mut a = Box::pin(L::acquire(&lock));
    let Poll::Ready(guard) = poll_as("A", a.as_mut(), held) else {
        return;
    };
    log(format!("locked: {}", L::locked(&lock)));
    log("A drops its guard");
    drop(guard);
    log(format!("locked: {}", L::locked(&lock)));
}

/// Polls the acquire of `who` until it is Ready or Pending, and keeps the guard it got.
fn take_turn<'a, G>(
    who: &'static str,
    acquire: &mut Pin<Box<impl Future<Output = G> + ?Sized + 'a>>,
) -> Option<G> {
    match poll_as(who, acquire.as_mut(), held) {
        Poll::Ready(guard) => Some(guard),
        Poll::Pending => None,
    }
}

fn lock_fifo<L: Lock>() {
    let lock = L::new_lock();
    let mut a = Box::pin(L::acquire(&lock));
    let mut b = Box::pin(L::acquire(&lock));
    let mut c = Box::pin(L::acquire(&lock));
    let mut d = Box::pin(L::acquire(&lock));
    let guard_a = take_turn("A", &mut a);
    take_turn("B", &mut b);
    take_turn("C", &mut c);
    log("A releases");
    drop(guard_a);
    log("D arrives before B runs");
    let guard_d = take_turn("D", &mut d);
    let guard_b = take_turn("B", &mut b);
    log("B releases");
    drop(guard_b);
    let guard_c = take_turn("C", &mut c);
    log("C releases");
    drop(guard_c);
    let guard_d = guard_d.or_else(|| take_turn("D", &mut d));
    log("D releases");
    drop(guard_d);
    log(format!("locked: {}", L::locked(&lock)));
}

fn lock_pass_on<L: Lock>() {
    let lock = L::new_lock();
    let mut a = Box::pin(L::acquire(&lock));
    let mut b = Box::pin(L::acquire(&lock));
    let mut c = Box::pin(L::acquire(&lock));
    let guard_a = take_turn("A", &mut a);
    take_turn("B", &mut b);
    take_turn("C", &mut c);
    log("A releases");
    drop(guard_a);
    log("B's acquire is dropped before it runs");
    drop(b);
    let guard_c = take_turn("C", &mut c);
    log(format!("locked: {}", L::locked(&lock)));
    drop(guard_c);
}

fn lock_dropped_waiting<L: Lock>() {
    let lock = L::new_lock();
    let mut a = Box::pin(L::acquire(&lock));
    let mut b = Box::pin(L::acquire(&lock));
    let mut c = Box::pin(L::acquire(&lock));
    let guard_a = take_turn("A", &mut a);
    take_turn("B", &mut b);
    take_turn("C", &mut c);
    log("B's acquire is dropped while it waits");
    drop(b);
    log("A releases");
    drop(guard_a);
    let guard_c = take_turn("C", &mut c);
    drop(guard_c);
    log(format!("locked: {}", L::locked(&lock)));
}

fn lock_tasks<L: Lock>() {
    let lock = L::new_lock();
    tinyio::run(async {
        let worker = |who: &'static str| {
            let lock = &lock;
            async move {
                let guard = L::acquire(lock).await;
                log(format!("{who} holds the lock"));
                tinyio::yield_now().await;
                log(format!("{who} releases it"));
                drop(guard);
            }
        };
        tinyio::gather!(worker("t1"), worker("t2"), worker("t3")).await;
    });
    log("run returned");
}

// ---------------------------------------------------------------------------------------------
// PriorityQueue

/// The `PriorityQueue` exercise, as the grader sees it, with `u32` priorities and `&str` items.
pub trait Priority {
    /// The learner's `PriorityQueue<u32, &'static str>`.
    type Queue: Sync;
    /// `PriorityQueue::new()`.
    fn new_queue() -> Self::Queue;
    /// `queue.put(priority, item)`.
    fn put(queue: &Self::Queue, priority: u32, item: &'static str);
    /// `queue.try_get()`.
    fn try_get(queue: &Self::Queue) -> Option<(u32, &'static str)>;
    /// `queue.len()`.
    fn len(queue: &Self::Queue) -> usize;
    /// `queue.get()`.
    fn get(queue: &Self::Queue) -> impl Future<Output = (u32, &'static str)> + '_;
}

/// Implements [`Priority`] for `$ty` with the module `$m` (which has `PriorityQueue`).
#[macro_export]
macro_rules! bind_priority {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch11::Priority for $ty {
            type Queue = $($m)::+::PriorityQueue<u32, &'static str>;
            fn new_queue() -> Self::Queue {
                $($m)::+::PriorityQueue::new()
            }
            fn put(queue: &Self::Queue, priority: u32, item: &'static str) {
                queue.put(priority, item)
            }
            fn try_get(queue: &Self::Queue) -> Option<(u32, &'static str)> {
                queue.try_get()
            }
            fn len(queue: &Self::Queue) -> usize {
                queue.len()
            }
            fn get(
                queue: &Self::Queue,
            ) -> impl ::core::future::Future<Output = (u32, &'static str)> + '_ {
                queue.get()
            }
        }
    };
}

/// The grader for `exercises/src/ch11_priority.rs`.
pub fn priority<Q: Priority>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch11_priority",
        chapter: 11,
        title: "asyncio's other primitives",
        file: "exercises/src/ch11_priority.rs",
        recipe: "cmp: (&other.priority, other.seq).cmp(&(&self.priority, self.seq)), reversed so \
               the max-heap pops the smallest. put: push with seq = next_seq (then add 1), \
               notify_one, wake after unlocking. Get::poll: with a key, poll_turn (Pending: \
               return); then heap.pop(), or join_back and Pending. try_get: heap.pop() under the lock. Drop: if cancel(key) says \
               it was notified and the heap is not empty, notify the next getter.",
        on_hang: "does put or get lock the queue twice, or wake while holding the lock?",
        scenarios: vec![
            s(
                "order",
                "smallest priority first; equal priorities in the order they were put",
                "`get` takes the smallest priority first, and equal priorities in the order they were put. `BinaryHeap` pops its greatest entry: which way must your `Ord` compare?",
                priority_order::<Q>,
            ),
            s(
                "not_hand_off",
                "a notified getter takes the smallest entry when it runs, not the one whose put \
                 woke it",
                "A `put` notifies the first getter but does not hand it that entry: the getter takes whatever is smallest when it runs (the waiting pattern, notify, do not hand off).",
                priority_not_hand_off::<Q>,
            ),
            s(
                "overtaken",
                "a notified getter that finds the queue empty waits again",
                "A notified getter that finds the queue empty, because someone else took the entry first, waits again at the back of the line.",
                priority_overtaken::<Q>,
            ),
            s(
                "pass_on",
                "a notified getter that is dropped passes the wake-up on",
                "A getter dropped after it was notified must pass the wake-up on to the next getter while entries are left (the waiting pattern, pass it on).",
                priority_pass_on::<Q>,
            ),
            s(
                "tasks",
                "on tinyio: a consumer gets what a producer put, by priority",
                "A producer task and a consumer task on tinyio. If only this scenario fails, check that every waker is woken, and woken after the lock is released.",
                priority_tasks::<Q>,
            ),
        ],
    }
}

fn entry(e: &(u32, &'static str)) -> String {
    format!("got ({}, {:?})", e.0, e.1)
}

fn put_logged<Q: Priority>(queue: &Q::Queue, priority: u32, item: &'static str) {
    log(format!("put ({priority}, {item:?})"));
    Q::put(queue, priority, item);
}

fn priority_order<Q: Priority>() {
    let queue = Q::new_queue();
    for (priority, item) in [
        (3, "c"),
        (1, "a"),
        (2, "b"),
        (1, "a2"),
        (2, "b2"),
        (1, "a3"),
    ] {
        put_logged::<Q>(&queue, priority, item);
    }
    log(format!("len: {}", Q::len(&queue)));
    while let Some(e) = Q::try_get(&queue) {
        log(format!("try_get: {}", entry(&e)));
    }
    log("try_get: None");
}

fn priority_not_hand_off<Q: Priority>() {
    let queue = Q::new_queue();
    let mut a = Box::pin(Q::get(&queue));
    let mut b = Box::pin(Q::get(&queue));
    let _ = poll_as("A", a.as_mut(), entry);
    let _ = poll_as("B", b.as_mut(), entry);
    put_logged::<Q>(&queue, 5, "x");
    put_logged::<Q>(&queue, 1, "y");
    let _ = poll_as("A", a.as_mut(), entry);
    let _ = poll_as("B", b.as_mut(), entry);
}

fn priority_overtaken<Q: Priority>() {
    let queue = Q::new_queue();
    let mut a = Box::pin(Q::get(&queue));
    let _ = poll_as("A", a.as_mut(), entry);
    put_logged::<Q>(&queue, 1, "x");
    log(format!(
        "someone else runs first: try_get -> {:?}",
        Q::try_get(&queue)
    ));
    let _ = poll_as("A", a.as_mut(), entry);
    put_logged::<Q>(&queue, 2, "y");
    let _ = poll_as("A", a.as_mut(), entry);
}

fn priority_pass_on<Q: Priority>() {
    let queue = Q::new_queue();
    let mut a = Box::pin(Q::get(&queue));
    let mut b = Box::pin(Q::get(&queue));
    let mut c = Box::pin(Q::get(&queue));
    let _ = poll_as("A", a.as_mut(), entry);
    let _ = poll_as("B", b.as_mut(), entry);
    let _ = poll_as("C", c.as_mut(), entry);
    log("C's get is dropped while it waits");
    drop(c);
    put_logged::<Q>(&queue, 1, "x");
    log("A's get is dropped before it runs");
    drop(a);
    let _ = poll_as("B", b.as_mut(), entry);
    log(format!("len: {}", Q::len(&queue)));
}

fn priority_tasks<Q: Priority>() {
    let queue = Q::new_queue();
    tinyio::run(async {
        let consumer = async {
            for _ in 0..4 {
                let (priority, item) = Q::get(&queue).await;
                log(format!("consumer got ({priority}, {item:?})"));
            }
        };
        let producer = async {
            tinyio::yield_now().await; // the consumer waits first
            for (priority, item) in [(2, "b"), (9, "z"), (1, "a"), (2, "b2")] {
                put_logged::<Q>(&queue, priority, item);
            }
        };
        tinyio::gather!(consumer, producer).await;
    });
    log("run returned");
}

// ---------------------------------------------------------------------------------------------
// as_completed

/// A future the `as_completed` scenarios hand out.
pub type Job = Pin<Box<dyn Future<Output = String> + Send>>;

/// The `as_completed` exercise, as the grader sees it, with `String` outputs.
pub trait AsCompleted {
    /// The learner's `AsCompleted<String>`.
    type Stream;
    /// `as_completed(jobs)`.
    fn as_completed(jobs: Vec<Job>) -> Self::Stream;
    /// `stream.next()`.
    fn next(stream: &mut Self::Stream) -> impl Future<Output = Option<String>> + '_;
}

/// Implements [`AsCompleted`] for `$ty` with the module `$m` (which has `as_completed` and
/// `AsCompleted`).
#[macro_export]
macro_rules! bind_as_completed {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch11::AsCompleted for $ty {
            type Stream = $($m)::+::AsCompleted<String>;
            fn as_completed(jobs: Vec<$crate::ch11::Job>) -> Self::Stream {
                $($m)::+::as_completed(jobs)
            }
            fn next(
                stream: &mut Self::Stream,
            ) -> impl ::core::future::Future<Output = Option<String>> + '_ {
                stream.next()
            }
        }
    };
}

/// The grader for `exercises/src/ch11_as_completed.rs`.
pub fn as_completed<A: AsCompleted>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch11_as_completed",
        chapter: 11,
        title: "asyncio's other primitives",
        file: "exercises/src/ch11_as_completed.rs",
        recipe: "as_completed: let results = Queue::new(); for each future, spawn \
               `async move { let out = future.await; results.try_put(out).ok(); }` with its own \
               clone of the queue; remaining = number of tasks. next: None if remaining == 0, \
               else results.get().await, then remaining -= 1 (only once the output is in hand, so a \
               next() dropped while it waits loses nothing). Drop: abort every handle.",
        on_hang: "does next() wait for an output that no task will ever put?",
        scenarios: vec![
            s(
                "completion_order",
                "outputs come in the order the futures finish, then None",
                "Outputs come in the order the futures finish, not the order they were given, and then `None`. Each future must make progress on its own, as a task of its own.",
                ac_completion_order::<A>,
            ),
            s(
                "ready_futures",
                "futures that finish at once come in the order they were given",
                "Futures that are ready at once finish in the order their tasks first run, which is the order they were spawned (chapter 4's FIFO run queue).",
                ac_ready_futures::<A>,
            ),
            s(
                "empty",
                "no futures: None at once",
                "With no futures at all, `next()` returns `None` at once instead of waiting for an output that will never come.",
                ac_empty::<A>,
            ),
            s(
                "drop_early",
                "dropping it after the first output cancels the tasks still running",
                "Dropping the `AsCompleted` must cancel the tasks that are still running: whoever owns tasks cleans them up (chapter 11's deliberate difference from asyncio).",
                ac_drop_early::<A>,
            ),
        ],
    }
}

/// A job that lets the other tasks run `turns` times, then returns `name`. It logs when it
/// finishes, and when it is dropped without finishing.
fn job(name: &'static str, turns: u32) -> Job {
    struct Unfinished(&'static str, bool);
    impl Drop for Unfinished {
        fn drop(&mut self) {
            if !self.1 {
                log(format!("  {} cancelled", self.0));
            }
        }
    }
    Box::pin(async move {
        let mut guard = Unfinished(name, false);
        for _ in 0..turns {
            tinyio::yield_now().await;
        }
        guard.1 = true;
        log(format!("  {name} finishes"));
        name.to_string()
    })
}

/// Takes every output and logs it.
async fn drain<A: AsCompleted>(stream: &mut A::Stream) {
    while let Some(output) = A::next(stream).await {
        log(format!("next: {output}"));
    }
    log("next: None");
}

fn ac_completion_order<A: AsCompleted>() {
    tinyio::run(async {
        let mut stream = A::as_completed(vec![job("a", 3), job("b", 1), job("c", 2)]);
        drain::<A>(&mut stream).await;
    });
}

fn ac_ready_futures<A: AsCompleted>() {
    tinyio::run(async {
        let mut stream = A::as_completed(vec![job("x", 0), job("y", 0), job("z", 0)]);
        drain::<A>(&mut stream).await;
    });
}

fn ac_empty<A: AsCompleted>() {
    tinyio::run(async {
        let mut stream = A::as_completed(Vec::new());
        drain::<A>(&mut stream).await;
    });
}

fn ac_drop_early<A: AsCompleted>() {
    tinyio::run(async {
        let mut stream = A::as_completed(vec![job("slow", 5), job("fast", 1), job("slower", 9)]);
        if let Some(first) = A::next(&mut stream).await {
            log(format!("next: {first}"));
        }
        log("main drops it");
        drop(stream);
        for _ in 0..10 {
            tinyio::yield_now().await;
        }
        log("main goes on");
    });
}

// ---------------------------------------------------------------------------------------------
// Barrier

/// The `Barrier` exercise, as the grader sees it.
pub trait Barrier {
    /// The learner's `Barrier`.
    type Barrier: Sync;
    /// `Barrier::new(parties)`.
    fn new_barrier(parties: usize) -> Self::Barrier;
    /// `barrier.n_waiting()`.
    fn n_waiting(barrier: &Self::Barrier) -> usize;
    /// `barrier.wait()`.
    fn wait(barrier: &Self::Barrier) -> impl Future<Output = usize> + '_;
}

/// Implements [`Barrier`] for `$ty` with the module `$m` (which has `Barrier`).
#[macro_export]
macro_rules! bind_barrier {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch11::Barrier for $ty {
            type Barrier = $($m)::+::Barrier;
            fn new_barrier(parties: usize) -> Self::Barrier {
                $($m)::+::Barrier::new(parties)
            }
            fn n_waiting(barrier: &Self::Barrier) -> usize {
                barrier.n_waiting()
            }
            fn wait(barrier: &Self::Barrier) -> impl ::core::future::Future<Output = usize> + '_ {
                barrier.wait()
            }
        }
    };
}

/// The grader for `exercises/src/ch11_barrier.rs`.
pub fn barrier<B: Barrier>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch11_barrier",
        chapter: 11,
        title: "asyncio's other primitives",
        file: "exercises/src/ch11_barrier.rs",
        recipe: "poll: if waiting = Some((index, key)), poll_turn(key, ..): Ready means \
               released, return Ready(index). Else index = count, count += 1; below parties: \
               waiting = Some((index, join_back(..))), Pending; otherwise count = 0, \
               notify_all into a WakeList, wake after unlocking, Ready(index). Drop: if \
               cancel(key) returns false, count -= 1.",
        on_hang: "does the last party wake the others while holding the lock?",
        scenarios: vec![
            s(
                "round",
                "three parties: the first two wait, the third releases both and goes on at once",
                "The party that completes the group releases the others and goes on at once; each party gets its arrival index, from 0.",
                barrier_round::<B>,
            ),
            s(
                "next_round",
                "a new round starts as soon as the last party arrives",
                "A new round starts as soon as the last party of the previous round arrives: the next arrival is index 0 of a new group.",
                barrier_next_round::<B>,
            ),
            s(
                "dropped",
                "a waiter dropped before the release no longer counts",
                "A waiter dropped before its group is complete no longer counts: the group waits for another party to take its place.",
                barrier_dropped::<B>,
            ),
            s(
                "spurious",
                "a waiter polled before the release is Pending, and released later",
                "A waiter polled before the release is Pending and keeps its place; only the last arrival releases it.",
                barrier_spurious::<B>,
            ),
            s(
                "tasks",
                "on tinyio: three tasks meet at the barrier twice",
                "Three tasks on tinyio meet at the barrier twice. If the first round passes and the second hangs, look at how a round ends.",
                barrier_tasks::<B>,
            ),
        ],
    }
}

fn index(i: &usize) -> String {
    format!("Ready, index {i}")
}

fn barrier_round<B: Barrier>() {
    let barrier = B::new_barrier(3);
    let mut a = Box::pin(B::wait(&barrier));
    let mut b = Box::pin(B::wait(&barrier));
    let mut c = Box::pin(B::wait(&barrier));
    let _ = poll_as("A", a.as_mut(), index);
    let _ = poll_as("B", b.as_mut(), index);
    log(format!("n_waiting: {}", B::n_waiting(&barrier)));
    let _ = poll_as("C", c.as_mut(), index);
    log(format!("n_waiting: {}", B::n_waiting(&barrier)));
    let _ = poll_as("A", a.as_mut(), index);
    let _ = poll_as("B", b.as_mut(), index);
}

fn barrier_next_round<B: Barrier>() {
    let barrier = B::new_barrier(2);
    let mut a = Box::pin(B::wait(&barrier));
    let mut b = Box::pin(B::wait(&barrier));
    let mut c = Box::pin(B::wait(&barrier));
    let mut d = Box::pin(B::wait(&barrier));
    let _ = poll_as("A", a.as_mut(), index);
    let _ = poll_as("B", b.as_mut(), index);
    log("C and D arrive before A runs");
    let _ = poll_as("C", c.as_mut(), index);
    let _ = poll_as("D", d.as_mut(), index);
    let _ = poll_as("A", a.as_mut(), index);
    let _ = poll_as("C", c.as_mut(), index);
}

fn barrier_dropped<B: Barrier>() {
    let barrier = B::new_barrier(2);
    let mut a = Box::pin(B::wait(&barrier));
    let mut b = Box::pin(B::wait(&barrier));
    let mut c = Box::pin(B::wait(&barrier));
    let _ = poll_as("A", a.as_mut(), index);
    log("A's wait is dropped");
    drop(a);
    log(format!("n_waiting: {}", B::n_waiting(&barrier)));
    let _ = poll_as("B", b.as_mut(), index);
    let _ = poll_as("C", c.as_mut(), index);
    let _ = poll_as("B", b.as_mut(), index);
}

fn barrier_spurious<B: Barrier>() {
    let barrier = B::new_barrier(2);
    let mut a = Box::pin(B::wait(&barrier));
    let mut b = Box::pin(B::wait(&barrier));
    let _ = poll_as("A", a.as_mut(), index);
    log("A is polled again with a new waker A2");
    let _ = poll_as("A2", a.as_mut(), index);
    let _ = poll_as("B", b.as_mut(), index);
    let _ = poll_as("A2", a.as_mut(), index);
}

fn barrier_tasks<B: Barrier>() {
    let barrier = B::new_barrier(3);
    tinyio::run(async {
        let party = |who: &'static str| {
            let barrier = &barrier;
            async move {
                for round in 1..=2 {
                    log(format!("{who} arrives (round {round})"));
                    let i = B::wait(barrier).await;
                    log(format!("{who} goes on with index {i}"));
                }
            }
        };
        tinyio::gather!(party("t1"), party("t2"), party("t3")).await;
    });
    log("run returned");
}
