//! Deterministic generator of realistic synthetic vaults, for benchmarks and stress tests.
//!
//! It writes `--count` contact files as `people/<bucket>/<First Last N>.md` (about 100
//! subfolders) plus a `.netvault/config.toml` with a `[cadence]` table. The files use every
//! front-matter form of SPEC §3.1 (`email` and `emails`, `org`/`company`/`organization`, tags as
//! a list or a comma string, cadences such as `90d`, `2w` or `quarterly`, `MM-DD` birthdays,
//! `introduced_by` wikilinks to other generated contacts, custom keys), bodies with `## Log`
//! entries in heading and list form carrying outcome tags, `## Tasks` with due dates, and
//! prose built from word lists. About 10% of the people have accented names, 5% of the files
//! use CRLF line endings and 3% start with a UTF-8 BOM. Files average about 610 bytes (1% under
//! 150 bytes, 1% over 2.4 KB, the largest near 4 KB), so 100,000 contacts make about 61 MB.
//!
//! ```text
//! cargo run --release --example gen_vault -- --count 100000 --seed 42 --out /tmp/vault100k
//! cargo run --release --example gen_vault -- --count 2000 --out /tmp/vault2k --bad-percent 5
//! ```
//!
//! The output depends only on `--count`, `--seed` and `--bad-percent`: never on the clock (dates
//! are relative to the fixed base date 2026-11-27, so use `--today 2026-11-27` for reproducible
//! reports), nor on the number of threads. Each file draws from its own random stream, so a
//! file's clean content does not change with `--bad-percent`; broken files are damaged copies.
//!
//! `--bad-percent P` damages P% of the files in one of the ways SPEC §9 validates (bad date,
//! unterminated front matter, YAML syntax error, a list for `name`, duplicate key, not a
//! mapping, bad span, bad status, empty name, git conflict markers, invalid UTF-8).
//!
//! Only std is used: the random numbers come from a `SplitMix64` generator written below.

use std::fmt::{self, Write as _};
use std::fs;
use std::num::NonZero;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

/// Appends formatted text to a `String`, which cannot fail.
macro_rules! put {
    ($buf:expr, $($arg:tt)*) => {{
        let _ = write!($buf, $($arg)*);
    }};
}

const USAGE: &str = "\
gen_vault: write a deterministic synthetic netvault vault

USAGE:
    cargo run --release --example gen_vault -- --out DIR [OPTIONS]

OPTIONS:
    --out DIR            folder to write the vault into (created if missing)
    --count N            number of contact files [default: 1000]; accepts 100_000 or 100k
    --seed S             random seed [default: 42]
    --bad-percent P      damage P% of the files (0-100, decimals allowed) [default: 0]
    --threads T          writer threads [default: available parallelism]; output is the same
    --varied             write front matter the many ways people do: trailing and standalone
                         comments, single- and double-quoted values, extra spaces, anchors
                         and aliases, block scalars, flow lists over several lines, quoted
                         dates (nearly every file gets at least one of these)
    --force              write even if DIR is not empty (files with the same names are
                         overwritten; nothing is deleted)
    --linkedin-csv FILE  instead of a vault, write a LinkedIn Connections.csv for the vault that
                         --count and --seed make: every other row is one of its people (found
                         by profile URL, a quarter with a new job), the rest are new people
    --rows N             rows of --linkedin-csv [default: 10000]
    -h, --help           print this help

EXAMPLES:
    cargo run --release --example gen_vault -- --count 100000 --seed 42 --out /tmp/vault100k
    cargo run --release --example gen_vault -- --count 100000 --linkedin-csv /tmp/Connections.csv
";

/// Dates are spread before and around this fixed day; the clock is never read.
const BASE: (i64, i64, i64) = (2026, 11, 27);
/// The earliest date a log entry or `met` may have.
const EARLIEST: (i64, i64, i64) = (2020, 1, 1);
/// The latest date of a follow-up or task due date.
const LATEST: (i64, i64, i64) = (2026, 12, 31);
/// Files per folder is about count / 100, but never fewer than this many files per folder.
const MIN_PER_BUCKET: usize = 20;
const MAX_BUCKETS: usize = 100;

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)) {
        Ok(None) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(args)) => match args.linkedin_csv.as_ref().map_or_else(
            || run(&args),
            |csv| write_linkedin(csv, args.seed, args.count, args.rows),
        ) {
            Ok(summary) => {
                println!("{summary}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("gen_vault: error: {message}");
                ExitCode::from(1)
            }
        },
        Err(message) => {
            eprintln!("gen_vault: error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

struct Args {
    out: PathBuf,
    linkedin_csv: Option<PathBuf>,
    rows: usize,
    count: usize,
    seed: u64,
    bad_percent: f64,
    threads: usize,
    force: bool,
    varied: bool,
}

/// Parses the command line; `Ok(None)` means `--help` was asked for.
fn parse_args(mut raw: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = None;
    let mut count = 1000;
    let mut seed = 42;
    let mut bad_percent = 0.0;
    let mut threads = thread::available_parallelism().map_or(1, NonZero::get);
    let mut force = false;
    let mut varied = false;
    let mut linkedin_csv = None;
    let mut rows = 10_000;
    while let Some(arg) = raw.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| raw.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--force" => force = true,
            "--varied" => varied = true,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--linkedin-csv" => linkedin_csv = Some(PathBuf::from(value()?)),
            "--rows" => rows = parse_count(&value()?)?,
            "--count" => count = parse_count(&value()?)?,
            "--seed" => {
                let text = value()?;
                seed = text
                    .parse()
                    .map_err(|_| format!("--seed wants an unsigned integer, not {text:?}"))?;
            }
            "--bad-percent" => {
                let text = value()?;
                bad_percent = text
                    .parse::<f64>()
                    .ok()
                    .filter(|p| (0.0..=100.0).contains(p))
                    .ok_or_else(|| format!("--bad-percent wants a number from 0 to 100, not {text:?}"))?;
            }
            "--threads" => {
                let text = value()?;
                threads = text
                    .parse::<usize>()
                    .ok()
                    .filter(|t| *t > 0)
                    .ok_or_else(|| format!("--threads wants a positive integer, not {text:?}"))?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let out = match (out, &linkedin_csv) {
        (Some(out), _) => out,
        (None, Some(_)) => PathBuf::new(),
        (None, None) => return Err("--out DIR (or --linkedin-csv FILE) is required".into()),
    };
    Ok(Some(Args {
        out,
        linkedin_csv,
        rows,
        count,
        seed,
        bad_percent,
        threads,
        force,
        varied,
    }))
}

/// Parses `100000`, `100_000`, `100,000`, `100k` or `1m`.
fn parse_count(text: &str) -> Result<usize, String> {
    let digits: String = text.chars().filter(|c| !matches!(c, '_' | ',')).collect();
    let (digits, factor) = match digits.char_indices().last() {
        Some((at, 'k' | 'K')) => (&digits[..at], 1_000),
        Some((at, 'm' | 'M')) => (&digits[..at], 1_000_000),
        _ => (digits.as_str(), 1),
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("--count wants a non-negative integer, not {text:?}"))
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

/// Everything a writer thread needs to render any file, by index.
struct Ctx {
    seed: u64,
    count: usize,
    bad_percent: f64,
    varied: bool,
    base: i64,
    earliest: i64,
    latest: i64,
}

/// What the writers did, summed over threads.
#[derive(Default)]
struct Stats {
    files: usize,
    bytes: u64,
    min: usize,
    max: usize,
    crlf: usize,
    bom: usize,
    accented: usize,
    varied: usize,
    broken: [usize; Breakage::ALL.len()],
}

impl Stats {
    fn add(&mut self, other: &Stats) {
        self.min = match (self.files, other.files) {
            (_, 0) => self.min,
            (0, _) => other.min,
            _ => self.min.min(other.min),
        };
        self.files += other.files;
        self.bytes += other.bytes;
        self.max = self.max.max(other.max);
        self.crlf += other.crlf;
        self.bom += other.bom;
        self.accented += other.accented;
        self.varied += other.varied;
        for (total, n) in self.broken.iter_mut().zip(other.broken) {
            *total += n;
        }
    }
}

fn run(args: &Args) -> Result<String, String> {
    let started = Instant::now();
    prepare_out(&args.out, args.force)?;
    let buckets = (args.count / MIN_PER_BUCKET).clamp(1, MAX_BUCKETS);
    let dirs: Vec<PathBuf> = (0..buckets)
        .map(|b| args.out.join("people").join(format!("{b:02}")))
        .collect();
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let config = write_config(&args.out, args.seed, args.count)?;

    let ctx = Ctx {
        seed: args.seed,
        count: args.count,
        bad_percent: args.bad_percent,
        varied: args.varied,
        base: days_from_civil(BASE),
        earliest: days_from_civil(EARLIEST),
        latest: days_from_civil(LATEST),
    };
    // Threads take whole folders from a shared counter, so no two threads contend for one
    // directory's lock; every file has its own random stream, so which thread writes it does
    // not matter.
    let next = AtomicUsize::new(0);
    let results: Vec<Result<Stats, String>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..args.threads)
            .map(|_| scope.spawn(|| write_files(&ctx, &dirs, &next)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err("a writer thread panicked".to_owned())))
            .collect()
    });
    let mut stats = Stats::default();
    for result in results {
        stats.add(&result?);
    }
    Ok(summary(args, &stats, config, started.elapsed().as_secs_f64()))
}

/// Writes a `LinkedIn` `Connections.csv` (preamble, BOM, CRLF) of `rows` rows for the vault of
/// `count` contacts: even rows are people of the vault spread evenly over it, with their profile
/// URL (a quarter of them at a company and title they may not have on file: job changes); odd
/// rows are new people.
fn write_linkedin(path: &Path, seed: u64, count: usize, rows: usize) -> Result<String, String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let started = Instant::now();
    let mut text = String::from(
        "\u{feff}Notes:\r\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\r\n\r\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n",
    );
    let existing_rows = rows.div_ceil(2);
    let (mut existing, mut new) = (0, 0);
    for r in 0..rows {
        let mut rng = Rng::new(seed, STREAM_LINKEDIN, r);
        let index = if r % 2 == 0 && count > 0 {
            existing += 1;
            (r / 2) * count / existing_rows
        } else {
            new += 1;
            count + r
        };
        let who = person(seed, index);
        let mut url = String::from("https://www.linkedin.com/in/");
        push_slug(&mut url, who.first_ascii);
        url.push('-');
        push_slug(&mut url, who.last_ascii);
        put!(url, "-{}", index + 1);
        let (company, _) = rng.pick(ORGS);
        let title = rng.pick(TITLES);
        let (company, title) = if index < count && !rng.chance(250) {
            ("", "")
        } else {
            (company, title)
        };
        let (y, m, d) = civil_from_days(rng.between(days_from_civil(EARLIEST), days_from_civil(BASE)));
        put!(
            text,
            "{},{},{url},,\"{company}\",\"{title}\",{d:02} {} {y}\r\n",
            who.first,
            who.last,
            MONTHS[usize::try_from(m - 1).unwrap_or(0)]
        );
    }
    fs::write(path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(format!(
        "wrote {} ({rows} rows: {existing} people of the {count}-contact vault, {new} new; {} bytes) in {:.2} s",
        path.display(),
        text.len(),
        started.elapsed().as_secs_f64()
    ))
}

/// Creates the output folder, refusing a non-empty one unless `force`.
fn prepare_out(out: &Path, force: bool) -> Result<(), String> {
    match fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() && !force {
                return Err(format!(
                    "{} is not empty; pick another folder or pass --force",
                    out.display()
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))
        }
        Err(e) => Err(format!("cannot use {} as the output folder: {e}", out.display())),
    }
}

fn write_config(out: &Path, seed: u64, count: usize) -> Result<usize, String> {
    let dir = out.join(".netvault");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut text = String::new();
    put!(
        text,
        "# netvault configuration for a synthetic vault written by gen_vault\n\
         # (seed {seed}, {count} contacts, dates relative to 2026-11-27).\n\n\
         [cadence]\n\
         default = \"180d\"\n\
         family = \"30d\"\n\
         friend = \"2m\"\n\
         school = \"quarterly\"\n\
         faculty = \"4m\"\n\
         alumni = \"6m\"\n\
         coworker = \"60d\"\n\
         neighbor = \"quarterly\"\n\
         club = \"3m\"\n\
         community = \"120d\"\n\
         religious = \"quarterly\"\n\
         online = \"1y\"\n"
    );
    let path = dir.join("config.toml");
    fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(text.len())
}

/// A writer thread's loop: render and write the files of one folder after another until no
/// folder is left. File `index` lives in folder `index % dirs.len()`.
fn write_files(ctx: &Ctx, dirs: &[PathBuf], next: &AtomicUsize) -> Result<Stats, String> {
    let mut stats = Stats::default();
    let mut text = String::with_capacity(8 * 1024);
    let mut bytes = Vec::with_capacity(8 * 1024);
    let mut dates = Vec::with_capacity(32);
    let mut name = String::with_capacity(64);
    loop {
        let bucket = next.fetch_add(1, Ordering::Relaxed);
        let Some(dir) = dirs.get(bucket) else {
            return Ok(stats);
        };
        for index in (bucket..ctx.count).step_by(dirs.len()) {
            text.clear();
            dates.clear();
            let shape = render_file(ctx, index, &mut text, &mut dates);
            encode(&text, shape, &mut bytes);
            name.clear();
            push_stem(&mut name, &person(ctx.seed, index), index);
            name.push_str(".md");
            let path = dir.join(&name);
            fs::write(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            stats.min = if stats.files == 0 {
                bytes.len()
            } else {
                stats.min.min(bytes.len())
            };
            stats.max = stats.max.max(bytes.len());
            stats.files += 1;
            stats.bytes += bytes.len() as u64;
            stats.crlf += usize::from(shape.crlf);
            stats.bom += usize::from(shape.bom);
            stats.accented += usize::from(shape.accented);
            stats.varied += usize::from(shape.varied);
            if let Some(breakage) = shape.broken {
                stats.broken[breakage as usize] += 1;
            }
        }
    }
}

/// Turns the rendered text into the file's bytes: BOM, CRLF, and invalid UTF-8 if asked.
fn encode(text: &str, shape: Shape, bytes: &mut Vec<u8>) {
    bytes.clear();
    if shape.bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    if shape.crlf {
        for line in text.split_inclusive('\n') {
            match line.strip_suffix('\n') {
                Some(content) => {
                    bytes.extend_from_slice(content.as_bytes());
                    bytes.extend_from_slice(b"\r\n");
                }
                None => bytes.extend_from_slice(line.as_bytes()),
            }
        }
    } else {
        bytes.extend_from_slice(text.as_bytes());
    }
    if shape.broken == Some(Breakage::NotUtf8) {
        // A Latin-1 "é", as an editor with the wrong encoding would save it.
        bytes.extend_from_slice(b"Met at the caf\xE9 on the corner.\n");
    }
}

fn summary(args: &Args, stats: &Stats, config_bytes: usize, seconds: f64) -> String {
    let total = stats.bytes + config_bytes as u64;
    let mib_tenths = total * 10 / (1024 * 1024);
    let average = if stats.files == 0 {
        0
    } else {
        stats.bytes / stats.files as u64
    };
    let broken: usize = stats.broken.iter().sum();
    let mut line = String::new();
    put!(
        line,
        "gen_vault: wrote {} contact files + config to {} — {total} bytes ({}.{} MiB; \
         avg {average} B, min {} B, max {} B; {} accented, {} CRLF, {} BOM, {} varied, {broken} broken) \
         in {seconds:.2} s",
        stats.files,
        args.out.display(),
        mib_tenths / 10,
        mib_tenths % 10,
        stats.min,
        stats.max,
        stats.accented,
        stats.crlf,
        stats.bom,
        stats.varied,
    );
    if broken > 0 {
        line.push_str("\ngen_vault: broken files:");
        for (kind, n) in Breakage::ALL.iter().zip(stats.broken) {
            if n > 0 {
                put!(line, " {n} {}", kind.code());
            }
        }
    }
    line
}

// ---------------------------------------------------------------------------------------------
// Randomness and dates
// ---------------------------------------------------------------------------------------------

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// Independent random streams per file: names, content, and file-level damage.
const STREAM_NAME: u64 = 1;
const STREAM_CONTENT: u64 = 2;
const STREAM_SHAPE: u64 = 3;
const STREAM_LINKEDIN: u64 = 4;
const STREAM_VARIED: u64 = 5;

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `SplitMix64`: tiny, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64, index: usize) -> Self {
        Self(mix64(seed ^ mix64((stream << 56) ^ index as u64)))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }

    /// A uniform integer in `0..n`; `n` must not be zero.
    #[expect(clippy::cast_possible_truncation, reason = "the product's high half is below n")]
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// True with a probability of `per_mille` / 1000.
    fn chance(&mut self, per_mille: u32) -> bool {
        self.next_u64() % 1000 < u64::from(per_mille)
    }

    /// A uniform number in `0.0..100.0`.
    fn percent(&mut self) -> f64 {
        f64::from((self.next_u64() >> 32) as u32) / f64::from(u32::MAX) * 100.0
    }

    /// A uniform integer in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + i64::try_from(self.next_u64() % (hi - lo + 1).unsigned_abs()).unwrap_or(0)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Like `pick`, but not `previous` (a person rarely writes the same line twice in a row).
    fn pick_new(&mut self, items: &[&'static str], previous: &str) -> &'static str {
        loop {
            let item = self.pick(items);
            if item != previous || items.len() < 2 {
                return item;
            }
        }
    }

    fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u32 = items.iter().map(|(w, _)| w).sum();
        let mut roll = self.next_u64() % u64::from(total);
        for &(weight, item) in items {
            if roll < u64::from(weight) {
                return item;
            }
            roll -= u64::from(weight);
        }
        items[items.len() - 1].1
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil((year, month, day): (i64, i64, i64)) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Displays a day number as `YYYY-MM-DD`.
struct Ymd(i64);

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists (`rustfmt::skip` keeps them as compact paragraphs instead of one word per line)
// ---------------------------------------------------------------------------------------------

/// Plain first and last names; the accented lists below pair each name with an ASCII form
/// for e-mail addresses and URLs.
#[rustfmt::skip]
const FIRST: &[&str] = &[
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony",
    "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily",
    "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian",
    "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason", "Laura",
    "Edward", "Sharon", "Jeffrey", "Cynthia", "Ryan", "Kathleen", "Jacob", "Amy", "Gary", "Angela",
    "Nicholas", "Shirley", "Eric", "Anna", "Jonathan", "Brenda", "Stephen", "Pamela", "Larry",
    "Emma", "Justin", "Nicole", "Scott", "Helen", "Brandon", "Samantha", "Benjamin", "Katherine",
    "Samuel", "Christine", "Gregory", "Rachel", "Patrick", "Carolyn", "Frank", "Janet", "Raymond",
    "Maria", "Jack", "Olivia", "Dennis", "Heather", "Tyler", "Julie", "Aaron", "Joyce", "Priya",
    "Wei", "Aisha", "Kenji", "Fatima", "Omar", "Mei", "Arjun", "Hana", "Kwame", "Ngozi", "Dmitri",
    "Ingrid", "Lars", "Amara", "Ravi", "Yuki", "Tariq", "Leila", "Mateo", "Sofia", "Diego",
    "Camila", "Luca", "Giulia", "Noah", "Liam", "Ava", "Mia", "Ethan", "Harper", "Elijah", "Aria",
    "Malik", "Imani", "Jamal", "Keisha", "Sanjay", "Ananya", "Hiroshi", "Sakura", "Min-jun",
    "Seo-yeon", "Rajiv", "Greta", "Hannah", "Walter", "Claire", "Owen",
];

#[rustfmt::skip]
const LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green",
    "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell",
    "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers",
    "Morgan", "Peterson", "Cooper", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox",
    "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes", "Price", "Sanders",
    "Myers", "Long", "Ross", "Foster", "Patel", "Shah", "Kim", "Park", "Chen", "Wang", "Li",
    "Zhang", "Liu", "Singh", "Kumar", "Okafor", "Mensah", "Haddad", "Khan", "Ali", "Ahmed",
    "Tanaka", "Sato", "Suzuki", "Ivanova", "Petrov", "Larsen", "Johansson", "Rossi", "Bianchi",
    "Silva", "Santos", "Cohen", "Levy", "O'Brien", "O'Connor", "McCarthy", "Smith-Jones", "Okonkwo",
    "Nakamura", "Yamamoto", "Goldberg", "Schwartz", "Fischer", "Weber", "Novak", "Horvat",
    "Kowalski", "Nowak", "Whitaker", "Pruitt", "Menon", "Beaumont", "Lindqvist",
];

#[rustfmt::skip]
const FIRST_ACCENTED: &[(&str, &str)] = &[
    ("José", "jose"), ("Zoë", "zoe"), ("Chloé", "chloe"), ("Renée", "renee"), ("Inés", "ines"),
    ("Björn", "bjorn"), ("Søren", "soren"), ("François", "francois"), ("Agnès", "agnes"),
    ("Jürgen", "jurgen"), ("Łukasz", "lukasz"), ("Siobhán", "siobhan"), ("Anaïs", "anais"),
    ("Hélène", "helene"), ("Andrés", "andres"), ("Sebastián", "sebastian"), ("Raúl", "raul"),
    ("Joaquín", "joaquin"), ("Iñaki", "inaki"), ("Zoltán", "zoltan"), ("Mónica", "monica"),
    ("Noémie", "noemie"), ("Göran", "goran"), ("Thảo", "thao"), ("Ngọc", "ngoc"), ("Đức", "duc"),
    ("Ágnes", "agnes"), ("Çağla", "cagla"), ("Dóra", "dora"), ("Bjørn", "bjorn"),
];

#[rustfmt::skip]
const LAST_ACCENTED: &[(&str, &str)] = &[
    ("Núñez", "nunez"), ("Nguyễn", "nguyen"), ("Müller", "muller"), ("García", "garcia"),
    ("Pérez", "perez"), ("Gómez", "gomez"), ("López", "lopez"), ("Martínez", "martinez"),
    ("Rodríguez", "rodriguez"), ("Hernández", "hernandez"), ("Sánchez", "sanchez"),
    ("Jiménez", "jimenez"), ("Çelik", "celik"), ("Öztürk", "ozturk"), ("Østergaard", "ostergaard"),
    ("Šimić", "simic"), ("Dvořák", "dvorak"), ("Wiśniewski", "wisniewski"), ("Böhm", "bohm"),
    ("Strauß", "strauss"), ("Trần", "tran"), ("Phạm", "pham"), ("Đặng", "dang"), ("Lê", "le"),
    ("Ibáñez", "ibanez"), ("Peña", "pena"), ("Fàbregas", "fabregas"), ("Żukowski", "zukowski"),
    ("Håkansson", "hakansson"), ("Lefèvre", "lefevre"), ("Ó Súilleabháin", "osuilleabhain"),
];

/// Organisations as `(name, domain label)`.
#[rustfmt::skip]
const ORGS: &[(&str, &str)] = &[
    ("Acme Corp", "acme"), ("Globex", "globex"), ("Initech", "initech"),
    ("Northwind Traders", "northwind"), ("Contoso", "contoso"), ("Fabrikam", "fabrikam"),
    ("Tailspin Toys", "tailspin"), ("Wide World Importers", "wwi"),
    ("Adventure Works", "adventure-works"), ("Lakeshore Public Library", "lakeshorelibrary"),
    ("Riverbend University", "riverbend"), ("Austin Community College", "austincc"),
    ("Epoch Analytics", "epoch"), ("Bluebonnet Health", "bluebonnet"),
    ("Pioneer Credit Union", "pioneercu"), ("Cedar & Pine Design", "cedarpine"), ("Hooli", "hooli"),
    ("Pied Piper", "piedpiper"), ("Vandelay Industries", "vandelay"),
    ("Dunder Mifflin", "dundermifflin"), ("State Historical Society", "history"),
    ("City of Springfield", "springfield"), ("Helix Biotech", "helix"),
    ("Brightline Schools", "brightline"), ("Open Archive Foundation", "openarchive"),
    ("Kestrel Robotics", "kestrel"), ("Meridian Bank", "meridian"), ("Larkspur Media", "larkspur"),
    ("Summit Consulting", "summit"), ("Greenway Logistics", "greenway"),
    ("Museo de Arte Popular", "museo"), ("Oak Street Church", "oakstreet"),
    ("Harbor Co-op", "harborcoop"), ("Sunrise Senior Living", "sunrise"),
    ("Tessellate Labs", "tessellate"), ("Société Générale de Données", "sgd"),
];

#[rustfmt::skip]
const TITLES: &[&str] = &[
    "Data Librarian", "Software Engineer", "Senior Product Manager", "UX Researcher", "Archivist",
    "Recruiter", "Talent Acquisition Partner", "Professor of History", "Assistant Dean",
    "Nurse Practitioner", "Financial Analyst", "Marketing Manager", "Grant Writer",
    "Program Coordinator", "Data Scientist", "Head of Engineering", "VP, Operations",
    "High School Teacher", "Youth Pastor", "Project Manager", "Retired", "Graduate Student",
    "Reference Librarian", "Digital Asset Manager", "Engineering Manager", "Staff Engineer",
    "Office Manager", "Career Counselor", "Research Scientist", "Curator", "Account Executive",
    "HR Business Partner", "Principal Designer", "Policy Analyst", "Executive Director",
];

#[rustfmt::skip]
const CITIES: &[&str] = &[
    "Austin, TX", "Denver, CO", "Seattle, WA", "Chicago, IL", "Boston, MA", "Toronto, ON",
    "Atlanta, GA", "Portland, OR", "Minneapolis, MN", "Raleigh, NC", "San Diego, CA",
    "Pittsburgh, PA", "Madison, WI", "Berlin", "London", "Dublin", "Montréal, QC",
    "São Paulo", "Ho Chi Minh City", "Bengaluru", "Nairobi", "Mexico City", "Ann Arbor, MI",
];

#[rustfmt::skip]
const CIRCLES: &[(u32, &str)] = &[
    (6, "family"), (12, "friend"), (10, "school"), (6, "faculty"), (16, "alumni"), (20, "coworker"),
    (5, "neighbor"), (6, "club"), (7, "community"), (3, "religious"), (9, "online"),
];

#[rustfmt::skip]
const TAGS: &[&str] = &[
    "archives", "python", "data", "ux", "recruiting", "hiring-manager", "mentor", "nonprofit",
    "fintech", "healthcare", "higher-ed", "design", "policy", "research", "sales", "devops", "ml",
    "writing", "gis", "k12", "public-library", "startup", "remote", "grad-school", "referral",
    "job-search", "museums", "open-source", "management", "volunteer",
];

#[rustfmt::skip]
const CADENCES: &[(u32, &str)] = &[
    (3, "30d"), (2, "45d"), (3, "60d"), (6, "90d"), (2, "120d"), (3, "180d"), (2, "365d"),
    (1, "1w"), (3, "2w"), (1, "3w"), (2, "4w"), (2, "6w"), (2, "1m"), (3, "2m"), (5, "3m"),
    (2, "4m"), (4, "6m"), (1, "9m"), (3, "1y"), (1, "2y"), (1, "weekly"), (2, "biweekly"),
    (4, "monthly"), (5, "quarterly"), (3, "yearly"),
];

#[rustfmt::skip]
const MET_AT: &[&str] = &[
    "iSchool career fair", "ALA annual conference", "PyCon US", "the church picnic",
    "a neighborhood association meeting", "Toastmasters", "LinkedIn", "a Discord server",
    "college orientation", "Thanksgiving dinner", "my summer internship", "a hackathon",
    "an alumni mixer", "book club", "the climbing gym", "a food bank volunteer shift",
    "a Code4Lib meetup", "my first job", "grad school", "a friend's wedding", "the dog park",
    "a webinar on digital preservation", "the kids' soccer practice", "a Mastodon thread",
];

#[rustfmt::skip]
const TEAMS: &[&str] = &[
    "data", "platform", "special collections", "research", "growth", "design systems", "IT",
    "admissions", "grants", "customer success", "analytics", "digital services", "outreach",
];

#[rustfmt::skip]
const TOPICS: &[&str] = &[
    "digital preservation", "metadata standards", "the new ERP rollout", "grant funding",
    "remote work", "salary negotiation", "portfolio reviews", "open-source maintenance",
    "union organizing", "accessibility audits", "the AI hype cycle", "museum digitization",
    "data engineering interviews", "changing careers", "the academic job market",
    "their move into management", "burnout", "public speaking", "certification programs",
    "how hiring works at small nonprofits", "contract versus full-time work",
];

#[rustfmt::skip]
const RESOURCES: &[&str] = &[
    "the Code4Lib job board", "Designing Your Life", "the SAA listserv", "Ask a Manager",
    "the local Python meetup", "the careers page", "a free SQL course",
    "the state library's internship program", "the alumni mentoring program",
    "a salary survey from last year", "the regional archives roundtable",
];

#[rustfmt::skip]
const TOOLS: &[&str] = &[
    "Airflow", "dbt", "ArchivesSpace", "Figma", "Salesforce", "Kubernetes", "Tableau", "Excel", "R",
    "Omeka", "Python", "Jira", "SQL Server", "QGIS",
];

#[rustfmt::skip]
const SEASONS: &[&str] = &[
    "spring", "summer", "fall", "winter",
];

#[rustfmt::skip]
const FAVORS: &[&str] = &[
    "a cover letter", "moving boxes", "a reference for their nephew",
    "proofreading a grant proposal", "setting up a home network", "a ride to the airport",
    "feedback on a conference talk", "a spreadsheet formula", "their LinkedIn headline",
];

#[rustfmt::skip]
const EVENTS: &[&str] = &[
    "the alumni mixer", "the regional library conference", "the Python meetup", "the career fair",
    "a friend's birthday party", "the neighborhood cleanup", "church", "the book club", "a webinar",
    "the department holiday party", "the hackathon",
];

#[rustfmt::skip]
const PLACES: &[&str] = &[
    "Epoch", "Bennu", "the Blue Door Café", "Houndstooth", "the library café", "Panera",
    "the campus coffee cart", "Ruta Maya", "Mozart's", "the taco truck on 5th",
];

#[rustfmt::skip]
const OUTCOMES: &[(u32, &str)] = &[
    (25, "#info"), (20, "#advice"), (12, "#tips"), (15, "#intro"), (6, "#interview"), (2, "#offer"),
    (12, "#gave"), (10, "#asked"), (2, "#mentor"), (2, "#job-search"),
];

#[rustfmt::skip]
const HEADING_ACTIVITIES: &[&str] = &[
    "Coffee at {place}", "Lunch at {place}", "Phone call", "Video call", "Informational interview",
    "Ran into {first} at {event}", "Drinks after {event}", "Walk around the lake", "Met at {event}",
    "Zoom catch-up", "Mock interview", "Portfolio review", "Coffee chat",
    "Dinner with {first} and family", "Catch-up call about {topic}",
];

#[rustfmt::skip]
const LIST_ACTIVITIES: &[&str] = &[
    "emailed {first} my portfolio", "sent a LinkedIn message", "texted happy birthday",
    "shared the posting for a {role} at {org}", "thanked {first} for the intro to {link}",
    "called about the {team} role", "sent my résumé", "commented on their post about {topic}",
    "mailed a thank-you card", "asked for an intro to someone at {org}",
    "sent {first} an article on {topic}", "quick call, {first} is busy until {season}",
    "helped {first} with {favor}", "met {first} at {event}", "replied to their newsletter",
];

const SENTENCES: &[&str] = &[
    "{org} is opening a {town} office next {season}.",
    "{first} said the {team} team is hiring before the end of the {season}.",
    "Talked about {topic} and how {first} got into the field.",
    "Suggested I look at {resource}.",
    "{first} offered to review my résumé and portfolio.",
    "Recommended reaching out to {link}, who runs the {team} group at {org}.",
    "Their team uses {tool} heavily; worth brushing up before applying.",
    "The hiring process at {org} is three rounds: a screen, a take-home and a panel.",
    "I promised to send {first} the article on {topic}.",
    "Felt awkward at first, but it flowed once we got onto {topic}.",
    "{first} is moving to {town} in the {season}.",
    "Mentioned a contract opening at {org}; the deadline is the end of the month.",
    "We compared notes on {topic}.",
    "Asked whether I would be open to relocating to {town}.",
    "Gave me three names to contact on the {team} side.",
    "I helped {first} with {favor}, which they really appreciated.",
    "Next time, ask about {topic}.",
    "{first} knows {link} from their time at {org}.",
    "Budget for the {team} team was cut, so no new roles until the {season}.",
    "They are looking for someone who knows {tool} and can talk to stakeholders.",
    "Good reminder that most jobs at {org} are filled through referrals.",
    "{first} was candid about {topic}, which helped a lot.",
    "Said to mention their name when I apply to {org}.",
];

#[rustfmt::skip]
const TASKS: &[&str] = &[
    "send thank-you note", "ask {first} about the {team} opening", "share the {topic} article",
    "intro {first} to {link}", "check in after the {season} hiring freeze",
    "update my résumé before calling {first}", "RSVP to {event}", "send {first} my portfolio link",
    "return the book I borrowed", "congratulate {first} on the new role",
    "offer to help with {favor}", "follow up on the {role} posting at {org}",
];

#[rustfmt::skip]
const NOTES: &[&str] = &[
    "they use {tool}", "ask about {topic} next time", "prefers email over calls",
    "kids: two, both in middle school", "introvert too; small groups work better",
    "knows everyone in the {team} world", "worked at {org} before", "mentioned {link}",
];

const PRONOUNS: &[&str] = &["she/her", "he/him", "they/them", "she/they", "he/they"];

#[rustfmt::skip]
const SCHOOLS: &[&str] = &[
    "UT Austin", "Riverbend University", "University of Michigan", "Simmons University",
    "Georgia Tech", "Universidad de los Andes", "McGill University", "Austin Community College",
];

// ---------------------------------------------------------------------------------------------
// One person
// ---------------------------------------------------------------------------------------------

/// A generated person's name, with the ASCII forms used in addresses.
#[derive(Clone, Copy)]
struct Person {
    first: &'static str,
    last: &'static str,
    first_ascii: &'static str,
    last_ascii: &'static str,
    accented: bool,
}

/// The person behind file `index`; any file can name any other this way.
fn person(seed: u64, index: usize) -> Person {
    let mut rng = Rng::new(seed, STREAM_NAME, index);
    let (first, first_ascii) = if rng.chance(45) {
        rng.pick(FIRST_ACCENTED)
    } else {
        let first = rng.pick(FIRST);
        (first, first)
    };
    let (last, last_ascii) = if rng.chance(70) {
        rng.pick(LAST_ACCENTED)
    } else {
        let last = rng.pick(LAST);
        (last, last)
    };
    Person {
        first,
        last,
        first_ascii,
        last_ascii,
        accented: first != first_ascii || last != last_ascii,
    }
}

/// The file stem `First Last N`, unique because of the number.
fn push_stem(s: &mut String, who: &Person, index: usize) {
    put!(s, "{} {} {}", who.first, who.last, index + 1);
}

/// Lower-case ASCII letters and digits of `text`, for e-mail addresses and URL slugs.
fn push_slug(s: &mut String, text: &str) {
    s.extend(
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase()),
    );
}

/// How much a file holds; this drives the spread of file sizes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Minimal,
    Normal,
    Rich,
    Heavy,
}

/// Ways to damage a file for validation benchmarks, with SPEC §9's rule codes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Breakage {
    BadDate,
    Unterminated,
    YamlSyntax,
    ListName,
    DuplicateKey,
    NotMapping,
    BadSpan,
    BadStatus,
    EmptyName,
    ConflictMarker,
    NotUtf8,
}

impl Breakage {
    const ALL: [Breakage; 11] = [
        Breakage::BadDate,
        Breakage::Unterminated,
        Breakage::YamlSyntax,
        Breakage::ListName,
        Breakage::DuplicateKey,
        Breakage::NotMapping,
        Breakage::BadSpan,
        Breakage::BadStatus,
        Breakage::EmptyName,
        Breakage::ConflictMarker,
        Breakage::NotUtf8,
    ];

    const WEIGHTED: [(u32, Breakage); 11] = [
        (20, Breakage::BadDate),
        (14, Breakage::Unterminated),
        (18, Breakage::YamlSyntax),
        (14, Breakage::ListName),
        (6, Breakage::DuplicateKey),
        (4, Breakage::NotMapping),
        (6, Breakage::BadSpan),
        (5, Breakage::BadStatus),
        (3, Breakage::EmptyName),
        (6, Breakage::ConflictMarker),
        (4, Breakage::NotUtf8),
    ];

    fn code(self) -> &'static str {
        match self {
            Breakage::BadDate => "bad-date",
            Breakage::Unterminated => "front-matter-unterminated",
            Breakage::YamlSyntax => "yaml-syntax",
            Breakage::ListName => "bad-type(name)",
            Breakage::DuplicateKey => "yaml-syntax(duplicate-key)",
            Breakage::NotMapping => "not-a-mapping",
            Breakage::BadSpan => "bad-span",
            Breakage::BadStatus => "bad-status",
            Breakage::EmptyName => "empty-name",
            Breakage::ConflictMarker => "conflict-marker",
            Breakage::NotUtf8 => "not-utf8",
        }
    }
}

/// File-level properties decided before the content.
#[derive(Clone, Copy)]
#[allow(clippy::struct_excessive_bools, reason = "independent yes/no properties of one file")]
struct Shape {
    crlf: bool,
    bom: bool,
    accented: bool,
    varied: bool,
    broken: Option<Breakage>,
}

/// Renders file `index` into `s` (always with `\n` line endings) and says how to encode it.
fn render_file(ctx: &Ctx, index: usize, s: &mut String, dates: &mut Vec<i64>) -> Shape {
    let mut shape_rng = Rng::new(ctx.seed, STREAM_SHAPE, index);
    let crlf = shape_rng.chance(50);
    let bom = shape_rng.chance(30);
    let bad_roll = shape_rng.percent();
    let breakage = shape_rng.weighted(&Breakage::WEIGHTED);
    let broken = (bad_roll < ctx.bad_percent).then_some(breakage);

    let who = person(ctx.seed, index);
    let mut rng = Rng::new(ctx.seed, STREAM_CONTENT, index);
    let class = rng.weighted(&[
        (260, Class::Minimal),
        (640, Class::Normal),
        (80, Class::Rich),
        (20, Class::Heavy),
    ]);
    let met = rng.between(ctx.earliest, ctx.base - 7);
    let mut g = Gen {
        ctx,
        rng,
        index,
        who,
        class,
        met,
        org: ORGS[0],
    };
    g.org = g.rng.pick(ORGS);
    g.front_matter(s);
    // A stream of its own: the same file without `--varied` is the same file.
    let varied = ctx.varied && vary(s, &mut Rng::new(ctx.seed, STREAM_VARIED, index));
    g.body(s, dates);
    if let Some(breakage) = broken {
        g.damage(breakage, s);
    }
    Shape {
        crlf,
        bom,
        accented: who.accented,
        varied,
        broken,
    }
}

/// Rewrites the front matter in `s` (all of `s` so far) the ways people write it by hand, keeping
/// what it means: comments, quoting, spacing, anchors and aliases, a block scalar, a flow list
/// over two lines, a block list at the key's indent. True when anything changed.
fn vary(s: &mut String, rng: &mut Rng) -> bool {
    let original = std::mem::take(s);
    let mut anchored = false;
    let mut dedent_items = false;
    for line in original.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if content == "---" {
            if !s.is_empty() {
                if anchored {
                    s.push_str("works_at: *employer\n");
                }
                if rng.chance(50) {
                    s.push_str(
                        "summary: |\n  Met at a conference panel on archives.\n  Asked about the data-curation role.\n",
                    );
                }
            }
            s.push_str(line);
            if s.len() == 4 && rng.chance(100) {
                s.push_str("# contact card, kept by hand\n");
            }
            continue;
        }
        if let Some(item) = content.strip_prefix("  - ") {
            if dedent_items {
                put!(s, "- {item}\n");
            } else {
                s.push_str(line);
            }
            continue;
        }
        let Some((key, value)) = content.split_once(": ").filter(|(k, _)| !k.starts_with(' ')) else {
            // A key whose value follows on the next lines (a list or a mapping).
            dedent_items = content.ends_with(':') && !content.starts_with(' ') && rng.chance(150);
            s.push_str(line);
            continue;
        };
        dedent_items = false;
        if rng.chance(60) {
            s.push_str("# ---\n");
        }
        let plain = !value.starts_with(['"', '\'', '[', '&', '*']) && !value.contains(['\'', '"', '#']);
        let spaces = if rng.chance(80) { "   " } else { " " };
        let mut rendered = String::new();
        if matches!(key, "organization" | "org" | "company") && plain && !anchored && rng.chance(20) {
            anchored = true;
            put!(rendered, "&employer {value}");
        } else if plain && rng.chance(200) {
            let quote = if rng.chance(600) { '\'' } else { '"' };
            put!(rendered, "{quote}{value}{quote}");
        } else if value.starts_with('[') && value.contains(", ") && rng.chance(150) {
            rendered.push_str(&value.replacen(", ", ",\n  ", 1));
        } else {
            rendered.push_str(value);
        }
        put!(s, "{key}:{spaces}{rendered}");
        if rng.chance(150) {
            s.push_str("  # as of the last chat");
        }
        s.push('\n');
    }
    *s != original
}

/// The state for rendering one contact file.
struct Gen<'c> {
    ctx: &'c Ctx,
    rng: Rng,
    index: usize,
    who: Person,
    class: Class,
    met: i64,
    org: (&'static str, &'static str),
}

impl Gen<'_> {
    /// True with probability `per_mille` / 1000, scaled by how rich this file is.
    fn p(&mut self, per_mille: u32) -> bool {
        let scaled = match self.class {
            Class::Minimal => per_mille / 2,
            Class::Normal => per_mille,
            Class::Rich => per_mille * 13 / 10,
            Class::Heavy => per_mille * 3 / 2,
        };
        self.rng.chance(scaled)
    }

    /// A random date in `lo..=hi`.
    fn date(&mut self, lo: i64, hi: i64) -> Ymd {
        Ymd(self.rng.between(lo, hi))
    }

    /// Another generated contact's index (this one only if it is alone).
    fn other(&mut self) -> usize {
        if self.ctx.count < 2 {
            return self.index;
        }
        let j = self.rng.below(self.ctx.count - 1);
        if j >= self.index { j + 1 } else { j }
    }

    fn push_other_stem(&mut self, s: &mut String) {
        let j = self.other();
        push_stem(s, &person(self.ctx.seed, j), j);
    }

    /// `[[Other Name N]]`, sometimes with a label.
    fn link(&mut self, s: &mut String) {
        let j = self.other();
        let them = person(self.ctx.seed, j);
        s.push_str("[[");
        push_stem(s, &them, j);
        if self.rng.chance(150) {
            s.push('|');
            s.push_str(them.first);
        }
        s.push_str("]]");
    }

    /// Expands `{slot}`s in a template from the word lists.
    fn fill(&mut self, template: &str, s: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            s.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').unwrap_or(after.len());
            self.slot(&after[..close], s);
            rest = after.get(close + 1..).unwrap_or("");
        }
        s.push_str(rest);
    }

    fn slot(&mut self, key: &str, s: &mut String) {
        let word = match key {
            "first" => self.who.first,
            "org" => self.rng.pick(ORGS).0,
            "team" => self.rng.pick(TEAMS),
            "role" => self.rng.pick(TITLES),
            "town" => {
                let city = self.rng.pick(CITIES);
                city.split(',').next().unwrap_or(city)
            }
            "topic" => self.rng.pick(TOPICS),
            "season" => self.rng.pick(SEASONS),
            "resource" => self.rng.pick(RESOURCES),
            "tool" => self.rng.pick(TOOLS),
            "favor" => self.rng.pick(FAVORS),
            "event" => self.rng.pick(EVENTS),
            "place" => self.rng.pick(PLACES),
            "link" => return self.link(s),
            other => other,
        };
        s.push_str(word);
    }

    /// Writes `items` as a flow list, a block list, or (when `allow_string`) a comma string.
    fn list(&mut self, key: &str, items: &[&str], allow_string: bool, s: &mut String) {
        let form = self.rng.below(if allow_string { 10 } else { 7 });
        if form < 5 {
            put!(s, "{key}: [{}]\n", items.join(", "));
        } else if form < 7 {
            put!(s, "{key}:\n");
            for item in items {
                put!(s, "  - {item}\n");
            }
        } else if form < 9 {
            put!(s, "{key}: {}\n", items.join(", "));
        } else {
            put!(s, "{key}: \"#{}\"\n", items.join(", #"));
        }
    }

    fn email_address(&mut self, s: &mut String, work: bool) {
        let who = self.who;
        match self.rng.below(4) {
            0 => {
                push_slug(s, who.first_ascii);
                s.push('.');
                push_slug(s, who.last_ascii);
            }
            1 => {
                push_slug(s, &who.first_ascii[..1]);
                push_slug(s, who.last_ascii);
            }
            2 => {
                push_slug(s, who.first_ascii);
                push_slug(s, who.last_ascii);
            }
            _ => {
                push_slug(s, who.last_ascii);
                s.push('.');
                push_slug(s, who.first_ascii);
            }
        }
        put!(s, "{}@", self.index + 1);
        if work {
            put!(s, "{}.example", self.org.1);
        } else {
            s.push_str(
                self.rng
                    .pick(&["example.com", "example.org", "example.net", "mail.example.com"]),
            );
        }
    }

    // -----------------------------------------------------------------------------------------
    // Front matter
    // -----------------------------------------------------------------------------------------

    fn front_matter(&mut self, s: &mut String) {
        s.push_str("---\n");
        self.fm_identity(s);
        self.fm_relation(s);
        self.fm_rhythm(s);
        self.fm_extra(s);
        s.push_str("---\n");
    }

    fn fm_identity(&mut self, s: &mut String) {
        let who = self.who;
        if self.rng.chance(900) {
            put!(s, "name: {} {}\n", who.first, who.last);
        }
        if self.p(50) {
            let alias = self.rng.pick(&["initials", "first", "nick"]);
            match alias {
                "initials" => put!(s, "aliases: [{}{}]\n", first_char(who.first), first_char(who.last)),
                "first" => put!(s, "aliases: {}\n", who.first),
                _ => put!(
                    s,
                    "aliases: [{}, \"{} {}\"]\n",
                    who.first,
                    first_char(who.first),
                    who.last
                ),
            }
        }
        if self.rng.chance(850) {
            self.fm_emails(s);
        }
        if self.p(300) {
            let area = self.rng.between(200, 989);
            let line = self.rng.between(100, 199);
            if self.rng.chance(600) {
                put!(s, "phone: \"+1 {area} 555 0{line}\"\n");
            } else {
                let other = self.rng.between(100, 199);
                put!(s, "phones: [\"+1 {area} 555 0{line}\", \"+1 {area} 555 0{other}\"]\n");
            }
        }
        if self.p(800) {
            let key = self.rng.weighted(&[(4, "organization"), (3, "org"), (3, "company")]);
            put!(s, "{key}: {}\n", self.org.0);
        }
        if self.p(750) {
            let key = self.rng.weighted(&[(6, "title"), (3, "role"), (1, "position")]);
            let title = self.rng.pick(TITLES);
            put!(s, "{key}: {title}\n");
        }
        if self.p(600) {
            let city = self.rng.pick(CITIES);
            put!(s, "location: {city}\n");
        }
    }

    fn fm_emails(&mut self, s: &mut String) {
        match self.rng.below(20) {
            0..=8 => {
                s.push_str("email: ");
                let work = self.rng.chance(400);
                self.email_address(s, work);
                s.push('\n');
            }
            9..=15 => {
                s.push_str("emails: [");
                self.email_address(s, false);
                if self.rng.chance(400) {
                    s.push_str(", ");
                    self.email_address(s, true);
                }
                s.push_str("]\n");
            }
            _ => {
                s.push_str("emails:\n  - ");
                self.email_address(s, true);
                s.push_str("\n  - ");
                self.email_address(s, false);
                s.push('\n');
            }
        }
    }

    fn fm_relation(&mut self, s: &mut String) {
        if self.p(800) {
            let n = 1 + self.rng.below(3);
            let mut tags = [""; 3];
            for tag in tags.iter_mut().take(n) {
                *tag = self.rng.pick(TAGS);
            }
            let tags = &mut tags[..n];
            tags.sort_unstable();
            let len = dedup_len(tags);
            self.list("tags", &tags[..len], true, s);
        }
        if self.rng.chance(850) {
            let first = self.rng.weighted(CIRCLES);
            if self.rng.chance(550) {
                put!(s, "circle: {first}\n");
            } else {
                let second = self.rng.weighted(CIRCLES);
                if second == first {
                    put!(s, "circles: [{first}]\n");
                } else {
                    put!(s, "circles: [{first}, {second}]\n");
                }
            }
        }
        if self.p(700) {
            self.date_field("met", self.met, s);
            if self.rng.chance(600) {
                let at = self.rng.pick(MET_AT);
                put!(s, "met_at: {at}\n");
            }
        }
        if self.p(180) {
            self.fm_introduced_by(s);
        }
        if self.p(400) {
            self.fm_links(s);
        }
    }

    fn fm_introduced_by(&mut self, s: &mut String) {
        match self.rng.below(20) {
            0..=13 => {
                s.push_str("introduced_by: \"[[");
                self.push_other_stem(s);
                s.push_str("]]\"\n");
            }
            14..=16 => {
                s.push_str("introduced_by: ");
                self.push_other_stem(s);
                s.push('\n');
            }
            _ => {
                s.push_str("introduced_by:\n  - \"[[");
                self.push_other_stem(s);
                s.push_str("]]\"\n  - \"[[");
                self.push_other_stem(s);
                s.push_str("]]\"\n");
            }
        }
    }

    fn fm_links(&mut self, s: &mut String) {
        let who = self.who;
        let n = self.index + 1;
        let mut linkedin = String::new();
        put!(linkedin, "https://www.linkedin.com/in/");
        push_slug(&mut linkedin, who.first_ascii);
        linkedin.push('-');
        push_slug(&mut linkedin, who.last_ascii);
        put!(linkedin, "-{n}");
        if self.rng.chance(800) {
            put!(s, "links:\n  linkedin: {linkedin}\n");
            if self.rng.chance(300) {
                s.push_str("  github: https://github.com/");
                push_slug(s, who.first_ascii);
                push_slug(s, who.last_ascii);
                put!(s, "{n}\n");
            }
            if self.rng.chance(200) {
                s.push_str("  website: https://");
                push_slug(s, who.last_ascii);
                put!(s, "{n}.example.net\n");
            }
        } else {
            put!(s, "links:\n  - {linkedin}\n  - https://mastodon.example/@");
            push_slug(s, who.first_ascii);
            put!(s, "{n}\n");
        }
    }

    /// A date field, now and then quoted or as a datetime, as people type them.
    fn date_field(&mut self, key: &str, day: i64, s: &mut String) {
        match self.rng.below(100) {
            0..=3 => put!(s, "{key}: \"{}\"\n", Ymd(day)),
            4 => put!(s, "{key}: {} 14:30\n", Ymd(day)),
            5 => put!(s, "{key}: {}T09:15\n", Ymd(day)),
            _ => put!(s, "{key}: {}\n", Ymd(day)),
        }
    }

    fn fm_rhythm(&mut self, s: &mut String) {
        if self.p(350) {
            let cadence = self.rng.weighted(CADENCES);
            put!(s, "cadence: {cadence}\n");
        }
        if self.p(200) {
            let day = self.rng.between(self.ctx.base - 90, self.ctx.latest);
            self.date_field("follow_up", day, s);
        }
        if self.p(250) {
            let day = self.rng.between(self.met, self.ctx.base);
            self.date_field("last_contact", day, s);
        }
        if self.p(200) {
            let (_, month, day) = civil_from_days(self.rng.between(0, 364));
            match self.rng.below(10) {
                0..=4 => {
                    let year = self.rng.between(1950, 2004);
                    put!(s, "birthday: {year:04}-{month:02}-{day:02}\n");
                }
                5..=7 => put!(s, "birthday: {month:02}-{day:02}\n"),
                _ => put!(s, "birthday: \"{month:02}-{day:02}\"\n"),
            }
        }
        let status = self
            .rng
            .weighted(&[(880, "active"), (100, "dormant"), (20, "archived")]);
        if status != "active" || self.rng.chance(350) {
            put!(s, "status: {status}\n");
        }
    }

    fn fm_extra(&mut self, s: &mut String) {
        if self.p(200) {
            let a = self.rng.pick(TOPICS);
            let b = self.rng.pick(TEAMS);
            put!(s, "can_help_with: [\"{a}\", {b} jobs]\n");
        }
        if self.p(200) {
            let a = self.rng.pick(TOPICS);
            let b = self.rng.pick(TOOLS);
            self.list("interests", &[a, b], false, s);
        }
        if self.p(150) {
            let pronouns = self.rng.pick(PRONOUNS);
            put!(s, "pronouns: {pronouns}\n");
        }
        if self.p(120) {
            let school = self.rng.pick(SCHOOLS);
            put!(s, "alma_mater: {school}\n");
        }
        if self.p(60) {
            match self.rng.below(4) {
                0 => put!(s, "timezone: America/Chicago\n"),
                1 => {
                    let name = self.rng.pick(FIRST);
                    put!(s, "partner: {name}\n");
                }
                2 => {
                    s.push_str("slack: \"@");
                    push_slug(s, self.who.first_ascii);
                    s.push_str("\"\n");
                }
                _ => {
                    let kids = self.rng.between(1, 4);
                    put!(s, "kids: {kids}\n");
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Body
    // -----------------------------------------------------------------------------------------

    fn body(&mut self, s: &mut String, dates: &mut Vec<i64>) {
        put!(s, "# {} {}\n", self.who.first, self.who.last);
        if self.p(350) {
            s.push('\n');
            self.paragraph(1, 2, s);
        }
        let entries = match self.class {
            Class::Minimal => usize::from(self.rng.chance(750)),
            Class::Normal => 1 + self.rng.below(3),
            Class::Rich => 4 + self.rng.below(5),
            Class::Heavy => 9 + self.rng.below(8),
        };
        if entries > 0 {
            self.log(entries, s, dates);
        }
        let tasks = match self.class {
            Class::Minimal => usize::from(self.rng.chance(50)),
            Class::Normal if self.rng.chance(400) => 1 + self.rng.below(2),
            Class::Rich if self.rng.chance(700) => 1 + self.rng.below(4),
            Class::Normal | Class::Rich => 0,
            Class::Heavy => 2 + self.rng.below(4),
        };
        if tasks > 0 {
            self.tasks(tasks, s);
        }
        if self.class == Class::Heavy || (self.class == Class::Rich && self.rng.chance(300)) {
            self.notes(s);
        }
    }

    /// A paragraph of `min..=max` sentences on one line.
    fn paragraph(&mut self, min: usize, max: usize, s: &mut String) {
        let n = min + self.rng.below(max - min + 1);
        let mut previous = "";
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            previous = self.rng.pick_new(SENTENCES, previous);
            self.fill(previous, s);
        }
        s.push('\n');
    }

    fn outcome_tags(&mut self, s: &mut String) {
        if self.rng.chance(650) {
            let tag = self.rng.weighted(OUTCOMES);
            put!(s, " {tag}");
            if self.rng.chance(200) {
                let second = self.rng.weighted(OUTCOMES);
                if second != tag {
                    put!(s, " {second}");
                }
            }
        }
    }

    fn log(&mut self, entries: usize, s: &mut String, dates: &mut Vec<i64>) {
        s.push_str("\n## Log\n");
        dates.extend((0..entries).map(|_| self.rng.between(self.met, self.ctx.base)));
        // Most people in a kept-up network were in touch lately: for 90% of contacts the newest
        // entry is within the last 30 days, so a report lists a realistic few percent, not most.
        if self.rng.chance(900) {
            let recent = self.rng.between(self.met.max(self.ctx.base - 30), self.ctx.base);
            if let Some(newest) = dates.iter_mut().max() {
                *newest = recent;
            }
        }
        dates.sort_unstable();
        if self.rng.chance(650) {
            dates.reverse();
        }
        // People keep one style per file, with the odd slip.
        let marker = if self.rng.chance(900) { '-' } else { '*' };
        let usual = self.rng.weighted(&[(7, ": "), (2, " "), (1, " — ")]);
        let mut after_list = false;
        for &day in dates.iter() {
            if self.rng.chance(450) {
                let level = if self.rng.chance(900) { "###" } else { "####" };
                let blank = if after_list { "\n" } else { "" };
                put!(s, "{blank}{level} {} ", Ymd(day));
                let activity = self.rng.pick(HEADING_ACTIVITIES);
                self.fill(activity, s);
                self.outcome_tags(s);
                s.push('\n');
                let sentences = if matches!(self.class, Class::Rich | Class::Heavy) {
                    3
                } else {
                    2
                };
                self.paragraph(1, sentences, s);
                if self.rng.chance(200) {
                    let mut previous = "";
                    for _ in 0..=self.rng.below(2) {
                        s.push_str("- ");
                        previous = self.rng.pick_new(NOTES, previous);
                        self.fill(previous, s);
                        s.push('\n');
                    }
                }
                s.push('\n');
                after_list = false;
            } else {
                let separator = if self.rng.chance(900) { usual } else { ": " };
                put!(s, "{marker} {}{separator}", Ymd(day));
                let activity = self.rng.pick(LIST_ACTIVITIES);
                self.fill(activity, s);
                self.outcome_tags(s);
                s.push('\n');
                after_list = true;
            }
        }
        if !s.ends_with("\n\n") {
            s.push('\n');
        }
    }

    fn tasks(&mut self, n: usize, s: &mut String) {
        s.push_str("## Tasks\n");
        let mut task = "";
        for _ in 0..n {
            task = self.rng.pick_new(TASKS, task);
            // Most tasks people leave open are still ahead of them; overdue ones are the few.
            if self.rng.chance(600) {
                s.push_str("- [x] ");
                self.fill(task, s);
                if self.rng.chance(400) {
                    let done = self.date(self.met, self.ctx.base);
                    put!(s, " ✅ {done}");
                }
            } else {
                s.push_str("- [ ] ");
                self.fill(task, s);
                let due = if self.rng.chance(150) {
                    self.date(self.ctx.base - 45, self.ctx.base)
                } else {
                    self.date(self.ctx.base + 1, self.ctx.latest)
                };
                match self.rng.below(20) {
                    0..=8 => put!(s, " 📅 {due}"),
                    9..=14 => put!(s, " due:{due}"),
                    _ => {}
                }
            }
            s.push('\n');
        }
        s.push('\n');
    }

    fn notes(&mut self, s: &mut String) {
        s.push_str("## Notes\n");
        self.paragraph(2, 4, s);
        s.push('\n');
        if self.rng.chance(400) {
            self.paragraph(1, 3, s);
            s.push('\n');
        }
        if self.rng.chance(150) {
            // Dates inside code never count as log entries (SPEC §3.2).
            let day = self.date(self.met, self.ctx.base);
            put!(
                s,
                "Draft of the note I sent:\n\n```text\n- {day}: not a log entry, just a draft\nHi {}, great to see you!\n```\n\n",
                self.who.first
            );
        }
        if self.rng.chance(300) {
            let tag = self.rng.pick(TAGS);
            put!(s, "Filed under #{tag}; see also ");
            self.link(s);
            s.push_str(".\n");
        }
    }

    // -----------------------------------------------------------------------------------------
    // Damage
    // -----------------------------------------------------------------------------------------

    /// Breaks a rendered file in the given way; the rest of the file stays as it was.
    fn damage(&mut self, breakage: Breakage, s: &mut String) {
        let who = self.who;
        match breakage {
            Breakage::BadDate => {
                let bad = self
                    .rng
                    .pick(&["2026-13-45", "2026-02-30", "12/01/2026", "next tuesday", "2025-00-10"]);
                let key = self.rng.pick(&["met", "follow_up", "last_contact"]);
                set_key(s, key, bad);
            }
            Breakage::Unterminated => {
                if let Some(close) = s[3..].find("\n---\n") {
                    s.replace_range(3 + close..3 + close + 4, "");
                }
            }
            Breakage::YamlSyntax => {
                let line = self.rng.pick(&[
                    "headline: Director: Research\n",
                    "skills: [sql, python\n",
                    "note: \"unterminated quote\n",
                    "social:\n\tmastodon: \"@someone\"\n",
                ]);
                s.insert_str(4, line);
            }
            Breakage::ListName => {
                let mut value = String::new();
                put!(value, "[{}, {} {}]", who.first, first_char(who.first), who.last);
                set_key(s, "name", &value);
            }
            Breakage::DuplicateKey => {
                let first_line_end = s[4..].find('\n').map_or(s.len(), |i| 4 + i + 1);
                let line = s[4..first_line_end].to_owned();
                let close = s[3..].find("\n---\n").map_or(4, |i| 3 + i + 1);
                s.insert_str(close, &line);
            }
            Breakage::NotMapping => {
                let close = s[3..].find("\n---\n").map_or(4, |i| 3 + i + 1);
                let mut list = String::new();
                put!(list, "- {} {}\n- {}\n", who.first, who.last, self.org.0);
                s.replace_range(4..close, &list);
            }
            Breakage::BadSpan => {
                let bad = self
                    .rng
                    .pick(&["fortnightly", "every so often", "90", "0.5y", "3 months"]);
                set_key(s, "cadence", bad);
            }
            Breakage::BadStatus => {
                let bad = self.rng.pick(&["retired", "paused", "yes", "lost touch"]);
                set_key(s, "status", bad);
            }
            Breakage::EmptyName => set_key(s, "name", "\"\""),
            Breakage::ConflictMarker => {
                let (a, b) = (self.date(self.met, self.ctx.base), self.date(self.met, self.ctx.base));
                put!(
                    s,
                    "<<<<<<< HEAD\n- {a}: called about the opening\n=======\n- {b}: called back\n>>>>>>> origin/main\n"
                );
            }
            // Added as bytes by `encode`, since a `String` cannot hold invalid UTF-8.
            Breakage::NotUtf8 => {}
        }
    }
}

fn first_char(text: &str) -> &str {
    text.char_indices().nth(1).map_or(text, |(end, _)| &text[..end])
}

/// The length of the prefix of a sorted slice with consecutive duplicates moved out.
fn dedup_len(items: &mut [&str]) -> usize {
    let mut len = 0;
    for i in 0..items.len() {
        if len == 0 || items[i] != items[len - 1] {
            items[len] = items[i];
            len += 1;
        }
    }
    len
}

/// Replaces the value of a top-level front-matter `key`, or adds the key as the first line.
fn set_key(s: &mut String, key: &str, value: &str) {
    let close = s[3..].find("\n---\n").map_or(s.len(), |i| 3 + i);
    let mut needle = String::with_capacity(key.len() + 3);
    put!(needle, "\n{key}:");
    if let Some(at) = s[..close].find(&needle) {
        let start = at + needle.len();
        let end = s[start..].find('\n').map_or(s.len(), |i| start + i);
        s.replace_range(start..end, &format!(" {value}"));
    } else {
        s.insert_str(4, &format!("{key}: {value}\n"));
    }
}
