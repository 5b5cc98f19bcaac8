//! The command line as the user types it (clap derive). Syntax only: values are checked here,
//! but resolving them against the vault happens in [`crate::commands`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::cadence::Cadence;

/// The heading of the flags every command takes, listed after the command's own.
const GLOBAL: &str = "Global options";

/// Keep your professional network in plain-text Markdown files, and be told whom to follow up
/// with, and why.
///
/// A vault is a folder of contact files (one Markdown file per person, YAML front matter on
/// top). netvault validates it, searches it, tells you whom to follow up with and why, watches
/// it while you edit, and writes only the lines you ask it to change.
#[derive(Debug, Parser)]
#[command(name = "netvault", version, propagate_version = true, max_term_width = 100)]
#[command(
    after_help = "Examples:\n  netvault --vault ~/network report\n  netvault search archives texas\n  netvault log \"Jane Doe\" \"Coffee: she mentioned the Denver office #info\" --follow-up 2w\n  netvault validate --strict\n  netvault who-knows acme"
)]
pub struct Cli {
    /// The vault folder [default: the nearest parent folder holding .netvault/]
    #[arg(long, global = true, help_heading = GLOBAL, env = "NETVAULT_VAULT", value_name = "DIR")]
    pub vault: Option<PathBuf>,

    /// Pretend today is DATE (YYYY-MM-DD), for reproducible reports
    #[arg(long, global = true, help_heading = GLOBAL, env = "NETVAULT_TODAY", value_name = "DATE", value_parser = parse_date_arg)]
    pub today: Option<Date>,

    /// Keep the search index in DIR instead of VAULT/.netvault/index (for read-only vaults)
    #[arg(long, global = true, help_heading = GLOBAL, env = "NETVAULT_INDEX_DIR", value_name = "DIR")]
    pub index_dir: Option<PathBuf>,

    /// When to use colour (`NO_COLOR` is honoured with auto)
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Print only what was asked for: no summaries or notes
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create .netvault/ (config.toml, template.md, .gitignore) in DIR or the current folder
    #[command(after_help = "Example:\n  netvault init ~/network")]
    Init {
        /// The folder to turn into a vault [default: --vault, else the current folder]
        dir: Option<PathBuf>,
    },
    /// Check every contact file (or the given ones) and explain each problem
    #[command(
        after_help = "Exit status: 0 when clean, 1 when errors were found (or warnings, with --strict), 2 when it could not run.\n\nExamples:\n  netvault validate\n  netvault validate people/Jane\\ Doe.md --format json\n  netvault validate --explain bad-date"
    )]
    Validate(ValidateArgs),
    /// Bring the search index up to date with the files and say what changed
    #[command(
        after_help = "The index lives in .netvault/index and is derived from your files: deleting it loses nothing.\nsearch, show and report update it themselves; this command is for seeing what changed.\n\nExamples:\n  netvault index\n  netvault index --rebuild"
    )]
    Index {
        /// Throw the index away and build it again from the files
        #[arg(long)]
        rebuild: bool,
    },
    /// Search contacts: words, "phrases", field:value, dates, OR, -exclusions
    #[command(
        after_help = "Query language:\n  jane acme            both words, anywhere (name and organization rank highest)\n  \"data librarian\"    a phrase\n  archives -museum     exclude a word (also NOT museum)\n  austin OR dallas     either\n  org:\"Pied Piper\"     a field: name org title tag circle email location met_at intro status path, or any key of your own\n  last:<2025-06-01     dates: last met due follow_up birthday with < <= > >= = or A..B;\n  due:..+7d            values are dates, today, or spans from today (-30d, +2w)\n\nExamples:\n  netvault search archives texas\n  netvault search 'tag:alumni last:<-90d' --sort last\n  netvault search org:acme --format paths | xargs -d '\\n' grep -l offer"
    )]
    Search(SearchArgs),
    /// Show one contact with its derived values: last contact, cadence, due date and reasons
    #[command(
        after_help = "NAME is, in this order: a path to the file (absolute, from here, or from the vault root; .md\noptional); a file name (without .md), a name or an alias (case, accents and typographic quotes\nignored); or the start of each word of one of them, in any order (`walter`, `j nun`). When it\nmatches several contacts they are listed (exit 2); when it matches none, the nearest are\nsuggested. `log`, `todo`, `done`, `snooze` and `edit` take NAME the same way.\n\nExamples:\n  netvault show \"Jane Doe\"\n  netvault show JD --format json"
    )]
    Show {
        /// The contact: a path, a file name (without .md), a name or an alias, or the start of its
        /// words (`walter`, `j nun`); several words need no quotes (`show Walter Pruitt`)
        #[arg(required = true, num_args = 1.., value_name = "NAME")]
        name: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = ShowFormat::Human)]
        format: ShowFormat,
    },
    /// Whom to follow up with, and why (the daily report), and the network's shape
    #[command(
        after_help = "Examples:\n  netvault report\n  netvault report --all\n  netvault report --within 14d --format json\n  netvault report leads\n  netvault report followups --format ics --output followups.ics\n  netvault report stale --older-than 1y\n  netvault report intros --format dot | dot -Tsvg > intros.svg\n  netvault report --format html --output network.html\n\nEach KIND takes its own options and formats: `netvault report KIND --help`."
    )]
    Report(ReportArgs),
    /// Who can introduce you: people at an organization or around a topic, ranked by warmth,
    /// with the chain of people that leads to each
    #[command(
        name = "who-knows",
        after_help = "QUERY is a search query (see `netvault search --help`): words, org:..., tag:..., and so on.\nEach person says why they matched (the field and its words). Someone you have been in touch with\nin the past year needs no introduction: \"you know them directly\".\n\nExamples:\n  netvault who-knows acme\n  netvault who-knows 'org:\"Pied Piper\"'\n  netvault who-knows digital preservation --format json"
    )]
    WhoKnows(WhoKnowsArgs),
    /// Log an interaction: add `- DATE: MESSAGE` as the newest entry under the contact's
    /// `## Log`, move `last_contact` forward, and optionally set the next follow-up
    #[command(
        after_help = "Only the lines that change are written: comments, quoting, line endings and the rest of the file stay as they are.\n`## Log` is created at the end of the file when missing. last_contact only ever moves forward.\nA date after today is refused (a log records what happened; use `netvault todo --due` for plans).\nLogging a dormant contact makes it active again.\n\nExamples:\n  netvault log \"Jane Doe\" \"Coffee at Epoch #info\"\n  netvault log JD \"Sent my portfolio #gave\" --date 2026-11-20\n  netvault log \"Jane Doe\" \"Call about the Denver office\" --follow-up 2w"
    )]
    Log(LogArgs),
    /// Add an open task to a contact: `- [ ] TEXT 📅 DATE` under its `## Tasks` heading
    #[command(
        after_help = "The task goes last under `## Tasks` (created at the end of the file when missing); only that line is added.\nAn open task with a due date puts the contact in the follow-up report on that day; `done` ticks it.\n\nExamples:\n  netvault todo \"Jane Doe\" \"send the thank-you note\" --due 3d\n  netvault todo JD \"ask about the Denver office\" --due 2026-12-15\n  netvault todo \"Jane Doe\" \"read her paper\"          # no date: on the list, never in the report"
    )]
    Todo(TodoArgs),
    /// Mark what is due now as done: remove a `follow_up` of today or earlier and tick the open
    /// tasks due by today — or, with TASK, tick that one task
    #[command(
        after_help = "Ticking writes `- [x] … ✅ DATE`, as the Obsidian Tasks plugin does. A follow_up still ahead is kept.\nWhen nothing explicit is due (only the keep-in-touch rhythm), nothing changes and the exit status is 1:\nlog the conversation (`netvault log`) or put the person off (`netvault snooze`).\nExit status 2 when TASK matches no open task or several (they are listed).\n\nExamples:\n  netvault done \"Jane Doe\"\n  netvault done JD thank-you        # ticks the open task whose text holds \"thank-you\"\n  netvault done people/jane.md \"denver office\""
    )]
    Done {
        /// The contact: a path, a file name (without .md), a name or an alias, or the start of its
        /// words (`walter`, `j nun`)
        name: String,
        /// A word or phrase of one open task's text (case ignored): tick that task, due or not
        task: Option<String>,
    },
    /// Quiet a contact until a day: set `snooze_until`; the report leaves them out until then
    #[command(
        after_help = "A span counts from today. The follow_up and task dates are never moved: on that day every reason is back.\n\nExamples:\n  netvault snooze \"Jane Doe\" 2w\n  netvault snooze JD 2027-01-10"
    )]
    Snooze {
        /// The contact: a path, a file name (without .md), a name or an alias, or the start of its
        /// words (`walter`, `j nun`)
        name: String,
        /// The day the reminders come back: a date (YYYY-MM-DD) after today, or a span from today (e.g. 3d, 2w, 1m, 1y)
        #[arg(value_name = "DATE|SPAN", value_parser = parse_when_arg)]
        until: When,
    },
    /// Create a contact file from .netvault/template.md (or the built-in template) and print
    /// its path
    #[command(
        after_help = "The file is <new_contacts folder>/<NAME>.md, with NAME made safe as a file name on every OS, or\n<folder>/<NAME>.md for NAME `folder/Name` (a folder of the vault, created if needed). A NAME that\nalready names a contact (its path, file name, name or alias) is refused (exit 2) unless --force;\nan existing file is never overwritten. {{name}} and {{today}} in the template are filled in.\n\nExamples:\n  netvault add \"Jane Doe\" --org \"Acme Corp\" --title \"Data Librarian\" --circle alumni\n  netvault add \"John Smith\" --email john@example.org --tag archives --tag texas\n  netvault add \"Ada Lovelace\" --introduced-by \"Jane Doe\" --edit"
    )]
    Add(AddArgs),
    /// Keep the search index up to date as files change, printing each change and the
    /// problems it brings or fixes
    #[command(
        after_help = "One watcher per vault; while it runs, search, show, report and who-knows trust its index instead of\nchecking every file. Ctrl-C (or SIGTERM) stops it. Editors' swap, backup and temp files are ignored.\nDiagnostics are per file: broken-link and duplicate-contact need `netvault validate`.\nWith `[watch] background = true` in .netvault/config.toml, the first command that finds no\nwatcher starts one in the background (`watch --exit-when-idle`); it stops after `idle_minutes`.\n\nExamples:\n  netvault watch\n  netvault watch --report-to Followups.md\n  netvault watch --exit-when-idle 30m\n  netvault --vault ~/network watch --report-to ~/today.md"
    )]
    Watch(WatchArgs),
    /// Run the language server on stdin and stdout, for editors: diagnostics as you type,
    /// completion of contacts, keys and values, hover cards, rename, code actions
    #[command(
        after_help = "Started by the editor, not by hand: it reads the vault of the editor's workspace (or --vault) and keeps it\nup to date as files change. Setup for Neovim, VS Code, Helix and Zed: README, \"Editors (netvault lsp)\".\n\nExample:\n  netvault --vault ~/network lsp"
    )]
    Lsp,
    /// Open a contact's file in $VISUAL, else $EDITOR, else vi, and wait for the editor
    #[command(
        after_help = "The editor runs without a shell: the variable is split on spaces and the file path is added last,\nso EDITOR=\"code --wait\" works. Exit status 2 when the editor cannot start or exits with a failure.\n\nExamples:\n  netvault edit \"Jane Doe\"\n  EDITOR=\"code --wait\" netvault edit JD\n  netvault edit people/jane.md"
    )]
    Edit {
        /// The contact: a path, a file name (without .md), a name or an alias, or the start of its
        /// words (`walter`, `j nun`); several words need no quotes (`edit Walter Pruitt`)
        #[arg(required = true, num_args = 1.., value_name = "NAME")]
        name: Vec<String>,
    },
    /// Export every contact as CSV or vCard 4.0, or the follow-ups as iCalendar to-dos
    #[command(
        after_help = "csv and vcard hold every contact, in path order, read from the files (vcard writes N only from\nname_parts, as import vcard kept it, never guessed from the name); ics holds the follow-ups of\nthe next 7 days, exactly as `netvault report followups --format ics`. Contact files are never changed.\n\nExamples:\n  netvault export csv --output contacts.csv\n  netvault export vcard > contacts.vcf\n  netvault export ics --output ~/followups.ics"
    )]
    Export(ExportArgs),
    /// Bring contacts in from another tool's export: new people become files, people already in
    /// the vault only gain the fields they lack
    #[command(
        after_help = "People are matched by profile URL, then email, then name: a file name, name or alias of one\ncontact (case, accents and typographic quotes ignored; a name shared by several is skipped).\nA value you wrote is never overwritten; a changed company or position is reported as a job change:\nit updates organization and title and adds a task to congratulate, due in a week. An import never\nwrites follow_up. Running it again changes nothing.\n\nExamples:\n  netvault import linkedin ~/Downloads/Connections.csv --dry-run\n  netvault import linkedin ~/Downloads/Connections.csv\n  netvault import vcard ~/Downloads/contacts.vcf --dry-run"
    )]
    Import(ImportArgs),
    /// Serve the vault to an AI assistant over the Model Context Protocol (stdio): search, show,
    /// the follow-ups, who-knows, and safe writes (log, todo, snooze, done)
    #[command(
        after_help = "Speaks MCP on standard input and output (no network listener); notes go to standard error.\nAn assistant's client starts it: see README, \"Assistants (netvault mcp)\", for the configuration.\nWrites go through the same surgical edits as the CLI, take dry_run, and return the diff they made.\n\nExamples:\n  netvault --vault ~/network mcp\n  netvault --vault ~/network mcp --read-only"
    )]
    Mcp(McpArgs),
    /// Print a shell completion script for bash, zsh, fish, elvish or powershell
    #[command(
        after_help = "Examples:\n  netvault completions bash > ~/.local/share/bash-completion/completions/netvault\n  netvault completions zsh > ~/.zfunc/_netvault    # with fpath+=~/.zfunc before compinit\n  netvault completions fish > ~/.config/fish/completions/netvault.fish\n  netvault completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print netvault's manual page (roff), or write one page per command into a folder
    #[command(
        after_help = "Examples:\n  netvault man | man -l -\n  netvault man --dir ~/.local/share/man/man1    # then: man netvault-search"
    )]
    Man {
        /// Write netvault.1 and a netvault-COMMAND.1 page for every command into DIR
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Where the export comes from
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// The connections export, Connections.csv
    #[command(
        about = "LinkedIn's Connections.csv (Settings → Data privacy → Get a copy of your data)",
        after_help = "New people get name, organization, title, emails, connected (Connected On: not a meeting),\ncircles: [online], links: {linkedin: URL} and status: dormant (they stay off the morning report\nuntil you log a conversation; config [import] status changes it). A job change updates\norganization and title and adds a task to congratulate. Rows without a name are reported with\ntheir line and skipped.\nExit status 2 when the file is not a LinkedIn connections export.\n\nExamples:\n  netvault import linkedin Connections.csv --dry-run\n  netvault --vault ~/network import linkedin ~/Downloads/Connections.csv"
    )]
    Linkedin(ImportFileArgs),
    /// vCard files (.vcf) from a phone, Apple Contacts, Google Contacts or Outlook
    #[command(
        about = "A vCard file (.vcf, versions 2.1, 3.0 and 4.0; several cards per file)",
        after_help = "Each card's FN (or N), N, EMAIL, TEL, ORG, TITLE, ADR, URL, NICKNAME, BDAY, CATEGORIES and NOTE\nbecome name, name_parts, emails, phones, organization, title, location (city, region, country),\nlinks, aliases, birthday, tags and note (a text BDAY goes in the note). Each value is decoded by\nits own CHARSET= (Shift_JIS, Windows-1251...); a file declaring none that is not UTF-8 is read as\nWindows-1252. A card nested in AGENT is not a contact. A card is\nmatched to a contact by LinkedIn URL, then email, then name (as for import linkedin); a matched contact only gains\nthe fields it lacks. Cards without a name, cut-short cards and stray lines are reported.\nExit status 2 when the file holds no card at all.\n\nExamples:\n  netvault import vcard contacts.vcf --dry-run\n  netvault --vault ~/network import vcard ~/Downloads/iCloud-export.vcf"
    )]
    Vcard(ImportFileArgs),
}

#[derive(Debug, Args)]
pub struct ImportFileArgs {
    /// The export file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the plan (new, updated, job changes, skipped rows) and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export
    #[arg(value_enum)]
    pub kind: ExportKind,
    /// Write to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportKind {
    /// Every contact, one row each (RFC 4180; formula-like cells defused with a leading ')
    Csv,
    /// Every contact, one vCard 4.0 each, for address books
    Vcard,
    /// The follow-ups of the next 7 days, one VTODO per contact, for a calendar
    Ics,
}

#[derive(Debug, Args)]
pub struct TodoArgs {
    /// The contact: a path, a file name (without .md), a name or an alias, or the start of its
    /// words (`walter`, `j nun`)
    pub name: String,
    /// What to do, on one line
    pub text: String,
    /// When it is due: a date (YYYY-MM-DD) or a span from today (e.g. 3d, 2w, 1m) [default: no date]
    #[arg(long, value_name = "DATE|SPAN", value_parser = parse_when_arg)]
    pub due: Option<When>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The contact: a path, a file name (without .md), a name or an alias, or the start of its
    /// words (`walter`, `j nun`)
    pub name: String,
    /// What happened, on one line; hashtags like #info or #gave count in reports
    pub message: String,
    /// When it happened, today or earlier [default: today]; plans go in `todo --due`
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub date: Option<Date>,
    /// Also set `follow_up`: a date, or a span from the log date (e.g. 2w, 1m)
    #[arg(long, value_name = "DATE|SPAN", value_parser = parse_when_arg)]
    pub follow_up: Option<When>,
}

/// A date given as itself or as a span from some base date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    Date(Date),
    Span(Cadence),
}

impl When {
    /// The date, counting a span from `base`; `None` past the end of the calendar.
    pub fn resolve(&self, base: Date) -> Option<Date> {
        match self {
            When::Date(d) => Some(*d),
            When::Span(span) => span.add_to(base),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    /// The person's name (the file is named after it), optionally after a folder of the vault:
    /// `people/Jane Roe`
    pub name: String,
    /// Organization
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// Job title
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// Email address (repeatable)
    #[arg(long, value_name = "EMAIL")]
    pub email: Vec<String>,
    /// A circle: how you know them, e.g. alumni, coworker (repeatable)
    #[arg(long, value_name = "CIRCLE")]
    pub circle: Vec<String>,
    /// A tag (repeatable; a leading # is dropped)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Where or how you met
    #[arg(long, value_name = "TEXT")]
    pub met_at: Option<String>,
    /// Who introduced you: a contact's NAME, as for `show` (written as a [[wikilink]] to their
    /// file), or any name
    #[arg(long, value_name = "NAME")]
    pub introduced_by: Option<String>,
    /// Open the new file in $VISUAL or $EDITOR once it is written
    #[arg(long)]
    pub edit: bool,
    /// Add the person even when NAME already names a contact (a namesake); the file gets a free
    /// name (`Jane Doe 2.md`) if needed
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct McpArgs {
    /// Offer only the tools that read: no log, todo, snooze or done; no contact file is ever
    /// written (the index, derived, is still kept up to date)
    #[arg(long)]
    pub read_only: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Rewrite a Markdown follow-up report (the next 7 days) in FILE after each change and at
    /// midnight, when its content changes; inside the vault it is never read as a contact
    #[arg(long, value_name = "FILE")]
    pub report_to: Option<PathBuf>,
    /// Exit after this long without a change in the vault: 90s, 30m, 2h (how a background
    /// watcher started by `[watch] background = true` ends itself)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_arg)]
    pub exit_when_idle: Option<std::time::Duration>,
}

/// `90s`, `30m`, `2h`: a duration for `watch --exit-when-idle`.
fn parse_duration_arg(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (use 90s, 30m or 2h)"))?;
    let seconds = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("{text:?} is not a duration (use 90s, 30m or 2h)")),
    };
    if seconds == 0 {
        return Err("the duration must be more than 0".into());
    }
    Ok(std::time::Duration::from_secs(seconds))
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files to check [default: every contact file in the vault]
    pub paths: Vec<PathBuf>,
    /// Treat warnings as failures (exit 1)
    #[arg(long)]
    pub strict: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,
    /// Explain a diagnostic code (what it checks, why, an example) and exit
    #[arg(long, value_name = "CODE", conflicts_with_all = ["paths", "strict"])]
    pub explain: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query; several arguments are joined with spaces. Words may start with `-` to
    /// exclude them (`netvault search -museum archives`)
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
    /// Show at most N results
    #[arg(long, short = 'n', default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Order of results: relevance, name, most recent contact, or earliest due
    #[arg(long, value_enum, default_value_t = SearchSort::Score)]
    pub sort: SearchSort,
    /// Output format; `paths` prints one vault-relative path per line, for piping
    #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
    pub format: SearchFormat,
}

#[derive(Debug, Args)]
pub struct WhoKnowsArgs {
    /// The query; several arguments are joined with spaces
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
    /// Consider at most N matching people
    #[arg(long, short = 'n', default_value_t = 25, value_name = "N")]
    pub limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = ShowFormat::Human)]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchSort {
    Score,
    Name,
    Last,
    Due,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    Table,
    Json,
    Csv,
    Paths,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Human,
    Json,
}

/// `report [KIND]`: without KIND, the follow-up report, with its flags given to `report` itself
/// (`report --all` is `report followups --all`). A KIND takes only its own flags and formats,
/// so clap refuses `report stale --within 14d` and `report circles --format csv`.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    disable_help_subcommand = true,
    subcommand_value_name = "KIND",
    subcommand_help_heading = "Kinds (without one: followups)",
    override_usage = "netvault report [OPTIONS]\n       netvault report <KIND> [OPTIONS]"
)]
pub struct ReportArgs {
    /// Which report
    #[command(subcommand)]
    pub kind: Option<ReportCommand>,
    // `report --all` is `report followups --all`.
    #[command(flatten, next_help_heading = "Options of `report` and `report followups`")]
    pub followups: FollowupsArgs,
}

impl ReportArgs {
    /// The report asked for: no KIND is `followups`, with the flags given to `report`.
    pub fn kind(&self) -> std::borrow::Cow<'_, ReportCommand> {
        match &self.kind {
            Some(kind) => std::borrow::Cow::Borrowed(kind),
            None => std::borrow::Cow::Owned(ReportCommand::Followups(self.followups.clone())),
        }
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum ReportCommand {
    /// Overdue, due today and upcoming follow-ups, with their reasons and what to say (the
    /// default)
    Followups(FollowupsArgs),
    /// Active contacts not heard from in --older-than (default 180d), or never
    Stale(StaleArgs),
    /// Per circle: contacts, how many you were in touch with lately, how many are overdue
    Circles(ChartArgs),
    /// What the network brought: outcome tags on log entries, per contact and per circle
    Outcomes(ChartArgs),
    /// #gave against #asked per contact, and the people you have only asked of
    Reciprocity(ChartArgs),
    /// Who introduced whom, as a tree (table), json, dot, mermaid or html
    Intros(IntrosArgs),
    /// Names of people to contact: [[wikilinks]] in your notes that are no contact yet, oldest first
    Leads(LeadsArgs),
}

impl ReportCommand {
    /// Where to write the report (`--output`); `None` is standard output.
    pub fn output(&self) -> Option<&std::path::Path> {
        match self {
            ReportCommand::Followups(a) => a.output.as_deref(),
            ReportCommand::Stale(a) => a.output.as_deref(),
            ReportCommand::Circles(a) | ReportCommand::Outcomes(a) | ReportCommand::Reciprocity(a) => {
                a.output.as_deref()
            }
            ReportCommand::Intros(a) => a.output.as_deref(),
            ReportCommand::Leads(a) => a.output.as_deref(),
        }
    }

    /// Whether the report is `--format json`.
    pub fn json(&self) -> bool {
        match self {
            ReportCommand::Followups(a) => a.format == FollowupsFormat::Json,
            ReportCommand::Stale(a) => a.format == ListFormat::Json,
            ReportCommand::Circles(a) | ReportCommand::Outcomes(a) | ReportCommand::Reciprocity(a) => {
                a.format == ChartFormat::Json
            }
            ReportCommand::Intros(a) => a.format == IntrosFormat::Json,
            ReportCommand::Leads(a) => a.format == ListFormat::Json,
        }
    }

    /// Whether the report is `--format html`, a web page.
    pub fn html(&self) -> bool {
        match self {
            ReportCommand::Followups(a) => a.format == FollowupsFormat::Html,
            ReportCommand::Circles(a) | ReportCommand::Outcomes(a) | ReportCommand::Reciprocity(a) => {
                a.format == ChartFormat::Html
            }
            ReportCommand::Intros(a) => a.format == IntrosFormat::Html,
            ReportCommand::Stale(_) | ReportCommand::Leads(_) => false,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct FollowupsArgs {
    /// The look-ahead window for upcoming follow-ups (e.g. 7d, 2w, 1m; 0d: today and overdue
    /// only) [default: 7d]
    #[arg(long, value_name = "SPAN", value_parser = parse_span_arg)]
    pub within: Option<Cadence>,
    /// List at most N people in the table or the page (explicit plans and tasks due first);
    /// the other formats list everyone [default: 12]
    #[arg(long, short = 'n', value_name = "N", conflicts_with = "all")]
    pub limit: Option<usize>,
    /// List everyone due, however many
    #[arg(long)]
    pub all: bool,
    /// The full view (table only): every reason on its own line, the last log entry, snoozed
    /// people too
    #[arg(long)]
    pub long: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = FollowupsFormat::Table)]
    pub format: FollowupsFormat,
    /// Write the report to FILE instead of standard output (with --format html: a file named
    /// .html or .htm, replaced only when it already holds a web page)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format html: highlight in the introduction graph the warm paths to the people
    /// this search query finds, as `netvault who-knows` does
    #[arg(long, value_name = "QUERY")]
    pub who_knows: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FollowupsFormat {
    /// Fits the terminal, at most --limit people
    Table,
    /// Every item, with its reasons and `next`
    Json,
    /// A spreadsheet (cells that look like formulas are defused with a leading ')
    Csv,
    /// A note for the vault
    Md,
    /// One VTODO per contact, for a calendar
    Ics,
    /// A self-contained web page with pictures, for a browser: the follow-ups, the introduction
    /// graph, circle health, outcomes, give and take
    Html,
}

impl FollowupsFormat {
    /// The value as typed after `--format`.
    pub fn name(self) -> &'static str {
        match self {
            FollowupsFormat::Table => "table",
            FollowupsFormat::Json => "json",
            FollowupsFormat::Csv => "csv",
            FollowupsFormat::Md => "md",
            FollowupsFormat::Ics => "ics",
            FollowupsFormat::Html => "html",
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct StaleArgs {
    /// How long without contact counts as stale (e.g. 90d, 6m, 1y) [default: 180d]
    #[arg(long, value_name = "SPAN", value_parser = parse_span_arg)]
    pub older_than: Option<Cadence>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Write the report to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct LeadsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Write the report to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats of the reports that are lists (`stale`, `leads`): no picture to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

/// The flags of `circles`, `outcomes` and `reciprocity`.
#[derive(Debug, Clone, Args)]
pub struct ChartArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ChartFormat::Table)]
    pub format: ChartFormat,
    /// Write the report to FILE instead of standard output (with --format html: a file named
    /// .html or .htm, replaced only when it already holds a web page)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartFormat {
    Table,
    Json,
    /// A self-contained web page holding this report's section, with its chart
    Html,
}

#[derive(Debug, Clone, Args)]
pub struct IntrosArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = IntrosFormat::Table)]
    pub format: IntrosFormat,
    /// Write the report to FILE instead of standard output (with --format html: a file named
    /// .html or .htm, replaced only when it already holds a web page)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format html: highlight in the introduction graph the warm paths to the people
    /// this search query finds, as `netvault who-knows` does
    #[arg(long, value_name = "QUERY")]
    pub who_knows: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IntrosFormat {
    /// A tree per introducer
    Table,
    Json,
    /// Graphviz
    Dot,
    /// A Mermaid flowchart, for notes
    Mermaid,
    /// A self-contained web page holding the introduction graph
    Html,
}

pub fn parse_date_arg(text: &str) -> Result<Date, String> {
    crate::date::parse_date(text).ok_or_else(|| format!("{text:?} is not a date; write YYYY-MM-DD"))
}

fn parse_span_arg(text: &str) -> Result<Cadence, String> {
    // A zero window (`0d`: today and overdue only) is fine here, unlike a zero cadence.
    if matches!(text.trim(), "0" | "0d" | "0w" | "0m" | "0y") {
        return Ok(Cadence::new(0, crate::cadence::Unit::Day));
    }
    Cadence::parse(text).ok_or_else(|| format!("{text:?} is not a span; write e.g. 7d, 2w, 1m, 1y"))
}

pub fn parse_when_arg(text: &str) -> Result<When, String> {
    if let Some(date) = crate::date::parse_date(text) {
        return Ok(When::Date(date));
    }
    Cadence::parse(text)
        .map(When::Span)
        .ok_or_else(|| format!("{text:?} is neither a date (YYYY-MM-DD) nor a span (e.g. 2w, 1m)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
