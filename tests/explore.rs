//! Exhaustive checks of the queue's waiter and counter logic: every interleaving of small
//! scenarios, explored by a deterministic scheduler.
//!
//! Each scenario is a few *actors* (futures that put, get, join, mark done) on one queue. The
//! explorer runs the scenario from scratch once per schedule: at every step it may poll any
//! actor that was woken, or cancel (drop) an actor marked cancellable while it waits; it tries
//! every such choice, depth first. After every step it checks that the capacity holds; at the
//! end of every schedule it checks that no item was lost or duplicated and that nobody sleeps
//! while it could proceed (a lost wake-up). Threads are not needed: the queue's correctness
//! across threads rests on its one mutex; what can go wrong is the *order* of operations, and
//! that is what this explores.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures_task::{ArcWake, waker_ref};
use tinyio::Queue;

/// An actor's waker: marks it runnable.
struct Flag(AtomicBool);

impl ArcWake for Flag {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.0.store(true, Ordering::SeqCst);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Putter,
    Getter,
    Joiner,
}

struct Actor {
    kind: Kind,
    future: Option<Pin<Box<dyn Future<Output = ()>>>>,
    woken: Arc<Flag>,
    cancellable: bool,
    cancelled: bool,
}

/// What the actors of one schedule observed.
#[derive(Default)]
struct World {
    got: Vec<u32>,
}

type Build =
    fn(&Queue<u32>, &Rc<RefCell<World>>) -> Vec<(Kind, bool, Pin<Box<dyn Future<Output = ()>>>)>;

struct Scenario {
    name: &'static str,
    maxsize: Option<usize>,
    /// Every item the scenario's putters put, if none is cancelled.
    items: &'static [u32],
    build: Build,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Poll(usize),
    Cancel(usize),
}

/// Runs one schedule that starts with `prefix`; returns the choices available after it (empty
/// at the end of the schedule) and checks the invariants.
fn run_schedule(scenario: &Scenario, prefix: &[Choice]) -> Result<Vec<Vec<Choice>>, String> {
    let queue = match scenario.maxsize {
        Some(n) => Queue::bounded(n),
        None => Queue::new(),
    };
    let world = Rc::new(RefCell::new(World::default()));
    let mut actors: Vec<Actor> = (scenario.build)(&queue, &world)
        .into_iter()
        .map(|(kind, cancellable, future)| Actor {
            kind,
            future: Some(future),
            woken: Arc::new(Flag(AtomicBool::new(true))),
            cancellable,
            cancelled: false,
        })
        .collect();
    let mut taken: Vec<Choice> = Vec::new();
    loop {
        let choices: Vec<Choice> = actors
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                let alive = a.future.is_some();
                let poll = (alive && a.woken.0.load(Ordering::SeqCst)).then_some(Choice::Poll(i));
                let cancel = (alive && a.cancellable && !a.cancelled).then_some(Choice::Cancel(i));
                poll.into_iter().chain(cancel)
            })
            .collect();
        if choices.is_empty() {
            break;
        }
        let step = taken.len();
        let choice = if step < prefix.len() {
            prefix[step]
        } else {
            // The first time past the prefix: report every alternative to explore.
            let mut branches = Vec::new();
            for c in &choices[1..] {
                let mut path = taken.clone();
                path.push(*c);
                branches.push(path);
            }
            let mut rest = run_schedule_from(scenario, &taken, choices[0])?;
            rest.extend(branches);
            return Ok(rest);
        };
        apply(&mut actors, choice);
        taken.push(choice);
        check_capacity(scenario, &queue, &taken)?;
    }
    check_end(scenario, &queue, &world, &actors, &taken)?;
    Ok(Vec::new())
}

/// Continues a schedule along `taken` + `first`, exploring depth first.
fn run_schedule_from(
    scenario: &Scenario,
    taken: &[Choice],
    first: Choice,
) -> Result<Vec<Vec<Choice>>, String> {
    let mut path = taken.to_vec();
    path.push(first);
    run_schedule(scenario, &path)
}

// ANCHOR: apply
fn apply(actors: &mut [Actor], choice: Choice) {
    match choice {
        Choice::Poll(i) => {
            let actor = &mut actors[i];
            actor.woken.0.store(false, Ordering::SeqCst);
            let waker = waker_ref(&actor.woken);
            let mut cx = Context::from_waker(&waker);
            let future = actor.future.as_mut().expect("only live actors are polled");
            if future.as_mut().poll(&mut cx).is_ready() {
                actor.future = None;
            }
        }
        Choice::Cancel(i) => {
            actors[i].cancelled = true;
            actors[i].future = None; // the drop is the cancellation
        }
    }
}
// ANCHOR_END: apply

fn check_capacity(scenario: &Scenario, queue: &Queue<u32>, taken: &[Choice]) -> Result<(), String> {
    if let Some(maxsize) = scenario.maxsize {
        if queue.len() > maxsize {
            return Err(format!("capacity exceeded after {taken:?}"));
        }
    }
    Ok(())
}

fn check_end(
    scenario: &Scenario,
    queue: &Queue<u32>,
    world: &Rc<RefCell<World>>,
    actors: &[Actor],
    taken: &[Choice],
) -> Result<(), String> {
    let mut left = Vec::new();
    while let Ok(item) = queue.try_get() {
        left.push(item);
    }
    // Put the items back (no waiter is woken now: this schedule is over).
    let mut seen = world.borrow().got.clone();
    seen.extend(&left);
    seen.sort_unstable();
    let any_put_cancelled = actors.iter().any(|a| a.kind == Kind::Putter && a.cancelled);
    let expected: Vec<u32> = scenario.items.to_vec();
    let duplicated = seen.windows(2).any(|w| w[0] == w[1]);
    if duplicated || (!any_put_cancelled && seen != expected) {
        return Err(format!(
            "items {seen:?}, expected {expected:?}, after {taken:?}"
        ));
    }
    for (i, actor) in actors.iter().enumerate() {
        if actor.future.is_none() {
            continue;
        }
        let could_proceed = match actor.kind {
            Kind::Getter => !left.is_empty(),
            Kind::Putter => scenario.maxsize.is_none_or(|n| left.len() < n),
            Kind::Joiner => queue.unfinished() == 0,
        };
        if could_proceed {
            return Err(format!(
                "actor {i} sleeps though it could proceed (a lost wake-up), after {taken:?}"
            ));
        }
    }
    Ok(())
}

// ANCHOR: explore
/// Explores every schedule of `scenario`; returns how many there were.
fn explore(scenario: &Scenario) -> usize {
    let mut stack: Vec<Vec<Choice>> = vec![Vec::new()];
    let mut schedules = 0;
    while let Some(prefix) = stack.pop() {
        match run_schedule(scenario, &prefix) {
            Ok(branches) if branches.is_empty() => schedules += 1,
            Ok(branches) => stack.extend(branches),
            Err(message) => panic!("{}: {message}", scenario.name),
        }
        assert!(
            schedules < 2_000_000,
            "{}: too many schedules",
            scenario.name
        );
    }
    schedules
}
// ANCHOR_END: explore

fn putter(queue: &Queue<u32>, items: &'static [u32]) -> Pin<Box<dyn Future<Output = ()>>> {
    let queue = queue.clone();
    Box::pin(async move {
        for &item in items {
            queue.put(item).await.unwrap();
        }
    })
}

fn getter(
    queue: &Queue<u32>,
    world: &Rc<RefCell<World>>,
    count: usize,
) -> Pin<Box<dyn Future<Output = ()>>> {
    let (queue, world) = (queue.clone(), world.clone());
    Box::pin(async move {
        for _ in 0..count {
            let item = queue.get().await.unwrap();
            world.borrow_mut().got.push(item);
            queue.task_done().unwrap();
        }
    })
}

fn joiner(queue: &Queue<u32>) -> Pin<Box<dyn Future<Output = ()>>> {
    let queue = queue.clone();
    Box::pin(async move { queue.join().await })
}

#[test]
fn bounded_one_with_two_putters_and_two_getters() {
    let scenario = Scenario {
        name: "bounded(1), 2 putters, 2 getters",
        maxsize: Some(1),
        items: &[1, 2],
        build: |q, w| {
            vec![
                (Kind::Putter, false, putter(q, &[1])),
                (Kind::Putter, false, putter(q, &[2])),
                (Kind::Getter, false, getter(q, w, 1)),
                (Kind::Getter, false, getter(q, w, 1)),
            ]
        },
    };
    let schedules = explore(&scenario);
    println!("{}: {schedules} schedules", scenario.name);
    assert!(schedules > 20, "explored only {schedules} schedules");
}

// ANCHOR: cancelled_getter
#[test]
fn a_cancelled_getter_never_loses_an_item_or_a_wake_up() {
    let scenario = Scenario {
        name: "unbounded, 1 putter of 2, a cancellable getter, 2 getters",
        maxsize: None,
        items: &[1, 2],
        build: |q, w| {
            vec![
                (Kind::Getter, true, getter(q, w, 1)),
                (Kind::Getter, false, getter(q, w, 1)),
                (Kind::Getter, false, getter(q, w, 1)),
                (Kind::Putter, false, putter(q, &[1, 2])),
            ]
        },
    };
    let schedules = explore(&scenario);
    println!("{}: {schedules} schedules", scenario.name);
    assert!(schedules > 20, "explored only {schedules} schedules");
}
// ANCHOR_END: cancelled_getter

#[test]
fn a_cancelled_putter_passes_its_free_slot_on() {
    let scenario = Scenario {
        name: "bounded(1), a cancellable putter, 2 putters, 2 getters",
        maxsize: Some(1),
        items: &[1, 2, 3],
        build: |q, w| {
            vec![
                (Kind::Putter, true, putter(q, &[1])),
                (Kind::Putter, false, putter(q, &[2])),
                (Kind::Putter, false, putter(q, &[3])),
                (Kind::Getter, false, getter(q, w, 1)),
                (Kind::Getter, false, getter(q, w, 1)),
            ]
        },
    };
    let schedules = explore(&scenario);
    println!("{}: {schedules} schedules", scenario.name);
    assert!(schedules > 20, "explored only {schedules} schedules");
}

#[test]
fn join_is_released_in_every_schedule_where_all_items_are_done() {
    let scenario = Scenario {
        name: "bounded(2), putter of 3, 2 getters, 2 joiners",
        maxsize: Some(2),
        items: &[1, 2, 3],
        build: |q, w| {
            vec![
                (Kind::Putter, false, putter(q, &[1, 2, 3])),
                (Kind::Getter, false, getter(q, w, 2)),
                (Kind::Getter, false, getter(q, w, 1)),
                (Kind::Joiner, false, joiner(q)),
                (Kind::Joiner, false, joiner(q)),
            ]
        },
    };
    let schedules = explore(&scenario);
    println!("{}: {schedules} schedules", scenario.name);
    assert!(schedules > 20, "explored only {schedules} schedules");
}

// ANCHOR: catches_lost_wake_up
/// The explorer itself can fail: a getter that never registers its waker is caught.
#[test]
#[should_panic(expected = "sleeps though it could proceed (a lost wake-up)")]
fn the_explorer_catches_a_lost_wake_up() {
    let scenario = Scenario {
        name: "a getter that forgets its waker",
        maxsize: None,
        items: &[1],
        build: |q, _w| {
            let forgetful: Pin<Box<dyn Future<Output = ()>>> =
                Box::pin(std::future::poll_fn(|_cx| Poll::Pending));
            vec![
                (Kind::Putter, false, putter(q, &[1])),
                (Kind::Getter, false, forgetful),
            ]
        },
    };
    explore(&scenario);
}
// ANCHOR_END: catches_lost_wake_up

/// ... and so is an item that arrives twice.
#[test]
#[should_panic(expected = "items [1, 1]")]
fn the_explorer_catches_a_duplicated_item() {
    let scenario = Scenario {
        name: "a getter that records its item twice",
        maxsize: None,
        items: &[1],
        build: |q, w| {
            let (q2, w2) = (q.clone(), w.clone());
            let twice: Pin<Box<dyn Future<Output = ()>>> = Box::pin(async move {
                let item = q2.get().await.unwrap();
                w2.borrow_mut().got.extend([item, item]);
            });
            vec![
                (Kind::Putter, false, putter(q, &[1])),
                (Kind::Getter, false, twice),
            ]
        },
    };
    explore(&scenario);
}

#[test]
fn cancelled_putters_and_getters_together() {
    let scenario = Scenario {
        name: "bounded(1), cancellable putter and getter, 2 putters, 3 getters",
        maxsize: Some(1),
        items: &[1, 2, 3],
        build: |q, w| {
            vec![
                (Kind::Getter, true, getter(q, w, 1)),
                (Kind::Putter, true, putter(q, &[1])),
                (Kind::Putter, false, putter(q, &[2])),
                (Kind::Putter, false, putter(q, &[3])),
                (Kind::Getter, false, getter(q, w, 1)),
                (Kind::Getter, false, getter(q, w, 1)),
            ]
        },
    };
    let schedules = explore(&scenario);
    println!("{}: {schedules} schedules", scenario.name);
    assert!(schedules > 20, "explored only {schedules} schedules");
}
