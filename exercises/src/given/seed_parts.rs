// The given parts of chapter 14's exercise: `ch14_seed.rs` includes this file (with `include!`),
// and so does its reference answer. Nothing here is tinyio's: the queue is assembled from your
// files of chapters 6 to 8, and `abortable` stands in for tinyio's `JoinHandle::abort`, which
// your chapter 4 executor does not have.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::{ch06_queue, ch07_bounded, ch08_join};

/// Where the program's lines go: standard output, or the grader's trace.
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

// ANCHOR: seed_queue
/// The queue of the seed program, assembled from your three queue files. Every clone is a
/// handle to the same queue.
///
/// - The items go through your chapter 6 queue when the queue is unbounded (`maxsize` 0, as in
///   asyncio), and through your chapter 7 queue, with its `Get` and `Put`, when it is bounded.
/// - The count of unfinished items, `task_done` and `join` are your chapter 8 queue's. Each put
///   counts one item there with `try_put(())` (your `State::try_put`), and takes the `()` marker
///   straight back out with `try_get`, which, as in asyncio, leaves the count alone.
pub struct SeedQueue<T> {
    items: Items<T>,
    count: ch08_join::Queue<()>,
}

/// Which of your queues holds the items.
enum Items<T> {
    Unbounded(ch06_queue::Queue<T>),
    Bounded(ch07_bounded::Queue<T>),
}

// ANCHOR_END: seed_queue

impl<T: Send> SeedQueue<T> {
    /// An unbounded queue if `maxsize` is 0 (asyncio's reading), else a bounded one.
    pub fn new(maxsize: usize) -> SeedQueue<T> {
        let items = match maxsize {
            0 => Items::Unbounded(ch06_queue::Queue::new()),
            max => Items::Bounded(ch07_bounded::Queue::bounded(max)),
        };
        SeedQueue {
            items,
            count: ch08_join::Queue::new(),
        }
    }

    // ANCHOR: seed_put
    /// Puts `item` at the back, waiting while a bounded queue is full, and counts it as
    /// unfinished.
    pub async fn put(&self, item: T) {
        match &self.items {
            Items::Unbounded(queue) => queue.put(item),
            Items::Bounded(queue) => {
                if queue.put(item).await.is_err() {
                    unreachable!("this queue is never shut down");
                }
            }
        }
        if self.count.try_put(()).is_err() || self.count.try_get().is_err() {
            unreachable!("the counting queue is unbounded and holds the marker just put");
        }
    }
    // ANCHOR_END: seed_put

    /// Takes the front item, waiting while the queue is empty.
    pub async fn get(&self) -> T {
        match &self.items {
            Items::Unbounded(queue) => queue.get().await,
            Items::Bounded(queue) => match queue.get().await {
                Ok(item) => item,
                Err(_) => unreachable!("this queue is never shut down"),
            },
        }
    }

    /// Marks one item as handled (your chapter 8 `task_done`).
    pub fn task_done(&self) -> Result<(), ch08_join::TaskDoneError> {
        self.count.task_done()
    }

    /// Waits until every item put has been marked done (your chapter 8 `Join`).
    pub fn join(&self) -> ch08_join::Join<'_, ()> {
        self.count.join()
    }

    /// How many items the queue holds (asyncio's `qsize()`).
    pub fn len(&self) -> usize {
        match &self.items {
            Items::Unbounded(queue) => queue.len(),
            Items::Bounded(queue) => queue.len(),
        }
    }

    /// Whether the queue holds no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many items were put and not yet marked done.
    pub fn unfinished(&self) -> usize {
        self.count.unfinished()
    }
}

impl<T> Clone for SeedQueue<T> {
    fn clone(&self) -> Self {
        let items = match &self.items {
            Items::Unbounded(queue) => Items::Unbounded(queue.clone()),
            Items::Bounded(queue) => Items::Bounded(queue.clone()),
        };
        SeedQueue {
            items,
            count: self.count.clone(),
        }
    }
}

/// Where the main task is waiting. The program sets it before each wait, as the blog's watchdog
/// sets its `progress` variable, so that a program that can never finish can say where it stuck.
#[derive(Clone)]
pub struct Progress(Arc<Mutex<&'static str>>);

impl Progress {
    /// Starts at `place`.
    pub fn new(place: &'static str) -> Progress {
        Progress(Arc::new(Mutex::new(place)))
    }

    /// The main task is about to wait in `place`.
    pub fn set(&self, place: &'static str) {
        *self.0.lock().unwrap() = place;
    }

    /// Where the main task waits (or waited last).
    pub fn get(&self) -> &'static str {
        *self.0.lock().unwrap()
    }
}

// ANCHOR: stuck
/// What a program returns when your executor says it can never finish: the main task is
/// pending and no task can run.
#[derive(Debug, PartialEq)]
pub struct Stuck {
    /// Where the main task waits: what the program last gave to [`Progress::set`].
    pub main_waits_in: &'static str,
    /// How many items the queue holds.
    pub qsize: usize,
    /// How many items were put and not yet marked done.
    pub unfinished: usize,
}

impl fmt::Display for Stuck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "deadlock: main task waits in {} (qsize={} unfinished={})",
            self.main_waits_in, self.qsize, self.unfinished
        )
    }
}
// ANCHOR_END: stuck

/// The output of an [`Abortable`] future that was aborted.
#[derive(Debug, PartialEq)]
pub struct Aborted;

/// A future that can be stopped from outside with its [`AbortHandle`]: the plain stand-in for
/// tinyio's `JoinHandle::abort`. Spawn it, and aborting the handle drops the inner future at the
/// task's next poll, where it waits (a `Get` leaves the getter line then), and completes the task
/// with `Err(Aborted)`.
pub struct Abortable<F> {
    /// The future, until it finishes or is aborted.
    future: Option<Pin<Box<F>>>,
    flag: Arc<Mutex<AbortFlag>>,
}

/// Stops its [`Abortable`].
pub struct AbortHandle {
    flag: Arc<Mutex<AbortFlag>>,
}

/// What the handle and the future share.
struct AbortFlag {
    aborted: bool,
    /// The waker of the task that polls the future.
    waker: Option<Waker>,
}

/// Wraps `future` so that it can be aborted; the handle does it.
pub fn abortable<F: Future>(future: F) -> (Abortable<F>, AbortHandle) {
    let flag = Arc::new(Mutex::new(AbortFlag {
        aborted: false,
        waker: None,
    }));
    let handle = AbortHandle { flag: flag.clone() };
    let future = Abortable {
        future: Some(Box::pin(future)),
        flag,
    };
    (future, handle)
}

// ANCHOR: abortable_poll
impl<F: Future> Future for Abortable<F> {
    type Output = Result<F::Output, Aborted>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let aborted = {
            let mut flag = this.flag.lock().unwrap();
            flag.waker = Some(cx.waker().clone());
            flag.aborted
        };
        if aborted {
            this.future = None; // dropped where it waits, with the lock released
            return Poll::Ready(Err(Aborted));
        }
        let future = this.future.as_mut().expect("Abortable polled after it finished");
        let output = std::task::ready!(future.as_mut().poll(cx));
        this.future = None;
        Poll::Ready(Ok(output))
    }
}

impl AbortHandle {
    /// Asks the future to stop: its task is woken, and its next poll drops the inner future.
    pub fn abort(&self) {
        let waker = {
            let mut flag = self.flag.lock().unwrap();
            flag.aborted = true;
            flag.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}
// ANCHOR_END: abortable_poll
