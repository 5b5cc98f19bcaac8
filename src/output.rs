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
}

/// Table width when stdout is not a terminal.
pub const PIPE_WIDTH: u16 = 120;

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
        Self { color, quiet }
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

/// A borderless table that wraps to the terminal, or to [`PIPE_WIDTH`] when stdout is not one,
/// with colour only when the printer has it: the base of every table netvault prints.
pub fn new_table(printer: Printer, style: comfy_table::TableStyle) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_style(style);
    table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    if printer.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
        // Not a terminal (a pipe, a file): wrap at a width that reads well in a pager.
        table.set_width(PIPE_WIDTH);
    }
    table
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
