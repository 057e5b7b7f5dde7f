//! Pages of a PDF drawn with the two base fonts every reader has
//! (Helvetica and Helvetica-Bold, nothing embedded), and the file that
//! holds them: what the statement and the warehouse sheets draw on.

use super::pdf_text::{text_width, win_ansi};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// One page being drawn.
pub(crate) struct PdfPage(Content);

impl PdfPage {
    /// A blank page.
    pub(crate) fn new() -> PdfPage {
        PdfPage(Content::new())
    }

    /// `text` with its baseline starting at (`x`, `y`).
    pub(crate) fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let c = &mut self.0;
        c.begin_text();
        c.set_font(if bold { BOLD } else { REGULAR }, size);
        c.next_line(x, y);
        c.show(Str(&win_ansi(text)));
        c.end_text();
    }

    /// Text whose right edge is at `x`.
    pub(crate) fn right(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        self.text(x - text_width(text, size), y, size, bold, text);
    }

    /// The fill (text) colour from black (0) to white (1).
    pub(crate) fn gray(&mut self, level: f32) {
        self.0.set_fill_gray(level);
    }

    /// A thin horizontal line from `from` to `to` at `y`.
    pub(crate) fn rule(&mut self, from: f32, to: f32, y: f32) {
        let c = &mut self.0;
        c.set_line_width(0.5);
        c.move_to(from, y);
        c.line_to(to, y);
        c.stroke();
    }
}

/// The PDF file of `pages`, each `width` × `height` points, titled `title`.
pub(crate) fn write_pdf(pages: Vec<PdfPage>, width: f32, height: f32, title: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, regular, bold, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let page_refs: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(6 + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_refs.iter().copied()).count(pages.len() as i32);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(title)).producer(TextStr("Marketdesk"));
    for (page, id) in pages.into_iter().zip(&page_refs) {
        let content = Ref::new(id.get() + 1);
        let mut p = pdf.page(*id);
        p.media_box(Rect::new(0.0, 0.0, width, height)).parent(tree).contents(content);
        p.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
        p.finish();
        pdf.stream(content, &page.0.finish());
    }
    pdf.finish()
}
