//! A warehouse sheet as a PDF (A4, Helvetica, nothing embedded): a title, a
//! few heading lines, a table that runs over as many pages as it takes with
//! its header repeated, a closing note, and "page n of m" on every page. Pick
//! lists, packing slips and manifests are sheets.

use super::pdf_page::{PdfPage, write_pdf};
use super::pdf_text::fit;

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 42.0;
const ROW: f32 = 16.0;
const LAST_ROW_Y: f32 = MARGIN + 24.0;

/// One column: its heading, its share of the table's width, and whether its
/// cells align right (numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Heading, printed in capitals.
    pub title: &'static str,
    /// Share of the width (the shares need not add up to anything).
    pub weight: f32,
    /// Right-aligned (quantities, weights).
    pub right: bool,
}

/// What a sheet says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The big title ("Pick list").
    pub title: String,
    /// Right of the title (a date, a number).
    pub title_note: String,
    /// Lines under the title (addresses, counts), in order.
    pub heading: Vec<String>,
    /// The table's columns.
    pub columns: Vec<Column>,
    /// The table's rows, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Said when there are no rows.
    pub empty: String,
    /// Lines after the table (totals, a signature line).
    pub closing: Vec<String>,
    /// Small print at the foot of every page.
    pub footer: String,
}

/// Left edge and width of each column.
fn layout(columns: &[Column]) -> Vec<(f32, f32)> {
    let total: f32 = columns.iter().map(|c| c.weight.max(0.1)).sum();
    let usable = WIDTH - 2.0 * MARGIN;
    let mut x = MARGIN;
    columns
        .iter()
        .map(|c| {
            let w = usable * c.weight.max(0.1) / total;
            let at = (x, w);
            x += w;
            at
        })
        .collect()
}

fn row(page: &mut PdfPage, columns: &[Column], places: &[(f32, f32)], y: f32, size: f32, bold: bool, cells: &[&str]) {
    for ((column, (x, w)), cell) in columns.iter().zip(places).zip(cells) {
        let text = fit(cell, w - 6.0, size);
        if column.right {
            page.right(x + w - 6.0, y, size, bold, &text);
        } else {
            page.text(*x, y, size, bold, &text);
        }
    }
}

/// Renders `sheet` as a PDF.
pub fn render(sheet: &Sheet) -> Vec<u8> {
    let places = layout(&sheet.columns);
    let titles: Vec<String> = sheet.columns.iter().map(|c| c.title.to_uppercase()).collect();
    let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
    let mut pages: Vec<PdfPage> = Vec::new();
    let mut rows = sheet.rows.iter().peekable();
    let mut closing_done = false;
    while pages.is_empty() || rows.peek().is_some() || !closing_done {
        let mut page = PdfPage::new();
        let mut y = HEIGHT - MARGIN - 10.0;
        page.text(MARGIN, y, 18.0, true, &fit(&sheet.title, 330.0, 18.0));
        page.right(WIDTH - MARGIN, y, 10.0, false, &sheet.title_note);
        y -= 20.0;
        if pages.is_empty() {
            for line in &sheet.heading {
                page.text(MARGIN, y, 10.0, false, &fit(line, WIDTH - 2.0 * MARGIN, 10.0));
                y -= 13.0;
            }
            y -= 10.0;
        }
        page.gray(0.35);
        row(&mut page, &sheet.columns, &places, y, 8.0, true, &titles);
        page.gray(0.0);
        page.rule(MARGIN, WIDTH - MARGIN, y - 5.0);
        y -= ROW + 2.0;
        if sheet.rows.is_empty() && pages.is_empty() {
            page.text(MARGIN, y, 10.0, false, &sheet.empty);
            y -= ROW;
        }
        while y >= LAST_ROW_Y {
            let Some(cells) = rows.next() else { break };
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            row(&mut page, &sheet.columns, &places, y, 10.0, false, &cells);
            y -= ROW;
        }
        if rows.peek().is_none() && y - 8.0 - ROW * sheet.closing.len() as f32 >= LAST_ROW_Y - ROW {
            page.rule(MARGIN, WIDTH - MARGIN, y + ROW - 6.0);
            y -= 6.0;
            for line in &sheet.closing {
                page.text(MARGIN, y, 10.0, true, line);
                y -= ROW;
            }
            closing_done = true;
        }
        pages.push(page);
    }
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        page.gray(0.35);
        page.text(MARGIN, MARGIN - 16.0, 8.0, false, &fit(&sheet.footer, 420.0, 8.0));
        page.right(WIDTH - MARGIN, MARGIN - 16.0, 8.0, false, &format!("Page {} of {count}", i + 1));
        page.gray(0.0);
    }

    write_pdf(pages, WIDTH, HEIGHT, &format!("{} {}", sheet.title, sheet.title_note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_share_the_width_by_weight() {
        let cols = [Column { title: "a", weight: 1.0, right: false }, Column { title: "b", weight: 3.0, right: true }];
        let at = layout(&cols);
        assert!((at[0].0 - MARGIN).abs() < 0.01);
        assert!((at[1].1 - 3.0 * at[0].1).abs() < 0.01);
        assert!((at[1].0 + at[1].1 - (WIDTH - MARGIN)).abs() < 0.01);
    }

    #[test]
    fn a_long_table_runs_over_pages_and_ends_with_its_closing_lines() {
        let sheet = Sheet {
            title: "Pick list".into(),
            columns: vec![Column { title: "sku", weight: 1.0, right: false }],
            rows: (0..120).map(|i| vec![format!("SKU-{i}")]).collect(),
            closing: vec!["120 lines".into()],
            ..Sheet::default()
        };
        let pdf = render(&sheet);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 3"), "three pages of about 45 rows");
        assert!(text.contains("(Page 3 of 3)"));
        assert!(text.contains("(120 lines)"));
    }
}
