//! # tinyio
//!
//! A tiny async runtime, built to show what is behind Python's `asyncio.Queue`: an executor
//! ([`block_on`], [`run`], [`spawn`], [`JoinHandle`]), [`gather`](gather()), and a join-able
//! [`Queue`] with `put`, `get`, `task_done` and `join`.
//!
//! It is the library that the tinyio workbook walks through, chapter by chapter, and it is
//! meant to be read. Every module says what it guarantees and which invariants it keeps.
//!
//! | asyncio | tinyio |
//! |---|---|
//! | `asyncio.run(main())` | [`run`]`(main())` |
//! | `asyncio.create_task(coro)` | [`spawn`]`(fut)`, [`spawn_named`] |
//! | `task.cancel()` | [`JoinHandle::abort`] |
//! | `await asyncio.sleep(0)` | [`yield_now`]`().await` |
//! | `await asyncio.gather(a, b)` | [`gather!`]`(a, b).await`, [`gather`](gather())`(iter).await` |
//! | `asyncio.Queue(maxsize)` | [`Queue::new`]`()`, [`Queue::bounded`]`(maxsize)` |
//! | `await q.put(x)`, `q.put_nowait(x)` | `q.put(x).await`, `q.try_put(x)` |
//! | `await q.get()`, `q.get_nowait()` | `q.get().await`, `q.try_get()` |
//! | `q.task_done()`, `await q.join()` | `q.task_done()`, `q.join().await` |
//! | `q.qsize()`, `q.shutdown(immediate)` | `q.len()`, `q.shutdown(immediate)` |
//! | `await asyncio.sleep(s)`, `loop.time()` | [`sleep`]`(d).await`, [`now`]`()` |
//! | `await asyncio.wait_for(f, s)` | [`timeout`]`(d, f).await` |
//! | `await asyncio.to_thread(f)` | [`spawn_blocking`]`(f).await` |
//!
//! ```
//! let total = tinyio::run(async {
//!     let task = tinyio::spawn(async { 40 });
//!     let (a, b) = tinyio::gather!(async { 1 }, async { 1 }).await;
//!     task.await.unwrap() + a + b
//! });
//! assert_eq!(total, 42);
//! ```
//!
//! When a program can never finish, [`run`] does not hang: it panics with a report of what
//! every blocked task waits on ([`try_run`] returns it as a [`Deadlock`] value instead). Set
//! `TINYIO_TRACE=1`, or use [`Runtime::trace`], to get a timeline of every poll and wake-up.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod block_on;
mod blocking;
mod context;
mod deadlock;
mod gather;
mod join_error;
mod join_handle;
mod multi_thread;
mod named;
mod note;
mod outside;
mod owner;
pub mod queue;
mod registry;
mod runtime;
mod state;
mod sync;
mod task;
mod time;
pub mod trace;
mod yield_now;

pub use blocking::{KeepAlive, keep_alive, spawn_blocking};
pub use deadlock::Deadlock;
pub use gather::{Gather, TryGather, gather, try_gather};
pub use join_error::JoinError;
pub use join_handle::JoinHandle;
pub use multi_thread::MultiThread;
pub use named::{Named, named};
pub use queue::{GetError, PutError, Queue, TaskDoneError, TryGetError, TryPutError};
pub use runtime::{Runtime, run, spawn, spawn_named, try_run};
pub use time::{Elapsed, Sleep, Timeout, now, sleep, timeout};
pub use trace::Trace;
pub use yield_now::{YieldNow, yield_now};

/// What the expansion of [`gather!`] names: not part of the API, and free to change.
#[doc(hidden)]
pub mod __private {
    pub use crate::gather::{GatherTuple, MaybeDone};
}

/// Runs `future` to completion on the current thread, sleeping between polls until its waker
/// fires, and returns its output. It cannot spawn: use [`run`] for programs with tasks.
///
/// ```
/// assert_eq!(tinyio::block_on(async { 2 + 2 }), 4);
/// ```
///
/// # Panics
///
/// When called inside a running runtime (it would block the runtime's thread), and when the
/// future returns `Pending` while keeping no clone of its waker: nothing could ever wake it.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    context::assert_not_in_runtime("tinyio::block_on");
    block_on::block_on(future)
}
