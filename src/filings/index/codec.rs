//! The compact binary form the index keeps each filing in.
//!
//! A parsed [`Filing`] is 650 bytes inline and some 45 allocations more
//! (strings, vectors, `Option<i64>`s of 16 bytes, maps): 4 KB a filing on
//! generated corpora. Encoded here it is some 300 bytes in one allocation:
//!
//! - a struct is a bitmap of the fields present, then their values; the
//!   fields are told by their position in the struct's layout (its field
//!   names in serialisation order, learnt from the first one encoded and
//!   checked on every other); a field whose value is `None` is absent (the
//!   model reads a missing `Option` as `None`, and every field it skips
//!   when serialising has a default), and a present `Option` field is its
//!   value with no tag;
//! - integers are LEB128 varints (signed ones zigzagged): a share count of
//!   billions takes 5 bytes, a line number 1 or 2;
//! - a string is an id into the index's table of strings ([`Strings`],
//!   each distinct string kept once: issuer names, class names, currencies,
//!   dates, scheme names repeat across a company's filings), or, for the
//!   fields whose values seldom repeat (paths, hashes, finding messages,
//!   remarks), the bytes themselves, or the 8 bytes of a 16-digit hex hash;
//! - sequences and maps are a length then their items; enums the variant's
//!   index; `Option`s elsewhere a tag byte then the value.
//!
//! The format is written and read through serde with the model's own
//! `Serialize`/`Deserialize`, so it covers every field the JSON does and
//! reads back an equal `Filing` (tests: `round_trip_*`). With shared
//! strings it is a format of the running process only; its portable form
//! (every string inline, [`encode_portable`]) is what the warm-start cache
//! stores, beside the layouts it was written with.
//!
//! A struct is read by telling the model each present field by its index
//! when the layout is the model's own field list (checked once per layout),
//! by its name otherwise.

use crate::filings::model::Filing;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Keys whose values are kept inline rather than shared: they rarely
/// repeat (a table entry costs ~40 bytes more than the string itself).
const INLINE_KEYS: &[&str] = &["content_hash", "file", "message", "other_file", "remarks"];

/// Strings longer than this are kept inline: no need to hash pages of text.
const MAX_SHARED: usize = 1024;

/// Most fields a struct may have (one bit each in a `u64`).
const MAX_FIELDS: usize = 64;

/// String tags: the bytes follow; 8 bytes of a lowercase hex hash follow;
/// else `id + SHARED` of a shared string.
const INLINE: u64 = 0;
const HEX16: u64 = 1;
const SHARED: u64 = 2;

/// Each distinct string once, by id; and the layouts of the structs.
#[derive(Default)]
pub(crate) struct Strings {
    list: Vec<Box<str>>,
    /// xxh3 of a string -> its id. A second string with a hash already
    /// taken is simply written inline.
    ids: HashMap<u64, u32, foldhash::fast::FixedState>,
    /// Struct name -> its field names in the order they are serialised.
    /// Shared, so a struct being written holds its layout without a lookup
    /// per field.
    layouts: HashMap<&'static str, LearntLayout, foldhash::fast::FixedState>,
}

/// A struct's field names in the order they are serialised.
struct LearntLayout {
    fields: Arc<[&'static str]>,
    /// Whether they are the names the model's `Deserialize` reads, in
    /// its order (checked on first read): fields are then read by index.
    model: std::sync::OnceLock<bool>,
}

/// Whether a layout names `fields`, in that order.
fn names_fields<S: AsRef<str>>(layout: &[S], fields: &[&str]) -> bool {
    layout.len() == fields.len() && layout.iter().zip(fields).all(|(a, b)| a.as_ref() == *b)
}

/// Whether two field names are the same: the serialiser passes the same
/// `&'static str` each time, so comparing where they point nearly always
/// settles it.
fn same_key(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

impl Strings {
    fn intern(&mut self, s: &str) -> Option<u32> {
        let h = xxhash_rust::xxh3::xxh3_64(s.as_bytes());
        if let Some(&id) = self.ids.get(&h) {
            return (*self.list[id as usize] == *s).then_some(id);
        }
        let id = u32::try_from(self.list.len())
            .ok()
            .filter(|&i| i < u32::MAX - 1)?;
        self.list.push(s.into());
        self.ids.insert(h, id);
        Some(id)
    }

    /// Number of distinct strings kept.
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// Heap bytes of the table (strings and maps), roughly.
    pub(crate) fn heap_bytes(&self) -> usize {
        let strings: usize = self.list.iter().map(|s| s.len()).sum();
        strings + self.list.capacity() * 16 + self.ids.capacity() * 16
    }
}

#[derive(Debug)]
pub(crate) struct CodecError(pub(crate) String);

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CodecError {}

impl ser::Error for CodecError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        CodecError(msg.to_string())
    }
}

impl de::Error for CodecError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        CodecError(msg.to_string())
    }
}

fn unsupported<T>(what: &str) -> Result<T, CodecError> {
    Err(CodecError(format!("{what} is not used by the model")))
}

/// The filing in the compact form, sharing strings through `strings`.
pub(crate) fn encode(f: &Filing, strings: &mut Strings) -> Result<Box<[u8]>, CodecError> {
    let mut enc = Enc {
        out: Vec::with_capacity(512),
        strings,
        inline: false,
        field: false,
        absent: false,
    };
    f.serialize(&mut enc)?;
    Ok(enc.out.into_boxed_slice())
}

/// The filing back from [`encode`]'s bytes.
pub(crate) fn decode(bytes: &[u8], strings: &Strings) -> Result<Filing, CodecError> {
    let mut dec = Dec {
        bytes,
        pos: 0,
        layouts: Layouts::Learnt(strings),
        field: false,
    };
    let f = <Filing as de::Deserialize>::deserialize(&mut dec)?;
    if dec.pos != bytes.len() {
        return Err(CodecError("bytes left over".into()));
    }
    Ok(f)
}

// ---- the portable form ----------------------------------------------------

/// `value` in the compact form with every string inline: bytes that mean
/// the same in another process, given the struct layouts `layouts` learns
/// (see [`Strings::layouts`]), which are written beside them.
pub(crate) fn encode_portable<T: Serialize + ?Sized>(
    value: &T,
    layouts: &mut Strings,
) -> Result<Vec<u8>, CodecError> {
    let mut enc = Enc {
        out: Vec::with_capacity(512),
        strings: layouts,
        inline: true,
        field: false,
        absent: false,
    };
    value.serialize(&mut enc)?;
    Ok(enc.out)
}

/// A value back from [`encode_portable`]'s bytes, with the layouts that were
/// written beside them.
pub(crate) fn decode_portable<T: de::DeserializeOwned>(
    bytes: &[u8],
    layouts: &FileLayouts,
) -> Result<T, CodecError> {
    let mut dec = Dec {
        bytes,
        pos: 0,
        layouts: Layouts::File(layouts),
        field: false,
    };
    let v = T::deserialize(&mut dec)?;
    if dec.pos != bytes.len() {
        return Err(CodecError("bytes left over".into()));
    }
    Ok(v)
}

impl Strings {
    /// The struct layouts learnt so far: name, then field names in the
    /// order they are written.
    pub(crate) fn layouts(&self) -> impl Iterator<Item = (&'static str, &[&'static str])> + '_ {
        self.layouts.iter().map(|(k, v)| (*k, &*v.fields))
    }

    /// How many struct layouts are known.
    pub(crate) fn layout_count(&self) -> usize {
        self.layouts.len()
    }
}

/// Struct layouts read back from a file (see [`encode_portable`]). A struct
/// is read with the field names its `Deserialize` gives (its declaration
/// order, the order it is written in) once they are found equal to the
/// layout in the file, so a struct whose fields changed is an error, never
/// a misread value.
#[derive(Debug, Default)]
pub(crate) struct FileLayouts {
    by_name: HashMap<Box<str>, FileLayout, foldhash::fast::FixedState>,
}

#[derive(Debug)]
struct FileLayout {
    fields: Box<[Box<str>]>,
    /// Whether `fields` are the names the model reads (checked on first use).
    matches: std::sync::OnceLock<bool>,
}

impl FileLayouts {
    pub(crate) fn insert(&mut self, name: &str, fields: Vec<String>) {
        self.by_name.insert(
            name.into(),
            FileLayout {
                fields: fields.into_iter().map(String::into_boxed_str).collect(),
                matches: std::sync::OnceLock::new(),
            },
        );
    }

    /// Every layout: name, then field names.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, Vec<&str>)> + '_ {
        self.by_name
            .iter()
            .map(|(k, v)| (&**k, v.fields.iter().map(|f| &**f).collect()))
    }

    /// The field names to read struct `name` with: the model's own, when
    /// they are the ones it was written with.
    fn resolve(
        &self,
        name: &str,
        fields: &'static [&'static str],
    ) -> Result<&'static [&'static str], CodecError> {
        let l = self
            .by_name
            .get(name)
            .ok_or_else(|| CodecError(format!("no layout for {name}")))?;
        let ok = *l.matches.get_or_init(|| names_fields(&l.fields, fields));
        if ok {
            Ok(fields)
        } else {
            Err(CodecError(format!("the fields of {name} have changed")))
        }
    }
}

// ---- writing ------------------------------------------------------------

const NONE: u8 = 0;
const SOME: u8 = 1;

struct Enc<'a> {
    out: Vec<u8>,
    strings: &'a mut Strings,
    /// The current field's strings are written inline.
    inline: bool,
    /// The value about to be written is a struct field's own: an `Option`
    /// there has no tag (`Some`) or makes the field absent (`None`).
    field: bool,
    /// The field just written was `None`: nothing was written.
    absent: bool,
}

/// 16 lowercase hex digits (a content hash), as 8 bytes.
fn hex16(s: &str) -> Option<[u8; 8]> {
    let b = s.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 8];
    for (i, pair) in b.chunks_exact(2).enumerate() {
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

impl Enc<'_> {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn signed(&mut self, v: i64) {
        self.varint(((v << 1) ^ (v >> 63)) as u64);
    }

    fn len(&mut self, len: Option<usize>) -> Result<(), CodecError> {
        match len {
            Some(n) => {
                self.varint(n as u64);
                Ok(())
            }
            None => unsupported("a sequence of unknown length"),
        }
    }
}

impl<'a, 'b> ser::Serializer for &'a mut Enc<'b> {
    type Ok = ();
    type Error = CodecError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = ser::Impossible<(), CodecError>;
    type SerializeMap = Self;
    type SerializeStruct = StructEnc<'a, 'b>;
    type SerializeStructVariant = ser::Impossible<(), CodecError>;

    fn serialize_bool(self, v: bool) -> Result<(), CodecError> {
        self.field = false;
        self.out.push(u8::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), CodecError> {
        self.field = false;
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), CodecError> {
        self.field = false;
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), CodecError> {
        self.field = false;
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), CodecError> {
        self.field = false;
        self.signed(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), CodecError> {
        self.field = false;
        self.varint(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), CodecError> {
        self.field = false;
        self.varint(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), CodecError> {
        self.field = false;
        self.varint(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), CodecError> {
        self.field = false;
        self.varint(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), CodecError> {
        self.field = false;
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), CodecError> {
        self.field = false;
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), CodecError> {
        self.field = false;
        self.varint(u64::from(u32::from(v)));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), CodecError> {
        self.field = false;
        let shared = if self.inline || v.len() > MAX_SHARED || v.is_empty() {
            None
        } else {
            self.strings.intern(v)
        };
        if let Some(id) = shared {
            self.varint(u64::from(id) + SHARED);
        } else if let Some(h) = hex16(v) {
            self.varint(HEX16);
            self.out.extend_from_slice(&h);
        } else {
            self.varint(INLINE);
            self.varint(v.len() as u64);
            self.out.extend_from_slice(v.as_bytes());
        }
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CodecError> {
        self.field = false;
        self.varint(v.len() as u64);
        self.out.extend_from_slice(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), CodecError> {
        if std::mem::take(&mut self.field) {
            self.absent = true;
        } else {
            self.out.push(NONE);
        }
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), CodecError> {
        if !std::mem::take(&mut self.field) {
            self.out.push(SOME);
        }
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CodecError> {
        self.field = false;
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CodecError> {
        self.field = false;
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
    ) -> Result<(), CodecError> {
        self.field = false;
        self.varint(index.into());
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), CodecError> {
        self.field = false;
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), CodecError> {
        self.field = false;
        unsupported("a newtype variant")
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, CodecError> {
        self.field = false;
        self.len(len)?;
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, CodecError> {
        self.field = false;
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, CodecError> {
        self.field = false;
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, CodecError> {
        self.field = false;
        unsupported("a tuple variant")
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, CodecError> {
        self.field = false;
        self.len(len)?;
        Ok(self)
    }
    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<StructEnc<'a, 'b>, CodecError> {
        self.field = false;
        let layout = self.strings.layouts.get(name).map(|l| l.fields.clone());
        Ok(StructEnc {
            start: self.out.len(),
            learning: layout.is_none().then(Vec::new),
            layout,
            enc: self,
            name,
            pos: 0,
            present: 0,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, CodecError> {
        self.field = false;
        unsupported("a struct variant")
    }
    fn is_human_readable(&self) -> bool {
        false
    }
}

impl ser::SerializeSeq for &mut Enc<'_> {
    type Ok = ();
    type Error = CodecError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), CodecError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), CodecError> {
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Enc<'_> {
    type Ok = ();
    type Error = CodecError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), CodecError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), CodecError> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Enc<'_> {
    type Ok = ();
    type Error = CodecError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), CodecError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), CodecError> {
        Ok(())
    }
}

impl ser::SerializeMap for &mut Enc<'_> {
    type Ok = ();
    type Error = CodecError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), CodecError> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), CodecError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), CodecError> {
        Ok(())
    }
}

pub(crate) struct StructEnc<'a, 'b> {
    enc: &'a mut Enc<'b>,
    name: &'static str,
    /// Where the struct's bytes start: its bitmap goes there at the end.
    start: usize,
    /// The first struct of its name: the field names so far.
    learning: Option<Vec<&'static str>>,
    /// Any later one: the layout the first one set.
    layout: Option<Arc<[&'static str]>>,
    /// Position of the next field in the layout.
    pos: usize,
    /// Bit `i`: the field at position `i` was written.
    present: u64,
}

impl StructEnc<'_, '_> {
    /// The next position is `key`'s: learnt, or checked against the layout.
    fn place(&mut self, key: &'static str) -> Result<usize, CodecError> {
        let pos = self.pos;
        if pos >= MAX_FIELDS {
            return Err(CodecError(format!(
                "{} has over {MAX_FIELDS} fields",
                self.name
            )));
        }
        match &mut self.learning {
            Some(keys) => keys.push(key),
            None => {
                let known = self.layout.as_deref().and_then(|k| k.get(pos));
                if !known.is_some_and(|k| same_key(k, key)) {
                    return Err(CodecError(format!(
                        "{} serialised {key} where its layout has another field",
                        self.name
                    )));
                }
            }
        }
        self.pos += 1;
        Ok(pos)
    }
}

impl ser::SerializeStruct for StructEnc<'_, '_> {
    type Ok = ();
    type Error = CodecError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), CodecError> {
        let pos = self.place(key)?;
        let outer = self.enc.inline;
        self.enc.inline = outer || INLINE_KEYS.contains(&key);
        self.enc.field = true;
        self.enc.absent = false;
        value.serialize(&mut *self.enc)?;
        self.enc.inline = outer;
        self.enc.field = false;
        if !std::mem::take(&mut self.enc.absent) {
            self.present |= 1 << pos;
        }
        Ok(())
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), CodecError> {
        self.place(key).map(|_| ())
    }
    fn end(self) -> Result<(), CodecError> {
        let fields = match self.learning {
            Some(keys) => {
                let n = keys.len();
                let layout = LearntLayout {
                    fields: keys.into(),
                    model: std::sync::OnceLock::new(),
                };
                self.enc.strings.layouts.insert(self.name, layout);
                n
            }
            None => self.layout.as_deref().map_or(0, <[_]>::len),
        };
        if self.pos != fields {
            return Err(CodecError(format!(
                "{} serialised another number of fields",
                self.name
            )));
        }
        let bitmap = self.present.to_le_bytes();
        let n = fields.div_ceil(8);
        self.enc
            .out
            .splice(self.start..self.start, bitmap[..n].iter().copied());
        Ok(())
    }
}

// ---- reading ------------------------------------------------------------

/// Where a reader finds struct layouts and shared strings.
#[derive(Clone, Copy)]
enum Layouts<'a> {
    /// The index's own: learnt by its encoder, with its shared strings.
    Learnt(&'a Strings),
    /// A file's, in the portable form: no shared strings.
    File(&'a FileLayouts),
}

struct Dec<'a> {
    bytes: &'a [u8],
    pos: usize,
    layouts: Layouts<'a>,
    /// The value about to be read is a struct field's own (see `Enc::field`).
    field: bool,
}

impl<'a> Dec<'a> {
    fn byte(&mut self) -> Result<u8, CodecError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| CodecError("unexpected end".into()))?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, CodecError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(CodecError("varint too long".into()))
    }

    fn signed(&mut self) -> Result<i64, CodecError> {
        let v = self.varint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| CodecError("unexpected end".into()))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn len(&mut self) -> Result<usize, CodecError> {
        usize::try_from(self.varint()?).map_err(|_| CodecError("length too large".into()))
    }

    fn str(&mut self) -> Result<Cow<'a, str>, CodecError> {
        match self.varint()? {
            INLINE => {
                let n = self.len()?;
                std::str::from_utf8(self.take(n)?)
                    .map(Cow::Borrowed)
                    .map_err(|e| CodecError(e.to_string()))
            }
            HEX16 => {
                const DIGITS: &[u8; 16] = b"0123456789abcdef";
                let mut s = String::with_capacity(16);
                for &b in self.take(8)? {
                    s.push(char::from(DIGITS[usize::from(b >> 4)]));
                    s.push(char::from(DIGITS[usize::from(b & 15)]));
                }
                Ok(Cow::Owned(s))
            }
            id => match self.layouts {
                Layouts::Learnt(strings) => strings.list.get((id - SHARED) as usize),
                Layouts::File(_) => None,
            }
            .map(|s| Cow::Borrowed(&**s))
            .ok_or_else(|| CodecError("unknown string id".into())),
        }
    }

    fn num<T: TryFrom<i64>>(&mut self) -> Result<T, CodecError> {
        T::try_from(self.signed()?).map_err(|_| CodecError("integer out of range".into()))
    }

    fn unum<T: TryFrom<u64>>(&mut self) -> Result<T, CodecError> {
        T::try_from(self.varint()?).map_err(|_| CodecError("integer out of range".into()))
    }
}

impl<'de> de::Deserializer<'de> for &mut Dec<'_> {
    type Error = CodecError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, CodecError> {
        self.field = false;
        unsupported("a self-describing read")
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        let b = self.byte()?;
        v.visit_bool(b != 0)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_i8(self.num()?)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_i16(self.num()?)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_i32(self.num()?)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_i64(self.signed()?)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_u8(self.unum()?)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_u16(self.unum()?)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_u32(self.unum()?)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_u64(self.varint()?)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        let b = self.take(4)?;
        v.visit_f32(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        v.visit_f64(f64::from_le_bytes(a))
    }
    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        let c = char::from_u32(self.unum()?).ok_or_else(|| CodecError("not a char".into()))?;
        v.visit_char(c)
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        let s = self.str()?;
        v.visit_str(&s)
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        let s = self.str()?;
        v.visit_str(&s)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        let n = self.len()?;
        v.visit_bytes(self.take(n)?)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        self.deserialize_bytes(v)
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        if std::mem::take(&mut self.field) {
            // A present field: the value, untagged.
            return v.visit_some(self);
        }
        match self.byte()? {
            NONE => v.visit_none(),
            SOME => v.visit_some(self),
            _ => Err(CodecError("bad option tag".into())),
        }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_unit()
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_newtype_struct(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        let left = self.len()?;
        v.visit_seq(Items { dec: self, left })
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_seq(Items {
            dec: self,
            left: len,
        })
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        v: V,
    ) -> Result<V::Value, CodecError> {
        self.field = false;
        self.deserialize_tuple(len, v)
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        let left = self.len()?;
        v.visit_map(Items { dec: self, left })
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, CodecError> {
        self.field = false;
        // The layout, and whether it is the model's own field list (then
        // a field is told to the model by its index, not by its name).
        let (layout, by_index): (&[&'static str], bool) = match self.layouts {
            Layouts::Learnt(strings) => {
                let l = strings
                    .layouts
                    .get(name)
                    .ok_or_else(|| CodecError(format!("no layout for {name}")))?;
                let model = *l.model.get_or_init(|| names_fields(&l.fields, fields));
                (&l.fields, model)
            }
            Layouts::File(file) => (file.resolve(name, fields)?, true),
        };
        let mut bitmap = [0u8; 8];
        let n = layout.len().div_ceil(8).min(8);
        bitmap[..n].copy_from_slice(self.take(n)?);
        let present = u64::from_le_bytes(bitmap);
        v.visit_map(Fields {
            dec: self,
            layout,
            by_index,
            present,
        })
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, CodecError> {
        self.field = false;
        v.visit_enum(self)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, CodecError> {
        self.field = false;
        self.deserialize_str(v)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, CodecError> {
        self.field = false;
        unsupported("an unknown field")
    }
    fn is_human_readable(&self) -> bool {
        false
    }
}

/// The items of a sequence or map of known length.
struct Items<'r, 'a> {
    dec: &'r mut Dec<'a>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_, '_> {
    type Error = CodecError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, CodecError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.dec).map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        // A hint only: a damaged length must not reserve gigabytes.
        Some(self.left.min(64))
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, '_> {
    type Error = CodecError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, CodecError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.dec).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, CodecError> {
        seed.deserialize(&mut *self.dec)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.left.min(64))
    }
}

/// The fields of a struct present in its bitmap, by their layout's names.
struct Fields<'r, 'a> {
    dec: &'r mut Dec<'a>,
    layout: &'a [&'static str],
    /// The layout is the model's field list: keys are given as indices.
    by_index: bool,
    /// The fields not yet read.
    present: u64,
}

impl<'de> de::MapAccess<'de> for Fields<'_, '_> {
    type Error = CodecError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, CodecError> {
        if self.present == 0 {
            return Ok(None);
        }
        let pos = self.present.trailing_zeros() as usize;
        self.present &= self.present - 1;
        let key = *self
            .layout
            .get(pos)
            .ok_or_else(|| CodecError("a field past the layout".into()))?;
        if self.by_index {
            return seed
                .deserialize(IntoDeserializer::<CodecError>::into_deserializer(
                    pos as u64,
                ))
                .map(Some);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::<CodecError>::new(key))
            .map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, CodecError> {
        self.dec.field = true;
        seed.deserialize(&mut *self.dec)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.present.count_ones() as usize)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Dec<'_> {
    type Error = CodecError;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), CodecError> {
        let index: u32 = self.unum()?;
        let v = seed.deserialize(IntoDeserializer::<CodecError>::into_deserializer(index))?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Dec<'_> {
    type Error = CodecError;
    fn unit_variant(self) -> Result<(), CodecError> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value, CodecError> {
        unsupported("a newtype variant")
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, CodecError> {
        unsupported("a tuple variant")
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, CodecError> {
        unsupported("a struct variant")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filings::model::*;

    fn sample() -> Filing {
        let mut f = Filing::new("a/b/2024-01.txt", Kind::MonthlyReturn, Form::Ff301V12);
        f.content_hash = "0123456789abcdef".into();
        f.issuer = Some("Jadeport Foods International Holdings Limited".into());
        f.stock_codes = vec!["00036".into(), "80036".into()];
        f.date = Some("2024-02-03".into());
        f.period = Some("2024-01".into());
        f.status = Some(Status::Amendment);
        f.language = Language::Zh;
        let mut raw = Raw::new();
        raw.insert("change".into(), "N/A".into());
        f.share_classes.push(ShareClass {
            class_key: "00036".into(),
            class: Some("Ordinary shares".into()),
            listed: Some(true),
            multi_counter: vec!["80036 RMB".into()],
            authorised: Some(Authorised {
                opening: Some(i64::MAX),
                change: Some(0),
                closing: Some(i64::MIN),
                par_value: Some("0.00000025".into()),
                currency: Some("USD".into()),
                raw: raw.clone(),
                lines: Lines::from([("opening", 14), ("capital", 16)]),
                ..Authorised::default()
            }),
            issued: Some(Balance {
                opening: Some(-5),
                change: None,
                closing: Some(1 << 40),
                as_of: Some("2024-01-31".into()),
                recovered: vec!["change".into()],
                raw,
                ..Balance::default()
            }),
            treasury: Some(Balance::default()),
            ..ShareClass::default()
        });
        f.option_schemes.push(OptionScheme {
            scheme: "Pre-IPO Share Option Scheme".into(),
            movements: vec![OptionMovement {
                kind: OptionMoveKind::Lapsed,
                amount: -94_500,
                note: Some("".into()),
                line: Some(58),
            }],
            ..OptionScheme::default()
        });
        f.movements.push(NdrMovement {
            date: None,
            kind: MovementKind::Redemption,
            class_key: Some("00036".into()),
            amount: Some(0),
            price: Some("4.15".into()),
            currency: Some("HKD".into()),
            pending: true,
            description: Some("x".repeat(200)),
            lines: Lines::new(),
        });
        f.signer = Some(Signer {
            name: "Chan Ming Kei 陳明基".into(),
            title: None,
        });
        f.findings.push(
            Finding::new(Level::Warning, codes::CHAIN_BREAK, "a message")
                .at(Some(3))
                .class(Some("00036")),
        );
        f.lines.insert("period".into(), 4);
        f.duplicate_of = Some("other.txt".into());
        f.authorised_total = Some("1123500".into());
        f
    }

    #[test]
    fn round_trip_gives_an_equal_filing_and_the_same_json() {
        let mut strings = Strings::default();
        let f = sample();
        let bytes = encode(&f, &mut strings).unwrap_or_default();
        let back = decode(&bytes, &strings);
        assert!(back.is_ok(), "{back:?}");
        let back = back.unwrap_or_else(|_| Filing::new("", Kind::Announcement, Form::Announcement));
        assert_eq!(back, f);
        assert_eq!(
            serde_json::to_string(&back).unwrap_or_default(),
            serde_json::to_string(&f).unwrap_or_default()
        );
        // Strings repeated in a second filing are not stored again.
        let before = strings.len();
        let again = encode(&f, &mut strings).unwrap_or_default();
        assert_eq!(strings.len(), before);
        assert_eq!(again, bytes);
    }

    #[test]
    fn round_trip_of_an_empty_filing() {
        let mut strings = Strings::default();
        let f = Filing::new("", Kind::Announcement, Form::Announcement);
        let bytes = encode(&f, &mut strings).unwrap_or_default();
        let back = decode(&bytes, &strings).ok();
        assert_eq!(back, Some(f));
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let mut strings = Strings::default();
        let bytes = encode(&sample(), &mut strings).unwrap_or_default();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], &strings).is_err());
        }
        let mut flipped = bytes.to_vec();
        for i in 0..flipped.len() {
            flipped[i] ^= 0xff;
            // Any result, no panic.
            let _ = decode(&flipped, &strings);
            flipped[i] ^= 0xff;
        }
    }

    /// The layouts a portable encoder learnt, as a reader gets them from a file.
    fn file_layouts(learnt: &Strings) -> FileLayouts {
        let mut file = FileLayouts::default();
        for (name, fields) in learnt.layouts() {
            file.insert(name, fields.iter().map(|f| f.to_string()).collect());
        }
        file
    }

    #[test]
    fn the_portable_form_reads_back_with_the_layouts_alone() {
        let mut learnt = Strings::default();
        let f = sample();
        let bytes = encode_portable(&f, &mut learnt).unwrap_or_default();
        // No string is shared: nothing but layouts is needed to read it.
        assert_eq!(learnt.len(), 0);
        let back = decode_portable::<Filing>(&bytes, &file_layouts(&learnt));
        assert!(back.is_ok(), "{back:?}");
        assert_eq!(back.ok(), Some(f));
        // Every struct is read with the model's own field list: each
        // layout learnt from serialising is that list, in that order.
        assert!(learnt.layout_count() >= 8, "{}", learnt.layout_count());
    }

    #[test]
    fn a_portable_record_without_its_layout_or_cut_short_is_an_error() {
        let mut learnt = Strings::default();
        let bytes = encode_portable(&sample(), &mut learnt).unwrap_or_default();
        assert!(decode_portable::<Filing>(&bytes, &FileLayouts::default()).is_err());
        let file = file_layouts(&learnt);
        for cut in 0..bytes.len() {
            assert!(decode_portable::<Filing>(&bytes[..cut], &file).is_err());
        }
        let mut flipped = bytes.clone();
        for i in 0..flipped.len() {
            flipped[i] ^= 0xff;
            let _ = decode_portable::<Filing>(&flipped, &file);
            flipped[i] ^= 0xff;
        }
    }

    #[test]
    fn a_filing_is_a_few_hundred_bytes() {
        let mut strings = Strings::default();
        let bytes = encode(&sample(), &mut strings).unwrap_or_default();
        // One 200-byte description inline; the rest is small.
        assert!(bytes.len() < 600, "{} bytes", bytes.len());
    }
}
