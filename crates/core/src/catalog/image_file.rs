//! An image file someone chose to upload: recognised by its own bytes (not its
//! name), measured without decoding more than its header, refused with a
//! sentence when it is not a picture Marketdesk takes, and shrunk once into
//! the small JPEG thumbnail lists and offline copies show.

use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// Largest file taken (10 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Most pixels an image may have (decoding a bigger one could exhaust memory).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The thumbnail's longest side, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;

/// What an accepted file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    /// `jpeg`, `png`, `webp` or `gif`.
    pub format: &'static str,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Size of the file.
    pub byte_size: usize,
    /// SHA-256 of the file, lowercase hex: the name it is stored under.
    pub sha256: String,
}

impl ImageFacts {
    /// The file extension for this format.
    pub fn extension(&self) -> &'static str {
        extension(self.format)
    }
}

/// The usual file extension of `format`.
pub fn extension(format: &str) -> &'static str {
    match format {
        "jpeg" => "jpg",
        "png" => "png",
        "webp" => "webp",
        _ => "gif",
    }
}

/// Why a file is not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ImageProblem(pub String);

fn format_of(bytes: &[u8]) -> Option<(ImageFormat, &'static str)> {
    match image::guess_format(bytes).ok()? {
        ImageFormat::Jpeg => Some((ImageFormat::Jpeg, "jpeg")),
        ImageFormat::Png => Some((ImageFormat::Png, "png")),
        ImageFormat::WebP => Some((ImageFormat::WebP, "webp")),
        ImageFormat::Gif => Some((ImageFormat::Gif, "gif")),
        _ => None,
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits
}

/// Checks the file `name` holding `bytes` and says what it is.
pub fn inspect(name: &str, bytes: &[u8]) -> Result<ImageFacts, ImageProblem> {
    if bytes.is_empty() {
        return Err(ImageProblem(format!("{name} is empty")));
    }
    if bytes.len() > MAX_BYTES {
        let mb = bytes.len() as f64 / (1024.0 * 1024.0);
        return Err(ImageProblem(format!("{name} is {mb:.1} MB; an image may be 10 MB at most")));
    }
    let Some((format, label)) = format_of(bytes) else {
        return Err(ImageProblem(format!("{name} is not a JPEG, PNG, WebP or GIF image")));
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let (width, height) =
        reader.into_dimensions().map_err(|e| ImageProblem(format!("{name} cannot be read as an image: {e}")))?;
    if width == 0 || height == 0 {
        return Err(ImageProblem(format!("{name} has no pixels")));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageProblem(format!(
            "{name} is {width}×{height} pixels; an image may have 50 megapixels at most"
        )));
    }
    Ok(ImageFacts { format: label, width, height, byte_size: bytes.len(), sha256: hex::encode(Sha256::digest(bytes)) })
}

/// A JPEG at most [`THUMBNAIL_SIDE`] pixels on its longest side, transparent
/// parts on white. Decodes the whole image: call after [`inspect`].
pub fn thumbnail(name: &str, bytes: &[u8]) -> Result<Vec<u8>, ImageProblem> {
    let Some((format, _)) = format_of(bytes) else {
        return Err(ImageProblem(format!("{name} is not a JPEG, PNG, WebP or GIF image")));
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let picture = reader.decode().map_err(|e| ImageProblem(format!("{name} cannot be decoded: {e}")))?;
    let small = picture.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE).to_rgba8();
    let mut flat = image::RgbImage::new(small.width(), small.height());
    for (x, y, px) in small.enumerate_pixels() {
        let a = u32::from(px[3]);
        let mix = |c: u8| ((u32::from(c) * a + 255 * (255 - a)) / 255) as u8;
        flat.put_pixel(x, y, image::Rgb([mix(px[0]), mix(px[1]), mix(px[2])]));
    }
    let mut out = Cursor::new(Vec::new());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
    flat.write_with_encoder(encoder).map_err(|e| ImageProblem(format!("{name}: the thumbnail failed: {e}")))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(width, height, |x, _| image::Rgba([(x % 255) as u8, 10, 200, 128]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_picture_is_measured_and_named_by_its_content() {
        let bytes = png(800, 600);
        let facts = inspect("shirt.png", &bytes).unwrap();
        assert_eq!((facts.format, facts.width, facts.height), ("png", 800, 600));
        assert_eq!(facts.sha256.len(), 64);
        assert_eq!(facts.extension(), "png");
        let thumb = thumbnail("shirt.png", &bytes).unwrap();
        let (w, h) = ImageReader::new(Cursor::new(&thumb)).with_guessed_format().unwrap().into_dimensions().unwrap();
        assert_eq!((w, h), (320, 240));
        assert_eq!(image::guess_format(&thumb).unwrap(), ImageFormat::Jpeg);
    }

    #[test]
    fn what_is_not_a_picture_is_refused_by_name() {
        assert_eq!(inspect("notes.txt", b"hello").unwrap_err().0, "notes.txt is not a JPEG, PNG, WebP or GIF image");
        assert_eq!(inspect("empty.png", b"").unwrap_err().0, "empty.png is empty");
        let mut cut = png(50, 50);
        cut.truncate(20);
        assert!(inspect("cut.png", &cut).unwrap_err().0.starts_with("cut.png cannot be read"));
        let huge = vec![0u8; MAX_BYTES + 1];
        assert!(inspect("big.jpg", &huge).unwrap_err().0.contains("10 MB at most"));
    }
}
