//! Chapter 14, the capstone: the learner's own executor (chapter 4), `gather` (chapter 5) and
//! queue (chapters 6 to 8) run the blog's program.
//!
//! Unlike the other graders, this one does not isolate the chapter: the whole point is that the
//! learner's pieces run together, with no tinyio runtime under them. The scenarios log what the
//! program says, then how it ended: `run returned Ok` or the learner's `Stuck` verdict.

use std::sync::Arc;

use crate::{Exercise, Scenario, log};

/// Where the program's lines go.
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

/// The capstone exercise, as the grader sees it. The error is the `Stuck` verdict, as text.
pub trait Capstone {
    /// `original(say)`: the blog's program as it is.
    fn original(say: Say) -> Result<(), String>;
    /// `corrected(maxsize, say)`: the corrected program.
    fn corrected(maxsize: usize, say: Say) -> Result<(), String>;
}

/// Implements [`Capstone`] for `$ty` with the module `$m` (which has `original` and
/// `corrected`, returning `Result<(), Stuck>` where `Stuck` is `Display`).
#[macro_export]
macro_rules! bind_capstone {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch14::Capstone for $ty {
            fn original(say: $crate::ch14::Say) -> ::core::result::Result<(), String> {
                $($m)::+::original(say).map_err(|stuck| stuck.to_string())
            }
            fn corrected(
                maxsize: usize,
                say: $crate::ch14::Say,
            ) -> ::core::result::Result<(), String> {
                $($m)::+::corrected(maxsize, say).map_err(|stuck| stuck.to_string())
            }
        }
    };
}

/// Logs how the program ended.
fn ended(result: Result<(), String>) {
    match result {
        Ok(()) => log("run returned Ok"),
        Err(stuck) => log(format!("run: {stuck}")),
    }
}

/// A `Say` that logs each line, and says so if the line comes from inside tinyio's runtime
/// (where `tinyio::now` works): the program must run on the learner's executor.
fn say() -> Say {
    Arc::new(|line: String| {
        if crate::catch(tinyio::now).is_ok() {
            log("(this line was said inside tinyio's runtime, not on your executor)");
        }
        log(line)
    })
}

/// The grader for `exercises/src/ch14_seed.rs`.
pub fn capstone<C: Capstone>() -> Exercise {
    Exercise {
        id: "ch14_seed",
        chapter: 14,
        title: "Your runtime runs the seed program",
        file: "exercises/src/ch14_seed.rs",
        recipe: "original: build the queue with SeedQueue::new(0) and a Progress outside the main \
               future, and move clones of both into it (run needs Send + 'static). Inside, box \
               the two children as Pin<Box<dyn Future<Output = ()> + Send + '_>> so that one \
               Vec holds both, set progress to \"gather\", await gather(children), set \"join\", \
               await queue.join(). Call run(main) and map Err(Deadlock) to Stuck { \
               main_waits_in: progress.get(), qsize: queue.len(), unfinished: \
               queue.unfinished() }. corrected: let (task, handle) = abortable(consume(...)); \
               spawn(task); set \"produce\" and await the producer; set \"join\" and await \
               queue.join(); say Joined; handle.abort(); set \"consumer\" and await the \
               JoinHandle: Ok(Err(Aborted)) is the cancelled consumer; say FINISHED with \
               queue.len().",
        on_hang: "your program never finished and your executor did not report a deadlock. Does \
                  your chapter 4 `run` wait when its run queue is empty instead of returning \
                  Err(Deadlock)? Does a task loop without waiting? Check that `cargo test ch04` \
                  passes: this exercise runs on your executor.",
        scenarios: vec![
            Scenario {
                name: "original",
                checks: "the blog's program: 10 produced, 10 consumed, then your executor says \
                         main waits in gather forever",
                hint: "The consumer never returns, so a gather that holds it never completes. \
                       Your executor must notice that the main task is pending and nothing can \
                       run, and your program must turn that into Stuck (chapter 14, \"The \
                       original program\"; chapter 4 for Err(Deadlock)).",
                run: original::<C>,
            },
            Scenario {
                name: "corrected",
                checks: "the corrected program on an unbounded queue: CPython's lines, in \
                         CPython's order",
                hint: "Compare with CPython's seed_fixed.out. If main waits in gather, the \
                       consumer is still a gather child; in join, an item was never marked \
                       done; in consumer, the consumer was awaited without being stopped \
                       (chapter 14, \"The traps\").",
                run: corrected::<C>,
            },
            Scenario {
                name: "maxsize_2",
                checks: "the corrected program on a queue of 2 items: the producer and the \
                         consumer take turns as in CPython",
                hint: "With maxsize 2 the producer waits in put, and your chapter 7 Put and \
                       Get decide who runs next. Pass `cargo test ch07` first; if only the \
                       order differs, compare with seed_fixed_maxsize2.out (chapter 14, \"Two \
                       at a time\").",
                run: maxsize_2::<C>,
            },
        ],
    }
}

fn original<C: Capstone>() {
    ended(C::original(say()));
}

fn corrected<C: Capstone>() {
    ended(C::corrected(0, say()));
}

fn maxsize_2<C: Capstone>() {
    ended(C::corrected(2, say()));
}
