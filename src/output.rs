//! Terminal output: colour decisions, styles, and writing to stdout without dying on a closed
//! pipe. Commands build their text with these styles; plain text when colour is off.

use std::io::Write;

use anstyle::{AnsiColor, Style};

use crate::cli::ColorWhen;

/// How to print: colour or not, quiet or not.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    pub color: bool,
    pub quiet: bool,
    /// The terminal's width in columns: `COLUMNS` when set, else the width of the terminal
    /// stdout is, else unknown (a pipe, a file). Known or not whether colour is on.
    pub width: Option<usize>,
}

/// Table width when stdout is not a terminal.
pub const PIPE_WIDTH: u16 = 120;

/// The width the morning report assumes when the terminal's is unknown (SPEC §6).
pub const DEFAULT_WIDTH: usize = 80;

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const RED: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red))).bold();
pub const YELLOW: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)))
    .bold();
pub const GREEN: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)))
    .bold();
pub const CYAN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

impl Printer {
    pub fn new(when: ColorWhen, quiet: bool) -> Self {
        let color = match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never,
        };
        Self {
            color,
            quiet,
            width: terminal_width(),
        }
    }

    /// The width to fit: the terminal's, else [`DEFAULT_WIDTH`].
    pub fn width_or_default(&self) -> usize {
        self.width.unwrap_or(DEFAULT_WIDTH)
    }

    /// The width prose beside a table wraps at: the table's ([`PIPE_WIDTH`] when unknown).
    pub fn prose_width(&self) -> usize {
        self.width.unwrap_or(usize::from(PIPE_WIDTH))
    }

    /// `text` in `style` when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
}

/// `COLUMNS` (as shells export it, and as users set it to ask for a width), else the width of
/// the terminal on stdout; `None` when neither is known.
fn terminal_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return Some(columns);
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
}

/// The display width of `text` in terminal columns (wide characters count two).
pub fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` cut to at most `width` columns: whole words, then `…`. Never breaks a word unless a
/// single word is wider than the line.
pub fn fit(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let budget = width.saturating_sub(1);
    let mut used = 0;
    let mut cut = 0;
    let mut last_space = None;
    for (i, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > budget {
            break;
        }
        if c.is_whitespace() {
            last_space = Some(i);
        }
        used += w;
        cut = i + c.len_utf8();
    }
    // The next character starts a word or is a space: the cut is at a word's end already.
    let at_word_end = text[cut..].starts_with(char::is_whitespace);
    let end = if at_word_end { cut } else { last_space.unwrap_or(cut) };
    let kept = text[..end]
        .trim_end()
        .trim_end_matches([',', ';', ':', '·', '—', '-'])
        .trim_end();
    format!("{kept}…")
}

/// Word-wrap `text` to `width` columns, never breaking a word (a word wider than the line is
/// cut with `…`).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if current.is_empty() {
            current = word.to_string();
        } else if display_width(&current) + 1 + display_width(word) <= width {
            current.push(' ');
            current.push_str(word);
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

/// A borderless table that wraps to the terminal's width (known from `COLUMNS` or the terminal,
/// whether or not colour is on), or to [`PIPE_WIDTH`] when that is unknown, with colour only
/// when the printer has it: the base of every table netvault prints.
pub fn new_table(printer: Printer, style: comfy_table::TableStyle) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_style(style);
    table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    if printer.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    // Not a terminal (a pipe, a file): wrap at a width that reads well in a pager.
    let width = printer
        .width
        .map_or(PIPE_WIDTH, |w| u16::try_from(w).unwrap_or(u16::MAX));
    table.set_width(width);
    table
}

/// Progress bars appear only for work longer than this many files to read (about a second on
/// a laptop): shorter work would only flash one.
pub const PROGRESS_MIN_FILES: usize = 5_000;

/// A progress bar on stderr for long work (building the index, validating): files done of
/// total, the rate and the time left. It exists only when the caller allows it (a terminal on
/// both streams, not `--quiet`, not JSON) and the work is long; otherwise every call is a no-op.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    /// No bar.
    pub fn hidden() -> Self {
        Self(None)
    }

    /// A bar for reading `total` files, when `allowed` and `total` is over
    /// [`PROGRESS_MIN_FILES`].
    pub fn files(allowed: bool, total: usize, what: &str) -> Self {
        if !allowed || total <= PROGRESS_MIN_FILES {
            return Self::hidden();
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg} [{bar:30}] {human_pos}/{human_len} files · {rate} · {eta} left",
        ) {
            let style = style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} files/s", state.per_sec());
                },
            );
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        Self(Some(bar))
    }

    /// One more file done.
    pub fn inc(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Remove the bar: what follows is the command's own output.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Write to stdout; a closed pipe (`netvault report | head`) is not an error.
pub fn emit(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Serialize as pretty JSON with a trailing newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Pluralise: `plural(1, "file")` → "1 file".
pub fn plural(n: usize, word: &str) -> String {
    if word == "person" {
        return if n == 1 {
            "1 person".into()
        } else {
            format!("{n} people")
        };
    }
    match (n, word.ends_with("ch") || word.ends_with('s')) {
        (1, _) => format!("{n} {word}"),
        (_, true) => format!("{n} {word}es"),
        (_, false) => format!("{n} {word}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_at_a_word_boundary() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("one two three", 13), "one two three");
        assert_eq!(fit("one two three", 12), "one two…");
        assert_eq!(fit("one two three", 8), "one two…");
        assert_eq!(fit("one two three", 7), "one…");
        assert_eq!(fit("one, two three", 9), "one, two…");
        assert_eq!(fit("one, two three", 7), "one…");
        assert_eq!(fit("abcdefghij", 5), "abcd…");
        assert_eq!(fit("日本語 テキスト", 8), "日本語…");
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("abcdefghijkl x", 5), ["abcd…", "x"]);
        for width in 1..30 {
            let out = fit("Walter Pruitt (Permian Basin Petroleum Co.) · 29 days overdue", width);
            assert!(display_width(&out) <= width.max(1), "{width}: {out}");
        }
    }
}
