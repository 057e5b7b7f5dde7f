//! Spreadsheets from rows: CSV (RFC 4180, amounts as exact decimals, formula
//! characters defused) and XLSX (real number formats, a frozen heading,
//! written in constant-memory mode, going on to further sheets past Excel's
//! 1,048,576 rows). A writer takes rows and writes bytes into a file its
//! caller opened; it never reads the store.

use crate::domain::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Why a spreadsheet could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write the export: {0}")]
pub struct SheetError(pub String);

/// File formats an export can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Comma-separated text (RFC 4180), amounts as exact decimals.
    Csv,
    /// An Excel workbook with money number formats and a frozen header.
    Xlsx,
}

impl ExportFormat {
    /// The file extension.
    pub fn extension(&self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// One cell of an exported row.
pub enum Cell<'a> {
    /// Text, quoted as CSV needs (a leading formula character defused).
    Text(&'a str),
    /// Minor units, written as a decimal with two places.
    Money(i64),
    /// A whole number.
    Count(i64),
    /// Basis points, written as a percentage.
    Percent(i64),
    /// An instant, as fixed-width UTC text.
    Time(Timestamp),
    /// Nothing.
    Empty,
}

/// Where rows go: a CSV or an XLSX writer.
pub struct Sink(Kind);

/// The writer behind a [`Sink`].
enum Kind {
    Csv(std::io::BufWriter<std::fs::File>),
    Xlsx {
        book: Box<rust_xlsxwriter::Workbook>,
        formats: Box<NumberFormats>,
        row: u32,
        sheet: usize,
        heading: Heading,
        rows_per_sheet: u32,
        file: std::fs::File,
    },
}

/// The heading row, repeated at the top of each sheet.
#[derive(Default)]
struct Heading {
    names: Vec<String>,
    wide: Vec<usize>,
}

/// Rows a worksheet holds (Excel's limit); a longer export goes on to another sheet.
const XLSX_ROWS: u32 = 1_048_576;

fn write_heading(sheet: &mut rust_xlsxwriter::Worksheet, heading: &Heading) -> Result<(), SheetError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, n) in heading.names.iter().enumerate() {
        let col = u16::try_from(c).map_err(io)?;
        sheet.write_string_with_format(0, col, n, &bold).map_err(io)?;
        sheet.set_column_width(col, if heading.wide.contains(&c) { 40 } else { 18 }).map_err(io)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(io)?;
    Ok(())
}

/// The XLSX number formats of money, counts and percentages.
struct NumberFormats {
    money: rust_xlsxwriter::Format,
    count: rust_xlsxwriter::Format,
    percent: rust_xlsxwriter::Format,
}

fn io(e: impl std::fmt::Display) -> SheetError {
    SheetError(e.to_string())
}

/// `12345` → `123.45`, exactly.
fn decimal(minor: i64) -> String {
    Decimal::new(minor, 2).to_string()
}

fn csv_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with([' ', '=', '+', '-', '@']) {
        // Quoted; a leading formula character is defused with an apostrophe
        // so a spreadsheet never evaluates an exported description.
        out.push('"');
        if text.starts_with(['=', '+', '-', '@']) {
            out.push('\'');
        }
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

impl Sink {
    /// A sink writing `format` into `file` (created private by the caller).
    pub fn open(format: ExportFormat, file: std::fs::File) -> Result<Sink, SheetError> {
        Ok(Sink(match format {
            ExportFormat::Csv => Kind::Csv(std::io::BufWriter::new(file)),
            ExportFormat::Xlsx => {
                let mut book = Box::new(rust_xlsxwriter::Workbook::new());
                book.add_worksheet_with_constant_memory().map_err(io)?;
                let money = rust_xlsxwriter::Format::new().set_num_format("#,##0.00;[Red]-#,##0.00");
                let count = rust_xlsxwriter::Format::new().set_num_format("#,##0");
                let percent = rust_xlsxwriter::Format::new().set_num_format("0.00%");
                Kind::Xlsx {
                    book,
                    formats: Box::new(NumberFormats { money, count, percent }),
                    row: 0,
                    sheet: 0,
                    heading: Heading::default(),
                    rows_per_sheet: XLSX_ROWS,
                    file,
                }
            }
        }))
    }

    /// Writes the heading row; columns in `wide` get room for long text.
    pub fn header(&mut self, names: &[&str], wide: &[usize]) -> Result<(), SheetError> {
        match &mut self.0 {
            Kind::Csv(w) => {
                let mut line = String::new();
                for (i, n) in names.iter().enumerate() {
                    if i > 0 {
                        line.push(',');
                    }
                    csv_field(&mut line, n);
                }
                line.push_str("\r\n");
                w.write_all(line.as_bytes()).map_err(io)
            }
            Kind::Xlsx { book, row, sheet, heading, .. } => {
                *heading = Heading { names: names.iter().map(|n| (*n).to_owned()).collect(), wide: wide.to_vec() };
                write_heading(book.worksheet_from_index(*sheet).map_err(io)?, heading)?;
                *row = 1;
                Ok(())
            }
        }
    }

    pub fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), SheetError> {
        match &mut self.0 {
            Kind::Csv(w) => {
                let mut line = String::new();
                for (i, c) in cells.iter().enumerate() {
                    if i > 0 {
                        line.push(',');
                    }
                    match c {
                        Cell::Text(t) => csv_field(&mut line, t),
                        Cell::Money(m) => line.push_str(&decimal(*m)),
                        Cell::Count(n) => line.push_str(&n.to_string()),
                        Cell::Percent(bps) => {
                            line.push_str(&decimal(*bps));
                            line.push('%');
                        }
                        Cell::Time(t) => line.push_str(&t.to_text()),
                        Cell::Empty => {}
                    }
                }
                line.push_str("\r\n");
                w.write_all(line.as_bytes()).map_err(io)
            }
            Kind::Xlsx { book, formats, row, sheet: index, heading, rows_per_sheet, .. } => {
                if *row == *rows_per_sheet {
                    // Excel's row limit: the export goes on to a new sheet under the same heading.
                    book.add_worksheet_with_constant_memory().map_err(io)?;
                    *index += 1;
                    write_heading(book.worksheet_from_index(*index).map_err(io)?, heading)?;
                    *row = 1;
                }
                let sheet = book.worksheet_from_index(*index).map_err(io)?;
                for (c, cell) in cells.iter().enumerate() {
                    let col = u16::try_from(c).map_err(io)?;
                    match cell {
                        Cell::Text(t) => {
                            sheet.write_string(*row, col, *t).map_err(io)?;
                        }
                        // XLSX keeps numbers as IEEE doubles; cents below 2^53 are exact.
                        Cell::Money(m) => {
                            let value: f64 = decimal(*m).parse().map_err(io)?;
                            sheet.write_number_with_format(*row, col, value, &formats.money).map_err(io)?;
                        }
                        Cell::Count(n) => {
                            let value: f64 = n.to_string().parse().map_err(io)?;
                            sheet.write_number_with_format(*row, col, value, &formats.count).map_err(io)?;
                        }
                        Cell::Percent(bps) => {
                            let value: f64 = Decimal::new(*bps, 4).to_string().parse().map_err(io)?;
                            sheet.write_number_with_format(*row, col, value, &formats.percent).map_err(io)?;
                        }
                        Cell::Time(t) => {
                            sheet.write_string(*row, col, t.to_text()).map_err(io)?;
                        }
                        Cell::Empty => {}
                    }
                }
                *row += 1;
                Ok(())
            }
        }
    }

    /// Writes what is buffered (the whole workbook for XLSX) and syncs the file.
    pub fn finish(self) -> Result<(), SheetError> {
        let mut w = match self.0 {
            Kind::Csv(w) => w,
            Kind::Xlsx { mut book, file, .. } => {
                let mut w = std::io::BufWriter::new(file);
                book.save_to_writer(&mut w).map_err(io)?;
                w
            }
        };
        w.flush().map_err(io)?;
        w.get_ref().sync_all().map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xlsx_export_longer_than_a_sheet_goes_on_to_the_next_under_the_same_heading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.xlsx");
        let mut sink = Sink::open(ExportFormat::Xlsx, std::fs::File::create(&path).unwrap()).unwrap();
        if let Kind::Xlsx { rows_per_sheet, .. } = &mut sink.0 {
            *rows_per_sheet = 3;
        }
        sink.header(&["n"], &[]).unwrap();
        for i in 0..5 {
            sink.row(&[Cell::Count(i)]).unwrap();
        }
        sink.finish().unwrap();
        // A workbook is a zip; its part names are stored uncompressed.
        let bytes = std::fs::read(&path).unwrap();
        let has = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
        assert!(has("xl/worksheets/sheet3.xml"), "2 + 2 + 1 rows under a heading each");
        assert!(!has("xl/worksheets/sheet4.xml"));
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        csv_field(&mut out, "plain");
        out.push('|');
        csv_field(&mut out, "a, \"b\"");
        out.push('|');
        csv_field(&mut out, "=HYPERLINK(\"x\")");
        assert_eq!(out, "plain|\"a, \"\"b\"\"\"|\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(decimal(-12345), "-123.45");
        assert_eq!(decimal(5), "0.05");
    }
}
