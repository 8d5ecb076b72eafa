//! Chapter 5: gather. The naive gather, its poll count against tinyio's per-child wakers, the
//! `gather!` macro, and timelines of `try_gather` in one task and of gathered task handles.

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

/// A child of the measurement, boxed so both gathers take the same type.
type Kid = Pin<Box<dyn Future<Output = usize>>>;

/// The gates of the measurement: open or not, and the waker of the child behind each.
type Gates = Rc<RefCell<Vec<(bool, Option<Waker>)>>>;

// ANCHOR: measure
/// `n` children, each waiting for its own gate; another future opens the gates `batch` at a
/// time, one batch per turn. Returns how many times the children were polled in all.
pub fn count_polls<G>(n: usize, batch: usize, gather: fn(Vec<Kid>) -> G) -> u64
where
    G: Future<Output = Vec<usize>>,
{
    let gates: Gates = Rc::new(RefCell::new(vec![(false, None); n]));
    let polls = Rc::new(Cell::new(0));
    let children = (0..n).map(|index| {
        let (gates, polls) = (gates.clone(), polls.clone());
        let child = poll_fn(move |cx| {
            polls.set(polls.get() + 1);
            let mut gates = gates.borrow_mut();
            if gates[index].0 {
                return Poll::Ready(index);
            }
            gates[index].1 = Some(cx.waker().clone());
            Poll::Pending
        });
        Box::pin(child) as Kid
    });
    let opener = async {
        for first in (0..n).step_by(batch) {
            for gate in &mut gates.borrow_mut()[first..(first + batch).min(n)] {
                gate.0 = true;
                if let Some(waker) = gate.1.take() {
                    waker.wake();
                }
            }
            tinyio::yield_now().await;
        }
    };
    let ((), outputs) = tinyio::run(async {
        tinyio::gather!(opener, gather(children.collect())).await
    });
    assert!(outputs.into_iter().eq(0..n), "results in input order");
    polls.get()
}
// ANCHOR_END: measure

/// Both gathers on 10,000 children, gates opened 100 at a time.
pub fn poll_counts() -> Vec<String> {
    let naive = count_polls(10_000, 100, crate::ch05_naive::gather);
    let woken = count_polls(10_000, 100, tinyio::gather);
    vec![
        String::from(
            "10000 children; their gates open 100 at a time, one batch per turn",
        ),
        format!(
            "naive gather (every child, every wake): {naive:>7} child polls"
        ),
        format!(
            "tinyio::gather (per-child wakers):      {woken:>7} child polls"
        ),
        String::from("both gave the 10000 results in input order"),
    ]
}

// ANCHOR: mixed
/// `gather!` takes futures of different types and returns a tuple.
pub async fn mixed() -> String {
    let count = async {
        tinyio::yield_now().await;
        3
    };
    let name = async { "eggs" };
    let (count, name) = tinyio::gather!(count, name).await;
    format!("{count} {name}")
}
// ANCHOR_END: mixed

/// Logs `<name> dropped` into the trace when dropped.
struct Dropped(&'static str);

impl Drop for Dropped {
    fn drop(&mut self) {
        tinyio::trace::log(format!("{} dropped", self.0));
    }
}

// ANCHOR: cook
/// A cook: `steps` steps with a yield between them, then `Ok`, or `Err` if `burns`.
async fn cook(
    name: &'static str,
    steps: u32,
    burns: bool,
) -> Result<u32, String> {
    let _guard = Dropped(name);
    for step in 1..=steps {
        tinyio::trace::log(format!("{name}: step {step}"));
        tinyio::yield_now().await;
    }
    if burns {
        return Err(format!("{name} burnt"));
    }
    Ok(steps)
}
// ANCHOR_END: cook

// ANCHOR: one_task
/// `try_gather` in one task: when `toast` fails, `soup` and `stew` are dropped.
pub async fn in_one_task() -> Result<Vec<u32>, String> {
    tinyio::try_gather([
        cook("soup", 3, false),
        cook("toast", 1, true),
        cook("stew", 3, false),
    ])
    .await
}
// ANCHOR_END: one_task

// ANCHOR: as_tasks
/// asyncio's way: the children are tasks. `toast` fails and the others go on;
/// aborting the task that gathers them cancels every child that is left.
pub async fn as_tasks() {
    let boss = tinyio::spawn_named("boss", async {
        let handles =
            [("soup", 3, false), ("toast", 1, true), ("stew", 3, false)].map(
                |(name, steps, burns)| {
                    tinyio::spawn_named(name, cook(name, steps, burns))
                        .abort_on_drop()
                },
            );
        tinyio::gather(handles).await
    });
    for _ in 0..3 {
        tinyio::yield_now().await;
    }
    tinyio::trace::log("main aborts boss");
    boss.abort();
    let outcome = boss.await;
    tinyio::trace::log(match outcome {
        Ok(_) => String::from("boss finished"),
        Err(error) => format!("main: {error}"),
    });
}
// ANCHOR_END: as_tasks

/// The timeline of a program on a traced runtime. Long "pending" lines are
/// broken after each `;`, so the timeline fits the page.
fn timeline<F: Future>(program: F) -> (Vec<String>, F::Output) {
    let trace = tinyio::Trace::new();
    let output = tinyio::Runtime::new().trace(&trace).run(program);
    let mut lines = Vec::new();
    for line in trace.render().lines() {
        let column = line.find("pending: ").unwrap_or(0);
        let mut parts = line.split("; ");
        lines.push(parts.next().unwrap_or_default().to_string());
        for part in parts {
            let last = lines.len() - 1;
            lines[last].push(';');
            lines.push(format!("{:column$}         {part}", ""));
        }
    }
    (lines, output)
}

/// The timeline of [`in_one_task`], and its result.
pub fn in_one_task_timeline() -> Vec<String> {
    let (mut lines, result) = timeline(in_one_task());
    lines.push(format!("try_gather returned {result:?}"));
    lines
}

/// The timeline of [`as_tasks`].
pub fn as_tasks_timeline() -> Vec<String> {
    timeline(as_tasks()).0
}

#[cfg(test)]
mod tests {
    use crate::check_output;

    #[test]
    fn poll_counts() {
        check_output("ch05_poll_counts", &super::poll_counts());
    }

    #[test]
    fn mixed() {
        assert_eq!(tinyio::run(super::mixed()), "3 eggs");
    }

    #[test]
    fn in_one_task() {
        check_output("ch05_one_task", &super::in_one_task_timeline());
    }

    /// The timeline in two parts, so each fits a page: until main aborts boss, and after.
    #[test]
    fn as_tasks() {
        let lines = super::as_tasks_timeline();
        let abort = lines
            .iter()
            .position(|line| line.contains("main aborts boss"))
            .expect("main aborts boss");
        let split = abort - 1; // the line that starts main's turn
        check_output("ch05_as_tasks_run", &lines[..split]);
        let mut after = vec![lines[0].clone()]; // the column headings
        after.extend_from_slice(&lines[split..]);
        check_output("ch05_as_tasks_abort", &after);
    }
}
