//! Code 128 (ISO/IEC 15417) for the tracking number: the symbols chosen once
//! (subset B for text, subset C for runs of digits, which halves their width)
//! and then drawn as bars for PDF or handed to a ZPL printer with the same
//! subset switches, so both barcodes are the same symbol for symbol.

/// Bar and space widths of symbol values 0–105, in modules (bar first).
const PATTERNS: [&str; 106] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213", "221312",
    "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132", "221231", "213212",
    "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321", "232121",
    "111323", "131123", "131321", "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331",
    "132131", "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131", "311123",
    "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224", "111422", "121124",
    "121421", "141122", "141221", "112214", "112412", "122114", "122411", "142112", "142211", "241211", "221114",
    "413111", "241112", "134111", "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",
    "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232",
];
/// The stop symbol with its final bar.
const STOP: &str = "2331112";
const START_B: u8 = 104;
const START_C: u8 = 105;
const SWITCH_TO_C: u8 = 99;
const SWITCH_TO_B: u8 = 100;

/// One step of the encoding, as a printer is told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    StartB,
    StartC,
    ToB,
    ToC,
    /// One character in subset B.
    Char(u8),
    /// Two digits in subset C.
    Pair(u8, u8),
}

/// A Code 128 symbol: its steps, from which both the bars and the ZPL field come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code128 {
    steps: Vec<Step>,
}

impl Code128 {
    /// Encodes printable ASCII (`' '..='~'`); `None` for anything else or nothing.
    pub fn new(data: &str) -> Option<Code128> {
        let bytes = data.as_bytes();
        if bytes.is_empty() || !bytes.iter().all(|b| (b' '..=b'~').contains(b)) {
            return None;
        }
        let digits_from = |i: usize| bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let mut steps = Vec::new();
        let mut in_c = digits_from(0) >= 4 || (digits_from(0) == bytes.len() && bytes.len().is_multiple_of(2));
        steps.push(if in_c { Step::StartC } else { Step::StartB });
        let mut i = 0;
        while i < bytes.len() {
            let run = digits_from(i);
            if in_c {
                if run >= 2 {
                    steps.push(Step::Pair(bytes[i], bytes[i + 1]));
                    i += 2;
                    continue;
                }
                steps.push(Step::ToB);
                in_c = false;
            } else if run >= 4 {
                // An odd run leaves its first digit in B so the rest pairs up.
                if run % 2 == 1 {
                    steps.push(Step::Char(bytes[i]));
                    i += 1;
                }
                steps.push(Step::ToC);
                in_c = true;
                continue;
            }
            steps.push(Step::Char(bytes[i]));
            i += 1;
        }
        Some(Code128 { steps })
    }

    /// The symbol values, start to check character (the stop not included).
    pub fn values(&self) -> Vec<u8> {
        let mut values: Vec<u8> = self
            .steps
            .iter()
            .map(|s| match *s {
                Step::StartB => START_B,
                Step::StartC => START_C,
                Step::ToB => SWITCH_TO_B,
                Step::ToC => SWITCH_TO_C,
                Step::Char(c) => c - b' ',
                Step::Pair(a, b) => (a - b'0') * 10 + (b - b'0'),
            })
            .collect();
        let sum: u32 = values.iter().enumerate().map(|(i, v)| u32::from(*v) * (i.max(1) as u32)).sum();
        values.push((sum % 103) as u8);
        values
    }

    /// Bars and spaces module by module (`true` = bar), quiet zones not included.
    pub fn modules(&self) -> Vec<bool> {
        let mut out = Vec::new();
        let patterns = self.values().into_iter().map(|v| PATTERNS[usize::from(v)]).chain(std::iter::once(STOP));
        for pattern in patterns {
            for (k, w) in pattern.bytes().enumerate() {
                out.extend(std::iter::repeat_n(k % 2 == 0, usize::from(w - b'0')));
            }
        }
        out
    }

    /// How many modules wide the symbol is, quiet zones not included.
    pub fn width_modules(&self) -> u32 {
        11 * (self.steps.len() as u32 + 1) + 13
    }

    /// The field data for ZPL's `^BC` in mode N: the same start and subset
    /// switches (`>:` start B, `>;` start C, `>5` to C, `>6` to B) as the bars.
    pub fn zpl_field(&self) -> String {
        let mut out = String::new();
        for s in &self.steps {
            match *s {
                Step::StartB => out.push_str(">:"),
                Step::StartC => out.push_str(">;"),
                Step::ToB => out.push_str(">6"),
                Step::ToC => out.push_str(">5"),
                Step::Char(c) => out.push(char::from(c)),
                Step::Pair(a, b) => {
                    out.push(char::from(a));
                    out.push(char::from(b));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_go_in_pairs_and_text_in_subset_b() {
        let all_digits = Code128::new("794612345678").unwrap();
        assert_eq!(all_digits.zpl_field(), ">;794612345678");
        // start, 6 pairs, check
        assert_eq!(all_digits.values().len(), 8);
        let ups = Code128::new("1Z999AA10123456784").unwrap();
        assert_eq!(ups.zpl_field(), ">:1Z999AA1>50123456784");
        let short = Code128::new("A-12").unwrap();
        assert_eq!(short.zpl_field(), ">:A-12");
        let odd = Code128::new("12345").unwrap();
        assert_eq!(odd.zpl_field(), ">;1234>65");
        let odd_inside = Code128::new("AB12345").unwrap();
        assert_eq!(odd_inside.zpl_field(), ">:AB1>52345");
    }

    #[test]
    fn the_check_character_and_width_follow_the_standard() {
        // Start B 104 + P 48×1 + J 42×2 + J 42×3 + 1 17×4 + 2 18×5 + 3 19×6 + C 35×7 = 879 ≡ 55 (mod 103).
        let c = Code128::new("PJJ123C").unwrap();
        assert_eq!(c.values().last(), Some(&55));
        assert_eq!(c.modules().len() as u32, c.width_modules());
        assert!(c.modules()[0], "a symbol starts with a bar");
        assert!(*c.modules().last().unwrap(), "and ends with one");
    }

    #[test]
    fn only_printable_ascii_is_encoded() {
        assert!(Code128::new("").is_none());
        assert!(Code128::new("é").is_none());
        assert!(Code128::new("a\nb").is_none());
    }
}
