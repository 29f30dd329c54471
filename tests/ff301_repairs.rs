//! Damage that once turned a number of an FF301 return into another number,
//! each repaired or reported: a number split by a space, a number cut twice
//! by tabs, a file cut off mid-row, a doubled line in reading order, a scheme
//! row that lost its values.

mod robust_support;

use hkfilings::filings::model::{Filing, Level};
use robust_support::{fixtures, parse_str};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("ff301").join(name)).expect("fixture")
}

fn parse(text: &str) -> Filing {
    parse_str("ff301.txt", text).expect("a filing")
}

fn class<'a>(f: &'a Filing, key: &str) -> &'a hkfilings::filings::model::ShareClass {
    f.share_classes
        .iter()
        .find(|c| c.class_key == key)
        .unwrap_or_else(|| panic!("class {key} in {:?}", f.share_classes))
}

fn codes(f: &Filing) -> Vec<&str> {
    f.findings
        .iter()
        .filter(|x| x.level >= Level::Warning)
        .map(|x| x.code.as_str())
        .collect()
}

/// Replace the first `from` in the line that starts with `label`.
fn damage(text: &str, label: &str, from: &str, to: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|l| {
            if !done && l.trim_start().starts_with(label) && l.contains(from) {
                done = true;
                l.replacen(from, to, 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_space_inside_a_number_is_joined_when_the_parts_cannot_stand_alone() {
    let text = fixture("harbour_2025-03.layout.txt");
    let good = parse(&text);
    let key = good.share_classes[0].class_key.clone();
    let change = class(&good, &key).issued.as_ref().and_then(|b| b.change);
    assert_eq!(change, Some(700_000));
    // A space before a leading-zero group, before a thousands comma, and
    // after a short group: each part is no number on its own.
    for to in ["7 00,000", "700 ,000", "70 0,000"] {
        let f = parse(&damage(&text, "Increase / decrease", "700,000", to));
        let issued = class(&f, &key).issued.as_ref().expect("issued");
        assert_eq!(issued.change, Some(700_000), "{to}");
    }
}

#[test]
fn two_whole_numbers_a_space_apart_are_never_joined_and_the_row_is_reported() {
    let text = fixture("harbour_2025-03.layout.txt");
    let good = parse(&text);
    let key = good.share_classes[0].class_key.clone();
    // `1 200,000,000`: two sound numbers; the row then holds one number
    // too many for the form's columns.
    let f = parse(&damage(
        &text,
        "Balance at close of preceding month",
        "1,200,000,000",
        "1 200,000,000",
    ));
    let issued = class(&f, &key).issued.as_ref().expect("issued");
    assert_eq!(issued.opening, None);
    assert!(codes(&f).contains(&"unreadable_value"), "{:?}", f.findings);
}

#[test]
fn a_number_cut_by_two_tabs_is_joined_whole() {
    let text = fixture("kestrel_2022-08_amendment.tab.txt");
    let f = parse(&text.replacen("40,000\t,000,000", "40\t,000\t,000,000", 1));
    let a = class(&f, "09921").authorised.as_ref().expect("authorised");
    assert_eq!(a.closing, Some(40_000_000_000));
}

#[test]
fn a_file_cut_inside_a_number_does_not_read_the_number_s_first_digits() {
    let text = fixture("kestrel_2022-08_amendment.tab.txt");
    // The file ends in the middle of the second class's opening row.
    let at = text.find("10,000\t,000,000").expect("row") + 2;
    let f = parse(&text[..at]);
    for c in &f.share_classes {
        if let Some(a) = &c.authorised {
            assert_ne!(a.opening, Some(10), "{}", c.class_key);
        }
    }
}

#[test]
fn a_change_row_cut_off_at_the_end_of_the_file_is_not_read_as_nil() {
    let text = fixture("ferncliff_2023-05_warrants.layout.txt");
    let good = parse(&text);
    let key = good.share_classes[0].class_key.clone();
    assert_eq!(
        class(&good, &key).issued.as_ref().and_then(|b| b.change),
        Some(25_000_000)
    );
    // Cut after the change row's label, before its number.
    let at = text.find("Increase / decrease (-)").expect("row") + "Increase / decrease (-)".len();
    let at = text[at..]
        .find("Increase / decrease (-)")
        .map_or(at, |i| at + i + 23);
    let f = parse(&text[..at]);
    let issued = class(&f, &key).issued.as_ref().expect("issued");
    assert_eq!(issued.opening, Some(800_000_000));
    assert_eq!(issued.change, None);
    assert!(codes(&f).contains(&"missing_field"), "{:?}", f.findings);
}

#[test]
fn a_blank_change_row_followed_by_its_closing_row_still_reads_nil() {
    // The harbour return's authorised change row is blank ("HKD" only).
    let f = parse(&fixture("harbour_2025-03.layout.txt"));
    let a = f.share_classes[0].authorised.as_ref().expect("authorised");
    assert_eq!(a.change, Some(0));
}

#[test]
fn a_doubled_capital_line_in_reading_order_is_not_read_as_the_change() {
    let text = fixture("harbour_2025-03.raw.txt");
    let good = parse(&text);
    let key = good.share_classes[0].class_key.clone();
    let a = class(&good, &key).authorised.as_ref().expect("authorised");
    assert_eq!(a.change, Some(0));
    let capital = a.capital.clone().expect("capital");
    // Double the first line holding the capital (500,000,000).
    let printed = "500,000,000";
    assert!(capital.starts_with("500000000"), "{capital}");
    let mut done = false;
    let doubled: String = text
        .lines()
        .flat_map(|l| {
            let twice = !done && l.trim() == printed;
            done |= twice;
            if twice {
                vec![l, l]
            } else {
                vec![l]
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(done, "no line holds the capital alone");
    let f = parse(&doubled);
    let a = class(&f, &key).authorised.as_ref().expect("authorised");
    assert_eq!(a.change, None);
    assert!(codes(&f).contains(&"unreadable_value"), "{:?}", f.findings);
}

#[test]
fn a_scheme_row_with_no_values_is_reported() {
    let text = fixture("harbour_2025-03.layout.txt");
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("2).") && l.contains("Share Option Scheme"))
        .expect("scheme row");
    let head = row.split("adopted on").next().expect("head").trim_end();
    let f = parse(&text.replacen(row, &format!("{head}\n{row}"), 1));
    let empty: Vec<_> = f
        .option_schemes
        .iter()
        .filter(|s| s.opening.is_none() && s.closing.is_none())
        .collect();
    assert_eq!(empty.len(), 1, "{:?}", f.option_schemes);
    assert!(codes(&f).contains(&"missing_field"), "{:?}", f.findings);
}

/// An extraction that runs the header lines together leaves the next label
/// on the issuer's line: the issuer's name ends where that label begins, and
/// the date and period are still read from the same line.
#[test]
fn header_lines_run_together_give_the_issuer_alone() {
    let f = parse(
        "FF301\nMonthly Return for Equity Issuer on Movements in Securities\n\
         For the month ended: 31 March 2025 Status: New Submission \
         To : Hong Kong Exchanges and Clearing Limited \
         Name of Issuer: Kestrel Bay Holdings Limited Date Submitted: 02 April 2025 \
         I. Movements in Authorised / Registered Share Capital Not applicable\n",
    );
    assert_eq!(f.issuer.as_deref(), Some("Kestrel Bay Holdings Limited"));
    assert_eq!(f.date.as_deref(), Some("2025-04-02"));
    assert_eq!(f.period.as_deref(), Some("2025-03"));
}

/// pdfminer without layout analysis prints the whole form as one line with
/// no space between cells: the next label is glued to the issuer's name.
#[test]
fn a_header_label_glued_to_the_issuer_ends_the_name() {
    let f = parse(
        "FF301 Monthly Return for Equity Issuer on Movements in Securities \
         For the month ended: 31 March 2025Status: New Submission\
         Name of Issuer: Kestrel Bay Holdings Ltd.Date Submitted: 02 April 2025\
         I. Movements in Authorised / Registered Share Capital Not applicable\n",
    );
    assert_eq!(f.issuer.as_deref(), Some("Kestrel Bay Holdings Ltd."));
    assert_eq!(f.date.as_deref(), Some("2025-04-02"));
    assert_eq!(f.period.as_deref(), Some("2025-03"));
    // Section II is not there: that no class was read is said, not silent.
    assert!(f.share_classes.is_empty());
    assert!(
        f.findings
            .iter()
            .any(|x| x.code == "missing_field" && x.message.contains("no share class")),
        "{:?}",
        f.findings
    );
}

/// pdfplumber glues each currency to the number before it: "5,000,000,000HKD
/// 0.1HKD 500,000,000". Read as words, the shares were lost and the capital
/// (500,000,000) was presented as the number of shares.
#[test]
fn a_currency_glued_to_the_number_before_it_is_split_off() {
    let text = fixture("harbour_2025-03.pypdf.txt");
    let glued = text.replace(
        "5,000,000,000 HKD 0.1 HKD 500,000,000",
        "5,000,000,000HKD 0.1HKD 500,000,000",
    );
    assert_ne!(glued, text);
    let f = parse(&glued);
    let a = class(&f, "02977").authorised.as_ref().expect("authorised");
    assert_eq!(
        (a.opening, a.closing, a.par_value.as_deref()),
        (Some(5_000_000_000), Some(5_000_000_000), Some("0.1"))
    );
    assert_eq!(a.capital.as_deref(), Some("500000000"));
}

/// pdfplumber prints a number and the movement word after it as one word
/// ("52,377,600Issued", "20,000,000Granted"): the word is split off, and
/// the row reads as it does undamaged.
#[test]
fn a_movement_word_glued_to_the_number_before_it_is_split_off() {
    let text = fixture("harbour_2025-03.pypdf.txt");
    let glued = text.replace("20,000,000 Granted", "20,000,000Granted");
    assert_ne!(glued, text);
    let (good, f) = (parse(&text), parse(&glued));
    let scheme = |f: &Filing| {
        let s = &f.option_schemes[0];
        (
            s.opening,
            s.movements.iter().map(|m| m.amount).collect::<Vec<_>>(),
            s.closing,
            s.new_shares_issued,
        )
    };
    assert_eq!(scheme(&good).0, Some(20_000_000));
    assert_eq!(scheme(&f), scheme(&good));
}

/// pdfminer's vertical-text mode prints the title's label and value before
/// the signer's ("Title:" / "Company Secretary" / "Submitted by:" / the
/// name), then the page's list numbering ("v") alone on a line. The title
/// is the line after its label; a lone numeral is never a title.
#[test]
fn a_title_printed_before_the_signer_is_read_and_a_list_numeral_is_not() {
    let text = fixture("harbour_2025-03.pypdf.txt").replace(
        "Submitted by: Lee Wai Ming\nTitle: Company Secretary\n\
         (Director, Secretary or other Duly Authorised Officer)\n",
        "Title:\n\nCompany Secretary\n\nSubmitted by:\n\nLee Wai Ming\n\n\
         (Director, Secretary or other Duly Authorised Officer)\n\nPage 9 of 10\n\nv\n\n1.2.0\n",
    );
    assert!(text.contains("\nv\n"), "the fixture's signer lines changed");
    let f = parse(&text);
    let s = f.signer.as_ref().expect("a signer");
    assert_eq!(s.name, "Lee Wai Ming");
    assert_eq!(s.title.as_deref(), Some("Company Secretary"));
}
