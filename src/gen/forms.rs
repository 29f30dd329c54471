//! Monthly returns: FF301 (v1.0, v1.1, v1.2) and the legacy form, with the
//! real forms' label wording and section order.

use super::render::{fmt_int, fmt_paren, hdr, lab, num, pnum, txt, Dec, Doc, Style, C};
use super::sim::{ClassMonth, FormGen, Issuer, Month, OptKind, OtherKind};
use chrono::{Datelike, NaiveDate};

/// "30 November 2023"; FF301 pads the day ("06 December 2023").
pub fn long_date(d: NaiveDate) -> String {
    format!("{:02} {} {}", d.day(), month_name(d.month()), d.year())
}

/// "1 June 2011" (legacy forms do not pad the day).
pub fn long_date_unpadded(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

pub fn month_name(m: u32) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    .get(m.saturating_sub(1) as usize)
    .copied()
    .unwrap_or("January")
}

fn dmy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

fn version(gen: FormGen, period_end: NaiveDate) -> &'static str {
    match gen {
        FormGen::V10
            if period_end.year() < 2022
                || (period_end.year() == 2022 && period_end.month() < 7) =>
        {
            "v 1.0.1"
        }
        FormGen::V10 => "v 1.0.2",
        FormGen::V11 => "v 1.1.1",
        _ => "v 1.2.0",
    }
}

struct Pager {
    page: usize,
    total: usize,
    ver: &'static str,
}

impl Pager {
    fn next(&mut self, d: &mut Doc) {
        let footer = format!("Page {} of {}   {}", self.page, self.total, self.ver);
        d.page("FF301", &footer);
        self.page += 1;
    }
}

fn listed_label(gen: FormGen) -> &'static str {
    if gen >= FormGen::V11 {
        "Listed on the Exchange (Note 1)"
    } else {
        "Listed on SEHK (Note 1)"
    }
}

fn code_label(gen: FormGen) -> &'static str {
    if gen >= FormGen::V11 {
        "Stock code (if listed)"
    } else {
        "Stock code"
    }
}

/// The class header block shared by sections I and II.
fn class_header(d: &mut Doc, gen: FormGen, ver: &str, n: usize, c: &ClassMonth) {
    let yes = if c.listed { "Yes" } else { "No" };
    // v1.0.1 prints the "Type of shares" label first, later versions
    // "Class of shares"; the cells keep their places.
    if ver == "v 1.0.1" {
        d.row(&[
            txt(format!("{n}. Type of shares")),
            txt(c.class_cell),
            C::Gap,
            lab("Class of shares"),
            txt(c.type_cell),
            C::Gap,
            lab(listed_label(gen)),
            txt(yes),
        ]);
    } else {
        d.row(&[
            txt(format!("{n}. Class of shares")),
            txt(c.class_cell),
            C::Gap,
            lab("Type of shares"),
            txt(c.type_cell),
            C::Gap,
            lab(listed_label(gen)),
            txt(yes),
        ]);
    }
    let code = c
        .stock_code
        .clone()
        .or_else(|| c.other_code.clone())
        .unwrap_or_else(|| "N/A".to_string());
    d.row(&[
        lab(code_label(gen)),
        txt(code),
        lab("Description"),
        txt(c.description),
    ]);
    if let Some(mc) = &c.multi_counter {
        let l = if gen >= FormGen::V11 {
            "Add multi-counter stock code"
        } else {
            "Multi-counter stock code"
        };
        d.row(&[
            lab(l),
            txt(mc.clone()),
            txt("RMB"),
            lab("Description"),
            txt(c.description),
        ]);
    }
}

pub fn ff301(d: &mut Doc, iss: &Issuer, m: &Month, amendment: bool) {
    let gen = m.gen;
    let ver = version(gen, m.period_end);
    let mut pg = Pager {
        page: 1,
        total: 10,
        ver,
    };
    if d.style != Style::Tab {
        d.text(&format!("{:>120}", "FF301"));
        d.blank();
    }
    d.text("Monthly Return for Equity Issuer and Hong Kong Depositary Receipts listed under Chapter 19B of the Exchange Listing Rules on Movements in");
    d.text("Securities");
    d.blank();
    let status = if amendment {
        "Amendment"
    } else {
        "New Submission"
    };
    match d.style {
        Style::Layout => {
            d.text(&format!(
                "For the month ended:        {:<40}Status: {status}",
                long_date(m.period_end)
            ));
            d.blank();
        }
        _ => {
            d.field("For the month ended:", &long_date(m.period_end));
            d.text(&format!("Status: {status}"));
            d.blank();
        }
    }
    d.text("To : Hong Kong Exchanges and Clearing Limited");
    d.blank();
    let name = match iss.paren {
        Some(p) => format!("{} {p}", m.issuer_name),
        None => m.issuer_name.clone(),
    };
    d.field("Name of Issuer:", &name);
    d.field("Date Submitted:", &long_date(m.submitted));
    if amendment {
        d.text("Reason for amendment: To correct a typographical error in the Remarks.");
        d.blank();
    }

    // I. Authorised / registered share capital.
    if m.classes.iter().all(|c| c.auth.is_none()) {
        d.row(&[
            txt("I. Movements in Authorised / Registered Share Capital"),
            txt("Not applicable"),
        ]);
        d.blank();
    } else {
        d.text("I. Movements in Authorised / Registered Share Capital");
        d.blank();
        let mut total = Dec::new(0, 0);
        let mut cur = "HKD";
        for (n, c) in m.classes.iter().enumerate() {
            let Some(a) = &c.auth else { continue };
            class_header(d, gen, ver, n + 1, c);
            d.row(&[
                hdr("Number of authorised/registered shares"),
                C::Gap,
                hdr("Par value"),
                C::Gap,
                hdr("Authorised/registered share capital"),
            ]);
            let par = a.par.plain();
            d.row(&[
                lab("Balance at close of preceding month"),
                C::Gap,
                num(a.opening),
                txt(a.currency),
                txt(par.clone()),
                txt(a.currency),
                num_dec(a.cap_open),
            ]);
            if a.change != 0 {
                let capchg = Dec::new(a.cap_close.units - a.cap_open.units, a.cap_close.scale);
                d.row(&[
                    lab("Increase / decrease (-)"),
                    C::Gap,
                    num(a.change),
                    C::Gap,
                    C::Gap,
                    txt(a.currency),
                    num_dec(capchg),
                ]);
            } else {
                d.row(&[
                    lab("Increase / decrease (-)"),
                    C::Gap,
                    C::Gap,
                    C::Gap,
                    C::Gap,
                    txt(a.currency),
                ]);
            }
            d.row(&[
                lab("Balance at close of the month"),
                C::Gap,
                num(a.closing),
                txt(a.currency),
                txt(par),
                txt(a.currency),
                num_dec(a.cap_close),
            ]);
            d.blank();
            total = Dec::new(
                rescale(total, a.cap_close.scale) + a.cap_close.units,
                a.cap_close.scale.max(total.scale),
            );
            cur = a.currency;
        }
        d.row(&[
            txt(format!(
                "Total authorised/registered share capital at the end of the month: {cur}"
            )),
            num_dec(total),
        ]);
        d.blank();
    }
    pg.next(d);

    // II. Issued shares (and treasury shares from v1.1).
    let h2 = match gen {
        FormGen::V12 => "II. Movements in Issued Shares and/or Treasury Shares and Public Float Sufficiency Confirmation",
        FormGen::V11 => "II. Movements in Issued Shares and/or Treasury Shares",
        _ => "II. Movements in Issued Shares",
    };
    d.text(h2);
    d.blank();
    for (n, c) in m.classes.iter().enumerate() {
        class_header(d, gen, ver, n + 1, c);
        if gen.has_treasury() {
            d.row(&[
                hdr("Number of issued shares (excluding treasury shares)"),
                hdr("Number of treasury shares"),
                hdr("Total number of issued shares"),
            ]);
            let t = c.treasury;
            let i = c.issued;
            d.row(&[
                lab("Balance at close of preceding month"),
                C::Gap,
                num(i.opening),
                num(t.opening),
                num(i.opening + t.opening),
            ]);
            d.blank();
            if i.change != 0 || t.change != 0 {
                d.row(&[
                    lab("Increase / decrease (-)"),
                    C::Gap,
                    num(i.change),
                    num(t.change),
                    num(i.change + t.change),
                ]);
            } else {
                d.row(&[lab("Increase / decrease (-)")]);
            }
            d.blank();
            d.row(&[
                lab("Balance at close of the month"),
                C::Gap,
                num(i.closing),
                num(t.closing),
                num(i.closing + t.closing),
            ]);
        } else {
            let i = c.issued;
            d.row(&[
                lab("Balance at close of preceding month"),
                C::Gap,
                C::Gap,
                num(i.opening),
            ]);
            if i.change != 0 {
                d.row(&[
                    lab("Increase / decrease (-)"),
                    C::Gap,
                    C::Gap,
                    num(i.change),
                ]);
            } else {
                d.row(&[lab("Increase / decrease (-)")]);
            }
            d.row(&[
                lab("Balance at close of the month"),
                C::Gap,
                C::Gap,
                num(i.closing),
            ]);
        }
        d.blank();
        if gen == FormGen::V12 {
            d.text("Public float sufficiency confirmation (Note 4)");
            d.text("Pursuant to Main Board Rule 13.32D(1) or 19A.28D(1) / GEM Rule 17.37D(1) or 25.21D(1), we hereby confirm that, in relation to the class of shares as set out above, as at the close of the");
            d.text("month:");
            if d.style == Style::Pypdf {
                d.text(
                    "the applicable public float requirement (see below) has been complied with✔",
                );
            } else {
                d.text(" ✔     the applicable public float requirement (see below) has been complied with");
            }
            d.text("         the applicable public float requirement (see below) has not been complied with");
            d.blank();
        }
    }
    pg.next(d);

    // III. Details of movements.
    let h3 = if gen.has_treasury() {
        "III. Details of Movements in Issued Shares and/or Treasury Shares"
    } else {
        "III. Details of Movements in Issued Shares"
    };
    d.text(h3);
    d.blank();
    ff301_options(d, gen, m);
    pg.next(d);
    ff301_warrants(d, gen, m);
    pg.next(d);
    ff301_convertibles(d, gen, m);
    pg.next(d);
    if gen.has_treasury() {
        d.row(&[txt("(D). Any other Agreements or Arrangements to Issue Shares of the Issuer, including Options (other than Share Option Schemes)"), txt("Not applicable")]);
    } else {
        d.row(&[txt("(D). Any other Agreements or Arrangements to Issue Shares of the Issuer which are to be listed, including Options (other than Share Options Schemes)"), txt("Not applicable")]);
    }
    d.blank();
    pg.next(d);
    ff301_other(d, gen, m);
    pg.next(d);
    d.row(&[
        txt("IV. Information about Hong Kong Depositary Receipt (HDR)"),
        txt("Not applicable"),
    ]);
    d.blank();
    if let Some(r) = &m.remarks {
        d.text("Remarks:");
        d.text(r);
        d.blank();
    }
    pg.next(d);
    d.text("V. Confirmations");
    d.blank();
    d.text("Pursuant to Main Board Rule 13.25C / GEM Rule 17.27C, we hereby confirm to the best knowledge, information and belief that, in relation to each of the securities issued");
    d.text("during the month as set out in Parts III and IV which has not been previously disclosed in a return published under Main Board Rule 13.25A / GEM Rule 17.27A, it");
    d.text("has been duly authorised by the board of directors of the listed issuer and carried out in compliance with all applicable listing rules, laws and other regulatory requirements and, insofar as");
    d.text("applicable:");
    d.text("(i) all money due to the listed issuer in respect of the issue of securities has been received by it;");
    d.text("(ii) all pre-conditions for listing imposed by the Rules Governing the Listing of Securities on The Stock Exchange of Hong Kong Limited under \"Qualifications of listing\" have been fulfilled;");
    d.text("(iii) all (if any) conditions contained in the formal letter granting listing of and permission to deal in the securities have been fulfilled;");
    d.text("(iv) all the securities of each class are in all respects identical (Note 6);");
    d.blank();
    d.field("Submitted by:", iss.signer.0);
    d.field("Title:", iss.signer.1);
    d.text("(Director, Secretary or other Duly Authorised Officer)");
    pg.next(d);
    d.text("Notes");
    let n1 = if gen >= FormGen::V11 {
        "1. The Exchange refers to The Stock Exchange of Hong Kong Limited."
    } else {
        "1. SEHK refers to Stock Exchange of Hong Kong."
    };
    d.text(n1);
    d.text("2. In the case of repurchase of shares (shares repurchased and cancelled), \"date of event\" should be construed as \"cancellation date\".");
    d.text("3. Please state the number of shares repurchased during the month or in preceding month(s) but pending cancellation as at close of the month as a negative number.");
    let (p, t) = (pg.page, pg.total);
    d.footer(&format!("Page {p} of {t}   {ver}"));
}

fn rescale(d: Dec, to: u32) -> i128 {
    if to >= d.scale {
        d.units * 10i128.pow(to - d.scale)
    } else {
        d.units
    }
}

/// A capital amount printed with separators, decimals only when it has them.
fn num_dec(d: Dec) -> C {
    let mut v = d;
    while v.scale > 0 && v.units % 10 == 0 {
        v = Dec::new(v.units / 10, v.scale - 1);
    }
    C::Num(v.commas())
}

fn issuable_header(d: &mut Doc, gen: FormGen, c: &ClassMonth) {
    let listed = if gen >= FormGen::V11 {
        "Shares issuable to be listed on the Exchange (Note 1)"
    } else {
        "Shares issuable to be listed on SEHK (Note 1)"
    };
    d.row(&[
        txt("1. Class of shares issuable"),
        txt(c.class_cell),
        lab("Type of shares"),
        txt(c.type_cell),
        lab(listed),
        txt(if c.listed { "Yes" } else { "No" }),
    ]);
    d.row(&[
        lab("Stock code of shares issuable (if listed)"),
        txt(c.stock_code.clone().unwrap_or_else(|| "N/A".to_string())),
        lab("Description"),
        txt(c.description),
    ]);
}

fn ff301_options(d: &mut Doc, gen: FormGen, m: &Month) {
    if m.schemes.is_empty() {
        d.row(&[
            txt("(A). Share Options (under Share Option Schemes of the Issuer)"),
            txt("Not applicable"),
        ]);
        return;
    }
    d.text("(A). Share Options (under Share Option Schemes of the Issuer)");
    d.blank();
    let first_class = m.schemes.first().map(|s| s.class).unwrap_or(0);
    if let Some(c) = m.classes.get(first_class) {
        issuable_header(d, gen, c);
    }
    let mut h = vec![
        hdr("Particulars of share option scheme"),
        hdr("Number of share options outstanding at close of preceding month"),
        hdr("Movement during the month"),
        C::Gap,
        hdr("Number of share options outstanding at close of the month"),
    ];
    // Since treasury shares the table also prints the treasury shares
    // transferred out of treasury on exercise (A2); the simulated issuers
    // issue new shares only, and type a 0 there.
    h.extend(share_heads(gen, 'A'));
    d.row(&h);
    let mut total_new = 0;
    for (k, s) in m.schemes.iter().enumerate() {
        let particulars = format!("{}). {} (adopted on {})", k + 1, s.name, dmy(s.adopted));
        let mut moves = s.moves.iter();
        let first = moves.next();
        let (w, a) = match first {
            Some((kind, amt, note)) => (move_word(*kind, *note), num(*amt)),
            None => ("Nil".to_string(), C::Gap),
        };
        let mut r = vec![
            txt(particulars),
            C::OptOpen(fmt_int(s.opening)),
            txt(w),
            a,
            num(s.closing),
            num(s.new_shares),
        ];
        if gen == FormGen::V12 {
            r.push(num(0));
        }
        r.push(num(s.issuable));
        d.row(&r);
        for (kind, amt, note) in moves {
            d.row(&[C::Gap, C::Gap, txt(move_word(*kind, *note)), num(*amt)]);
        }
        d.row(&[
            lab("Exercise price"),
            txt(format!("HKD {}", s.price.plain())),
        ]);
        d.row(&[
            lab("General Meeting approval date (if applicable)"),
            txt(long_date(s.adopted)),
        ]);
        d.blank();
        total_new += s.new_shares;
    }
    let cls = m
        .classes
        .get(first_class)
        .map(|c| c.class_cell)
        .unwrap_or("Ordinary shares");
    if gen.has_treasury() {
        d.row(&[
            txt("Increase in issued shares (excluding treasury shares):"),
            txt(format!("{cls} (AA1)")),
            num(total_new),
        ]);
        if gen == FormGen::V12 {
            d.row(&[
                txt("Decrease in treasury shares:"),
                txt(format!("{cls} (AA2)")),
            ]);
        }
    } else {
        d.row(&[txt(format!("Total A ({cls}):")), num(total_new)]);
    }
    let funds: i128 = m
        .schemes
        .iter()
        .map(|s| s.price.units * s.new_shares as i128)
        .sum();
    d.row(&[
        txt("Total funds raised during the month from exercise of options:"),
        txt("HKD"),
        C::Num(Dec::new(funds, 2).commas()),
    ]);
    d.blank();
}

/// The share columns' heads of a section III part (`part` its letter):
/// since v1.2 the new shares issued (A1), the treasury shares transferred
/// out of treasury (A2) and the shares issuable or transferable; before,
/// the new shares issued and issuable.
fn share_heads(gen: FormGen, part: char) -> Vec<C> {
    if gen == FormGen::V12 {
        vec![
            C::Hdr(format!(
                "Number of new shares issued during the month pursuant thereto ({part}1)"
            )),
            C::Hdr(format!("Number of treasury shares transferred out of treasury during the month pursuant thereto ({part}2)")),
            hdr("Number of shares which may be issued or transferred out of treasury pursuant thereto as at close of the month"),
        ]
    } else {
        vec![
            hdr("No. of new shares issued during the month pursuant thereto"),
            hdr("No. of new shares which may be issued pursuant thereto as at close of the month"),
        ]
    }
}

fn move_word(kind: OptKind, note: Option<&str>) -> String {
    match (kind, note) {
        (OptKind::Other, Some(n)) => format!("Other {n}"),
        _ => kind.word().to_string(),
    }
}

fn ff301_warrants(d: &mut Doc, gen: FormGen, m: &Month) {
    let title = if gen.has_treasury() {
        "(B). Warrants to Issue Shares of the Issuer"
    } else {
        "(B). Warrants to Issue Shares of the Issuer which are to be Listed"
    };
    let Some(w) = m.warrants.first() else {
        d.row(&[txt(title), txt("Not applicable")]);
        d.blank();
        return;
    };
    d.text(title);
    d.blank();
    if let Some(c) = m.classes.first() {
        issuable_header(d, gen, c);
    }
    d.row(&[
        hdr("Description of warrants"),
        hdr("Currency of nominal value"),
        hdr("Nominal value at close of preceding month"),
        hdr("Movement during the month"),
        C::Gap,
        hdr("Nominal value at close of the month"),
        hdr("No. of new shares issued during the month pursuant thereto"),
        hdr("No. of new shares which may be issued pursuant thereto as at close of the month"),
    ]);
    // The movement cell is a box for the kind, then one for the amount.
    let (word, amt) = if w.exercised != 0 {
        (txt("Exercised"), num(w.exercised))
    } else {
        (txt("Nil"), C::Gap)
    };
    d.row(&[
        txt(format!("1). {}", w.description)),
        txt("HKD"),
        txt(format!("{} units", fmt_int(w.opening))),
        word,
        amt,
        txt(format!("{} units", fmt_int(w.closing))),
        num(w.exercised),
        num(w.closing),
    ]);
    d.row(&[lab("Date of expiry"), txt(long_date(w.expiry))]);
    d.row(&[lab("Subscription price"), txt("HKD"), txt(w.price.plain())]);
    d.row(&[
        lab("General Meeting approval date (if applicable)"),
        txt("Not applicable"),
    ]);
    d.blank();
    let cls = m
        .classes
        .first()
        .map(|c| c.class_cell)
        .unwrap_or("Ordinary shares");
    if gen.has_treasury() {
        d.row(&[
            txt("Increase in issued shares (excluding treasury shares):"),
            txt(format!("{cls} (BB1)")),
            num(w.exercised),
        ]);
    } else {
        d.row(&[txt(format!("Total B ({cls}):")), num(w.exercised)]);
    }
    d.blank();
}

fn ff301_convertibles(d: &mut Doc, gen: FormGen, m: &Month) {
    let title = if gen.has_treasury() {
        "(C). Convertibles (i.e. Convertible into Shares of the Issuer)"
    } else {
        "(C). Convertibles (i.e. Convertible into Issue Shares of the Issuer which are to be Listed)"
    };
    let Some(v) = m.convertibles.first() else {
        d.row(&[txt(title), txt("Not applicable")]);
        d.blank();
        return;
    };
    d.text(title);
    d.blank();
    if let Some(c) = m.classes.first() {
        issuable_header(d, gen, c);
    }
    let mut h = vec![
        hdr("Description of the Convertibles"),
        hdr("Currency"),
        hdr("Amount at close of preceding month"),
        hdr("Movement during the month"),
        C::Gap,
        hdr("Amount at close of the month"),
    ];
    h.extend(share_heads(gen, 'C'));
    d.row(&h);
    // The kind of movement, then its amount (the form's two boxes).
    let (word, amt) = if v.converted != 0 {
        (txt("Converted"), num(v.converted))
    } else {
        (txt("Nil"), C::Gap)
    };
    let mut r = vec![
        txt(format!("1). {}", v.description)),
        txt("HKD"),
        num(v.opening),
        word,
        amt,
        num(v.closing),
        num(v.new_shares()),
    ];
    if gen == FormGen::V12 {
        r.push(C::Gap);
    }
    r.push(num(v.issuable()));
    d.row(&r);
    d.row(&[lab("Type of the Convertibles"), txt("Bond/Notes")]);
    d.row(&[
        lab("Subscription/Conversion price"),
        txt("HKD"),
        txt(Dec::new(v.price_cents as i128, 2).plain()),
    ]);
    d.row(&[
        lab("General Meeting approval date (if applicable)"),
        txt(long_date(v.approved)),
    ]);
    d.blank();
    let cls = m
        .classes
        .first()
        .map(|c| c.class_cell)
        .unwrap_or("Ordinary shares");
    if gen.has_treasury() {
        d.row(&[
            txt("Increase in issued shares (excluding treasury shares):"),
            txt(format!("{cls} (CC1)")),
            num(v.new_shares()),
        ]);
        d.row(&[
            txt("Decrease in treasury shares:"),
            txt(format!("{cls} (CC2)")),
        ]);
    } else {
        d.row(&[txt(format!("Total C ({cls}):")), num(v.new_shares())]);
    }
    d.blank();
}

fn ff301_other(d: &mut Doc, gen: FormGen, m: &Month) {
    let title = if gen.has_treasury() {
        "(E). Other Movements in Issued Shares and/or Treasury Shares"
    } else {
        "(E). Other Movements in Issued Share"
    };
    let cls = m
        .classes
        .first()
        .map(|c| c.class_cell)
        .unwrap_or("Ordinary shares");
    if m.others.is_empty() {
        d.row(&[txt(title), txt("Not applicable")]);
        d.blank();
    } else {
        d.text(title);
        d.blank();
        if let Some(c) = m.classes.first() {
            issuable_header(d, gen, c);
        }
        let mut h = vec![
            hdr("Type of Issue"),
            hdr("At price (if applicable)"),
            C::Gap,
            hdr("Date of event (Note 2)"),
            hdr("General Meeting approval date (if applicable)"),
        ];
        if gen.has_treasury() {
            h.push(hdr("Number of issued shares (excluding treasury shares) issued / cancelled during the month pursuant thereto (EE1)"));
            h.push(hdr(
                "Number of treasury shares during the month pursuant thereto (EE2)",
            ));
        } else {
            h.push(hdr(
                "No. of new shares of issuer issued during the month pursuant thereto",
            ));
        }
        d.row(&h);
        for (k, o) in m.others.iter().enumerate() {
            let (what, price) = match o.kind {
                OtherKind::Placing => ("Placing".to_string(), Some(o.price_cents)),
                OtherKind::Repurchase => {
                    ("Repurchase of shares (shares repurchased and cancelled)".to_string(), Some(o.price_cents))
                }
                OtherKind::Pending => (
                    "Repurchase of shares (shares repurchased for cancellation but not yet cancelled) (Note 3)".to_string(),
                    Some(o.price_cents),
                ),
                OtherKind::Treasury => ("Repurchase of shares (shares held as treasury shares)".to_string(), Some(o.price_cents)),
            };
            let mut r = vec![
                txt(format!("{}). {what}", k + 1)),
                txt("HKD"),
                txt(price
                    .map(|p| Dec::new(p as i128, 2).plain())
                    .unwrap_or_default()),
                txt(long_date(o.day)),
                C::Gap,
                num(o.amount),
            ];
            if gen.has_treasury() {
                r.push(if o.kind == OtherKind::Treasury {
                    num(-o.amount)
                } else {
                    C::Gap
                });
            }
            d.row(&r);
        }
        d.blank();
        let e1: i64 = m
            .others
            .iter()
            .filter(|o| o.kind != OtherKind::Pending)
            .map(|o| o.amount)
            .sum();
        if gen.has_treasury() {
            d.row(&[
                txt("Increase/ decrease (-) in issued shares (excluding treasury shares):"),
                txt(format!("{cls} (EE1)")),
                num(e1),
            ]);
            let e2: i64 = m
                .others
                .iter()
                .filter(|o| o.kind == OtherKind::Treasury)
                .map(|o| -o.amount)
                .sum();
            d.row(&[
                txt("Increase/ decrease (-) in treasury shares:"),
                txt(format!("{cls} (EE2)")),
                num(e2),
            ]);
        } else {
            d.row(&[txt(format!("Total E ({cls}):")), num(e1)]);
        }
        d.blank();
    }
    let c0 = m.classes.first();
    let change = c0.map(|c| c.issued.change).unwrap_or(0);
    if gen.has_treasury() {
        let tch = c0.map(|c| c.treasury.change).unwrap_or(0);
        d.row(&[
            txt("Total increase/ decrease (-) in issued shares (excluding treasury shares) during the month (i.e. Total of AA1 to EE1):"),
            txt(cls),
            num(change),
        ]);
        d.row(&[
            txt("Total increase/ decrease (-) in treasury shares during the month (i.e. Total of AA2 to EE2):"),
            txt(cls),
            num(tch),
        ]);
    } else {
        d.row(&[
            txt(format!(
                "Total increase / decrease (-) in {cls} during the month (i.e. Total of A to E)"
            )),
            num(change),
        ]);
    }
    d.blank();
}

// ---------------------------------------------------------------------------
// The legacy form (to mid-2021).

const LEGACY_HEADER: &str = "For Main Board and GEM listed issuers";

fn legacy_page(d: &mut Doc) {
    match d.style {
        Style::Layout | Style::Raw => d.page(LEGACY_HEADER, ""),
        _ => d.blank(),
    }
}

/// The short stock code legacy forms print ("1149").
fn short_code(code: &str) -> String {
    let t = code.trim_start_matches('0');
    if t.is_empty() {
        "0".to_string()
    } else {
        t.to_string()
    }
}

/// A label that `pdftotext -layout` wraps over two lines, the values on the
/// second ("Balance at close of" / "preceding month   2,269,845,151").
fn wrapped_row(d: &mut Doc, first: &str, second: &str, values: Vec<C>) {
    if d.style == Style::Layout {
        d.text(first);
        let mut cells = vec![lab(second)];
        cells.extend(values);
        d.row(&cells);
    } else {
        let mut cells = vec![lab(&format!("{first} {second}"))];
        cells.extend(values);
        d.row(&cells);
    }
}

pub fn legacy(d: &mut Doc, iss: &Issuer, m: &Month) {
    if d.style != Style::Tab {
        d.text(&format!("{:>118}", LEGACY_HEADER));
        d.blank();
    }
    d.text("Monthly Return of Equity Issuer on Movements in Securities");
    d.blank();
    // Some issuers drop the leading zero of day and month ("31/1/2011").
    let ended = if m.idx % 3 == 1 {
        format!(
            "{}/{}/{}",
            m.period_end.day(),
            m.period_end.month(),
            m.period_end.year()
        )
    } else {
        dmy(m.period_end)
    };
    d.field("For the month ended (dd/mm/yyyy) :", &ended);
    d.text("To : Hong Kong Exchanges and Clearing Limited");
    d.blank();
    d.field("Name of Issuer", &m.issuer_name);
    d.field("Date Submitted", &long_date_unpadded(m.submitted));
    d.text("I. Movements in Authorised Share Capital");
    d.blank();
    d.text("1. Ordinary Shares");
    d.blank();
    let mut total = Dec::new(0, 2);
    let mut total_cur = "HK$";
    for (k, c) in m.classes.iter().enumerate().take(2) {
        let code = c
            .stock_code
            .as_deref()
            .map(short_code)
            .or_else(|| c.other_code.clone())
            .unwrap_or_else(|| "N/A".to_string());
        d.row(&[
            txt(format!("({}) Stock code :", k + 1)),
            txt(code),
            lab("Description :"),
            txt(c.description),
        ]);
        d.blank();
        match &c.auth {
            Some(a) => {
                let hk = a.currency == "HKD";
                let (ph, ch) = if hk {
                    ("Par value (HK$)", "Authorised share capital (HK$)")
                } else {
                    (
                        "Par value (State currency)",
                        "Authorised share capital (State currency)",
                    )
                };
                d.row(&[C::Gap, hdr("No. of ordinary shares"), hdr(ph), hdr(ch)]);
                let par = if hk {
                    a.par.plain()
                } else {
                    format!("{} {}", a.currency, a.par.plain())
                };
                let cap = |x: Dec| {
                    let x = Dec::new(rescale(x, 2.max(x.scale)), 2.max(x.scale));
                    if hk {
                        format!("${}", x.commas())
                    } else {
                        format!("{} {}", a.currency, x.commas())
                    }
                };
                d.row(&[
                    lab("Balance at close of preceding month"),
                    num(a.opening),
                    txt(par.clone()),
                    C::Num(cap(a.cap_open)),
                ]);
                if a.change != 0 {
                    let chg = Dec::new(a.cap_close.units - a.cap_open.units, a.cap_close.scale);
                    d.row(&[
                        lab("Increase/(decrease)"),
                        pnum(a.change),
                        txt("N/A"),
                        C::Num(cap(chg)),
                    ]);
                } else {
                    d.row(&[
                        lab("Increase/(decrease)"),
                        txt("N/A"),
                        txt("N/A"),
                        txt("N/A"),
                    ]);
                }
                d.blank();
                d.row(&[
                    lab("Balance at close of the month"),
                    num(a.closing),
                    txt(par),
                    C::Num(cap(a.cap_close)),
                ]);
                d.blank();
                let sc = 2.max(a.cap_close.scale).max(total.scale);
                total = Dec::new(rescale(total, sc) + rescale(a.cap_close, sc), sc);
                if !hk {
                    total_cur = a.currency;
                }
            }
            None => {
                d.row(&[
                    C::Gap,
                    hdr("No. of ordinary shares"),
                    hdr("Par value (State currency)"),
                    hdr("Authorised share capital (State currency)"),
                ]);
                d.row(&[
                    lab("Balance at close of preceding month"),
                    txt("N/A"),
                    txt("N/A"),
                    txt("N/A"),
                ]);
                d.row(&[
                    lab("Increase/(decrease)"),
                    txt("N/A"),
                    txt("N/A"),
                    txt("N/A"),
                ]);
                d.row(&[
                    lab("Balance at close of the month"),
                    txt("N/A"),
                    txt("N/A"),
                    txt("N/A"),
                ]);
                d.blank();
            }
        }
    }
    if m.classes.len() < 2 {
        d.row(&[txt("(2) Stock code :"), txt("N/A"), lab("Description :")]);
        d.row(&[
            C::Gap,
            hdr("No. of ordinary shares"),
            hdr("Par value (State currency)"),
            hdr("Authorised share capital (State currency)"),
        ]);
        d.text("Balance at close of preceding month");
        d.text("Increase/(decrease)");
        d.text("Balance at close of the month");
        d.blank();
    }
    legacy_page(d);
    for (n, kind) in [
        ("2. Preference Shares", "No. of preference shares"),
        (
            "3. Other Classes of Shares",
            "No. of other classes of shares",
        ),
    ] {
        d.text(n);
        d.row(&[txt(" Stock code :"), txt("N/A"), lab("Description :")]);
        d.row(&[
            C::Gap,
            hdr(kind),
            hdr("Par value (State currency)"),
            hdr("Authorised share capital (State currency)"),
        ]);
        d.text("Balance at close of preceding month");
        d.text("Increase/(decrease)");
        d.text("Balance at close of the month");
        d.blank();
    }
    let total_txt = if m.classes.iter().all(|c| c.auth.is_none()) {
        "N/A".to_string()
    } else if total_cur == "HK$" {
        format!("${}", total.commas())
    } else {
        format!("{total_cur} {}", total.commas())
    };
    let tl = if total_cur == "HK$" {
        "Total authorised share capital at the end of the month (HK$) :"
    } else {
        "Total authorised share capital at the end of the month (State currency) :"
    };
    d.row(&[txt(tl), C::Num(total_txt)]);
    legacy_page(d);

    // II. One table, columns ordinary (1), ordinary (2), preference, other.
    d.text("II. Movements in Issued Share Capital");
    d.blank();
    d.row(&[
        C::Gap,
        hdr("No. of ordinary shares"),
        C::Gap,
        hdr("No of preference shares"),
        hdr("No. of other classes of shares"),
    ]);
    d.row(&[C::Gap, txt("(1)"), txt("(2)")]);
    let col = |f: &dyn Fn(&ClassMonth) -> C| -> Vec<C> {
        let mut v: Vec<C> = m.classes.iter().take(2).map(f).collect();
        while v.len() < 2 {
            v.push(txt("N/A"));
        }
        v.push(txt("N/A"));
        v.push(txt("N/A"));
        v
    };
    wrapped_row(
        d,
        "Balance at close of",
        "preceding month",
        col(&|c| num(c.issued.opening)),
    );
    d.blank();
    wrapped_row(
        d,
        "Increase/ (decrease)",
        "during the month",
        col(&|c| {
            if c.issued.change == 0 {
                txt("N/A")
            } else {
                pnum(c.issued.change)
            }
        }),
    );
    d.blank();
    wrapped_row(
        d,
        "Balance at close of the",
        "month",
        col(&|c| num(c.issued.closing)),
    );
    d.blank();
    legacy_page(d);

    d.text("III. Details of Movements in Issued Share Capital");
    d.blank();
    legacy_options(d, m);
    legacy_page(d);
    legacy_warrants(d, m);
    legacy_page(d);
    legacy_convertibles(d, m);
    legacy_page(d);
    d.text("Any other Agreements or Arrangements to Issue Shares of the Issuer which are to be Listed, including Options (other");
    d.text("than under Share Option Schemes)");
    d.row(&[txt("  1."), txt("N/A")]);
    d.row(&[txt("Total D."), txt("(Ordinary shares)"), txt("N/A")]);
    legacy_page(d);
    legacy_other(d, m);
    let tot = |k: usize| {
        m.classes
            .get(k)
            .map(|c| {
                if c.issued.change == 0 {
                    txt("N/A")
                } else {
                    pnum(c.issued.change)
                }
            })
            .unwrap_or_else(|| txt("N/A"))
    };
    d.row(&[txt(" Total increase / (decrease) in ordinary shares during the month (i.e. Total of A to E):"), txt("(1)"), tot(0)]);
    d.row(&[C::Gap, txt("(2)"), tot(1)]);
    d.row(&[txt(" Total increase / (decrease) in preference shares during the month (i.e. Total of A to E):"), txt("N/A")]);
    d.row(&[txt(" Total increase / (decrease) in other classes of shares during the month (i.e. Total of A to E):"), txt("N/A")]);
    d.text(" (These figures should be the same as the relevant figures under II above (\u{201c}Movements in Issued Share Capital\u{201d}).)");
    legacy_page(d);
    d.text("Remarks (if any):");
    if let Some(r) = &m.remarks {
        d.text(r);
    }
    d.blank();
    d.field("Submitted by:", &format!("____{}_________", iss.signer.0));
    d.field("Title:", iss.signer.1);
    d.text("          (Director, Secretary or other duly authorised officer)");
    d.blank();
    d.text("Notes :");
    d.text("1.        State the class of shares (e.g. ordinary, preference or other).");
    d.text("2.        If there is insufficient space, please append the prescribed continuation sheet.");
}

fn legacy_options(d: &mut Doc, m: &Month) {
    d.text("Share Options (under Share Option Schemes of the Issuer)");
    d.row(&[
        hdr("Particulars of share option scheme including EGM approval date (dd/mm/yyyy) and class of shares issuable"),
        hdr("Movement during the month"),
        C::Gap,
        C::Gap,
        C::Gap,
        hdr("No. of new shares of issuer issued during the month pursuant thereto"),
        hdr("No. of new shares of issuer which may be issued pursuant thereto as at close of the month"),
    ]);
    d.row(&[
        C::Gap,
        txt("Granted"),
        txt("Exercised"),
        txt("Cancelled"),
        txt("Lapsed"),
    ]);
    let mut total_new = 0;
    let mut funds: i128 = 0;
    for (k, s) in m.schemes.iter().enumerate() {
        let amt = |kind: OptKind| -> C {
            let v: i64 = s
                .moves
                .iter()
                .filter(|x| x.0 == kind)
                .map(|x| x.1.abs())
                .sum();
            if v == 0 {
                txt("N/A")
            } else {
                num(v)
            }
        };
        let cells = vec![
            amt(OptKind::Granted),
            amt(OptKind::Exercised),
            amt(OptKind::Cancelled),
            amt(OptKind::Lapsed),
            if s.new_shares == 0 {
                txt("N/A")
            } else {
                num(s.new_shares)
            },
            num(s.issuable),
        ];
        let particulars = format!(
            "{}. {} adopted on ({}) Exercise Price : HK${} per share ordinary shares",
            k + 1,
            s.name,
            dmy(s.adopted),
            s.price.plain()
        );
        if d.style == Style::Layout {
            // The particulars cell runs over many narrow lines, the numbers
            // on its last line.
            let words: Vec<&str> = particulars.split(' ').collect();
            let mut lines: Vec<String> = Vec::new();
            let mut cur = String::new();
            for w in words {
                if !cur.is_empty() && cur.len() + w.len() > 16 {
                    lines.push(std::mem::take(&mut cur));
                }
                if !cur.is_empty() {
                    cur.push(' ');
                }
                cur.push_str(w);
            }
            for l in &lines {
                d.text(&format!(" {l}"));
            }
            let mut row = vec![txt(format!(" {cur}"))];
            row.extend(cells);
            d.row(&row);
        } else {
            let mut row = vec![txt(particulars)];
            row.extend(cells);
            d.row(&row);
        }
        d.text(" (Note 1)");
        d.blank();
        total_new += s.new_shares;
        funds += s.price.units * s.new_shares as i128;
    }
    d.row(&[
        txt("Total A. (Ordinary shares)"),
        if total_new == 0 {
            txt("N/A")
        } else {
            num(total_new)
        },
    ]);
    d.row(&[txt("(Preference shares)"), txt("N/A")]);
    d.row(&[txt("(Other class)"), txt("N/A")]);
    let f = if funds == 0 {
        "N/A".to_string()
    } else {
        Dec::new(funds, 2).commas()
    };
    d.row(&[
        txt("Total funds raised during the month from exercise of options (HK$)"),
        C::Num(f),
    ]);
}

fn legacy_warrants(d: &mut Doc, m: &Month) {
    d.text("Warrants to Issue Shares of the Issuer which are to be Listed");
    d.row(&[
        hdr("Description of warrants (Date of expiry - dd/mm/yyyy)"),
        hdr("Currency of nominal value"),
        hdr("Nominal value at close of preceding month"),
        hdr("Exercised during the month"),
        hdr("Nominal value at close of the month"),
        hdr("No. of new shares of issuer issued during the month pursuant thereto"),
        hdr("No. of new shares of issuer which may be issued pursuant thereto as at close of the month"),
    ]);
    match m.warrants.first() {
        Some(w) => {
            d.row(&[txt(format!(" 1. {}", w.description))]);
            d.row(&[
                txt(format!(
                    "    ( {:02} / {:02} / {} )",
                    w.expiry.day(),
                    w.expiry.month(),
                    w.expiry.year()
                )),
                txt("HKD"),
                txt(format!("{} units", fmt_int(w.opening))),
                if w.exercised == 0 {
                    txt("N/A")
                } else {
                    txt(format!("{} units", fmt_int(w.exercised)))
                },
                txt(format!("{} units", fmt_int(w.closing))),
                if w.exercised == 0 {
                    txt("N/A")
                } else {
                    num(w.exercised)
                },
                num(w.closing),
            ]);
            d.row(&[lab("Stock code (if listed)"), txt("N/A")]);
            d.row(&[
                lab("Class of shares issuable (Note 1)"),
                txt("Ordinary Shares"),
            ]);
            d.row(&[
                lab("Subscription price"),
                txt(format!("HKD{} per share", w.price.plain())),
            ]);
            d.row(&[
                lab("EGM approval date (if applicable) (dd/mm/yyyy)"),
                txt("( / / )"),
            ]);
            d.row(&[
                txt("Total B."),
                txt("(Ordinary shares)"),
                if w.exercised == 0 {
                    txt("N/A")
                } else {
                    num(w.exercised)
                },
            ]);
        }
        None => {
            d.row(&[txt(" 1."), txt("N/A")]);
            d.row(&[txt("Total B."), txt("(Ordinary shares)"), txt("N/A")]);
        }
    }
    d.row(&[txt("(Preference shares)"), txt("N/A")]);
    d.row(&[txt("(Other class)"), txt("N/A")]);
}

fn legacy_convertibles(d: &mut Doc, m: &Month) {
    d.text("Convertibles (i.e. Convertible into Shares of the Issuer which are to be Listed)");
    d.row(&[
        hdr("Class and description"),
        hdr("Currency of amount outstanding"),
        hdr("Amount at close of preceding month"),
        hdr("Converted during the month"),
        hdr("Amount at close of the month"),
        hdr("No. of new shares of issuer issued during the month pursuant thereto"),
        hdr("No. of new shares of issuer which may be issued pursuant thereto as at close of the month"),
    ]);
    match m.convertibles.first() {
        Some(v) => {
            d.row(&[txt(format!(" 1. {}", v.description))]);
            let money = |x: i64| C::Num(Dec::new(x as i128 * 100, 2).commas());
            d.row(&[
                C::Gap,
                txt("HKD"),
                money(v.opening),
                if v.converted == 0 {
                    txt("N/A")
                } else {
                    money(v.converted)
                },
                if v.closing == 0 {
                    txt("N/A")
                } else {
                    money(v.closing)
                },
                if v.converted == 0 {
                    txt("N/A")
                } else {
                    num(v.new_shares())
                },
                num(v.issuable()),
            ]);
            d.row(&[lab("Stock code (if listed)")]);
            d.row(&[
                lab("Class of shares issuable (Note 1)"),
                txt("Ordinary Shares"),
            ]);
            d.row(&[
                lab("Subscription price"),
                txt(format!(
                    "HKD {} per share",
                    Dec::new(v.price_cents as i128, 2).plain()
                )),
            ]);
            d.row(&[
                lab("EGM approval date (if applicable) (dd/mm/yyyy)"),
                txt(format!(
                    "( {:02} / {:02} / {} )",
                    v.approved.day(),
                    v.approved.month(),
                    v.approved.year()
                )),
            ]);
            d.row(&[
                txt("Total C."),
                txt("(Ordinary shares)"),
                if v.converted == 0 {
                    txt("N/A")
                } else {
                    num(v.new_shares())
                },
            ]);
        }
        None => {
            d.row(&[txt(" 1."), txt("N/A")]);
            d.row(&[txt("Total C."), txt("(Ordinary shares)"), txt("N/A")]);
        }
    }
    d.row(&[txt("(Preference shares)"), txt("N/A")]);
    d.row(&[txt("(Other class)"), txt("N/A")]);
}

fn legacy_other(d: &mut Doc, m: &Month) {
    d.text("Other Movements in Issued Share Capital");
    d.row(&[
        hdr("Type of Issue"),
        C::Gap,
        C::Gap,
        hdr("No. of new shares of issuer issued during the month pursuant thereto"),
        hdr("No. of new shares of issuer which may be issued pursuant thereto as at close of the month"),
    ]);
    let find = |k: OtherKind| m.others.iter().find(|o| o.kind == k);
    let date = |o: Option<&super::sim::OtherMove>| match o {
        Some(o) => format!("({:02}/{:02}/{})", o.day.day(), o.day.month(), o.day.year()),
        None => "( / / )".to_string(),
    };
    let val = |o: Option<&super::sim::OtherMove>| match o {
        Some(o) => C::Num(fmt_paren(o.amount)),
        None => txt("N/A"),
    };
    let placing = find(OtherKind::Placing);
    let repurchase = find(OtherKind::Repurchase);
    let types: [(&str, Option<&super::sim::OtherMove>, &str); 10] = [
        (
            "1.   Rights issue",
            None,
            "Issue and allotment date : (dd/mm/yyyy)",
        ),
        (
            "2.   Open offer",
            None,
            "Issue and allotment date : (dd/mm/yyyy)",
        ),
        (
            "3.   Placing",
            placing,
            "Issue and allotment date : (dd/mm/yyyy)",
        ),
        (
            "4.   Bonus issue",
            None,
            "Issue and allotment date : (dd/mm/yyyy)",
        ),
        (
            "5.   Scrip dividend",
            None,
            "Issue and allotment date : (dd/mm/yyyy)",
        ),
        (
            "6.   Repurchase of shares",
            repurchase,
            "Cancellation date : (dd/mm/yyyy)",
        ),
        (
            "7.   Redemption of shares",
            None,
            "Redemption date : (dd/mm/yyyy)",
        ),
        (
            "8.   Consideration issue",
            None,
            "Issue and allotment date : (dd/mm/yyyy)",
        ),
        (
            "9.   Capital reorganisation",
            None,
            "Issue and allotment date : (dd/mm/yyyy)",
        ),
        (
            "10. Other (Please specify)",
            None,
            "Issue and allotment date : (dd/mm/yyyy)",
        ),
    ];
    for (name, o, date_label) in types {
        let price = match (o, name.contains("Placing")) {
            (Some(o), true) => format!(
                "At price : HKD {}",
                Dec::new(o.price_cents as i128, 2).plain()
            ),
            _ if name.contains("Repurchase")
                || name.contains("Redemption")
                || name.contains("Bonus")
                || name.contains("Capital") =>
            {
                String::new()
            }
            _ => "At price : State currency".to_string(),
        };
        let class = if o.is_some() {
            "Ordinary shares"
        } else {
            "N/A"
        };
        d.row(&[C::Gap, lab("Class of shares issuable (Note 1)"), txt(class)]);
        d.row(&[txt(name), txt(price), lab(date_label), txt(date(o)), val(o)]);
        d.row(&[
            C::Gap,
            lab("EGM approval date: (dd/mm/yyyy)"),
            txt("( / / )"),
        ]);
        d.blank();
    }
    let e: i64 = m.others.iter().map(|o| o.amount).sum();
    d.row(&[
        txt("Total E."),
        txt("(Ordinary shares)"),
        if m.others.is_empty() {
            txt("N/A")
        } else {
            pnum(e)
        },
    ]);
    d.row(&[txt("(Preference shares)"), txt("N/A")]);
    d.row(&[txt("(Other class)"), txt("N/A")]);
    d.blank();
}
