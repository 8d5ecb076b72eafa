//! Runs the benchmarks and writes the book's table and chart.
//!
//! ```text
//! cargo run -p bench --release                  # everything; writes book/src/perf/
//! cargo run -p bench --release -- --tiny        # tiny sizes, one run each, writes nothing
//! cargo run -p bench --release -- --only w1 --peer tinyio --no-python   # for a profiler
//! ```
//!
//! `--only` keeps the workload with that id, or else those whose id contains it; `--peer` keeps
//! one peer; `--reps` sets the number of timed runs (0: the warm-up run only). Each prints the
//! numbers and writes nothing.
//!
//! Every peer runs each row in processes of its own (this program, run again with
//! `--sample ID PEER`): three of them, taking turns with the other peers', each with one warm-up
//! run and a third of the timed runs. So no peer inherits the allocator's state from another
//! peer or another row (when they all ran in one process, a peer's numbers on W3 changed by up
//! to 1.7 times depending on which peers and rows had grown and freed the heap before it), and
//! no single process's heap layout decides a median. `--reps 0` (the warm-up runs only, for a profiler) runs in this
//! process, and so does everything with `--one-process` (the method of the bench before: every
//! peer in turn, in rotating rounds, in this process; it writes nothing).

use std::path::PathBuf;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use bench::cases::{self, Case, Size};
use bench::harness::{self, Measured};
use bench::report::{self, Setup};
use bench::workloads::expected_sum;

struct Options {
    /// `--sample ID PEER`: one timed run of this peer on this row, printed for the parent.
    sample: Option<(String, String)>,
    /// `--one-process`: every row and peer in this process, as the bench did before.
    one_process: bool,
    size: Size,
    only: Option<String>,
    peer: Option<String>,
    python: bool,
    reps: Option<usize>,
}

fn options() -> Options {
    let mut options = Options {
        sample: None,
        one_process: false,
        size: Size::Full,
        only: None,
        peer: None,
        python: true,
        reps: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tiny" => options.size = Size::Tiny,
            "--only" => options.only = args.next(),
            "--sample" => options.sample = args.next().zip(args.next()),
            "--peer" => options.peer = args.next(),
            "--no-python" => options.python = false,
            "--one-process" => options.one_process = true,
            "--reps" => options.reps = args.next().and_then(|reps| reps.parse().ok()),
            _ => {
                eprintln!(
                    "usage: bench [--tiny] [--only WORKLOAD] [--peer PEER] [--reps N] [--no-python] [--one-process]\n\
                     WORKLOAD: a part of an id such as w1, w3-yield, floor; PEER: one of {}",
                    cases::PEERS.join(", ")
                );
                std::process::exit(2);
            }
        }
    }
    options
}

fn keep(options: &Options, mut case: Case) -> Option<Case> {
    if let Some(only) = &options.only {
        // A whole id keeps that row alone (`w1-bounded-1` is also part of `w1-bounded-128`).
        let whole = cases::workloads(Size::Tiny)
            .iter()
            .chain(&cases::floors(Size::Tiny))
            .any(|other| other.id == only.as_str());
        let kept = if whole {
            case.id == only.as_str()
        } else {
            case.id.contains(only.as_str())
        };
        if !kept {
            return None;
        }
    }
    if let Some(peer) = &options.peer {
        case.peers.retain(|(name, _)| name == peer);
    }
    if let Some(reps) = options.reps {
        case.reps = reps;
    }
    Some(case)
}

fn measure_all(options: &Options, cases: Vec<Case>) -> Vec<Measured> {
    cases
        .into_iter()
        .filter_map(|case| keep(options, case))
        .map(|case| {
            eprint!("{:<16}", case.id);
            let measured = measure_in_own_process(options, &case);
            for (peer, stats) in &measured.peers {
                eprint!("  {peer} {}", report::ns(stats.median));
            }
            eprintln!();
            measured
        })
        .collect()
}

/// How many processes each peer of a row runs in. A process's heap layout (where its
/// allocations land) changes a run's time by up to a tenth on the short rows, the same in every
/// run of that process: several processes per peer spread that luck over the median.
const PROCESSES: usize = 3;

/// Measures `case`: every peer in [`PROCESSES`] new processes of this program (`--sample`),
/// which print their timed runs, taking turns with the other peers' in an order that rotates.
/// With no timed run (`--reps 0`), the warm-up runs, here.
fn measure_in_own_process(options: &Options, case: &Case) -> Measured {
    if case.reps == 0 || options.one_process {
        return harness::measure(case, expected_sum(case.n));
    }
    let exe = std::env::current_exe().expect("cannot find the bench's own executable");
    let run = |peer: &str, reps: usize| -> Vec<f64> {
        let output = Command::new(&exe)
            .args(["--sample", case.id, peer, "--reps", &reps.to_string()])
            .args((options.size == Size::Tiny).then_some("--tiny"))
            .output()
            .expect("cannot start the bench's own executable for a peer");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "the runs of {peer} on {} failed ({}):\n{}{}",
            case.id,
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
            .lines()
            .filter_map(|line| line.strip_prefix("sample "))
            .map(|ns| ns.parse().expect("`sample NS`"))
            .collect()
    };
    let peers = case.peers.len();
    let processes = PROCESSES.min(case.reps);
    let mut samples = vec![Vec::new(); peers];
    for process in 0..processes {
        // `case.reps` timed runs in all, shared out between the processes.
        let reps = case.reps / processes + usize::from(process < case.reps % processes);
        for k in 0..peers {
            let index = (process + k) % peers;
            samples[index].extend(run(case.peers[index].0, reps));
        }
    }
    Measured::of(case, samples)
}

/// `--sample ID PEER`: one warm-up run of the peer on the row, then its timed runs, each printed
/// as `sample NS` (nanoseconds per item).
fn sample_here(options: &Options, id: &str, peer: &str) {
    let case = cases::workloads(options.size)
        .into_iter()
        .chain(cases::floors(options.size))
        .filter_map(|case| keep(options, case))
        .find(|case| case.id == id)
        .unwrap_or_else(|| panic!("no row has the id {id}"));
    let (_, run) = case
        .peers
        .iter()
        .find(|(name, _)| *name == peer)
        .unwrap_or_else(|| panic!("the row {id} has no peer {peer}"));
    for ns in harness::time_runs(peer, run, &case, expected_sum(case.n)) {
        println!("sample {ns}");
    }
}

fn main() {
    let options = options();
    if let Some((id, peer)) = &options.sample {
        return sample_here(&options, id, peer);
    }
    let partial = options.only.is_some()
        || options.peer.is_some()
        || options.reps.is_some()
        || options.one_process
        || options.size == Size::Tiny;
    let rows = measure_all(&options, cases::workloads(options.size));
    let floors = measure_all(&options, cases::floors(options.size));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (python_version, asyncio, python) = if options.python {
        eprintln!("asyncio: running bench/asyncio_queue.py");
        match bench::python::run(&root.join("asyncio_queue.py"), options.size == Size::Tiny) {
            Ok(asyncio) => (Some(asyncio.version), asyncio.sizes, asyncio.numbers),
            Err(why) => {
                eprintln!("asyncio: no numbers ({why})");
                (None, format!("not run ({why})"), Vec::new())
            }
        }
    } else {
        (None, "not run (--no-python)".to_string(), Vec::new())
    };
    let setup = Setup {
        command: "cargo run -p bench --release".to_string(),
        machine: machine(),
        tools: match python_version {
            Some(python) => format!("{}, {python}", rustc()),
            None => rustc(),
        },
        date: today(),
        asyncio,
        one_process: options.one_process,
    };
    let markdown = report::markdown(&setup, &rows, &floors, &python);
    println!("{markdown}");
    if partial {
        eprintln!("(a partial run: book/src/perf/ left as it was)");
        return;
    }
    let out = root.join("../book/src/perf");
    std::fs::create_dir_all(&out).expect("cannot create book/src/perf");
    std::fs::write(out.join("results.md"), markdown).expect("cannot write results.md");
    std::fs::write(out.join("chart.svg"), report::svg(&rows, &python))
        .expect("cannot write chart.svg");
    eprintln!("wrote book/src/perf/results.md and book/src/perf/chart.svg");
}

/// `Intel(R) Xeon(R) ... (2 cores)`, from /proc/cpuinfo where there is one.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|model| model.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    format!("{model} ({cores} cores)")
}

fn rustc() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|version| !version.is_empty())
        .unwrap_or_else(|| "rustc (version unknown)".to_string())
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the days since 1970 (Howard Hinnant's algorithm).
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
