//! Planted mistakes in chapter 11's exercises.
//!
//! Each primitive is written once here with switches for its mistakes (const generic flags),
//! and each planted answer is a type alias that turns one mistake on.

/// `Event`, with its mistakes behind switches.
pub mod event {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Mutex, MutexGuard, PoisonError};
    use std::task::{Context, Poll};

    use crate::waiters::{Waiters, WakeList};

    /// An event with switches: `RECHECK` (a released waiter checks `is_set` again), `ONE` (set
    /// wakes only the first waiter), `LEAVE` (a dropped waiter leaves the line).
    pub struct Switches<const RECHECK: bool, const ONE: bool, const LEAVE: bool> {
        state: Mutex<(bool, Waiters)>,
    }

    /// The future of `wait`.
    pub struct Wait<'a, const R: bool, const O: bool, const L: bool> {
        event: &'a Switches<R, O, L>,
        key: Option<usize>,
    }

    impl<const R: bool, const O: bool, const L: bool> Switches<R, O, L> {
        /// Not set.
        pub fn new() -> Self {
            Switches {
                state: Mutex::new((false, Waiters::new())),
            }
        }

        fn lock(&self) -> MutexGuard<'_, (bool, Waiters)> {
            self.state.lock().unwrap_or_else(PoisonError::into_inner)
        }

        /// Whether it is set.
        pub fn is_set(&self) -> bool {
            self.lock().0
        }

        /// Sets it.
        pub fn set(&self) {
            let mut wakeups = WakeList::new();
            {
                let mut state = self.lock();
                if !state.0 {
                    state.0 = true;
                    if O {
                        if let Some(waker) = state.1.notify_one() {
                            wakeups.push(waker);
                        }
                    } else {
                        state.1.notify_all(&mut wakeups);
                    }
                }
            }
            wakeups.wake_all();
        }

        /// Clears it.
        pub fn clear(&self) {
            self.lock().0 = false;
        }

        /// Waits for it.
        pub fn wait(&self) -> Wait<'_, R, O, L> {
            Wait {
                event: self,
                key: None,
            }
        }
    }

    impl<const R: bool, const O: bool, const L: bool> Default for Switches<R, O, L> {
        fn default() -> Self {
            Self::new()
        }
    }

    impl<const R: bool, const O: bool, const L: bool> Future for Wait<'_, R, O, L> {
        type Output = ();

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let this = self.get_mut();
            let mut state = this.event.lock();
            if let Some(key) = this.key {
                if state.1.poll_turn(key, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
                this.key = None;
                if !R {
                    return Poll::Ready(());
                }
            }
            if state.0 {
                return Poll::Ready(());
            }
            this.key = Some(state.1.join_back(cx.waker()));
            Poll::Pending
        }
    }

    impl<const R: bool, const O: bool, const L: bool> Drop for Wait<'_, R, O, L> {
        fn drop(&mut self) {
            if let Some(key) = self.key.take() {
                if L {
                    self.event.lock().1.cancel(key);
                }
            }
        }
    }
}

/// A released waiter checks `is_set` again, and waits again if it was cleared meanwhile.
pub mod event_recheck {
    /// The mistaken event.
    pub type Event = super::event::Switches<true, false, true>;
}

/// `set` wakes only the first waiter, as a queue's put does.
pub mod event_wakes_one {
    /// The mistaken event.
    pub type Event = super::event::Switches<false, true, true>;
}

/// A dropped waiter stays in the line.
pub mod event_dropped_stays {
    /// The mistaken event.
    pub type Event = super::event::Switches<false, false, false>;
}

/// `Lock`, with its mistakes behind switches.
pub mod lock {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Mutex, MutexGuard, PoisonError};
    use std::task::{Context, Poll, Waker};

    use crate::waiters::Waiters;

    /// A lock with switches: `BARGE` (a first poll takes a free lock even when a notified waiter
    /// is on its way), `PASS` (a dropped notified waiter passes the lock on), `NOTIFY` (release
    /// notifies the next waiter).
    pub struct Switches<const BARGE: bool, const PASS: bool, const NOTIFY: bool> {
        /// (locked, woken, waiters)
        state: Mutex<(bool, usize, Waiters)>,
    }

    /// The future of `acquire`.
    pub struct Acquire<'a, const B: bool, const P: bool, const N: bool> {
        lock: &'a Switches<B, P, N>,
        key: Option<usize>,
    }

    /// Holds the lock.
    pub struct Guard<'a, const B: bool, const P: bool, const N: bool> {
        lock: &'a Switches<B, P, N>,
    }

    type State = (bool, usize, Waiters);

    fn notify_next(state: &mut State) -> Option<Waker> {
        let waker = state.2.notify_one();
        if waker.is_some() {
            state.1 += 1;
        }
        waker
    }

    impl<const B: bool, const P: bool, const N: bool> Switches<B, P, N> {
        /// Free.
        pub fn new() -> Self {
            Switches {
                state: Mutex::new((false, 0, Waiters::new())),
            }
        }

        fn state(&self) -> MutexGuard<'_, State> {
            self.state.lock().unwrap_or_else(PoisonError::into_inner)
        }

        /// Whether it is held.
        pub fn locked(&self) -> bool {
            self.state().0
        }

        /// Takes it.
        pub fn acquire(&self) -> Acquire<'_, B, P, N> {
            Acquire {
                lock: self,
                key: None,
            }
        }
    }

    impl<const B: bool, const P: bool, const N: bool> Default for Switches<B, P, N> {
        fn default() -> Self {
            Self::new()
        }
    }

    impl<'a, const B: bool, const P: bool, const N: bool> Future for Acquire<'a, B, P, N> {
        type Output = Guard<'a, B, P, N>;

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let this = self.get_mut();
            let mut state = this.lock.state();
            let may_take = match this.key {
                Some(key) => {
                    if state.2.poll_turn(key, cx.waker()).is_pending() {
                        return Poll::Pending;
                    }
                    this.key = None;
                    state.1 -= 1;
                    !state.0
                }
                None => !state.0 && (B || state.1 == 0),
            };
            if may_take {
                state.0 = true;
                return Poll::Ready(Guard { lock: this.lock });
            }
            this.key = Some(state.2.join_back(cx.waker()));
            Poll::Pending
        }
    }

    impl<const B: bool, const P: bool, const N: bool> Drop for Acquire<'_, B, P, N> {
        fn drop(&mut self) {
            let Some(key) = self.key.take() else { return };
            let mut state = self.lock.state();
            let mut next = None;
            if state.2.cancel(key) {
                state.1 -= 1;
                if P && !state.0 {
                    next = notify_next(&mut state);
                }
            }
            drop(state);
            if let Some(waker) = next {
                waker.wake();
            }
        }
    }

    impl<const B: bool, const P: bool, const N: bool> Drop for Guard<'_, B, P, N> {
        fn drop(&mut self) {
            let mut state = self.lock.state();
            state.0 = false;
            let next = if N { notify_next(&mut state) } else { None };
            drop(state);
            if let Some(waker) = next {
                waker.wake();
            }
        }
    }
}

/// A newcomer takes a free lock even though a notified waiter is on its way.
pub mod lock_barging {
    /// The mistaken lock.
    pub type Lock = super::lock::Switches<true, true, true>;
}

/// A notified waiter that is dropped does not pass the lock on.
pub mod lock_no_pass_on {
    /// The mistaken lock.
    pub type Lock = super::lock::Switches<false, false, true>;
}

/// Releasing frees the lock but notifies nobody.
pub mod lock_release_silent {
    /// The mistaken lock.
    pub type Lock = super::lock::Switches<false, true, false>;
}

/// `PriorityQueue`, with its mistakes behind switches.
pub mod priority {
    use std::cmp::Ordering;
    use std::collections::BinaryHeap;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Mutex, MutexGuard, PoisonError};
    use std::task::{Context, Poll};

    use crate::waiters::{Waiters, WakeList};

    /// Entries ordered by priority, then by `seq` (which the mistakes may leave at 0).
    struct Entry<P, T>(P, u64, T);

    impl<P: Ord, T> Ord for Entry<P, T> {
        fn cmp(&self, other: &Self) -> Ordering {
            (&other.0, other.1).cmp(&(&self.0, self.1))
        }
    }

    impl<P: Ord, T> PartialOrd for Entry<P, T> {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }

    impl<P: Ord, T> PartialEq for Entry<P, T> {
        fn eq(&self, other: &Self) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }

    impl<P: Ord, T> Eq for Entry<P, T> {}

    /// A priority queue with switches: `SEQ` (ties broken by insertion order; without it the
    /// heap's order decides), `PASS` (pass-on when a notified getter is dropped), `ALL` (put
    /// notifies every getter).
    pub struct Switches<P, T, const SEQ: bool, const PASS: bool, const ALL: bool> {
        state: Mutex<State<P, T>>,
    }

    /// The future of `get`.
    pub struct Get<'a, P, T, const S: bool, const P2: bool, const A: bool> {
        queue: &'a Switches<P, T, S, P2, A>,
        key: Option<usize>,
    }

    type State<P, T> = (BinaryHeap<Entry<P, T>>, u64, Waiters);

    impl<P, T, const S: bool, const P2: bool, const A: bool> Switches<P, T, S, P2, A> {
        fn state(&self) -> MutexGuard<'_, State<P, T>> {
            self.state.lock().unwrap_or_else(PoisonError::into_inner)
        }
    }

    impl<P: Ord, T, const S: bool, const P2: bool, const A: bool> Switches<P, T, S, P2, A> {
        /// Empty.
        pub fn new() -> Self {
            Switches {
                state: Mutex::new((BinaryHeap::new(), 0, Waiters::new())),
            }
        }

        /// Entries held.
        pub fn len(&self) -> usize {
            self.state().0.len()
        }

        /// Whether it holds nothing.
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }

        /// Adds an entry.
        pub fn put(&self, priority: P, item: T) {
            let mut wakeups = WakeList::new();
            {
                let mut state = self.state();
                let seq = if S { state.1 } else { 0 };
                state.1 += 1;
                state.0.push(Entry(priority, seq, item));
                if A {
                    state.2.notify_all(&mut wakeups);
                } else if let Some(waker) = state.2.notify_one() {
                    wakeups.push(waker);
                }
            }
            wakeups.wake_all();
        }

        /// Takes the smallest.
        pub fn try_get(&self) -> Option<(P, T)> {
            let Entry(priority, _, item) = self.state().0.pop()?;
            Some((priority, item))
        }

        /// Waits for the smallest.
        pub fn get(&self) -> Get<'_, P, T, S, P2, A> {
            Get {
                queue: self,
                key: None,
            }
        }
    }

    impl<P: Ord, T, const S: bool, const P2: bool, const A: bool> Default for Switches<P, T, S, P2, A> {
        fn default() -> Self {
            Self::new()
        }
    }

    impl<P: Ord, T, const S: bool, const P2: bool, const A: bool> Future for Get<'_, P, T, S, P2, A> {
        type Output = (P, T);

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(P, T)> {
            let this = self.get_mut();
            let mut state = this.queue.state();
            if let Some(key) = this.key {
                if state.2.poll_turn(key, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
                this.key = None;
            }
            match state.0.pop() {
                Some(Entry(priority, _, item)) => Poll::Ready((priority, item)),
                None => {
                    this.key = Some(state.2.join_back(cx.waker()));
                    Poll::Pending
                }
            }
        }
    }

    impl<P, T, const S: bool, const P2: bool, const A: bool> Drop for Get<'_, P, T, S, P2, A> {
        fn drop(&mut self) {
            let Some(key) = self.key.take() else { return };
            let mut state = self.queue.state();
            let notified = state.2.cancel(key);
            let next = if P2 && notified && !state.0.is_empty() {
                state.2.notify_one()
            } else {
                None
            };
            drop(state);
            if let Some(waker) = next {
                waker.wake();
            }
        }
    }
}

/// Ties are left to the heap: equal priorities come out in no particular order.
pub mod priority_ties_unordered {
    /// The mistaken queue.
    pub type PriorityQueue<P, T> = super::priority::Switches<P, T, false, true, false>;
}

/// A notified getter that is dropped keeps its wake-up.
pub mod priority_no_pass_on {
    /// The mistaken queue.
    pub type PriorityQueue<P, T> = super::priority::Switches<P, T, true, false, false>;
}

/// Each put wakes every waiting getter.
pub mod priority_wakes_all {
    /// The mistaken queue.
    pub type PriorityQueue<P, T> = super::priority::Switches<P, T, true, true, true>;
}

/// Awaits the tasks in the order the futures were given, as `gather` would.
pub mod as_completed_in_order {
    use std::collections::VecDeque;
    use std::future::Future;

    use tinyio::JoinHandle;

    /// Outputs in argument order.
    pub struct AsCompleted<T>(VecDeque<JoinHandle<T>>);

    /// Spawns the futures.
    pub fn as_completed<I>(futures: I) -> AsCompleted<<I::Item as Future>::Output>
    where
        I: IntoIterator,
        I::Item: Future + Send + 'static,
        <I::Item as Future>::Output: Send + 'static,
    {
        AsCompleted(futures.into_iter().map(tinyio::spawn).collect())
    }

    impl<T> AsCompleted<T> {
        /// The next output in argument order.
        pub async fn next(&mut self) -> Option<T> {
            self.0.pop_front()?.await.ok()
        }
    }
}

/// The solution's `as_completed`, but dropping it leaves the tasks running.
pub mod as_completed_detached {
    use std::future::Future;

    use solutions::ch11_as_completed as answer;

    /// The solution's stream, kept in an `Option` so that `Drop` can be skipped.
    pub struct AsCompleted<T>(Option<answer::AsCompleted<T>>);

    /// Spawns the futures.
    pub fn as_completed<I>(futures: I) -> AsCompleted<<I::Item as Future>::Output>
    where
        I: IntoIterator,
        I::Item: Future + Send + 'static,
        <I::Item as Future>::Output: Send + 'static,
    {
        AsCompleted(Some(answer::as_completed(futures)))
    }

    impl<T> AsCompleted<T> {
        /// The next output to finish.
        pub async fn next(&mut self) -> Option<T> {
            self.0.as_mut()?.next().await
        }
    }

    impl<T> Drop for AsCompleted<T> {
        fn drop(&mut self) {
            std::mem::forget(self.0.take()); // the mistake: the tasks are never cancelled
        }
    }
}

/// `Barrier`, with its mistakes behind switches.
pub mod barrier {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Mutex, MutexGuard, PoisonError};
    use std::task::{Context, Poll};

    use crate::waiters::{Waiters, WakeList};

    /// A barrier with switches: `RESET` (the last party starts a new round), `ALL` (it wakes
    /// every waiter, not just the first), `LEAVE` (a dropped waiter stops counting).
    pub struct Switches<const RESET: bool, const ALL: bool, const LEAVE: bool> {
        parties: usize,
        /// (count, waiters)
        state: Mutex<(usize, Waiters)>,
    }

    /// The future of `wait`.
    pub struct Wait<'a, const R: bool, const A: bool, const L: bool> {
        barrier: &'a Switches<R, A, L>,
        waiting: Option<(usize, usize)>,
    }

    impl<const R: bool, const A: bool, const L: bool> Switches<R, A, L> {
        /// A barrier for `parties`.
        pub fn new(parties: usize) -> Self {
            Switches {
                parties,
                state: Mutex::new((0, Waiters::new())),
            }
        }

        fn state(&self) -> MutexGuard<'_, (usize, Waiters)> {
            self.state.lock().unwrap_or_else(PoisonError::into_inner)
        }

        /// Parties waiting.
        pub fn n_waiting(&self) -> usize {
            self.state().0
        }

        /// Waits for the group.
        pub fn wait(&self) -> Wait<'_, R, A, L> {
            Wait {
                barrier: self,
                waiting: None,
            }
        }
    }

    impl<const R: bool, const A: bool, const L: bool> Future for Wait<'_, R, A, L> {
        type Output = usize;

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            let this = self.get_mut();
            let mut state = this.barrier.state();
            if let Some((index, key)) = this.waiting {
                if state.1.poll_turn(key, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
                this.waiting = None;
                return Poll::Ready(index);
            }
            let index = state.0;
            state.0 += 1;
            if state.0 != this.barrier.parties {
                this.waiting = Some((index, state.1.join_back(cx.waker())));
                return Poll::Pending;
            }
            if R {
                state.0 = 0;
            }
            let mut wakeups = WakeList::new();
            if A {
                state.1.notify_all(&mut wakeups);
            } else if let Some(waker) = state.1.notify_one() {
                wakeups.push(waker);
            }
            drop(state);
            wakeups.wake_all();
            Poll::Ready(index)
        }
    }

    impl<const R: bool, const A: bool, const L: bool> Drop for Wait<'_, R, A, L> {
        fn drop(&mut self) {
            let Some((_, key)) = self.waiting.take() else {
                return;
            };
            let mut state = self.barrier.state();
            if !state.1.cancel(key) && L {
                state.0 -= 1;
            }
        }
    }
}

/// The last party releases the others but does not start a new round.
pub mod barrier_no_reset {
    /// The mistaken barrier.
    pub type Barrier = super::barrier::Switches<false, true, true>;
}

/// The last party wakes only the first waiter.
pub mod barrier_wakes_one {
    /// The mistaken barrier.
    pub type Barrier = super::barrier::Switches<true, false, true>;
}

/// A dropped waiter still counts.
pub mod barrier_dropped_counts {
    /// The mistaken barrier.
    pub type Barrier = super::barrier::Switches<true, true, false>;
}
