//! Accent and case folding for matching what people type against what they wrote:
//! `jose nunez` meets `José Núñez`, whether the file holds NFC or NFD text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-case, decompose, drop combining marks, and map a few letters that do not decompose
/// (ø, ł, ß, æ, œ, đ, ı) to their usual ASCII spellings.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            'ı' => out.push('i'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'þ' | 'Þ' => out.push_str("th"),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_accents_case_and_normal_forms() {
        assert_eq!(fold("José Núñez"), "jose nunez");
        assert_eq!(fold("Jose\u{301} Nu\u{303}n\u{303}ez"), "jose nunez");
        assert_eq!(fold("Nguyễn Zoë Søren Straße"), "nguyen zoe soren strasse");
    }
}
