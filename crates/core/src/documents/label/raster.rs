//! A label that comes as a picture (UPS draws labels as GIF for laser
//! printers): a black-and-white bitmap read from the carrier's GIF, kept as a
//! lossless 1-bit PNG, and turned upright and trimmed so it can be printed on
//! a 4×6 page ([`super::raster_pdf`]) or sent to a thermal printer as a ZPL
//! graphic field ([`super::graphic_zpl`]).

use std::io::Cursor;

/// The largest side a label picture may have, in pixels: a 4×6 label at 600
/// dpi is 3600; anything far beyond is not a label.
pub const MAX_SIDE: u32 = 4000;

/// Why a label picture cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RasterError {
    /// The bytes are not a picture of the kind named.
    #[error("the label picture cannot be read as {kind}: {reason}")]
    Unreadable {
        /// `GIF` or `PNG`.
        kind: &'static str,
        /// What the decoder said.
        reason: String,
    },
    /// Empty, or larger than any label.
    #[error("a label picture of {width} × {height} pixels is not a 4×6 label")]
    BadSize {
        /// Pixels across.
        width: u32,
        /// Pixels down.
        height: u32,
    },
    /// Nothing is drawn on it.
    #[error("the label picture is blank")]
    Blank,
}

/// A black-and-white picture, row by row from the top-left; `true` is black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: u32,
    height: u32,
    dots: Vec<bool>,
}

impl Bitmap {
    /// A white bitmap of this size (refused when empty or beyond [`MAX_SIDE`]).
    pub fn white(width: u32, height: u32) -> Result<Bitmap, RasterError> {
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(RasterError::BadSize { width, height });
        }
        Ok(Bitmap { width, height, dots: vec![false; (width * height) as usize] })
    }

    /// Pixels across.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Pixels down.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Whether the dot at column `x`, row `y` is black (outside is white).
    pub fn black(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.dots[(y * self.width + x) as usize]
    }

    /// Blackens (or whitens) the dot at `x`, `y`; outside is ignored.
    pub fn set(&mut self, x: u32, y: u32, black: bool) {
        if x < self.width && y < self.height {
            self.dots[(y * self.width + x) as usize] = black;
        }
    }

    /// One row of dots.
    pub fn row(&self, y: u32) -> &[bool] {
        let start = (y * self.width) as usize;
        &self.dots[start..start + self.width as usize]
    }

    /// The picture in a GIF (the first frame laid on its screen, white
    /// where transparent); a dot is black when its grey is under half.
    pub fn from_gif(bytes: &[u8]) -> Result<Bitmap, RasterError> {
        let unreadable = |e: gif::DecodingError| RasterError::Unreadable { kind: "GIF", reason: e.to_string() };
        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::RGBA);
        let mut decoder = options.read_info(Cursor::new(bytes)).map_err(unreadable)?;
        let mut bitmap = Bitmap::white(decoder.width().into(), decoder.height().into())?;
        let frame = decoder
            .read_next_frame()
            .map_err(unreadable)?
            .ok_or(RasterError::Unreadable { kind: "GIF", reason: "it holds no picture".into() })?;
        let (left, top, w) = (u32::from(frame.left), u32::from(frame.top), u32::from(frame.width));
        for (i, px) in frame.buffer.chunks_exact(4).enumerate() {
            let (x, y) = (left + i as u32 % w, top + i as u32 / w);
            bitmap.set(x, y, px[3] >= 128 && dark(px[0], px[1], px[2]));
        }
        bitmap.check_not_blank()?;
        Ok(bitmap)
    }

    /// The picture in a PNG this module wrote (or any 8-bit-or-less PNG).
    pub fn from_png(bytes: &[u8]) -> Result<Bitmap, RasterError> {
        let unreadable = |e: png::DecodingError| RasterError::Unreadable { kind: "PNG", reason: e.to_string() };
        let mut decoder = png::Decoder::new(Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().map_err(unreadable)?;
        let (width, height) = reader.info().size();
        let mut bitmap = Bitmap::white(width, height)?;
        let size = reader.output_buffer_size().ok_or(RasterError::BadSize { width, height })?;
        let mut buf = vec![0; size];
        let info = reader.next_frame(&mut buf).map_err(unreadable)?;
        let samples = info.color_type.samples();
        for y in 0..height {
            let row = &buf[y as usize * info.line_size..][..info.line_size];
            for x in 0..width {
                let px = &row[x as usize * samples..][..samples];
                let black = match info.color_type {
                    png::ColorType::Grayscale => px[0] < 128,
                    png::ColorType::GrayscaleAlpha => px[1] >= 128 && px[0] < 128,
                    png::ColorType::Rgb => dark(px[0], px[1], px[2]),
                    png::ColorType::Rgba => px[3] >= 128 && dark(px[0], px[1], px[2]),
                    png::ColorType::Indexed => false,
                };
                bitmap.set(x, y, black);
            }
        }
        Ok(bitmap)
    }

    /// The picture as a 1-bit greyscale PNG: lossless and small (a 4×6
    /// label is a few kilobytes).
    pub fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let data = self.packed(false);
        // Writing to a Vec fails only on a size mismatch, which `packed` rules out.
        if let Ok(mut writer) = encoder.write_header() {
            let _ = writer.write_image_data(&data);
        }
        out
    }

    /// The dots packed eight to a byte, most significant first, each row
    /// starting on a byte; a set bit means black when `one_is_black`, white
    /// otherwise (PNG and PDF greys: 0 is black).
    pub fn packed(&self, one_is_black: bool) -> Vec<u8> {
        let row_bytes = self.width.div_ceil(8) as usize;
        let mut out = vec![if one_is_black { 0 } else { 0xff }; row_bytes * self.height as usize];
        for y in 0..self.height {
            for (x, &black) in self.row(y).iter().enumerate() {
                if black {
                    let byte = &mut out[y as usize * row_bytes + x / 8];
                    let bit = 0x80 >> (x % 8);
                    if one_is_black {
                        *byte |= bit;
                    } else {
                        *byte &= !bit;
                    }
                }
            }
        }
        // Padding bits past the last column stay white.
        if !one_is_black && !self.width.is_multiple_of(8) {
            let pad = 0xffu8 >> (self.width % 8);
            for y in 0..self.height as usize {
                out[y * row_bytes + row_bytes - 1] |= pad;
            }
        }
        out
    }

    /// Turned a quarter clockwise (a landscape label made upright).
    pub fn rotated_clockwise(&self) -> Bitmap {
        let mut out = Bitmap { width: self.height, height: self.width, dots: vec![false; self.dots.len()] };
        for y in 0..self.height {
            for x in 0..self.width {
                if self.black(x, y) {
                    out.set(self.height - 1 - y, x, true);
                }
            }
        }
        out
    }

    /// Upright: a picture wider than tall is a label lying on its side
    /// (how UPS draws its GIFs) and is turned a quarter clockwise.
    pub fn upright(self) -> Bitmap {
        if self.width > self.height { self.rotated_clockwise() } else { self }
    }

    /// Cut down to what is drawn, with `margin` white dots kept around it.
    pub fn trimmed(&self, margin: u32) -> Result<Bitmap, RasterError> {
        let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
        for y in 0..self.height {
            for (x, &black) in self.row(y).iter().enumerate() {
                if black {
                    let x = x as u32;
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                }
            }
        }
        if x0 == u32::MAX {
            return Err(RasterError::Blank);
        }
        let (left, top) = (x0.saturating_sub(margin), y0.saturating_sub(margin));
        let (right, bottom) = ((x1 + margin).min(self.width - 1), (y1 + margin).min(self.height - 1));
        let mut out = Bitmap::white(right - left + 1, bottom - top + 1)?;
        for y in top..=bottom {
            for x in left..=right {
                if self.black(x, y) {
                    out.set(x - left, y - top, true);
                }
            }
        }
        Ok(out)
    }

    /// Scaled by `num / den` with each new dot taking the nearest old one
    /// (no greys: bars stay sharp, each as wide as the ratio allows).
    pub fn scaled(&self, num: u32, den: u32) -> Result<Bitmap, RasterError> {
        if num == den {
            return Ok(self.clone());
        }
        let scale = |v: u32| ((u64::from(v) * u64::from(num)) / u64::from(den.max(1))).max(1) as u32;
        let mut out = Bitmap::white(scale(self.width), scale(self.height))?;
        for y in 0..out.height {
            let sy = (u64::from(y) * u64::from(den) / u64::from(num)) as u32;
            for x in 0..out.width {
                let sx = (u64::from(x) * u64::from(den) / u64::from(num)) as u32;
                if self.black(sx, sy) {
                    out.set(x, y, true);
                }
            }
        }
        Ok(out)
    }

    fn check_not_blank(&self) -> Result<(), RasterError> {
        if self.dots.iter().any(|d| *d) { Ok(()) } else { Err(RasterError::Blank) }
    }
}

/// Whether a colour prints black on a one-colour printer (grey under half).
fn dark(r: u8, g: u8, b: u8) -> bool {
    (u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000 < 128
}

/// A carrier's GIF label as the PNG kept for it: upright and trimmed to what
/// is drawn (a quarter inch of white around at 203 dpi).
pub fn gif_label_to_png(gif: &[u8]) -> Result<Vec<u8>, RasterError> {
    Ok(Bitmap::from_gif(gif)?.upright().trimmed(8)?.to_png())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Bitmap {
        let mut b = Bitmap::white(11, 5).unwrap();
        for (x, y) in [(0, 0), (3, 1), (10, 4), (8, 2), (9, 2)] {
            b.set(x, y, true);
        }
        b
    }

    #[test]
    fn a_bitmap_survives_the_png_it_is_kept_as() {
        let b = sample();
        assert_eq!(Bitmap::from_png(&b.to_png()).unwrap(), b);
    }

    #[test]
    fn packing_pads_rows_white_and_marks_black_either_way() {
        let b = sample();
        let black = b.packed(true);
        assert_eq!(black.len(), 2 * 5);
        assert_eq!(black[0], 0b1000_0000);
        assert_eq!(black[1], 0);
        assert_eq!(black[5], 0b1100_0000);
        let white = b.packed(false);
        assert_eq!(white[0], 0b0111_1111);
        assert_eq!(white[1], 0xff, "padding past column 11 is white");
    }

    #[test]
    fn a_landscape_picture_is_turned_upright_and_a_blank_one_refused() {
        let b = sample();
        let up = b.clone().upright();
        assert_eq!((up.width(), up.height()), (5, 11));
        assert!(up.black(4, 0), "top-left goes to top-right");
        assert!(up.black(0, 10), "bottom-right goes to bottom-left");
        assert_eq!(Bitmap::white(3, 3).unwrap().trimmed(1), Err(RasterError::Blank));
        assert!(matches!(Bitmap::white(0, 3), Err(RasterError::BadSize { .. })));
        assert!(matches!(Bitmap::white(5000, 3), Err(RasterError::BadSize { .. })));
    }

    #[test]
    fn trimming_keeps_the_margin_and_scaling_keeps_bars_whole() {
        let t = sample().trimmed(0).unwrap();
        assert_eq!((t.width(), t.height()), (11, 5));
        let mut b = Bitmap::white(20, 20).unwrap();
        b.set(5, 5, true);
        b.set(6, 5, true);
        let t = b.trimmed(2).unwrap();
        assert_eq!((t.width(), t.height()), (6, 5));
        assert!(t.black(2, 2) && t.black(3, 2));
        let s = t.scaled(3, 2).unwrap();
        assert_eq!((s.width(), s.height()), (9, 7));
        assert_eq!(s.row(3).iter().filter(|d| **d).count(), 3, "a bar of 2 dots becomes 3");
    }

    #[test]
    fn garbage_is_refused_as_unreadable() {
        assert!(matches!(Bitmap::from_gif(b"GIF89a fake"), Err(RasterError::Unreadable { kind: "GIF", .. })));
        assert!(matches!(Bitmap::from_png(b"not a png"), Err(RasterError::Unreadable { kind: "PNG", .. })));
    }
}
