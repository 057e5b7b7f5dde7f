//! How the command line prints what the core returns.

/// Minor units with thousands grouping and two decimals (`1,234.50`).
pub(crate) fn format_minor(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn minor_units_format_with_grouping() {
        assert_eq!(super::format_minor(123_456_789), "1,234,567.89");
        assert_eq!(super::format_minor(-5), "-0.05");
        assert_eq!(super::format_minor(100), "1.00");
    }
}
