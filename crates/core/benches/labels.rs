//! `cargo xtask bench labels [--count N]`: drawing N labels as ZPL (at 203
//! and 300 dpi) and as PDF, each beside a baseline in the same run: the same
//! fields substituted into a fixed ZPL template with `format!` (what a label
//! costs at the least: no layout, no escaping, no barcode planning). Printed as
//! totals, per-label times and the ratio to the baseline; medians of 5 runs.
//!
//! Then labels a carrier sends as pictures (UPS's GIF, 1400 × 812, lying on
//! its side): kept as a 1-bit PNG, and that PNG printed as a 4×6 PDF page and
//! as a ZPL `^GFA` graphic at 203 and 300 dpi — beside the least any of it
//! costs, decoding the GIF's first frame alone.

use marketdesk_core::documents::label::raster::{Bitmap, gif_label_to_png};
use marketdesk_core::documents::label::{Density, LabelAddress, ShippingLabel, graphic_zpl, pdf, raster_pdf, zpl};
use marketdesk_test_support::gif_label;
use std::hint::black_box;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn label(i: usize) -> ShippingLabel {
    ShippingLabel {
        from: LabelAddress {
            name: format!("Vendor {i}"),
            company: None,
            lines: vec!["12 Kiln Lane".into()],
            city: "Stoke-on-Trent".into(),
            region: None,
            postcode: "ST1 5AB".into(),
            country: "GB".into(),
        },
        to: LabelAddress {
            name: format!("Customer Number {i}"),
            company: Some("Acme Tools Ltd".into()),
            lines: vec!["400 Harbour Road".into(), format!("Unit {i}")],
            city: "Portland".into(),
            region: Some("OR".into()),
            postcode: "97201".into(),
            country: "US".into(),
        },
        carrier: "LOCAL".into(),
        service: "STANDARD".into(),
        tracking: format!("MD-{i:06}-1"),
        order_number: format!("MD-{i:06}"),
        order_link: format!("marketdesk://orders/MD-{i:06}"),
        parcel: (1, 1),
        weight_grams: 1250,
        ship_date: "2026-12-04".into(),
    }
}

/// The least a ZPL label costs: its fields put into a fixed template.
fn template(l: &ShippingLabel) -> Vec<u8> {
    format!(
        "^XA^PW812^LL1218^FO24,24^A0N,18,18^FD{}^FS^FO24,270^A0N,46,46^FD{}^FS^FO24,320^A0N,38,38^FD{}^FS\
         ^FO24,600^BY3,3,203^BCN,203,N,N,N,A^FD{}^FS^FO24,900^A0N,44,44^FD{}^FS^XZ\n",
        l.from.name, l.to.name, l.to.lines[0], l.tracking, l.order_number
    )
    .into_bytes()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(labels: &[T], draw: &dyn Fn(&T) -> Vec<u8>) -> (Duration, usize) {
    let mut runs = Vec::new();
    let mut bytes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        bytes = labels.iter().map(|l| black_box(draw(l)).len()).sum();
        runs.push(start.elapsed());
    }
    (median(runs), bytes)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count = args
        .iter()
        .position(|a| a == "--count")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000usize);
    let labels: Vec<ShippingLabel> = (0..count).map(label).collect();
    let (base, base_bytes) = time(&labels, &template);
    println!("{count} labels, median of {RUNS} runs");
    println!("{:<28} {:>10} {:>12} {:>10} {:>8}", "", "total", "per label", "bytes", "ratio");
    let row = |name: &str, base: Duration, count: usize, (t, bytes): (Duration, usize)| {
        println!(
            "{name:<28} {:>8.1}ms {:>10.1}µs {:>10} {:>7.1}x",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e6 / count as f64,
            bytes / count,
            t.as_secs_f64() / base.as_secs_f64()
        );
    };
    row("baseline: fixed template", base, count, (base, base_bytes));
    row("ZPL 203 dpi", base, count, time(&labels, &|l| zpl::render(l, Density::Dpi203).unwrap()));
    row("ZPL 300 dpi", base, count, time(&labels, &|l| zpl::render(l, Density::Dpi300).unwrap()));
    row("PDF 4x6", base, count, time(&labels, &|l| pdf::render(l).unwrap()));

    // Pictures cost far more per label: a tenth as many.
    let pictures = (count / 10).max(1);
    let gifs: Vec<Vec<u8>> = (0..pictures).map(|i| gif_label::gif(&format!("1ZMD{i:012}"))).collect();
    let pngs: Vec<Vec<u8>> = gifs.iter().map(|g| gif_label_to_png(g).unwrap()).collect();
    let (gif_base, gif_bytes) = time(&gifs, &first_frame);
    println!();
    println!("{pictures} picture labels (GIF {} bytes each), median of {RUNS} runs", gifs[0].len());
    row("baseline: GIF frame decoded", gif_base, pictures, (gif_base, gif_bytes));
    row("kept: GIF to 1-bit PNG", gif_base, pictures, time(&gifs, &|g| gif_label_to_png(g).unwrap()));
    let on_page = |p: &Vec<u8>| raster_pdf::render(&Bitmap::from_png(p).unwrap());
    row("printed: PNG to PDF 4x6", gif_base, pictures, time(&pngs, &on_page));
    let at = |d| move |p: &Vec<u8>| graphic_zpl::render(&Bitmap::from_png(p).unwrap(), d).unwrap();
    row("printed: PNG to ^GF 203 dpi", gif_base, pictures, time(&pngs, &at(Density::Dpi203)));
    row("printed: PNG to ^GF 300 dpi", gif_base, pictures, time(&pngs, &at(Density::Dpi300)));
}

/// The least a GIF label costs: its first frame decoded to palette indices.
fn first_frame(bytes: &Vec<u8>) -> Vec<u8> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(std::io::Cursor::new(bytes)).unwrap();
    decoder.read_next_frame().unwrap().unwrap().buffer.to_vec()
}
