//! Planted mistakes in chapter 14's exercise: the blog program's own traps, on the solutions'
//! executor, gather and queue.

use solutions::ch04_executor::{Deadlock, run, spawn};
use solutions::ch14_seed::{Progress, SeedQueue, Stuck, stuck};

/// Runs `main` (given a queue and the progress note) on the solutions' executor, on a queue of
/// `maxsize` items, as the solution's `corrected` does.
fn on_runtime<F, M>(maxsize: usize, main: M) -> Result<(), Stuck>
where
    M: FnOnce(SeedQueue<u32>, Progress) -> F,
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let queue = SeedQueue::new(maxsize);
    let progress = Progress::new("start");
    let future = main(queue.clone(), progress.clone());
    run(future).map_err(|Deadlock| stuck(&queue, &progress))
}

/// Keeps the consumer inside the `gather`, as the blog does, in the corrected program too.
pub mod consumer_in_gather {
    use std::future::Future;
    use std::pin::Pin;

    use solutions::ch05_gather::gather;
    pub use solutions::ch14_seed::original;
    use solutions::ch14_seed::{Say, Stuck, consume, produce};

    /// Never finishes: the gather waits for the consumer.
    pub fn corrected(maxsize: usize, say: Say) -> Result<(), Stuck> {
        super::on_runtime(maxsize, |queue, progress| async move {
            type Child<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
            let children: Vec<Child<'_>> = vec![
                Box::pin(produce(&queue, &say)),
                Box::pin(consume(queue.clone(), say.clone())), // the mistake
            ];
            progress.set("gather");
            gather(children).await;
            progress.set("join");
            queue.join().await;
            say("Joined: all items processed".to_string());
            say(format!("FINISHED (qsize={})", queue.len()));
        })
    }
}

/// A consumer that takes items and never marks them done: `join` waits forever.
pub mod no_task_done {
    pub use solutions::ch14_seed::original;
    use solutions::ch14_seed::{Aborted, Say, SeedQueue, Stuck, abortable, produce};

    async fn consume(queue: SeedQueue<u32>, say: Say) {
        loop {
            let item = queue.get().await;
            say(format!("Consumed: {item}"));
            // the mistake: no queue.task_done()
        }
    }

    /// Never finishes: main waits in join.
    pub fn corrected(maxsize: usize, say: Say) -> Result<(), Stuck> {
        super::on_runtime(maxsize, |queue, progress| async move {
            let (consumer, abort) = abortable(consume(queue.clone(), say.clone()));
            let consumer = super::spawn(consumer);
            progress.set("produce");
            produce(&queue, &say).await;
            progress.set("join");
            queue.join().await;
            say("Joined: all items processed".to_string());
            abort.abort();
            progress.set("consumer");
            if let Ok(Err(Aborted)) = consumer.await {
                say("Consumer: cancelled while waiting in get()".to_string());
            }
            say(format!("FINISHED (qsize={})", queue.len()));
        })
    }
}

/// Awaits the consumer as Python's `await consumer` does, without stopping it first.
pub mod consumer_not_aborted {
    pub use solutions::ch14_seed::original;
    use solutions::ch14_seed::{Say, Stuck, consume, produce};

    /// Never finishes: main waits for a consumer that never returns.
    pub fn corrected(maxsize: usize, say: Say) -> Result<(), Stuck> {
        super::on_runtime(maxsize, |queue, progress| async move {
            let consumer = super::spawn(consume(queue.clone(), say.clone()));
            progress.set("produce");
            produce(&queue, &say).await;
            progress.set("join");
            queue.join().await;
            say("Joined: all items processed".to_string());
            // the mistake: no abort
            progress.set("consumer");
            if consumer.await.is_ok() {
                say("Consumer: returned".to_string());
            }
            say(format!("FINISHED (qsize={})", queue.len()));
        })
    }
}

/// The solution's two programs, on another executor (`$exec`, a module with `run` and
/// `spawn`): the capstone runs on the learner's executor, so a flawed one shows.
macro_rules! on_executor {
    ($(#[$doc:meta])* $name:ident, $($exec:ident)::+) => {
        $(#[$doc])*
        pub mod $name {
            use std::future::Future;
            use std::pin::Pin;

            use solutions::ch05_gather::gather;
            use solutions::ch14_seed::{
                Aborted, Progress, Say, SeedQueue, Stuck, abortable, consume, produce, stuck,
            };
            use $($exec)::+::{Deadlock, run, spawn};

            type Child<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

            /// The solution's `original`, on this executor.
            pub fn original(say: Say) -> Result<(), Stuck> {
                let queue = SeedQueue::new(0);
                let progress = Progress::new("start");
                let main = {
                    let (queue, progress) = (queue.clone(), progress.clone());
                    async move {
                        let children: Vec<Child<'_>> = vec![
                            Box::pin(produce(&queue, &say)),
                            Box::pin(consume(queue.clone(), say.clone())),
                        ];
                        progress.set("gather");
                        gather(children).await;
                        progress.set("join");
                        queue.join().await;
                    }
                };
                run(main).map_err(|Deadlock| stuck(&queue, &progress))
            }

            /// The solution's `corrected`, on this executor.
            pub fn corrected(maxsize: usize, say: Say) -> Result<(), Stuck> {
                let queue = SeedQueue::new(maxsize);
                let progress = Progress::new("start");
                let main = {
                    let (queue, progress) = (queue.clone(), progress.clone());
                    async move {
                        let (consumer, abort) = abortable(consume(queue.clone(), say.clone()));
                        let consumer = spawn(consumer);
                        progress.set("produce");
                        produce(&queue, &say).await;
                        progress.set("join");
                        queue.join().await;
                        say("Joined: all items processed".to_string());
                        abort.abort();
                        progress.set("consumer");
                        if let Ok(Err(Aborted)) = consumer.await {
                            say("Consumer: cancelled while waiting in get()".to_string());
                        }
                        say(format!("FINISHED (qsize={})", queue.len()));
                    }
                };
                run(main).map_err(|Deadlock| stuck(&queue, &progress))
            }
        }
    };
}

on_executor!(
    /// A learner's chapter 4 executor that waits when nothing is runnable, instead of returning
    /// `Err(Deadlock)`: the original program hangs, as in CPython.
    spinning_executor,
    crate::planted::ch04::executor_spin_when_idle
);

/// tinyio's executor, in the shape of the chapter 4 one: the program would pass on it, but the
/// capstone is about the learner's own.
pub mod tinyio_executor {
    use std::future::Future;

    pub use solutions::ch04_executor::Deadlock;
    pub use tinyio::spawn;

    /// `tinyio::try_run`, with the chapter 4 error.
    pub fn run<F>(future: F) -> Result<F::Output, Deadlock>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        tinyio::try_run(future).map_err(|_| Deadlock)
    }
}

on_executor!(
    /// The solution's programs on tinyio's runtime instead of the learner's executor.
    on_tinyio,
    crate::planted::ch14::tinyio_executor
);
