//! The workloads, once per peer. Every function runs one whole workload on a fresh runtime and
//! returns a checksum (the sum of the items or outputs it saw), so the harness can check that
//! every peer did the same work and the optimiser cannot skip it.
//!
//! Peers:
//! - `tinyio`: `tinyio::run`, `tinyio::spawn`, `tinyio::Queue`, `tinyio::gather`;
//! - `tokio`: a `current_thread` runtime, `tokio::spawn`, `tokio::sync::mpsc`;
//! - `futures`: `futures::executor::LocalPool`, `futures::channel::mpsc`;
//! - `async-channel`: `async_executor::LocalExecutor` with `async_channel`;
//! - `flume`: `async_executor::LocalExecutor` with `flume`'s async API.
//!
//! `gather` is `futures::future::join_all` for the Rust peers. `tokio::sync::mpsc` and
//! `futures::channel::mpsc` have one receiver, so their W4 consumers share it behind an async
//! mutex, which is what programs using them write. Channels have no `task_done`/`join`: their W4
//! producer closes the channel and `main` awaits the consumers, which end when it is drained.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::executor::LocalPool;
use futures::future::join_all;
use futures::task::LocalSpawnExt;
use futures::{SinkExt, StreamExt};

/// W4's number of consumer tasks.
pub const CONSUMERS: usize = 8;
/// W4's queue capacity.
pub const W4_CAPACITY: usize = 64;

/// The sum of `0..n`: every workload's checksum.
pub fn expected_sum(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

// ----- W1: one producer task, one consumer task, `n` items ----------------------------------------

/// W1 on tinyio: `cap` is `None` for an unbounded queue.
pub fn w1_tinyio(n: u64, cap: Option<usize>) -> u64 {
    tinyio::run(async move {
        let queue = match cap {
            None => tinyio::Queue::new(),
            Some(cap) => tinyio::Queue::bounded(cap),
        };
        let sender = queue.clone();
        let producer = tinyio::spawn(async move {
            for i in 0..n {
                sender.put(i).await.unwrap();
            }
        });
        let consumer = tinyio::spawn(async move {
            let mut sum = 0;
            for _ in 0..n {
                sum += queue.get().await.unwrap();
            }
            sum
        });
        producer.await.unwrap();
        consumer.await.unwrap()
    })
}

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// W1 on tokio, bounded (`tokio::sync::mpsc::channel(cap)`).
pub fn w1_tokio_bounded(n: u64, cap: usize) -> u64 {
    tokio_runtime().block_on(async move {
        let (sender, mut receiver) = tokio::sync::mpsc::channel(cap);
        let producer = tokio::spawn(async move {
            for i in 0..n {
                sender.send(i).await.unwrap();
            }
        });
        let consumer = tokio::spawn(async move {
            let mut sum = 0;
            for _ in 0..n {
                sum += receiver.recv().await.unwrap();
            }
            sum
        });
        producer.await.unwrap();
        consumer.await.unwrap()
    })
}

/// W1 on tokio, unbounded.
pub fn w1_tokio_unbounded(n: u64) -> u64 {
    tokio_runtime().block_on(async move {
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
        let producer = tokio::spawn(async move {
            for i in 0..n {
                sender.send(i).unwrap();
            }
        });
        let consumer = tokio::spawn(async move {
            let mut sum = 0;
            for _ in 0..n {
                sum += receiver.recv().await.unwrap();
            }
            sum
        });
        producer.await.unwrap();
        consumer.await.unwrap()
    })
}

/// W1 on futures' `LocalPool`, bounded. `futures::channel::mpsc::channel(b)` holds `b` items
/// plus one per sender, so a capacity of `cap` with one sender is `channel(cap - 1)`.
pub fn w1_futures_bounded(n: u64, cap: usize) -> u64 {
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    pool.run_until(async move {
        let (mut sender, mut receiver) = futures::channel::mpsc::channel(cap - 1);
        let producer = spawner
            .spawn_local_with_handle(async move {
                for i in 0..n {
                    sender.send(i).await.unwrap();
                }
            })
            .unwrap();
        let consumer = spawner
            .spawn_local_with_handle(async move {
                let mut sum = 0;
                for _ in 0..n {
                    sum += receiver.next().await.unwrap();
                }
                sum
            })
            .unwrap();
        producer.await;
        consumer.await
    })
}

/// W1 on futures' `LocalPool`, unbounded.
pub fn w1_futures_unbounded(n: u64) -> u64 {
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    pool.run_until(async move {
        let (sender, mut receiver) = futures::channel::mpsc::unbounded();
        let producer = spawner
            .spawn_local_with_handle(async move {
                for i in 0..n {
                    sender.unbounded_send(i).unwrap();
                }
            })
            .unwrap();
        let consumer = spawner
            .spawn_local_with_handle(async move {
                let mut sum = 0;
                for _ in 0..n {
                    sum += receiver.next().await.unwrap();
                }
                sum
            })
            .unwrap();
        producer.await;
        consumer.await
    })
}

/// Runs `main` on a fresh `async_executor::LocalExecutor`, which it may spawn on.
fn on_local_executor<T>(main: impl AsyncFnOnce(&async_executor::LocalExecutor<'_>) -> T) -> T {
    let executor = async_executor::LocalExecutor::new();
    futures::executor::block_on(executor.run(main(&executor)))
}

/// W1 on async-executor with async-channel: `cap` is `None` for an unbounded channel.
pub fn w1_async_channel(n: u64, cap: Option<usize>) -> u64 {
    on_local_executor(async move |executor| {
        let (sender, receiver) = match cap {
            None => async_channel::unbounded(),
            Some(cap) => async_channel::bounded(cap),
        };
        let producer = executor.spawn(async move {
            for i in 0..n {
                sender.send(i).await.unwrap();
            }
        });
        let consumer = executor.spawn(async move {
            let mut sum = 0;
            for _ in 0..n {
                sum += receiver.recv().await.unwrap();
            }
            sum
        });
        producer.await;
        consumer.await
    })
}

/// W1 on async-executor with flume: `cap` is `None` for an unbounded channel.
pub fn w1_flume(n: u64, cap: Option<usize>) -> u64 {
    on_local_executor(async move |executor| {
        let (sender, receiver) = match cap {
            None => flume::unbounded(),
            Some(cap) => flume::bounded(cap),
        };
        let producer = executor.spawn(async move {
            for i in 0..n {
                sender.send_async(i).await.unwrap();
            }
        });
        let consumer = executor.spawn(async move {
            let mut sum = 0;
            for _ in 0..n {
                sum += receiver.recv_async().await.unwrap();
            }
            sum
        });
        producer.await;
        consumer.await
    })
}

// ----- W2: spawn `n` trivial tasks, then await every handle ---------------------------------------

/// W2 on tinyio.
pub fn w2_tinyio(n: u64) -> u64 {
    tinyio::run(async move {
        let handles: Vec<_> = (0..n).map(|i| tinyio::spawn(async move { i })).collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await.unwrap();
        }
        sum
    })
}

/// W2 on tokio.
pub fn w2_tokio(n: u64) -> u64 {
    tokio_runtime().block_on(async move {
        let handles: Vec<_> = (0..n).map(|i| tokio::spawn(async move { i })).collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await.unwrap();
        }
        sum
    })
}

/// W2 on futures' `LocalPool`.
pub fn w2_futures(n: u64) -> u64 {
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    pool.run_until(async move {
        let handles: Vec<_> = (0..n)
            .map(|i| spawner.spawn_local_with_handle(async move { i }).unwrap())
            .collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await;
        }
        sum
    })
}

/// W2 on async-executor.
pub fn w2_async_executor(n: u64) -> u64 {
    on_local_executor(async move |executor| {
        let handles: Vec<_> = (0..n).map(|i| executor.spawn(async move { i })).collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await;
        }
        sum
    })
}

// ----- W3: gather `n` futures, ready at once or after yielding once --------------------------------

/// Returns `Pending` once (after waking its task), then `Ready`: `yield_now` for the executors
/// that have none.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// W3 on tinyio: `tinyio::gather`.
pub fn w3_tinyio(n: u64, yield_once: bool) -> u64 {
    tinyio::run(async move {
        let outputs = tinyio::gather((0..n).map(|i| async move {
            if yield_once {
                tinyio::yield_now().await;
            }
            i
        }))
        .await;
        outputs.into_iter().sum()
    })
}

/// W3 on tokio: `join_all`, with `tokio::task::yield_now`.
pub fn w3_tokio(n: u64, yield_once: bool) -> u64 {
    tokio_runtime().block_on(async move {
        let outputs = join_all((0..n).map(|i| async move {
            if yield_once {
                tokio::task::yield_now().await;
            }
            i
        }))
        .await;
        outputs.into_iter().sum()
    })
}

/// W3 on futures' `LocalPool`: `join_all`.
pub fn w3_futures(n: u64, yield_once: bool) -> u64 {
    LocalPool::new().run_until(async move {
        let outputs = join_all((0..n).map(|i| async move {
            if yield_once {
                YieldOnce(false).await;
            }
            i
        }))
        .await;
        outputs.into_iter().sum()
    })
}

/// W3 on async-executor: `join_all`.
pub fn w3_async_executor(n: u64, yield_once: bool) -> u64 {
    on_local_executor(async move |_| {
        let outputs = join_all((0..n).map(|i| async move {
            if yield_once {
                YieldOnce(false).await;
            }
            i
        }))
        .await;
        outputs.into_iter().sum()
    })
}

// ----- W4: one producer, 8 consumers, bounded 64, everything processed -----------------------------

/// W4 on tinyio, one thread: consumers call `task_done`, `main` awaits `join`, then shuts the
/// queue down so the idle consumers return their sums.
pub fn w4_tinyio(n: u64) -> u64 {
    tinyio::run(async move {
        let queue = tinyio::Queue::bounded(W4_CAPACITY);
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let queue = queue.clone();
                tinyio::spawn(async move {
                    let mut sum = 0;
                    while let Ok(item) = queue.get().await {
                        sum += item;
                        queue.task_done().unwrap();
                    }
                    sum
                })
            })
            .collect();
        let sender = queue.clone();
        let producer = tinyio::spawn(async move {
            for i in 0..n {
                sender.put(i).await.unwrap();
            }
        });
        producer.await.unwrap();
        queue.join().await;
        queue.shutdown(false);
        let mut sum = 0;
        for consumer in consumers {
            sum += consumer.await.unwrap();
        }
        sum
    })
}

/// W4 on tokio: the consumers share the receiver behind `tokio::sync::Mutex`.
pub fn w4_tokio(n: u64) -> u64 {
    tokio_runtime().block_on(async move {
        let (sender, receiver) = tokio::sync::mpsc::channel(W4_CAPACITY);
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let receiver = receiver.clone();
                tokio::spawn(async move {
                    let mut sum = 0;
                    while let Some(item) = receiver.lock().await.recv().await {
                        sum += item;
                    }
                    sum
                })
            })
            .collect();
        let producer = tokio::spawn(async move {
            for i in 0..n {
                sender.send(i).await.unwrap();
            }
        });
        producer.await.unwrap();
        let mut sum = 0;
        for consumer in consumers {
            sum += consumer.await.unwrap();
        }
        sum
    })
}

/// W4 on futures' `LocalPool`: the consumers share the receiver behind `futures::lock::Mutex`.
pub fn w4_futures(n: u64) -> u64 {
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    pool.run_until(async move {
        let (mut sender, receiver) = futures::channel::mpsc::channel(W4_CAPACITY - 1);
        let receiver = Arc::new(futures::lock::Mutex::new(receiver));
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let receiver = receiver.clone();
                spawner
                    .spawn_local_with_handle(async move {
                        let mut sum = 0;
                        while let Some(item) = receiver.lock().await.next().await {
                            sum += item;
                        }
                        sum
                    })
                    .unwrap()
            })
            .collect();
        let producer = spawner
            .spawn_local_with_handle(async move {
                for i in 0..n {
                    sender.send(i).await.unwrap();
                }
            })
            .unwrap();
        producer.await;
        let mut sum = 0;
        for consumer in consumers {
            sum += consumer.await;
        }
        sum
    })
}

/// W4 on async-executor with async-channel (a multi-consumer channel).
pub fn w4_async_channel(n: u64) -> u64 {
    on_local_executor(async move |executor| {
        let (sender, receiver) = async_channel::bounded(W4_CAPACITY);
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let receiver = receiver.clone();
                executor.spawn(async move {
                    let mut sum = 0;
                    while let Ok(item) = receiver.recv().await {
                        sum += item;
                    }
                    sum
                })
            })
            .collect();
        drop(receiver);
        let producer = executor.spawn(async move {
            for i in 0..n {
                sender.send(i).await.unwrap();
            }
        });
        producer.await;
        let mut sum = 0;
        for consumer in consumers {
            sum += consumer.await;
        }
        sum
    })
}

/// W4 on async-executor with flume (a multi-consumer channel).
pub fn w4_flume(n: u64) -> u64 {
    on_local_executor(async move |executor| {
        let (sender, receiver) = flume::bounded(W4_CAPACITY);
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let receiver = receiver.clone();
                executor.spawn(async move {
                    let mut sum = 0;
                    while let Ok(item) = receiver.recv_async().await {
                        sum += item;
                    }
                    sum
                })
            })
            .collect();
        drop(receiver);
        let producer = executor.spawn(async move {
            for i in 0..n {
                sender.send_async(i).await.unwrap();
            }
        });
        producer.await;
        let mut sum = 0;
        for consumer in consumers {
            sum += consumer.await;
        }
        sum
    })
}

// ----- Floors: what the building blocks cost on their own ------------------------------------------

/// A `VecDeque` push then pop, `n` times: the cheapest a queue of one item at a time can be.
pub fn floor_vecdeque(n: u64) -> u64 {
    let mut buffer = std::collections::VecDeque::new();
    let mut sum = 0;
    for i in 0..n {
        buffer.push_back(std::hint::black_box(i));
        sum += buffer.pop_front().unwrap();
    }
    sum
}

/// A `crossbeam-channel` send then receive on one thread, `n` times: tinyio's run queue, once
/// per wake-up.
pub fn floor_crossbeam(n: u64) -> u64 {
    let (sender, receiver) = crossbeam_channel::unbounded();
    let mut sum = 0;
    for i in 0..n {
        sender.send(std::hint::black_box(i)).unwrap();
        sum += receiver.try_recv().unwrap();
    }
    sum
}

/// A `std::sync::Mutex` lock and unlock, `n` times (uncontended): the queue takes one per
/// operation.
pub fn floor_mutex(n: u64) -> u64 {
    let mutex = std::sync::Mutex::new(0u64);
    for i in 0..n {
        *mutex.lock().unwrap() += std::hint::black_box(i);
    }
    mutex.into_inner().unwrap()
}

/// An `Arc` of 64 bytes allocated and freed, `n` times: one of a tinyio task's two allocations.
pub fn floor_alloc(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let block = std::hint::black_box(Arc::new([i; 8]));
        sum += block[0];
    }
    sum
}
