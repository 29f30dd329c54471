//! Load a PDF with lopdf and make it safe to hand to pdf-extract.
//!
//! pdf-extract assumes well-formed input: it panics on a missing font or
//! resource, prints to standard output on an unbalanced `Q`, and recurses
//! without limit into form XObjects that draw themselves. Panics are caught by
//! the caller, but a stack overflow aborts the process and stray output would
//! corrupt `parse --json`. So every page's content is rewritten here to the
//! operators that place text, with their operands checked, before pdf-extract
//! sees it.

use pdf_extract::content::{Content, Operation};
use pdf_extract::{Dictionary, Document, Object, ObjectId};
use std::collections::{HashMap, HashSet};

/// Documents with more pages than this are refused: no filing comes near it,
/// and a page tree that claims more is damaged or hostile.
pub const MAX_PAGES: usize = 2_000;

/// Deepest nesting of arrays and dictionaries accepted. Real files nest a few
/// levels; the parsers recurse per level, so a file of nothing but `[` would
/// overflow the stack.
const MAX_NESTING: usize = 100;

/// How deep form XObjects may draw one another.
const MAX_FORM_DEPTH: usize = 12;

/// A document ready for pdf-extract, with each page's `/Rotate` in quarter
/// turns and each page's cleaned content. The content is handed over as
/// operations rather than written back into the page: encoding it only for
/// pdf-extract to parse it again took a third of the reading time.
pub struct Prepared {
    pub doc: Document,
    pub rotations: Vec<u8>,
    pub operations: HashMap<ObjectId, Vec<Operation>>,
}

/// Load and rewrite a PDF; the error is the reason it cannot be read.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, String> {
    let head = bytes.get(..1024).unwrap_or(bytes);
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err("not a PDF: no %PDF- header".to_string());
    }
    if nesting_depth(bytes, false) > MAX_NESTING {
        return Err(format!(
            "damaged PDF: objects nested more than {MAX_NESTING} deep"
        ));
    }
    let mut doc = Document::load_mem(bytes).map_err(|e| damaged(&e.to_string()))?;
    if doc.trailer.has(b"Encrypt") {
        // Files protected only by an owner password (copy or print
        // restrictions) open with the empty user password, as in any viewer.
        if doc.decrypt("").is_err() {
            return Err("encrypted: a password is needed to read it".to_string());
        }
    }
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.is_empty() {
        return Err(damaged("no pages found"));
    }
    if pages.len() > MAX_PAGES {
        return Err(format!(
            "{} pages, over the {MAX_PAGES}-page limit",
            pages.len()
        ));
    }

    let mut rotations = Vec::with_capacity(pages.len());
    let mut page_updates: Vec<(ObjectId, Dictionary, [f64; 4])> = Vec::new();
    let mut operations = HashMap::with_capacity(pages.len());
    let mut forms = Forms::default();
    for &page_id in &pages {
        let Ok(page) = doc.get_dictionary(page_id) else {
            rotations.push(0);
            continue;
        };
        let rotate = inherited(&doc, page, b"Rotate")
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0);
        rotations.push(u8::try_from(rotate.rem_euclid(360) / 90).unwrap_or(0));
        let resources = inherited(&doc, page, b"Resources")
            .and_then(|o| o.as_dict().ok())
            .cloned()
            .unwrap_or_default();
        // A page without a usable media box is read as US Letter, as poppler does.
        let media_box = inherited(&doc, page, b"MediaBox")
            .and_then(|o| numbers(&doc, o))
            .filter(|v| v.len() == 4)
            .and_then(|v| <[f64; 4]>::try_from(v).ok())
            .unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let content = doc.get_page_content(page_id).unwrap_or_default();
        operations.insert(page_id, clean(&doc, &content, &resources, &mut forms, 0));
        page_updates.push((page_id, resources, media_box));
    }

    for (id, ops) in forms.done {
        if let Some(encoded) = ops.and_then(|o| Content { operations: o }.encode().ok()) {
            if let Ok(s) = doc.get_object_mut(id).and_then(Object::as_stream_mut) {
                s.set_plain_content(encoded);
            }
        }
    }
    for (page_id, resources, media_box) in page_updates {
        if let Ok(page) = doc.get_object_mut(page_id).and_then(Object::as_dict_mut) {
            // Everything pdf-extract looks up on the page is set directly on
            // it, so it never walks the `/Parent` chain (which may loop).
            page.set("Resources", resources);
            page.set(
                "MediaBox",
                media_box
                    .iter()
                    .map(|&v| Object::Real(v as f32))
                    .collect::<Vec<_>>(),
            );
            page.remove(b"ArtBox");
        }
    }
    Ok(Prepared {
        doc,
        rotations,
        operations,
    })
}

fn damaged(why: &str) -> String {
    format!("damaged or truncated PDF ({why})")
}

/// Follow a reference to the object it names (one step is all a valid file needs).
fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        _ => Some(o),
    }
}

/// A page attribute, looked up on the page and then its ancestors.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    // Bounded: a `/Parent` chain that loops must not hang the reader.
    for _ in 0..32 {
        if let Ok(v) = node.get(key) {
            return deref(doc, v);
        }
        let parent = node.get(b"Parent").ok().and_then(|p| deref(doc, p))?;
        node = parent.as_dict().ok()?;
    }
    None
}

fn numbers(doc: &Document, o: &Object) -> Option<Vec<f64>> {
    o.as_array()
        .ok()?
        .iter()
        .map(|v| deref(doc, v).and_then(number))
        .collect()
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn is_number(o: &Object) -> bool {
    number(o).is_some_and(f64::is_finite)
}

/// Form XObjects already rewritten (`None`: unusable, calls to it dropped),
/// and those being rewritten now (a form that draws itself).
#[derive(Default)]
struct Forms {
    done: HashMap<ObjectId, Option<Vec<Operation>>>,
    active: HashSet<ObjectId>,
}

/// The text-placing operations of a content stream, each checked to carry
/// the operands pdf-extract will read.
fn clean(
    doc: &Document,
    content: &[u8],
    resources: &Dictionary,
    forms: &mut Forms,
    depth: usize,
) -> Vec<Operation> {
    if nesting_depth(content, true) > MAX_NESTING {
        return Vec::new();
    }
    let Ok(decoded) = Content::decode(content) else {
        return Vec::new();
    };
    let fonts = resources
        .get(b"Font")
        .ok()
        .and_then(|f| deref(doc, f))
        .and_then(|f| f.as_dict().ok());
    let xobjects = resources
        .get(b"XObject")
        .ok()
        .and_then(|x| deref(doc, x))
        .and_then(|x| x.as_dict().ok());

    let mut out = Vec::with_capacity(decoded.operations.len());
    // Whether a usable font is selected, saved and restored with q/Q as
    // pdf-extract does: showing text with none panics inside it.
    let mut font_ok = false;
    let mut saved: Vec<bool> = Vec::new();
    for op in decoded.operations {
        let n = op.operands.len();
        let all_numbers = op.operands.iter().all(is_number);
        let keep = match op.operator.as_str() {
            "BT" | "ET" | "T*" => true,
            "q" => {
                saved.push(font_ok);
                true
            }
            // An unbalanced `Q` makes pdf-extract print to standard output.
            "Q" => match saved.pop() {
                Some(f) => {
                    font_ok = f;
                    true
                }
                None => false,
            },
            "cm" | "Tm" => n == 6 && all_numbers,
            "Td" | "TD" => n == 2 && all_numbers,
            "Tc" | "Tw" | "Tz" | "TL" | "Ts" => n == 1 && all_numbers,
            "Tf" => {
                let font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| fonts?.get(name).ok())
                    .and_then(|f| deref(doc, f))
                    .is_some_and(|f| f.as_dict().is_ok());
                let sized = op.operands.get(1).is_some_and(is_number);
                font_ok = n == 2 && font && sized;
                font_ok
            }
            "Tj" => font_ok && n == 1 && op.operands.first().is_some_and(|o| o.as_str().is_ok()),
            "TJ" => font_ok && n == 1 && op.operands.first().is_some_and(|o| o.as_array().is_ok()),
            // pdf-extract ignores the quote operators: spelled out as the
            // line move and text show they stand for.
            "'" => {
                if font_ok && n == 1 && op.operands.first().is_some_and(|o| o.as_str().is_ok()) {
                    out.push(Operation::new("T*", vec![]));
                    out.push(Operation::new("Tj", op.operands.clone()));
                }
                false
            }
            "\"" => {
                if let [aw, ac, s] = op.operands.as_slice() {
                    if font_ok && is_number(aw) && is_number(ac) && s.as_str().is_ok() {
                        out.push(Operation::new("Tw", vec![aw.clone()]));
                        out.push(Operation::new("Tc", vec![ac.clone()]));
                        out.push(Operation::new("T*", vec![]));
                        out.push(Operation::new("Tj", vec![s.clone()]));
                    }
                }
                false
            }
            "Do" => {
                let target = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| xobjects?.get(name).ok())
                    .and_then(|o| o.as_reference().ok());
                match target {
                    Some(id) if n == 1 => form_usable(doc, id, resources, forms, depth),
                    _ => false,
                }
            }
            // Paths, colours, images, marked content: no text, and several
            // of them panic inside pdf-extract on unusual operands.
            _ => false,
        };
        if keep {
            out.push(op);
        }
    }
    out
}

/// Whether a `Do` may stay: the object is a form XObject that can be
/// rewritten and does not, directly or not, draw itself.
fn form_usable(
    doc: &Document,
    id: ObjectId,
    parent: &Dictionary,
    forms: &mut Forms,
    depth: usize,
) -> bool {
    if let Some(done) = forms.done.get(&id) {
        return done.is_some();
    }
    if forms.active.contains(&id) || depth >= MAX_FORM_DEPTH {
        return false;
    }
    let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
        return false;
    };
    if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
        // Images are drawn with `Do` too: pdf-extract would read their
        // pixels as if they were content.
        return false;
    }
    let content = stream.get_plain_content().unwrap_or_default();
    // pdf-extract gives a form its own resources when it has them, else the page's.
    let resources = stream
        .dict
        .get(b"Resources")
        .ok()
        .and_then(|r| deref(doc, r))
        .and_then(|r| r.as_dict().ok())
        .unwrap_or(parent);
    forms.active.insert(id);
    let ops = clean(doc, &content, resources, forms, depth + 1);
    forms.active.remove(&id);
    forms.done.insert(id, Some(ops));
    true
}

/// Deepest nesting of `[` and `<<` in PDF syntax, skipping strings,
/// comments and stream data (binary data would count stray brackets); in a
/// content stream (`content`), inline image data too.
pub fn nesting_depth(bytes: &[u8], content: bool) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' => depth = depth.saturating_sub(1),
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                max = max.max(depth);
                i += 1;
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'%' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    i += 1;
                }
            }
            b'(' => {
                // A literal string: balanced parentheses, backslash escapes.
                let mut level = 0usize;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 1,
                        b'(' => level += 1,
                        b')' => {
                            level = level.saturating_sub(1);
                            if level == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b's' if bytes.get(i..i + 6) == Some(b"stream".as_slice())
                && matches!(bytes.get(i + 6), Some(b'\r' | b'\n'))
                && (i == 0 || !bytes.get(i - 1).is_some_and(u8::is_ascii_alphabetic)) =>
            {
                // Skip to `endstream`; a stream never closed ends the scan.
                let rest = bytes.get(i + 6..).unwrap_or_default();
                match rest.windows(9).position(|w| w == b"endstream") {
                    Some(p) => i += 6 + p + 8,
                    None => break,
                }
            }
            b'I' if content
                && bytes.get(i..i + 3) == Some(b"ID ".as_slice())
                && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace)) =>
            {
                // Inline image data in a content stream, up to `EI`.
                let rest = bytes.get(i + 3..).unwrap_or_default();
                match rest.windows(2).position(|w| w == b"EI") {
                    Some(p) => i += 3 + p + 1,
                    None => break,
                }
            }
            _ => {}
        }
        i += 1;
    }
    max
}
