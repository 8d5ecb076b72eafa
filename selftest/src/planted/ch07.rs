//! Planted mistakes in chapter 7's exercise: one bounded queue with a switch per mistake (a const
//! parameter), and a module per mistake that names one setting.

/// The bounded stage, with one planted mistake chosen by `M`.
pub mod base {
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex, MutexGuard};
    use std::task::{Context, Poll, Waker};

    use tinyio::{GetError, PutError, TryGetError, TryPutError};

    use crate::waiters::Waiters;

    /// A dropped waiter leaves its line but never passes a wake-up on.
    pub const NO_PASS_ON: u8 = 1;
    /// A dropped waiter passes a wake-up on whether or not it was notified.
    pub const PASS_ON_ALWAYS: u8 = 2;
    /// A dropped waiter stays in its line (its `Drop` does nothing).
    pub const STAY_IN_LINE: u8 = 3;
    /// A notified putter puts its item without checking for room.
    pub const PUTTER_TRUSTS_WAKE_UP: u8 = 4;
    /// A dropped putter that was notified passes its wake-up on without checking that the slot
    /// is still free.
    pub const PUTTER_IGNORES_ROOM: u8 = 5;

    struct State<T> {
        items: VecDeque<T>,
        max: usize,
        getters: Waiters,
        putters: Waiters,
    }

    /// The queue.
    pub struct Queue<T, const M: u8>(Arc<Mutex<State<T>>>);

    impl<T, const M: u8> Clone for Queue<T, M> {
        fn clone(&self) -> Self {
            Queue(self.0.clone())
        }
    }

    fn wake(waker: Option<Waker>) {
        if let Some(waker) = waker {
            waker.wake()
        }
    }

    impl<T, const M: u8> Queue<T, M> {
        /// A queue of `max` items at most.
        pub fn bounded(max: usize) -> Self {
            Queue(Arc::new(Mutex::new(State {
                items: VecDeque::new(),
                max,
                getters: Waiters::new(),
                putters: Waiters::new(),
            })))
        }

        fn lock(&self) -> MutexGuard<'_, State<T>> {
            self.0.lock().unwrap()
        }

        /// The number of items.
        pub fn len(&self) -> usize {
            self.lock().items.len()
        }

        /// Whether it is empty.
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }

        /// Puts without waiting.
        pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
            let mut state = self.lock();
            if state.items.len() >= state.max {
                return Err(TryPutError::Full(item));
            }
            state.items.push_back(item);
            let getter = state.getters.notify_one();
            drop(state);
            wake(getter);
            Ok(())
        }

        /// Takes without waiting.
        pub fn try_get(&self) -> Result<T, TryGetError> {
            let mut state = self.lock();
            let item = state.items.pop_front().ok_or(TryGetError::Empty)?;
            let putter = state.putters.notify_one();
            drop(state);
            wake(putter);
            Ok(item)
        }

        /// Takes, waiting for an item.
        pub fn get(&self) -> Get<'_, T, M> {
            Get(self, None)
        }

        /// Puts, waiting for room.
        pub fn put(&self, item: T) -> Put<'_, T, M> {
            Put(self, Some(item), None)
        }
    }

    /// Leaves `line` on a drop, passing a wake-up on (or not) as `M` says.
    fn leave<const M: u8>(line: &mut Waiters, key: usize, can_go_on: bool) -> Option<Waker> {
        if M == STAY_IN_LINE {
            return None;
        }
        let notified = line.cancel(key);
        let pass_on = match M {
            NO_PASS_ON => false,
            PASS_ON_ALWAYS => true,
            _ => notified && can_go_on,
        };
        if pass_on { line.notify_one() } else { None }
    }

    /// The get future.
    pub struct Get<'a, T, const M: u8>(&'a Queue<T, M>, Option<usize>);

    impl<T, const M: u8> Future for Get<'_, T, M> {
        type Output = Result<T, GetError>;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let queue = self.0;
            let mut state = queue.lock();
            if let Some(key) = self.1 {
                if state.getters.poll_turn(key, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
                self.1 = None;
            }
            match state.items.pop_front() {
                Some(item) => {
                    let putter = state.putters.notify_one();
                    drop(state);
                    wake(putter);
                    Poll::Ready(Ok(item))
                }
                None => {
                    self.1 = Some(state.getters.join_back(cx.waker()));
                    Poll::Pending
                }
            }
        }
    }

    impl<T, const M: u8> Drop for Get<'_, T, M> {
        fn drop(&mut self) {
            if let Some(key) = self.1 {
                let mut state = self.0.lock();
                let has_item = !state.items.is_empty();
                let next = leave::<M>(&mut state.getters, key, has_item);
                drop(state);
                wake(next);
            }
        }
    }

    /// The put future.
    pub struct Put<'a, T, const M: u8>(&'a Queue<T, M>, Option<T>, Option<usize>);

    impl<T, const M: u8> Unpin for Put<'_, T, M> {}

    impl<T, const M: u8> Future for Put<'_, T, M> {
        type Output = Result<(), PutError<T>>;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let queue = self.0;
            let mut state = queue.lock();
            let mut trust = false;
            if let Some(key) = self.2 {
                if state.putters.poll_turn(key, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
                self.2 = None;
                trust = M == PUTTER_TRUSTS_WAKE_UP; // the mistake: "woken, so there is room"
            }
            if trust || state.items.len() < state.max {
                let item = self.1.take().expect("polled after Ready");
                state.items.push_back(item);
                let getter = state.getters.notify_one();
                drop(state);
                wake(getter);
                Poll::Ready(Ok(()))
            } else {
                self.2 = Some(state.putters.join_back(cx.waker()));
                Poll::Pending
            }
        }
    }

    impl<T, const M: u8> Drop for Put<'_, T, M> {
        fn drop(&mut self) {
            if let Some(key) = self.2 {
                let mut state = self.0.lock();
                // The mistake of PUTTER_IGNORES_ROOM: "I was notified, so there is room".
                let has_room = M == PUTTER_IGNORES_ROOM || state.items.len() < state.max;
                let next = leave::<M>(&mut state.putters, key, has_room);
                drop(state);
                wake(next);
            }
        }
    }
}

/// A dropped waiter never passes its wake-up on.
pub mod no_pass_on {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::NO_PASS_ON }>;
}

/// A dropped waiter passes a wake-up on even if it was never notified.
pub mod pass_on_always {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::PASS_ON_ALWAYS }>;
}

/// A dropped waiter stays in its line: the next notification goes to it, and is lost.
pub mod stay_in_line {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::STAY_IN_LINE }>;
}

/// A notified putter puts its item without checking that there is still room.
pub mod putter_trusts_wake_up {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::PUTTER_TRUSTS_WAKE_UP }>;
}

/// A dropped putter that was notified passes its wake-up on even when someone else took the free
/// slot first.
pub mod putter_ignores_room {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::PUTTER_IGNORES_ROOM }>;
}
