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
//!
//! The second half explores the runtime's own state machines the same way, one atomic step at a
//! time: the task state of `src/state.rs` (included as it is: `SCHEDULED`, `RUNNING`, `ABORT`,
//! `DONE`) with two workers, a waking thread and an abort; and the multi-threaded runtime's idle
//! detection (work counter, armed timers, outside sources, nudges). Each model has a test that
//! plants a bug (`SCHEDULED` cleared after the poll, a missed idle re-check, a wake-up that
//! comes after its source stopped counting) and checks that the explorer finds it.

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

// ---------------------------------------------------------------------------------------------
// The runtime's state machines (issue 13, section 6), explored the same way: every interleaving
// of a few actors, one atomic step at a time, with the invariants checked after every step and
// at the end of every schedule. Each model is shown to catch a planted bug.

/// A model: actors that take one atomic step at a time.
trait Model: Clone {
    /// The actors that can take a step now.
    fn enabled(&self) -> Vec<usize>;
    /// Actor `actor` takes one step; `Err` if that breaks an invariant.
    fn step(&mut self, actor: usize) -> Result<(), String>;
    /// No actor can take a step: `Err` if the end state breaks an invariant.
    fn at_end(&self) -> Result<(), String>;
}

/// Explores every schedule of `model` depth first; returns how many there were, or the first
/// broken invariant with the schedule (actor indices) that broke it.
fn explore_model<M: Model>(model: &M) -> Result<usize, String> {
    fn go<M: Model>(model: &M, path: &mut Vec<usize>) -> Result<usize, String> {
        let enabled = model.enabled();
        if enabled.is_empty() {
            return model
                .at_end()
                .map(|()| 1)
                .map_err(|e| format!("{e} (schedule {path:?})"));
        }
        let mut schedules = 0;
        for actor in enabled {
            let mut next = model.clone();
            path.push(actor);
            next.step(actor)
                .map_err(|e| format!("{e} (schedule {path:?})"))?;
            schedules += go(&next, path)?;
            path.pop();
        }
        Ok(schedules)
    }
    go(model, &mut Vec::new())
}

/// The task state machine of `src/state.rs`, included as it is: the model below calls the real
/// functions.
#[path = "../src/state.rs"]
#[allow(dead_code)]
mod state;

use std::sync::atomic::AtomicU8;

/// The rules under test: the real ones, or a planted variant.
#[derive(Clone, Copy)]
struct Rules {
    wake: fn(&AtomicU8) -> bool,
    begin: fn(&AtomicU8, bool) -> u8,
    end_pending: fn(&AtomicU8) -> bool,
    finish: fn(&AtomicU8),
    abort: fn(&AtomicU8) -> bool,
}

const REAL: Rules = Rules {
    wake: state::wake,
    begin: state::begin,
    end_pending: state::end_pending,
    finish: state::finish,
    abort: state::abort,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Worker {
    /// Waiting for the run queue.
    Idle,
    /// Polling the task; the poll returns `Ready` if `ready`.
    Polling { ready: bool },
}

/// Two workers run one task that two outside wake-ups (and maybe an abort) race with. The task
/// returns `Pending` at its first polls and `Ready` at poll number `READY_AT`.
struct TaskModel {
    rules: Rules,
    state: AtomicU8,
    /// How many times the task is in the run queue.
    queued: usize,
    workers: [Worker; 2],
    wakes_left: u8,
    abort_left: bool,
    polls: u32,
    /// A wake-up came, and no poll has begun since.
    unserved: bool,
    /// `abort` was called (its `ABORT` bit set).
    aborted: bool,
    /// The task finished (`finish` was called).
    done: bool,
}

const READY_AT: u32 = 3;

impl Clone for TaskModel {
    fn clone(&self) -> TaskModel {
        TaskModel {
            state: AtomicU8::new(self.state.load(Ordering::SeqCst)),
            ..*self
        }
    }
}

impl TaskModel {
    fn new(rules: Rules, abort: bool) -> TaskModel {
        TaskModel {
            rules,
            state: AtomicU8::new(state::NEW),
            queued: 1, // spawned: pushed once
            workers: [Worker::Idle; 2],
            wakes_left: 2,
            abort_left: abort,
            polls: 0,
            unserved: false,
            aborted: false,
            done: false,
        }
    }

    fn push(&mut self) -> Result<(), String> {
        if self.done {
            return Err("a finished task was pushed onto the run queue".into());
        }
        self.queued += 1;
        if self.queued > 1 {
            return Err("the task is in the run queue twice".into());
        }
        Ok(())
    }

    /// A wake-up from outside the poll (another thread, or the abort).
    fn wake(&mut self) -> Result<(), String> {
        if !self.done {
            self.unserved = true;
        }
        if (self.rules.wake)(&self.state) {
            self.push()?;
        }
        Ok(())
    }
}

// Actors: 0 and 1 are the workers, 2 the waking thread, 3 the aborting thread.
impl Model for TaskModel {
    fn enabled(&self) -> Vec<usize> {
        let mut enabled = Vec::new();
        for (i, worker) in self.workers.iter().enumerate() {
            if *worker != Worker::Idle || self.queued > 0 {
                enabled.push(i);
            }
        }
        if self.wakes_left > 0 {
            enabled.push(2);
        }
        if self.abort_left {
            enabled.push(3);
        }
        enabled
    }

    fn step(&mut self, actor: usize) -> Result<(), String> {
        match actor {
            0 | 1 => match self.workers[actor] {
                Worker::Idle => {
                    self.queued -= 1;
                    let before = (self.rules.begin)(&self.state, true);
                    if before & state::DONE != 0 {
                        return Ok(()); // stale entry: nothing to run
                    }
                    self.unserved = false;
                    if before & state::ABORT != 0 {
                        (self.rules.finish)(&self.state); // dropped instead of polled
                        self.done = true;
                        return Ok(());
                    }
                    if self.aborted {
                        return Err("a task was polled after its abort".into());
                    }
                    if self.workers.iter().any(|w| *w != Worker::Idle) {
                        return Err("two workers poll the task at once".into());
                    }
                    self.polls += 1;
                    let ready = self.polls >= READY_AT;
                    self.workers[actor] = Worker::Polling { ready };
                    Ok(())
                }
                Worker::Polling { ready } => {
                    self.workers[actor] = Worker::Idle;
                    if ready {
                        (self.rules.finish)(&self.state);
                        self.done = true;
                    } else if (self.rules.end_pending)(&self.state) {
                        self.push()?;
                    }
                    Ok(())
                }
            },
            2 => {
                self.wakes_left -= 1;
                self.wake()
            }
            _ => {
                self.abort_left = false;
                if (self.rules.abort)(&self.state) {
                    self.aborted = true;
                    self.wake()?;
                }
                Ok(())
            }
        }
    }

    fn at_end(&self) -> Result<(), String> {
        if self.unserved && !self.done {
            return Err("lost wake-up: the task was woken and never polled again".into());
        }
        if self.aborted && !self.done {
            return Err("the aborted task never ended".into());
        }
        Ok(())
    }
}

#[test]
fn the_task_state_machine_keeps_its_rules_in_every_interleaving() {
    for abort in [false, true] {
        let schedules = explore_model(&TaskModel::new(REAL, abort)).unwrap();
        assert!(schedules >= 50, "only {schedules} schedules explored");
    }
}

/// Planted: `SCHEDULED` cleared after the poll instead of before it.
fn begin_keeps_scheduled(state: &AtomicU8, defer: bool) -> u8 {
    let running = if defer { state::RUNNING } else { 0 };
    state.fetch_or(running, Ordering::AcqRel)
}

fn end_clears_scheduled(state: &AtomicU8) -> bool {
    state.fetch_and(!(state::RUNNING | state::SCHEDULED), Ordering::AcqRel);
    false
}

/// Planted: a wake-up during a poll pushes the task at once (no `RUNNING` check).
fn wake_ignores_running(state: &AtomicU8) -> bool {
    let before = state.fetch_or(state::SCHEDULED, Ordering::AcqRel);
    before & (state::SCHEDULED | state::DONE) == 0
}

#[test]
fn the_task_model_catches_scheduled_cleared_after_the_poll() {
    let planted = Rules {
        begin: begin_keeps_scheduled,
        end_pending: end_clears_scheduled,
        ..REAL
    };
    let error = explore_model(&TaskModel::new(planted, false)).unwrap_err();
    assert!(error.starts_with("lost wake-up"), "{error}");
}

#[test]
fn the_task_model_catches_a_wake_up_that_ignores_running() {
    let planted = Rules {
        wake: wake_ignores_running,
        ..REAL
    };
    let error = explore_model(&TaskModel::new(planted, false)).unwrap_err();
    assert!(
        error.starts_with("two workers poll the task at once")
            || error.starts_with("the task is in the run queue twice"),
        "{error}"
    );
}

/// The multi-threaded runtime's idle detection (`src/multi_thread.rs`, `src/time.rs`,
/// `src/blocking.rs`), modelled step by step: the work counter, the armed-timer count, the
/// outside-source count, the nudges, and the idle check. The model mirrors the code's order of
/// operations; a planted variant changes one order or drops one nudge.
#[derive(Clone, Copy)]
struct IdleRules {
    /// A fired timer wakes its task before it stops counting as armed.
    wake_before_disarm: bool,
    /// The last armed timer going nudges a worker to run the idle check again.
    nudge_on_last_timer: bool,
    /// An outside thread wakes before it drops its `KeepAlive`.
    wake_before_unregister: bool,
}

const REAL_IDLE: IdleRules = IdleRules {
    wake_before_disarm: true,
    nudge_on_last_timer: true,
    wake_before_unregister: true,
};

/// What wakes the blocked task `T`, whose next poll finishes the program.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A timer whose waker is a no-op: it fires and wakes nobody; the program is deadlocked.
    NoOpTimer,
    /// A timer with `T`'s waker.
    Timer,
    /// An outside thread registered with a `KeepAlive`.
    Outside,
}

#[derive(Clone)]
struct IdleModel {
    rules: IdleRules,
    source: Source,
    /// Tasks queued or running.
    work: usize,
    armed: usize,
    outside: usize,
    /// `T` is in the run queue; nudges in the run queue.
    t_queued: bool,
    nudges: usize,
    /// Worker 1 is ending the turn of another task `A` (0: not yet, 1: lowered `work`, 2: done).
    a_turn: u8,
    /// Whether `a_turn`'s decrement reached zero, so that it runs the idle check next.
    a_checks: bool,
    /// Steps taken by the source (fire or outside thread): 0, 1, 2.
    source_steps: u8,
    finished: bool,
    reported: bool,
}

impl IdleModel {
    fn new(rules: IdleRules, source: Source) -> IdleModel {
        IdleModel {
            rules,
            source,
            work: 1, // A's turn
            armed: usize::from(source != Source::Outside),
            outside: usize::from(source == Source::Outside),
            t_queued: false,
            nudges: 0,
            a_turn: 0,
            a_checks: false,
            source_steps: 0,
            finished: false,
            reported: false,
        }
    }

    fn check_idle(&mut self) -> Result<(), String> {
        let idle = self.work == 0 && self.armed == 0 && self.outside == 0 && !self.finished;
        if idle && !self.reported {
            self.reported = true;
            if self.source != Source::NoOpTimer {
                return Err("false deadlock report: a wake-up was still on its way".into());
            }
        }
        Ok(())
    }

    fn wake_t(&mut self) {
        if self.source != Source::NoOpTimer && !self.t_queued && !self.finished {
            self.work += 1;
            self.t_queued = true;
        }
    }

    fn disarm_or_unregister(&mut self) {
        let last = if self.source == Source::Outside {
            self.outside -= 1;
            self.outside == 0 // `KeepAlive::drop` always nudges on the last guard
        } else {
            self.armed -= 1;
            self.armed == 0 && self.rules.nudge_on_last_timer
        };
        if last {
            self.nudges += 1;
        }
    }
}

// Actors: 0 ends A's turn (worker 1), 1 is the timer firing or the outside thread, 2 is an idle
// worker taking entries (T or a nudge) from the run queue.
impl Model for IdleModel {
    fn enabled(&self) -> Vec<usize> {
        let mut enabled = Vec::new();
        if self.a_turn < 2 {
            enabled.push(0);
        }
        if self.source_steps < 2 {
            enabled.push(1);
        }
        if self.t_queued || self.nudges > 0 {
            enabled.push(2);
        }
        enabled
    }

    fn step(&mut self, actor: usize) -> Result<(), String> {
        match actor {
            0 => {
                if self.a_turn == 0 {
                    self.work -= 1;
                    self.a_checks = self.work == 0;
                    self.a_turn = 1;
                    Ok(())
                } else {
                    self.a_turn = 2;
                    if self.a_checks {
                        self.check_idle()?;
                    }
                    Ok(())
                }
            }
            1 => {
                let wake_first = if self.source == Source::Outside {
                    self.rules.wake_before_unregister
                } else {
                    self.rules.wake_before_disarm
                };
                let wake_now = (self.source_steps == 0) == wake_first;
                self.source_steps += 1;
                if wake_now {
                    self.wake_t();
                } else {
                    self.disarm_or_unregister();
                }
                Ok(())
            }
            _ => {
                if self.t_queued {
                    // T runs and finishes the program.
                    self.t_queued = false;
                    self.finished = true;
                    self.work -= 1;
                    if self.work == 0 {
                        self.check_idle()?;
                    }
                } else {
                    self.nudges -= 1;
                    self.check_idle()?;
                }
                Ok(())
            }
        }
    }

    fn at_end(&self) -> Result<(), String> {
        if !self.finished && !self.reported {
            return Err("hang: the program can never finish and no deadlock was reported".into());
        }
        Ok(())
    }
}

#[test]
fn idle_detection_reports_every_deadlock_and_nothing_else() {
    for source in [Source::NoOpTimer, Source::Timer, Source::Outside] {
        explore_model(&IdleModel::new(REAL_IDLE, source)).unwrap();
    }
}

#[test]
fn the_idle_model_catches_a_missed_idle_recheck() {
    let planted = IdleRules {
        nudge_on_last_timer: false,
        ..REAL_IDLE
    };
    let error = explore_model(&IdleModel::new(planted, Source::NoOpTimer)).unwrap_err();
    assert!(error.starts_with("hang"), "{error}");
}

#[test]
fn the_idle_model_catches_a_timer_that_stops_counting_before_it_wakes() {
    let planted = IdleRules {
        wake_before_disarm: false,
        ..REAL_IDLE
    };
    let error = explore_model(&IdleModel::new(planted, Source::Timer)).unwrap_err();
    assert!(error.starts_with("false deadlock report"), "{error}");
}

#[test]
fn the_idle_model_catches_a_thread_that_unregisters_before_it_wakes() {
    let planted = IdleRules {
        wake_before_unregister: false,
        ..REAL_IDLE
    };
    let error = explore_model(&IdleModel::new(planted, Source::Outside)).unwrap_err();
    assert!(error.starts_with("false deadlock report"), "{error}");
}
