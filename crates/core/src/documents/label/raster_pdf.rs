//! A label picture as a one-page 4×6-inch PDF for laser printers: the bitmap
//! as a 1-bit image (Flate-compressed), at its true size when it was drawn at
//! 203 dpi, scaled down only if it would not fit, centred, never smoothed.

use super::graphic_zpl::SOURCE_DPI;
use super::raster::Bitmap;
use super::{HEIGHT_MILS, WIDTH_MILS};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref};
use std::io::Write;

const IMAGE: Name<'static> = Name(b"Im1");

/// `bitmap` on a 4×6 PDF page.
pub fn render(bitmap: &Bitmap) -> Vec<u8> {
    let (page_w, page_h) = (WIDTH_MILS as f32 * 0.072, HEIGHT_MILS as f32 * 0.072);
    let (w, h) = (bitmap.width() as f32, bitmap.height() as f32);
    let scale = (72.0 / SOURCE_DPI as f32).min(page_w / w).min(page_h / h);
    let (draw_w, draw_h) = (w * scale, h * scale);
    let (x, y) = ((page_w - draw_w) / 2.0, (page_h - draw_h) / 2.0);

    let mut zlib = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = zlib.write_all(&bitmap.packed(false));
    let samples = zlib.finish().unwrap_or_default();

    let mut c = Content::new();
    c.save_state();
    c.transform([draw_w, 0.0, 0.0, draw_h, x, y]);
    c.x_object(IMAGE);
    c.restore_state();

    let mut pdf = Pdf::new();
    let (catalog, tree, page, contents, image) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, page_w, page_h)).parent(tree).contents(contents);
    p.resources().x_objects().pair(IMAGE, image);
    p.finish();
    pdf.stream(contents, &c.finish());
    let mut img = pdf.image_xobject(image, &samples);
    img.filter(Filter::FlateDecode);
    img.width(bitmap.width() as i32);
    img.height(bitmap.height() as i32);
    img.color_space().device_gray();
    img.bits_per_component(1);
    img.interpolate(false);
    img.finish();
    pdf.finish()
}
