//! Proves the graders, in one build: every exercise's grader passes the reference solution,
//! fails the committed stub, and fails each planted wrong answer with the message it must show.
//!
//! `TINYIO_BLESS=1 cargo test -p selftest --test graders` rewrites the expected files and the
//! manifest from the solutions' traces (for workbook authors, after changing a scenario); then
//! review the change with `git diff grader/expected`.

use std::time::Duration;

use grader::runner::{Set, grade, grade_unchecked};
use grader::{
    Exercise, ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09, ch10, ch11, ch12, ch13, ch14,
    manifest,
};
use selftest::planted;

/// How long one exercise may run here (the hanging planted answers cost this much each).
const DEADLINE: Duration = Duration::from_secs(5);

struct Solution;
grader::bind_all!(Solution, solutions);

struct Stub;
grader::bind_all!(Stub, exercises);

/// Declares one type per planted answer, bound to the grader trait of its exercise.
macro_rules! planted {
    ($($ty:ident: $bind:ident => $($m:ident)::+;)*) => {
        $(struct $ty; grader::$bind!($ty, $($m)::+);)*
    };
}

planted! {
    CountdownNoWake: bind_countdown => planted::ch01::countdown_no_wake;
    CountdownOffByOne: bind_countdown => planted::ch01::countdown_off_by_one;
    HelloEager: bind_hello => planted::ch01::hello_eager;
    HelloReadyForever: bind_hello => planted::ch01::hello_ready_forever;
    FlagNoRecheck: bind_flag => planted::ch02::flag_no_recheck;
    WaitRegistersOnce: bind_flag => planted::ch02::wait_registers_once;
    FlagKeepsFirst: bind_flag => planted::ch02::flag_keeps_first;
    CountingSeparate: bind_counting => planted::ch02::counting_separate;
    BusySpin: bind_block_on => planted::ch03::block_on_busy_spin;
    CondvarNoFlag: bind_block_on => planted::ch03::block_on_condvar_no_flag;
    ClearAfterPoll: bind_block_on => planted::ch03::block_on_clear_after_poll;
    ParkNoFlag: bind_block_on => planted::ch03::block_on_park_no_flag;
    ExecutorLifo: bind_executor => planted::ch04::executor_lifo;
    ExecutorQueueEveryWake: bind_executor => planted::ch04::executor_queue_every_wake;
    ExecutorNoCatch: bind_executor => planted::ch04::executor_no_catch;
    ExecutorSpinWhenIdle: bind_executor => planted::ch04::executor_spin_when_idle;
    ExecutorClearAfterPoll: bind_executor => planted::ch04::executor_clear_after_poll;
    GatherPollAll: bind_gather => planted::ch05::gather_poll_all;
    GatherCompletionOrder: bind_gather => planted::ch05::gather_completion_order;
    TryGatherWaitsForAll: bind_try_gather => planted::ch05::try_gather_waits_for_all;
    TryGatherLastError: bind_try_gather => planted::ch05::try_gather_last_error;
    HandOff: bind_unbounded => planted::ch06::hand_off;
    WakeAll: bind_unbounded => planted::ch06::wake_all;
    TrustWakeUp: bind_unbounded => planted::ch06::trust_wake_up;
    Lifo: bind_unbounded => planted::ch06::lifo;
    JoinEveryPoll: bind_unbounded => planted::ch06::join_every_poll;
    NoPassOn: bind_bounded => planted::ch07::no_pass_on;
    PassOnAlways: bind_bounded => planted::ch07::pass_on_always;
    StayInLine: bind_bounded => planted::ch07::stay_in_line;
    PutterTrusts: bind_bounded => planted::ch07::putter_trusts_wake_up;
    PutterIgnoresRoom: bind_bounded => planted::ch07::putter_ignores_room;
    CountOnGet: bind_joinable => planted::ch08::count_on_get;
    JoinYields: bind_joinable => planted::ch08::join_yields;
    ReleaseOne: bind_joinable => planted::ch08::release_one;
    JoinRechecksCount: bind_joinable => planted::ch08::join_rechecks_count;
    WorkersGathered: bind_workers => planted::ch09::workers_gathered;
    WorkersAbortBeforeJoin: bind_workers => planted::ch09::workers_abort_before_join;
    WorkersAwaitFirst: bind_workers => planted::ch09::workers_await_first;
    ShutdownImmediate: bind_shutdown => planted::ch10::shutdown_immediate;
    ConsumeExpects: bind_shutdown => planted::ch10::consume_expects;
    ConsumeStopsWhenEmpty: bind_shutdown => planted::ch10::consume_stops_when_empty;
    EventRecheck: bind_event => planted::ch11::event_recheck;
    EventWakesOne: bind_event => planted::ch11::event_wakes_one;
    EventDroppedStays: bind_event => planted::ch11::event_dropped_stays;
    LockBarging: bind_lock => planted::ch11::lock_barging;
    LockNoPassOn: bind_lock => planted::ch11::lock_no_pass_on;
    LockReleaseSilent: bind_lock => planted::ch11::lock_release_silent;
    PriorityTies: bind_priority => planted::ch11::priority_ties_unordered;
    PriorityNoPassOn: bind_priority => planted::ch11::priority_no_pass_on;
    PriorityWakesAll: bind_priority => planted::ch11::priority_wakes_all;
    AsCompletedInOrder: bind_as_completed => planted::ch11::as_completed_in_order;
    AsCompletedDetached: bind_as_completed => planted::ch11::as_completed_detached;
    BarrierNoReset: bind_barrier => planted::ch11::barrier_no_reset;
    BarrierWakesOne: bind_barrier => planted::ch11::barrier_wakes_one;
    BarrierDroppedCounts: bind_barrier => planted::ch11::barrier_dropped_counts;
    SleepEagerDeadline: bind_sleep => planted::ch12::sleep_eager_deadline;
    SleepArmsEveryPoll: bind_sleep => planted::ch12::sleep_arms_every_poll;
    SleepKeepsFirstWaker: bind_sleep => planted::ch12::sleep_keeps_first_waker;
    SleepNoDisarm: bind_sleep => planted::ch12::sleep_no_disarm;
    TimeoutKeepsInner: bind_timeout => planted::ch12::timeout_keeps_inner;
    TimeoutTimerFirst: bind_timeout => planted::ch12::timeout_timer_first;
    TimeoutDetaches: bind_timeout => planted::ch12::timeout_detaches;
    TimeoutBusy: bind_timeout => planted::ch12::timeout_busy;
    PoolCountsTwice: bind_pool => planted::ch13::pool_counts_twice;
    PoolStopsEarly: bind_pool => planted::ch13::pool_stops_early;
    PoolNoShutdown: bind_pool => planted::ch13::pool_no_shutdown;
    ConsumerInGather: bind_capstone => planted::ch14::consumer_in_gather;
    NoTaskDone: bind_capstone => planted::ch14::no_task_done;
    ConsumerNotAborted: bind_capstone => planted::ch14::consumer_not_aborted;
    SpinningExecutor: bind_capstone => planted::ch14::spinning_executor;
    OnTinyio: bind_capstone => planted::ch14::on_tinyio;
}

/// A planted wrong answer: its name, its grader, and text the report must contain.
struct Planted {
    name: &'static str,
    exercise: Exercise,
    must_say: &'static [&'static str],
}

fn planted_answers() -> Vec<Planted> {
    let p = |name, exercise, must_say| Planted {
        name,
        exercise,
        must_say,
    };
    vec![
        p(
            "countdown_no_wake",
            ch01::countdown::<CountdownNoWake>(),
            &["(w1 was not woken: no executor would ever poll this future again)"],
        ),
        p(
            "countdown_off_by_one",
            ch01::countdown::<CountdownOffByOne>(),
            &["scenario `three`", ">   = Ready(())"],
        ),
        p(
            "hello_eager",
            ch01::hello::<HelloEager>(),
            &[
                "scenario `lazy`",
                "creating and dropping the future runs none of its code",
            ],
        ),
        p(
            "hello_ready_forever",
            ch01::hello::<HelloReadyForever>(),
            &["scenario `after_ready`", "instead of panicking"],
        ),
        p(
            "flag_no_recheck",
            ch02::flag::<FlagNoRecheck>(),
            &[
                "scenario `race`",
                "w1 was never stored: nobody will wake it",
            ],
        ),
        p(
            "wait_registers_once",
            ch02::flag::<WaitRegistersOnce>(),
            &["scenario `latest_waker`", "|   w1 woken"],
        ),
        p(
            "flag_keeps_first",
            ch02::flag::<FlagKeepsFirst>(),
            &["scenario `flag_latest`", "|   w1 woken"],
        ),
        p(
            "counting_separate",
            ch02::counting::<CountingSeparate>(),
            &["scenario `counts`", "after wake_by_ref: 0"],
        ),
        p(
            "block_on_busy_spin",
            ch03::block_on::<BusySpin>(),
            &["scenario `other_thread`", "it spins instead of sleeping"],
        ),
        p(
            "block_on_condvar_no_flag",
            ch03::block_on::<CondvarNoFlag>(),
            &[
                "no result within 5 s: your executor never returned: is a wake-up lost?",
                "scenario `self_wake`",
            ],
        ),
        p(
            "block_on_clear_after_poll",
            ch03::block_on::<ClearAfterPoll>(),
            &[
                "no result within 5 s: your executor never returned: is a wake-up lost?",
                "scenario `self_wake`",
            ],
        ),
        p(
            "block_on_park_no_flag",
            ch03::block_on::<ParkNoFlag>(),
            &[
                "no result within 5 s: your executor never returned: is a wake-up lost?",
                "scenario `shared_token`",
            ],
        ),
        p(
            "executor_lifo",
            ch04::executor::<ExecutorLifo>(),
            &["scenario `order`", "| c: step 1"],
        ),
        p(
            "executor_queue_every_wake",
            ch04::executor::<ExecutorQueueEveryWake>(),
            &[
                "scenario `woken_twice`",
                "then polled 2 times in a row: a task must be in the run queue at most once",
            ],
        ),
        p(
            "executor_no_catch",
            ch04::executor::<ExecutorNoCatch>(),
            &["scenario `panic`", "panicked: out of coffee"],
        ),
        p(
            "executor_spin_when_idle",
            ch04::executor::<ExecutorSpinWhenIdle>(),
            &[
                "no result within 5 s: your executor never returned",
                "scenario `deadlock`",
            ],
        ),
        p(
            "executor_clear_after_poll",
            ch04::executor::<ExecutorClearAfterPoll>(),
            &["scenario `order`", "| run returned Err(Deadlock)"],
        ),
        p(
            "gather_poll_all",
            ch05::gather::<GatherPollAll>(),
            &[
                "scenario `only_woken`",
                "it polls every child on every wake-up",
            ],
        ),
        p(
            "gather_completion_order",
            ch05::gather::<GatherCompletionOrder>(),
            &[
                "scenario `input_order`",
                "| gather returned [30, 20, 10, 0]",
            ],
        ),
        p(
            "try_gather_waits_for_all",
            ch05::try_gather::<TryGatherWaitsForAll>(),
            &["scenario `first_error`", "try_gather never returned"],
        ),
        p(
            "try_gather_last_error",
            ch05::try_gather::<TryGatherLastError>(),
            &[
                "scenario `same_turn`",
                "| try_gather returned Err(\"c1 failed\")",
            ],
        ),
        p(
            "hand_off",
            ch06::queue::<HandOff>(),
            &["scenario `notify_not_hand_off`", ">   -> Ready(b)"],
        ),
        p(
            "wake_all",
            ch06::queue::<WakeAll>(),
            &["scenario `one_wake_per_put`", ">   g2 woken"],
        ),
        p(
            "trust_wake_up",
            ch06::queue::<TrustWakeUp>(),
            &["scenario `barging`", "panicked: woken, so an item is there"],
        ),
        p(
            "lifo",
            ch06::queue::<Lifo>(),
            &["scenario `fast_path`", ">   -> Ready(b)"],
        ),
        p(
            "join_every_poll",
            ch06::queue::<JoinEveryPoll>(),
            &["scenario `spurious`", "|   g1 woken"],
        ),
        p(
            "no_pass_on",
            ch07::bounded::<NoPassOn>(),
            &["scenario `cancel_notified_getter`", ">   g2 woken"],
        ),
        p(
            "pass_on_always",
            ch07::bounded::<PassOnAlways>(),
            &["scenario `cancel_waiting_getter`", "|   g2 woken"],
        ),
        p(
            "stay_in_line",
            ch07::bounded::<StayInLine>(),
            &["scenario `cancel_waiting_getter`", "|   g1 woken"],
        ),
        p(
            "putter_trusts_wake_up",
            ch07::bounded::<PutterTrusts>(),
            &["scenario `racing_putter`", "|   -> Ready(Ok)", "| len: 2"],
        ),
        p(
            "putter_ignores_room",
            ch07::bounded::<PutterIgnoresRoom>(),
            &["scenario `cancel_notified_putter_no_room`", "|   p2 woken"],
        ),
        p(
            "count_on_get",
            ch08::join::<CountOnGet>(),
            &["scenario `counter`", "| unfinished: 0"],
        ),
        p(
            "join_yields",
            ch08::join::<JoinYields>(),
            &["scenario `join_fast_path`", "|   j1 woken"],
        ),
        p(
            "release_one",
            ch08::join::<ReleaseOne>(),
            &["scenario `every_joiner`", ">   j2 woken"],
        ),
        p(
            "join_rechecks_count",
            ch08::join::<JoinRechecksCount>(),
            &["scenario `zero_then_put`", "|   -> Pending"],
        ),
        p(
            "workers_gathered",
            ch09::workers::<WorkersGathered>(),
            &[
                "scenario `two_workers`",
                "main > gather[0]: Queue::get (queue empty, 0 unfinished)",
            ],
        ),
        p(
            "workers_abort_before_join",
            ch09::workers::<WorkersAbortBeforeJoin>(),
            &[
                "scenario `two_workers`",
                "main: Queue::join (5 items, 5 unfinished)",
            ],
        ),
        p(
            "workers_await_first",
            ch09::workers::<WorkersAwaitFirst>(),
            &["scenario `two_workers`", "main: JoinHandle of w1"],
        ),
        p(
            "shutdown_immediate",
            ch10::shutdown::<ShutdownImmediate>(),
            &["scenario `unbounded`", "> Consumed: 0"],
        ),
        p(
            "consume_expects",
            ch10::shutdown::<ConsumeExpects>(),
            &["scenario `unbounded`", "panicked: the queue has items"],
        ),
        p(
            "consume_stops_when_empty",
            ch10::shutdown::<ConsumeStopsWhenEmpty>(),
            &[
                "scenario `maxsize_2`",
                "Queue::put (queue full, 2 of 2, 2 unfinished)",
            ],
        ),
        p(
            "event_recheck",
            ch11::event::<EventRecheck>(),
            &["scenario `set_then_clear`", "> A: Ready"],
        ),
        p(
            "event_wakes_one",
            ch11::event::<EventWakesOne>(),
            &["scenario `set_wakes_all`", ">   B woken"],
        ),
        p(
            "event_dropped_stays",
            ch11::event::<EventDroppedStays>(),
            &["scenario `dropped_waiter`", "|   A woken"],
        ),
        p(
            "lock_barging",
            ch11::lock::<LockBarging>(),
            &["scenario `fifo`", "> D: Pending"],
        ),
        p(
            "lock_no_pass_on",
            ch11::lock::<LockNoPassOn>(),
            &["scenario `pass_on`", ">   C woken"],
        ),
        p(
            "lock_release_silent",
            ch11::lock::<LockReleaseSilent>(),
            &["scenario `fifo`", ">   B woken"],
        ),
        p(
            "priority_ties_unordered",
            ch11::priority::<PriorityTies>(),
            &["scenario `order`"],
        ),
        p(
            "priority_no_pass_on",
            ch11::priority::<PriorityNoPassOn>(),
            &["scenario `pass_on`", ">   B woken"],
        ),
        p(
            "priority_wakes_all",
            ch11::priority::<PriorityWakesAll>(),
            &["scenario `not_hand_off`", ">   B woken"],
        ),
        p(
            "as_completed_in_order",
            ch11::as_completed::<AsCompletedInOrder>(),
            &["scenario `completion_order`", "> next: b"],
        ),
        p(
            "as_completed_detached",
            ch11::as_completed::<AsCompletedDetached>(),
            &["scenario `drop_early`", ">   slow cancelled"],
        ),
        p(
            "barrier_no_reset",
            ch11::barrier::<BarrierNoReset>(),
            &["scenario `round`", "> n_waiting: 0      | n_waiting: 3"],
        ),
        p(
            "barrier_wakes_one",
            ch11::barrier::<BarrierWakesOne>(),
            &["scenario `round`", ">   B woken"],
        ),
        p(
            "barrier_dropped_counts",
            ch11::barrier::<BarrierDroppedCounts>(),
            &["scenario `dropped`", "> B: Pending"],
        ),
        p(
            "sleep_eager_deadline",
            ch12::sleep::<SleepEagerDeadline>(),
            &["scenario `lazy`", "|   timer #0 armed for 5s"],
        ),
        p(
            "sleep_arms_every_poll",
            ch12::sleep::<SleepArmsEveryPoll>(),
            &["scenario `spurious`", "|   timer #1 armed for 3s"],
        ),
        p(
            "sleep_keeps_first_waker",
            ch12::sleep::<SleepKeepsFirstWaker>(),
            &["scenario `latest_waker`", "|   w1 woken"],
        ),
        p(
            "sleep_no_disarm",
            ch12::sleep::<SleepNoDisarm>(),
            &["scenario `dropped`", "|   timer #0 fires"],
        ),
        p(
            "timeout_keeps_inner",
            ch12::timeout::<TimeoutKeepsInner>(),
            &["scenario `too_late`", "|   job dropped unfinished at 3s"],
        ),
        p(
            "timeout_timer_first",
            ch12::timeout::<TimeoutTimerFirst>(),
            &["scenario `tie`", "| timeout returned Err(Elapsed) at 2s"],
        ),
        p(
            "timeout_detaches",
            ch12::timeout::<TimeoutDetaches>(),
            &[
                "scenario `too_late`",
                "|   job dropped unfinished at 3s",
                "also failing: tie, lazy",
            ],
        ),
        p(
            "timeout_busy",
            ch12::timeout::<TimeoutBusy>(),
            &["scenario `in_time`", "polled more than 1000 times"],
        ),
        p(
            "pool_counts_twice",
            ch13::pool::<PoolCountsTwice>(),
            &["scenario `hundred`", "| totals: 200 items, sum 676700"],
        ),
        p(
            "pool_stops_early",
            ch13::pool::<PoolStopsEarly>(),
            &[
                "scenario `few`",
                "| the run can never finish: tinyio reported a deadlock",
                "|   main: Queue::join",
            ],
        ),
        p(
            "pool_no_shutdown",
            ch13::pool::<PoolNoShutdown>(),
            &[
                "scenario `hundred`",
                "| the run can never finish: tinyio reported a deadlock",
                "|   worker-0: Queue::get",
            ],
        ),
        p(
            "consumer_in_gather",
            ch14::capstone::<ConsumerInGather>(),
            &[
                "scenario `corrected`",
                "run: deadlock: main task waits in gather (qsize=0 unfinished=0)",
                "hint: Compare with CPython's seed_fixed.out",
            ],
        ),
        p(
            "no_task_done",
            ch14::capstone::<NoTaskDone>(),
            &[
                "scenario `corrected`",
                "run: deadlock: main task waits in join (qsize=0 unfinished=10)",
                "hint: Compare with CPython's seed_fixed.out",
            ],
        ),
        p(
            "consumer_not_aborted",
            ch14::capstone::<ConsumerNotAborted>(),
            &[
                "scenario `corrected`",
                "run: deadlock: main task waits in consumer (qsize=0 unfinished=0)",
                "hint: Compare with CPython's seed_fixed.out",
            ],
        ),
        p(
            "spinning_executor",
            ch14::capstone::<SpinningExecutor>(),
            &[
                "scenario `original`",
                "your executor did not report a deadlock",
            ],
        ),
        p(
            "on_tinyio",
            ch14::capstone::<OnTinyio>(),
            &[
                "scenario `original`",
                "(this line was said inside tinyio's runtime, not on your executor)",
            ],
        ),
    ]
}

fn solution_set() -> Vec<Exercise> {
    grader::all_of::<Solution>()
}

fn stub_set() -> Vec<Exercise> {
    grader::all_of::<Stub>()
}

fn sets() -> Vec<Set> {
    let mut sets = vec![
        Set {
            label: "solution".into(),
            exercises: solution_set(),
        },
        Set {
            label: "stub".into(),
            exercises: stub_set(),
        },
    ];
    for p in planted_answers() {
        sets.push(Set {
            label: format!("planted/{}", p.name),
            exercises: vec![p.exercise],
        });
    }
    sets
}

/// Counts and prints the checks.
struct Tally {
    passed: usize,
    failed: usize,
}

impl Tally {
    fn check(&mut self, ok: bool, what: &str, details: &str) {
        if ok {
            self.passed += 1;
            println!("ok    {what}");
        } else {
            self.failed += 1;
            println!("FAIL  {what}\n{details}\n");
        }
    }
}

fn edited(file: &str) -> bool {
    std::process::Command::new("git")
        .args(["status", "--porcelain", "--", file])
        .current_dir(grader::runner::workspace_root())
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false)
}

fn bless() {
    let mut lines = Vec::new();
    for exercise in solution_set() {
        let graded = grade_unchecked("solution", &exercise, DEADLINE);
        for scenario in &exercise.scenarios {
            let trace = &graded.actual[scenario.name];
            lines.push(manifest::write_expected(exercise.id, scenario.name, trace));
        }
    }
    manifest::write_manifest(lines);
    println!("blessed: wrote grader/expected/ and its MANIFEST from the solutions' traces");
}

/// The planted answer whose report the book shows as a sample, and where the book includes it.
const SAMPLE: &str = "flag_no_recheck";
const SAMPLE_FILE: &str = "book/listings/out/grader_report.txt";

/// Compares the sample report with the file the book includes (or rewrites it when blessing).
fn sample_report(report: &str) -> (bool, String) {
    let path = grader::runner::workspace_root().join(SAMPLE_FILE);
    let text = format!("{report}\n");
    if std::env::var_os("TINYIO_BLESS").is_some() {
        std::fs::write(&path, &text).expect("write the sample report");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let ok = committed.replace("\r\n", "\n") == text;
    (
        ok,
        format!("{SAMPLE_FILE} differs from the report:\n{text}"),
    )
}

/// The capstone's promise: the learner's runtime prints what CPython prints. Compares each
/// committed expected trace of `ch14_seed` (the program's lines, without the grader's last line)
/// with CPython's output of the same program (`book/listings/python/*.out`). The original program
/// hangs in CPython and is reported by the learner's executor here, so only its first 20 lines
/// (10 produced, 10 consumed) are compared.
fn capstone_is_cpython() -> (bool, String) {
    let root = grader::runner::workspace_root();
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path))
            .unwrap_or_else(|e| panic!("read {path}: {e}"))
            .replace("\r\n", "\n")
    };
    let pairs = [
        ("original", "seed_hang.out", 20),
        ("corrected", "seed_fixed.out", usize::MAX),
        ("maxsize_2", "seed_fixed_maxsize2.out", usize::MAX),
    ];
    let mut problems = Vec::new();
    for (scenario, python, lines) in pairs {
        let expected = read(&format!("grader/expected/ch14_seed/{scenario}.txt"));
        let cpython = read(&format!("book/listings/python/{python}"));
        let ours: Vec<&str> = expected.lines().collect();
        let theirs: Vec<&str> = cpython.lines().take(lines).collect();
        let program = &ours[..ours.len().saturating_sub(1)]; // the last line is the grader's
        let compared = &program[..program.len().min(lines)];
        if compared != theirs.as_slice() {
            problems.push(format!(
                "{scenario}.txt differs from {python}:\n{compared:#?}\n{theirs:#?}"
            ));
        }
    }
    (problems.is_empty(), problems.join("\n"))
}

fn main() {
    grader::runner::child_if_requested(sets);
    if std::env::var_os("TINYIO_BLESS").is_some() {
        bless();
    }
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f));
    let mut tally = Tally {
        passed: 0,
        failed: 0,
    };
    println!("\nself-test of the graders (each exercise runs in a child process)\n");

    for exercise in solution_set() {
        let what = format!("solution passes {}", exercise.id);
        if wanted(&what) {
            let graded = grade("solution", &exercise, DEADLINE);
            tally.check(graded.passed, &what, &graded.report);
        }
    }

    for exercise in stub_set() {
        let what = format!("committed stub fails {} as not started", exercise.id);
        if !wanted(&what) {
            continue;
        }
        let graded = grade("stub", &exercise, DEADLINE);
        let ok = !graded.passed
            && graded
                .report
                .contains("not started: its todo!() still runs");
        let details = if edited(exercise.file) {
            format!(
                "{} has been edited, and the self-test checks the committed stubs. Keep your \
                 work elsewhere (`git stash`), or run the self-test on a clean clone.\n{}",
                exercise.file, graded.report
            )
        } else {
            graded.report
        };
        tally.check(ok, &what, &details);
    }

    for p in planted_answers() {
        let what = format!("planted {} fails {}", p.name, p.exercise.id);
        if !wanted(&what) {
            continue;
        }
        let graded = grade(&format!("planted/{}", p.name), &p.exercise, DEADLINE);
        let missing: Vec<&&str> = p
            .must_say
            .iter()
            .filter(|m| !graded.plain.contains(**m))
            .collect();
        let ok = !graded.passed && missing.is_empty();
        let details = format!(
            "passed: {}; the report lacks {missing:?}. The report:\n{}",
            graded.passed, graded.report
        );
        tally.check(ok, &what, &details);
        if p.name == SAMPLE {
            let (ok, details) = sample_report(&graded.report);
            tally.check(
                ok,
                "the book's sample report is what the grader prints",
                &details,
            );
        }
    }

    let what = "ch14_seed's expected traces are CPython's outputs";
    if wanted(what) {
        let (ok, details) = capstone_is_cpython();
        tally.check(ok, what, &details);
    }

    println!("\n{} passed, {} failed", tally.passed, tally.failed);
    std::process::exit(if tally.failed == 0 { 0 } else { 1 });
}
