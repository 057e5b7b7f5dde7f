//! Reading a CSV file people made in a spreadsheet: a UTF-8 byte-order
//! mark skipped, `,`, `;` or tab found from the heading line, quoted fields
//! and line breaks inside them read by a real CSV parser, headings matched
//! without regard to case, and every row that cannot be read named by the
//! line it starts on — so an import can report every problem before it
//! writes anything. Rows are read one at a time; the file is never held.

use super::import_report::ImportProblem;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

/// The largest file an import reads (bytes).
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// One row of the file, with the line it starts on.
#[derive(Debug, Clone)]
pub struct Row {
    /// The line the row starts on (the heading is line 1).
    pub line: u64,
    cells: Vec<String>,
}

impl Row {
    /// The text in column `index`, trimmed (empty when the row is short); an
    /// apostrophe an export put before a leading `=`, `+`, `-` or `@` (so a
    /// spreadsheet would not run it as a formula) is taken off again.
    pub fn cell(&self, index: Option<usize>) -> &str {
        let text = index.and_then(|i| self.cells.get(i)).map(|s| s.trim()).unwrap_or("");
        match text.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
            _ => text,
        }
    }
}

/// What reading the next row gave.
#[derive(Debug)]
pub enum Next {
    /// A row to import.
    Row(Row),
    /// A row that could not be read, and why.
    Broken(ImportProblem),
}

/// An open CSV file with its heading read.
pub struct CsvFile<R: Read> {
    rows: csv::Reader<Counted<BufReader<R>>>,
    columns: HashMap<String, usize>,
    width: usize,
    record: csv::ByteRecord,
    delimiter: u8,
    done: bool,
}

impl<R: Read> std::fmt::Debug for CsvFile<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvFile").field("columns", &self.columns).field("delimiter", &self.delimiter).finish()
    }
}

/// A reader that hashes what it reads and stops with an error past
/// [`MAX_FILE_BYTES`].
struct Counted<R> {
    inner: R,
    read: u64,
    hash: Sha256,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.hash.update(&buf[..n]);
        if self.read > MAX_FILE_BYTES {
            return Err(std::io::Error::other(format!(
                "the file is larger than {} MB; split it into smaller files",
                MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
        Ok(n)
    }
}

/// The separator the heading line uses most outside quotes (`,` when none).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], usize::from(*i == 0))).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

fn problem(line: u64, column: Option<&str>, message: impl Into<String>) -> ImportProblem {
    ImportProblem { line, column: column.map(str::to_owned), message: message.into() }
}

impl<R: Read> CsvFile<R> {
    /// Opens `read` and reads its heading: every name must be one of `known`
    /// (compared without case), none twice, and each of `required` present.
    /// The problems with the heading otherwise, all of them.
    pub fn open(read: R, known: &[&str], required: &[&str]) -> Result<Self, Vec<ImportProblem>> {
        let mut buffered = BufReader::with_capacity(64 * 1024, read);
        let head = buffered.fill_buf().map_err(|e| vec![problem(1, None, format!("cannot read the file: {e}"))])?;
        let bom = head.starts_with(&[0xEF, 0xBB, 0xBF]);
        let delimiter = sniff_delimiter(if bom { &head[3..] } else { head });
        if bom {
            buffered.consume(3);
        }
        let mut rows = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(Counted { inner: buffered, read: 0, hash: Sha256::new() });
        let mut heading = csv::ByteRecord::new();
        match rows.read_byte_record(&mut heading) {
            Ok(true) => {}
            Ok(false) => return Err(vec![problem(1, None, "the file is empty: it needs a heading line")]),
            Err(e) => return Err(vec![problem(1, None, read_error(&e))]),
        }
        let mut problems = Vec::new();
        let mut columns = HashMap::new();
        for (i, raw) in heading.iter().enumerate() {
            let Ok(name) = std::str::from_utf8(raw) else {
                problems.push(problem(1, None, "the heading is not UTF-8 text: save the file as “CSV UTF-8”"));
                continue;
            };
            let name = name.trim().to_lowercase();
            if name.is_empty() {
                problems.push(problem(1, None, format!("column {} has no heading", i + 1)));
            } else if !known.contains(&name.as_str()) {
                problems.push(problem(
                    1,
                    Some(&name),
                    format!("not a column this import reads (it reads {})", known.join(", ")),
                ));
            } else if columns.insert(name.clone(), i).is_some() {
                problems.push(problem(1, Some(&name), "this heading appears twice"));
            }
        }
        for name in required.iter().filter(|n| !columns.contains_key(**n)) {
            problems.push(problem(1, Some(name), "this column is required"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CsvFile { rows, columns, width: heading.len(), record: csv::ByteRecord::new(), delimiter, done: false })
    }

    /// Where column `name` is, when the file has it.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.get(name).copied()
    }

    /// The SHA-256 of the bytes read so far after the byte-order mark (the
    /// whole file once every row is read), in hex.
    pub fn digest(&self) -> String {
        hex::encode(self.rows.get_ref().hash.clone().finalize())
    }

    /// The separator the file uses.
    pub fn delimiter(&self) -> char {
        char::from(self.delimiter)
    }

    /// The next row; `None` at the end of the file. Rows with every cell
    /// empty are skipped; a read error ends the file after it is reported.
    pub fn next_row(&mut self) -> Option<Next> {
        while !self.done {
            let line = self.rows.position().line();
            match self.rows.read_byte_record(&mut self.record) {
                Ok(false) => self.done = true,
                Err(e) => {
                    self.done = true;
                    let line = e.position().map(|p| p.line()).unwrap_or(line);
                    return Some(Next::Broken(problem(line, None, read_error(&e))));
                }
                Ok(true) => {}
            }
            if self.done {
                return None;
            }
            let line = self.record.position().map(|p| p.line()).unwrap_or(line);
            if self.record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            if self.record.len() != self.width {
                return Some(Next::Broken(problem(
                    line,
                    None,
                    format!(
                        "{} cells where the heading has {} (a quote left open, or a stray “{}”?)",
                        self.record.len(),
                        self.width,
                        char::from(self.delimiter)
                    ),
                )));
            }
            let mut cells = Vec::with_capacity(self.width);
            for (i, raw) in self.record.iter().enumerate() {
                match std::str::from_utf8(raw) {
                    Ok(text) => cells.push(text.to_owned()),
                    Err(_) => {
                        let name = self.columns.iter().find(|(_, at)| **at == i).map(|(n, _)| n.as_str());
                        return Some(Next::Broken(problem(line, name, "not UTF-8 text: save the file as “CSV UTF-8”")));
                    }
                }
            }
            return Some(Next::Row(Row { line, cells }));
        }
        None
    }
}

fn read_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read the file: {io}"),
        other => format!("cannot read this line: {other:?}"),
    }
}

/// `text` as a whole number from `min` to `max`.
pub fn whole_number(text: &str, min: i64, max: i64) -> Result<i64, String> {
    let n: i64 = text.trim().parse().map_err(|_| format!("“{text}” is not a whole number"))?;
    if !(min..=max).contains(&n) {
        return Err(format!("{n} is outside {min} to {max}"));
    }
    Ok(n)
}

/// `text` (a price in whole units: `12.50`, or `12,50` with a decimal
/// comma) in minor units of a currency with `digits` minor digits, exactly.
pub fn money(text: &str, digits: u32) -> Result<i64, String> {
    let t = text.trim();
    let normal = if t.contains(',') && !t.contains('.') && t.matches(',').count() == 1 {
        t.replace(',', ".")
    } else {
        t.to_owned()
    };
    if normal.is_empty() || !normal.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return Err(format!("“{text}” is not a number (write 12.50, without a currency sign)"));
    }
    let amount: rust_decimal::Decimal = normal.parse().map_err(|_| format!("“{text}” is not a number"))?;
    if normal.split_once('.').is_some_and(|(_, fraction)| fraction.len() > digits as usize) {
        return Err(format!("{text} has more than {digits} decimal places"));
    }
    let scaled = amount
        .checked_mul(rust_decimal::Decimal::from(10_i64.pow(digits)))
        .ok_or_else(|| format!("{text} is too large"))?;
    if scaled.fract() != rust_decimal::Decimal::ZERO {
        return Err(format!("{text} has more than {digits} decimal places"));
    }
    i64::try_from(scaled).map_err(|_| format!("{text} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[u8]) -> Result<(Vec<Row>, Vec<ImportProblem>), Vec<ImportProblem>> {
        let mut file = CsvFile::open(text, &["sku", "name", "price"], &["sku"])?;
        let (mut good, mut bad) = (Vec::new(), Vec::new());
        while let Some(next) = file.next_row() {
            match next {
                Next::Row(r) => good.push(r),
                Next::Broken(p) => bad.push(p),
            }
        }
        Ok((good, bad))
    }

    #[test]
    fn quotes_newlines_bom_and_semicolons_are_read() {
        let text = "\u{feff}SKU;Name;price\nA-1;\"Mug; \"\"big\"\"\nblue\";12,50\n\n;;\nB-2;Plate;3\n";
        let (good, bad) = rows(text.as_bytes()).unwrap();
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].cell(Some(1)), "Mug; \"big\"\nblue");
        assert_eq!((good[0].line, good[1].line), (2, 6));
        assert_eq!(money(good[0].cell(Some(2)), 2), Ok(1250));
    }

    #[test]
    fn broken_rows_are_named_by_line() {
        let (good, bad) = rows(b"sku,name,price\nA,x\nB,\"open,1\nC,y,2\n").unwrap();
        assert!(good.is_empty());
        assert_eq!(bad[0], problem(2, None, "2 cells where the heading has 3 (a quote left open, or a stray “,”?)"));
        assert_eq!(bad[1].line, 3);
        let (_, bad) = rows(b"sku,name,price\nA,\xff\xfe,1\n").unwrap();
        assert_eq!(bad[0], problem(2, Some("name"), "not UTF-8 text: save the file as “CSV UTF-8”"));
    }

    #[test]
    fn the_heading_is_checked_whole() {
        let problems = rows(b"name,prcie,name\n").unwrap_err();
        let words: Vec<String> = problems.iter().map(|p| format!("{:?}: {}", p.column, p.message)).collect();
        assert_eq!(words.len(), 3, "{words:?}");
        assert!(words[0].starts_with("Some(\"prcie\"): not a column"));
        assert_eq!(words[1], "Some(\"name\"): this heading appears twice");
        assert_eq!(words[2], "Some(\"sku\"): this column is required");
        assert_eq!(rows(b"").unwrap_err()[0].message, "the file is empty: it needs a heading line");
    }

    #[test]
    fn prices_are_exact() {
        assert_eq!(money("12.5", 2), Ok(1250));
        assert_eq!(money("1200", 0), Ok(1200));
        assert_eq!(money("0.125", 3), Ok(125));
        assert_eq!(money("12.345", 2), Err("12.345 has more than 2 decimal places".into()));
        assert_eq!(money("1,500", 2), Err("1,500 has more than 2 decimal places".into()));
        assert!(money("$12", 2).unwrap_err().contains("not a number"));
        assert!(money("abc", 2).unwrap_err().contains("not a number"));
        assert_eq!(whole_number("7", 0, 10), Ok(7));
        assert_eq!(whole_number("7.5", 0, 10), Err("“7.5” is not a whole number".into()));
        assert_eq!(whole_number("-1", 0, 10), Err("-1 is outside 0 to 10".into()));
    }
}
