//! The vendor statement as a PDF (A4, Helvetica — one of the fonts every PDF
//! reader carries, so nothing is embedded): a heading with the vendor and the
//! period, a summary from opening to closing balance, then every movement with
//! the running balance, across as many pages as it takes, each numbered.

use super::pdf_page::{PdfPage, write_pdf};
use super::pdf_text::fit;
use crate::domain::Timestamp;
use crate::store::statements::VendorStatement;
use rust_decimal::Decimal;

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 48.0;
const ROW: f32 = 14.0;
/// The lowest baseline a movement row may sit on (the footer goes below).
const LAST_ROW_Y: f32 = MARGIN + 8.0;

/// Words for a ledger code on a vendor's statement.
pub fn code_label(code: &str) -> &str {
    match code {
        "payment_captured" => "Sales less commission",
        "refund" => "Refund to a buyer",
        "dispute" => "Chargeback",
        "dispute_fee" => "Dispute fee",
        "payout_executed" => "Payout to your bank",
        "payout_failed" | "payout_reversed" | "payout_returned" => "Payout returned",
        "subscription_paid" => "Subscription",
        "adjustment" | "correction" => "Correction",
        other => other,
    }
}

/// `12345` → `123.45`, `-5` → `-0.05`, with thousands separators.
fn money(minor: i64) -> String {
    let text = Decimal::new(minor, 2).abs().to_string();
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{cents}", if minor < 0 { "-" } else { "" })
}

/// Column positions of the movements table: date, description, order (left
/// edges), amount and balance (right edges).
const COL_DATE: f32 = MARGIN;
const COL_DESC: f32 = MARGIN + 70.0;
const COL_ORDER: f32 = MARGIN + 300.0;
const COL_AMOUNT: f32 = WIDTH - MARGIN - 90.0;
const COL_BALANCE: f32 = WIDTH - MARGIN;

fn table_header(page: &mut PdfPage, y: f32, currency: &str) {
    page.gray(0.35);
    page.text(COL_DATE, y, 8.0, true, "DATE");
    page.text(COL_DESC, y, 8.0, true, "DESCRIPTION");
    page.text(COL_ORDER, y, 8.0, true, "ORDER");
    page.right(COL_AMOUNT, y, 8.0, true, &format!("AMOUNT ({currency})"));
    page.right(COL_BALANCE, y, 8.0, true, "BALANCE");
    page.gray(0.0);
    page.rule(MARGIN, WIDTH - MARGIN, y - 5.0);
}

/// Renders `s` as a PDF, stamped as made at `now`.
pub fn render(s: &VendorStatement, now: Timestamp) -> Vec<u8> {
    let currency = s.query.currency.as_str().to_owned();
    let period = format!("{} – {}", s.query.from.format("%Y-%m-%d"), s.query.to.format("%Y-%m-%d"));
    let mut pages: Vec<PdfPage> = Vec::new();
    let mut lines = s.lines.iter().peekable();
    while pages.is_empty() || lines.peek().is_some() {
        let mut page = PdfPage::new();
        let mut y = HEIGHT - MARGIN - 10.0;
        if pages.is_empty() {
            page.text(MARGIN, y, 18.0, true, "Vendor statement");
            page.right(WIDTH - MARGIN, y, 10.0, false, &period);
            y -= 22.0;
            page.text(MARGIN, y, 12.0, true, &fit(&s.vendor_name, 300.0, 12.0));
            page.right(WIDTH - MARGIN, y, 10.0, false, &format!("Currency: {currency}"));
            y -= 14.0;
            page.gray(0.35);
            page.text(MARGIN, y, 9.0, false, &s.vendor_email);
            page.right(
                WIDTH - MARGIN,
                y,
                9.0,
                false,
                &format!("Made {}", now.as_datetime().format("%Y-%m-%d %H:%M UTC")),
            );
            page.gray(0.0);
            y -= 28.0;
            page.text(MARGIN, y, 10.0, true, "Summary");
            y -= 6.0;
            page.rule(MARGIN, WIDTH - MARGIN, y);
            y -= ROW;
            page.text(MARGIN, y, 10.0, false, &format!("Owed to you on {}", s.query.from.format("%Y-%m-%d")));
            page.right(COL_BALANCE, y, 10.0, false, &money(s.opening_minor));
            for (code, sum) in &s.totals {
                y -= ROW;
                page.text(MARGIN + 12.0, y, 10.0, false, code_label(code));
                page.right(COL_BALANCE, y, 10.0, false, &money(*sum));
            }
            y -= 6.0;
            page.rule(MARGIN, WIDTH - MARGIN, y);
            y -= ROW;
            page.text(MARGIN, y, 10.0, true, &format!("Owed to you at the end of {}", s.query.to.format("%Y-%m-%d")));
            page.right(COL_BALANCE, y, 10.0, true, &money(s.closing_minor));
            y -= 30.0;
        }
        table_header(&mut page, y, &currency);
        y -= ROW + 2.0;
        if s.lines.is_empty() {
            page.gray(0.35);
            page.text(MARGIN, y, 9.0, false, "No movements in this period.");
            page.gray(0.0);
        }
        while y >= LAST_ROW_Y {
            let Some(line) = lines.next() else { break };
            page.text(COL_DATE, y, 9.0, false, &line.occurred_at.as_datetime().format("%Y-%m-%d").to_string());
            page.text(COL_DESC, y, 9.0, false, &fit(code_label(&line.code), COL_ORDER - COL_DESC - 8.0, 9.0));
            page.text(COL_ORDER, y, 9.0, false, line.order_number.as_deref().unwrap_or(""));
            page.right(COL_AMOUNT, y, 9.0, false, &money(line.amount_minor));
            page.right(COL_BALANCE, y, 9.0, false, &money(line.balance_minor));
            y -= ROW;
        }
        pages.push(page);
    }
    let count = pages.len();
    for (index, page) in pages.iter_mut().enumerate() {
        page.gray(0.35);
        page.text(
            MARGIN,
            MARGIN - 16.0,
            8.0,
            false,
            "Amounts the marketplace owes you, from its ledger: a positive amount adds to it, a negative one takes from it.",
        );
        page.right(WIDTH - MARGIN, MARGIN - 16.0, 8.0, false, &format!("Page {} of {count}", index + 1));
        page.gray(0.0);
    }

    write_pdf(pages, WIDTH, HEIGHT, &format!("Vendor statement {} {period}", s.vendor_name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::pdf_text::{text_width, win_ansi};

    #[test]
    fn amounts_are_grouped_and_signed() {
        assert_eq!(money(0), "0.00");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(-123_456_789), "-1,234,567.89");
        assert_eq!(money(100_000), "1,000.00");
    }

    #[test]
    fn text_is_encoded_for_the_base_fonts() {
        assert_eq!(win_ansi("Café – 5 €"), b"Caf\xe9 \x96 5 \x80".to_vec());
        assert_eq!(win_ansi("日本"), b"??".to_vec());
        let cut = fit("A very long vendor business name that will not fit", 80.0, 9.0);
        assert!(cut.ends_with('…') && text_width(&cut, 9.0) <= 80.0 + 1.0);
    }
}
