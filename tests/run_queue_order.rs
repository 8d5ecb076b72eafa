//! The run queue keeps one FIFO order across its local queue (wake-ups from the runtime's own
//! thread) and its inject queue (wake-ups from other threads): a wake-up that happened before
//! another runs first, whichever queue each went through.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

type Log = Arc<Mutex<Vec<&'static str>>>;

/// Pending until woken once; logs its name when it runs after the wake-up.
struct WaitOnce {
    name: &'static str,
    waker: Arc<Mutex<Option<Waker>>>,
    log: Log,
    polled: bool,
}

impl Future for WaitOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.polled {
            self.log.lock().unwrap().push(self.name);
            return Poll::Ready(());
        }
        self.polled = true;
        *self.waker.lock().unwrap() = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// Spawns two waiting tasks, lets them register, then wakes them as `wake` says and returns
/// the order they ran in.
fn order(wake: impl FnOnce(Waker, Waker)) -> Vec<&'static str> {
    let log: Log = Arc::default();
    let (a, b) = (Arc::new(Mutex::new(None)), Arc::new(Mutex::new(None)));
    let spawn = |name, waker: &Arc<Mutex<Option<Waker>>>| {
        tinyio::spawn(WaitOnce {
            name,
            waker: waker.clone(),
            log: log.clone(),
            polled: false,
        })
    };
    tinyio::run(async {
        let first = spawn("threaded", &a);
        let second = spawn("local", &b);
        tinyio::yield_now().await; // both run once and wait
        let threaded = a.lock().unwrap().take().unwrap();
        let local = b.lock().unwrap().take().unwrap();
        wake(threaded, local);
        first.await.unwrap();
        second.await.unwrap();
    });
    Arc::try_unwrap(log).unwrap().into_inner().unwrap()
}

#[test]
fn a_wake_up_from_another_thread_before_a_local_one_runs_first() {
    let ran = order(|threaded, local| {
        // The thread's wake-up is over (joined) before the local one is made.
        std::thread::spawn(move || threaded.wake()).join().unwrap();
        local.wake();
    });
    assert_eq!(ran, ["threaded", "local"]);
}

#[test]
fn a_local_wake_up_before_one_from_another_thread_runs_first() {
    let ran = order(|threaded, local| {
        local.wake();
        std::thread::spawn(move || threaded.wake()).join().unwrap();
    });
    assert_eq!(ran, ["local", "threaded"]);
}

#[test]
fn wake_ups_from_other_threads_keep_their_order_among_local_ones() {
    // Three rounds interleaved: local, threaded, local, threaded, ...
    let log: Log = Arc::default();
    let wakers: Vec<_> = (0..6).map(|_| Arc::new(Mutex::new(None))).collect();
    const NAMES: [&str; 6] = ["l0", "t1", "l2", "t3", "l4", "t5"];
    tinyio::run(async {
        let handles: Vec<_> = NAMES
            .iter()
            .zip(&wakers)
            .map(|(&name, waker)| {
                tinyio::spawn(WaitOnce {
                    name,
                    waker: waker.clone(),
                    log: log.clone(),
                    polled: false,
                })
            })
            .collect();
        tinyio::yield_now().await;
        for (i, waker) in wakers.iter().enumerate() {
            let waker = waker.lock().unwrap().take().unwrap();
            if i % 2 == 0 {
                waker.wake();
            } else {
                std::thread::spawn(move || waker.wake()).join().unwrap();
            }
        }
        for handle in handles {
            handle.await.unwrap();
        }
    });
    assert_eq!(*log.lock().unwrap(), NAMES);
}
