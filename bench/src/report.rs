//! The outputs the book includes: a Markdown table (`results.md`) and a bar chart
//! (`chart.svg`, drawn here by hand: a few rectangles and labels need no plotting crate).

use std::fmt::Write as _;

use crate::cases::PEERS;
use crate::harness::{Measured, Stats};

/// What the page says about where the numbers come from.
pub struct Setup {
    /// The command that measured them.
    pub command: String,
    /// CPU model and core count.
    pub machine: String,
    /// `rustc --version`, and Python's version if it ran.
    pub tools: String,
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// How the asyncio numbers were taken, or why there are none.
    pub asyncio: String,
    /// Whether every peer ran in this one process (`--one-process`), rather than each peer of
    /// each row in a process of its own.
    pub one_process: bool,
}

/// The column headers of the Rust peers (the chapter says what runs under each).
fn header(peer: &str) -> &'static str {
    match peer {
        "tinyio" => "tinyio",
        "tokio" => "tokio",
        "futures" => "futures",
        "async-channel" => "async-executor + async-channel",
        "flume" => "async-executor + flume",
        _ => "?",
    }
}

/// The short names of the table's columns.
fn column(peer: &str) -> &'static str {
    match peer {
        "async-channel" => "async-channel",
        "flume" => "flume",
        other => header(other),
    }
}

/// `31.2`, `267`, `4,350`: three significant figures at most, thousands separated.
pub fn ns(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2}")
    } else if value < 100.0 {
        format!("{value:.1}")
    } else {
        let whole = value.round() as u64;
        if whole >= 1000 {
            format!("{},{:03}", whole / 1000, whole % 1000)
        } else {
            whole.to_string()
        }
    }
}

fn cell(stats: &Stats) -> String {
    format!(
        "{}<br><sub style=\"white-space: nowrap\">{}–{}</sub>",
        ns(stats.median),
        ns(stats.min),
        ns(stats.max)
    )
}

/// The fastest Rust peer other than tinyio, by median.
pub fn fastest_peer(row: &Measured) -> Option<(&'static str, Stats)> {
    row.peers
        .iter()
        .filter(|(name, _)| *name != "tinyio")
        .min_by(|a, b| a.1.median.total_cmp(&b.1.median))
        .copied()
}

/// tinyio's median divided by the fastest other peer's median.
pub fn ratio(row: &Measured) -> Option<f64> {
    let tinyio = row.peers.iter().find(|(name, _)| *name == "tinyio")?.1;
    Some(tinyio.median / fastest_peer(row)?.1.median)
}

fn ratio_cell(row: &Measured) -> String {
    let (Some(ratio), Some((fastest, _))) = (ratio(row), fastest_peer(row)) else {
        return "—".to_string();
    };
    // Without a channel (W2, W3), the async-channel column is async-executor alone.
    let fastest = match fastest {
        "async-channel" if row.unit != "item" => "async-executor",
        other => column(other),
    };
    let verdict = if ratio <= 1.0 {
        fastest.to_string()
    } else {
        format!("{fastest}, {:.0}% over", (ratio - 1.0) * 100.0)
    };
    format!("**{ratio:.2}×**<br><sub>{verdict}</sub>")
}

/// The Markdown page: the workloads table, then the floors table.
pub fn markdown(
    setup: &Setup,
    rows: &[Measured],
    floors: &[Measured],
    python: &[(String, Stats)],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Nanoseconds per item (per task for W2, per future for W3): the median of the timed runs, \
         and below it the fastest and the slowest run. Lower is better. The async-channel and \
         flume columns run on async-executor (async-executor alone in W2 and W3). Measured with \
         `{}` on {}, {}; {}.\n",
        setup.command, setup.machine, setup.date, setup.tools
    );
    out.push_str("| Workload | ");
    for peer in PEERS {
        let _ = write!(out, "{} | ", column(peer));
    }
    out.push_str("tinyio ÷ fastest other | asyncio |\n|---|");
    out.push_str(&"--:|".repeat(PEERS.len()));
    out.push_str(":--|--:|\n");
    for row in rows {
        let _ = write!(out, "| {} | ", row.label);
        for peer in PEERS {
            match row.peers.iter().find(|(name, _)| *name == peer) {
                Some((_, stats)) => out.push_str(&cell(stats)),
                None => out.push('—'),
            }
            out.push_str(" | ");
        }
        out.push_str(&ratio_cell(row));
        out.push_str(" | ");
        match python.iter().find(|(id, _)| id == row.id) {
            Some((_, stats)) => out.push_str(&cell(stats)),
            None if python.is_empty() => out.push_str("not run"),
            None => out.push('—'), // no such workload in the script: asyncio has one thread
        }
        out.push_str(" |\n");
    }
    out.push_str("\n| Floor (one thread, no task) | ns per item |\n|---|--:|\n");
    for floor in floors {
        if let Some((_, stats)) = floor.peers.first() {
            let _ = writeln!(out, "| {} | {} |", floor.label, cell(stats));
        }
    }
    let method = if setup.one_process {
        "after one warm-up run each; every peer in one process, once per round, in an order \
         that rotates from round to round"
    } else {
        "in three processes per peer and row (as many as there are timed runs, if fewer), each \
         with a warm-up run first, the peers' processes taking turns in a rotating order"
    };
    let _ = writeln!(
        out,
        "\nRuns per peer: {}, {method}. Sizes: {}. The asyncio column \
         comes from `bench/asyncio_queue.py`, run by the same command after the Rust peers, in \
         its own process: {}.",
        describe_reps(rows),
        describe_sizes(rows),
        setup.asyncio
    );
    out
}

fn describe_reps(rows: &[Measured]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for row in rows.iter().filter(|row| !row.peers.is_empty()) {
        let part = format!(
            "{} for {}",
            row.reps,
            row.id.split('-').next().unwrap_or(row.id)
        );
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts.join(", ")
}

fn describe_sizes(rows: &[Measured]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for row in rows.iter().filter(|row| !row.peers.is_empty()) {
        let part = format!(
            "{} {} {}s",
            row.id.split('-').next().unwrap_or(row.id).to_uppercase(),
            thousands(row.n),
            row.unit
        );
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts.join(", ")
}

/// `1,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A peer's bar colour in the chart.
fn colour(peer: &str) -> &'static str {
    match peer {
        "tinyio" => "#d9480f",
        "tokio" => "#1971c2",
        "futures" => "#2f9e44",
        "async-channel" => "#7048e8",
        "flume" => "#e8a200",
        _ => "#868e96", // asyncio
    }
}

/// A horizontal bar chart on a log scale: one group of bars per workload, one bar per peer.
pub fn svg(rows: &[Measured], python: &[(String, Stats)]) -> String {
    const LEFT: f64 = 170.0; // labels
    const PLOT: f64 = 560.0; // bars
    const WIDTH: f64 = LEFT + PLOT + 70.0; // values on the right
    const BAR: f64 = 11.0;
    const GAP: f64 = 2.0;
    const GROUP_GAP: f64 = 12.0;
    const TOP: f64 = 56.0;
    const DECADES: [f64; 4] = [10.0, 100.0, 1000.0, 10000.0];
    let x = |value: f64| {
        let lo = DECADES[0].log10();
        let hi = DECADES[DECADES.len() - 1].log10();
        LEFT + PLOT * ((value.max(DECADES[0]).log10() - lo) / (hi - lo)).min(1.0)
    };
    let all_peers: Vec<&str> = PEERS.iter().copied().chain(["asyncio"]).collect();
    let groups: Vec<(&Measured, Vec<(&str, Stats)>)> = rows
        .iter()
        .filter(|row| !row.peers.is_empty())
        .map(|row| {
            let mut bars: Vec<(&str, Stats)> = PEERS
                .iter()
                .filter_map(|peer| row.peers.iter().find(|(name, _)| name == peer).copied())
                .collect();
            if let Some((_, stats)) = python.iter().find(|(id, _)| id == row.id) {
                bars.push(("asyncio", *stats));
            }
            (row, bars)
        })
        .collect();
    let height: f64 = TOP
        + groups
            .iter()
            .map(|(_, bars)| bars.len() as f64 * (BAR + GAP) + GROUP_GAP)
            .sum::<f64>()
        + 30.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="{WIDTH}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        out,
        r#"<text x="10" y="16" font-size="13" font-weight="bold">ns per item, median (log scale; shorter is faster)</text>"#
    );
    // The legend.
    let mut legend_x = 10.0;
    for peer in &all_peers {
        let _ = writeln!(
            out,
            r#"<rect x="{legend_x}" y="26" width="10" height="10" fill="{}"/><text x="{}" y="35">{}</text>"#,
            colour(peer),
            legend_x + 14.0,
            if *peer == "asyncio" {
                "asyncio"
            } else {
                header(peer)
            }
        );
        legend_x += 14.0 + 6.0 * header_len(peer) + 16.0;
    }
    // The grid.
    let bottom = height - 24.0;
    for decade in DECADES {
        let gx = x(decade);
        let _ = writeln!(
            out,
            r##"<line x1="{gx:.1}" y1="{TOP}" x2="{gx:.1}" y2="{bottom}" stroke="#dee2e6"/><text x="{gx:.1}" y="{}" text-anchor="middle" fill="#495057">{}</text>"##,
            bottom + 14.0,
            thousands(decade as u64)
        );
    }
    // The bars.
    let mut y = TOP + 4.0;
    for (row, bars) in &groups {
        let group_height = bars.len() as f64 * (BAR + GAP);
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{:.1}" text-anchor="end" font-weight="bold">{}</text>"#,
            LEFT - 8.0,
            y + group_height / 2.0 + 4.0,
            row.label
        );
        for (peer, stats) in bars {
            let end = x(stats.median);
            let _ = writeln!(
                out,
                r#"<rect x="{LEFT}" y="{y:.1}" width="{:.1}" height="{BAR}" fill="{}"><title>{}: {} ns</title></rect><text x="{:.1}" y="{:.1}">{}</text>"#,
                end - LEFT,
                colour(peer),
                peer,
                ns(stats.median),
                end + 4.0,
                y + BAR - 2.0,
                ns(stats.median)
            );
            y += BAR + GAP;
        }
        y += GROUP_GAP;
    }
    out.push_str("</svg>\n");
    out
}

fn header_len(peer: &str) -> f64 {
    if peer == "asyncio" {
        7.0
    } else {
        header(peer).chars().count() as f64
    }
}
