//! The GIF label the UPS fake sells, drawn as UPS draws one: a 4×6 label at
//! 203 dpi lying on its side in a 1400 × 812 picture (the label's top to the
//! left, white beyond it), with the tracking number as a Code 128 barcode
//! and blocks where the text would be. Printing it is read back by a scanner.

use marketdesk_core::documents::label::code128::Code128;
use marketdesk_core::documents::label::raster::Bitmap;

/// Dots per bar module: 3 at 203 dpi, as UPS draws its barcodes.
const MODULE: u32 = 3;

/// The upright label (812 × 1218) before it is laid on its side.
pub fn upright_label(tracking: &str) -> Bitmap {
    let mut b = Bitmap::white(812, 1218).expect("a 4×6 label");
    let block = |b: &mut Bitmap, x: u32, y: u32, w: u32, h: u32| {
        for yy in y..y + h {
            for xx in x..x + w {
                b.set(xx, yy, true);
            }
        }
    };
    // A frame, the address lines, the thick rules of a UPS label.
    block(&mut b, 20, 20, 772, 4);
    block(&mut b, 20, 1194, 772, 4);
    for line in 0..5 {
        block(&mut b, 40, 60 + line * 40, 300 + (line * 37) % 200, 24);
    }
    block(&mut b, 20, 420, 772, 12);
    if let Some(code) = Code128::new(tracking) {
        let modules = code.modules();
        let width = modules.len() as u32 * MODULE;
        let left = (812 - width.min(772)) / 2;
        for (i, bar) in modules.iter().enumerate() {
            if *bar {
                block(&mut b, left + i as u32 * MODULE, 700, MODULE, 220);
            }
        }
    }
    b
}

/// The label as the GIF UPS answers with (base64 aside).
pub fn gif(tracking: &str) -> Vec<u8> {
    on_its_side(&upright_label(tracking))
}

/// A well-formed GIF with nothing drawn on it.
pub fn blank() -> Vec<u8> {
    on_its_side(&Bitmap::white(812, 1218).expect("a 4×6 label"))
}

fn on_its_side(label: &Bitmap) -> Vec<u8> {
    // On its side: turned a quarter anticlockwise, in a 1400 × 812 picture.
    let (w, h) = (1400u16, 812u16);
    let mut pixels = vec![0u8; usize::from(w) * usize::from(h)];
    for y in 0..label.height() {
        for x in 0..label.width() {
            if label.black(x, y) {
                let (px, py) = (y, label.width() - 1 - x);
                pixels[(py * u32::from(w) + px) as usize] = 1;
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut out, w, h, &[255, 255, 255, 0, 0, 0]).expect("a GIF header");
        let frame = gif::Frame::from_indexed_pixels(w, h, pixels, None);
        encoder.write_frame(&frame).expect("a GIF frame");
    }
    out
}
