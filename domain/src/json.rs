//! A small JSON reader and writer for the client.
//!
//! The server uses serde; the client reads and writes the same `wire` bodies with this module
//! instead, because serde's derived deserialisers compile to about 80 KB of the client's wasm
//! (one visitor per type and per field type, measured with twiggy), while one value parser and
//! a few lines per type are a fraction of that (issue 7, docs/PERFORMANCE.md). Tests check both
//! against serde_json: the parser on arbitrary documents, and every `wire` type both ways.
//!
//! Numbers are read as `f64` without the standard library's float parser (whose tables are
//! large); integers up to 2^53 are exact, which covers every count and version of API.md.

use std::borrow::Cow;

/// A parsed JSON value. Objects keep their members in document order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// How deeply arrays and objects may nest before the text is refused (no stack overflow).
pub const MAX_DEPTH: usize = 128;

/// Parses a whole JSON text; `None` if it is not exactly one valid JSON value.
pub fn parse(text: &str) -> Option<Json> {
    from_str(text)
}

/// Reads `text` as a `T`: exactly one JSON value of `T`'s shape, nothing after it.
pub fn from_str<T: FromJson>(text: &str) -> Option<T> {
    let mut reader = Reader::new(text);
    let value = T::read(&mut reader)?;
    reader.skip_space();
    (reader.pos == reader.bytes.len()).then_some(value)
}

/// Reads JSON straight into typed values, without building a tree first: a struct takes its
/// members as they come, borrowing each member name from the text. (A tree of `Json` first
/// made a 5,000-request answer take twice as long to read as serde_json.)
pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn literal(&mut self, word: &str) -> bool {
        self.skip_space();
        let end = self.pos + word.len();
        let found = self.bytes.get(self.pos..end) == Some(word.as_bytes());
        if found {
            self.pos = end;
        }
        found
    }

    /// Reads `null` if it comes next.
    pub fn null(&mut self) -> bool {
        self.literal("null")
    }

    pub fn boolean(&mut self) -> Option<bool> {
        if self.literal("true") {
            Some(true)
        } else if self.literal("false") {
            Some(false)
        } else {
            None
        }
    }

    fn open(&mut self, bracket: u8) -> Option<()> {
        (self.depth < MAX_DEPTH && self.eat(bracket)).then(|| self.depth += 1)
    }

    /// Whether another item or member follows, consuming the separator or the closing bracket.
    fn more(&mut self, close: u8, first: &mut bool) -> Option<bool> {
        if self.eat(close) {
            self.depth -= 1;
            return Some(false);
        }
        if !std::mem::take(first) && !self.eat(b',') {
            return None;
        }
        Some(true)
    }

    /// Starts an array: then `while reader.next_item(&mut first)? { read the item }`.
    pub fn begin_array(&mut self) -> Option<()> {
        self.open(b'[')
    }

    pub fn next_item(&mut self, first: &mut bool) -> Option<bool> {
        self.more(b']', first)
    }

    /// Starts an object: then `while let Some(name) = reader.next_member(&mut first)? { read
    /// the value }`.
    pub fn begin_object(&mut self) -> Option<()> {
        self.open(b'{')
    }

    pub fn next_member(&mut self, first: &mut bool) -> Option<Option<Cow<'a, str>>> {
        if !self.more(b'}', first)? {
            return Some(None);
        }
        let name = self.string()?;
        self.eat(b':').then_some(Some(name))
    }

    /// Skips one value of any kind (an object member this client does not know).
    pub fn skip(&mut self) -> Option<()> {
        Json::read(self).map(drop)
    }

    /// Reads digits onto `value` (`value * 10 + digit` each); returns how many.
    fn digits(&mut self, value: &mut f64) -> i32 {
        let mut count = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            *value = *value * 10.0 + f64::from(d - b'0');
            count += 1;
            self.pos += 1;
        }
        count
    }

    pub fn number(&mut self) -> Option<f64> {
        self.skip_space();
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let start = self.pos;
        let mut value = 0.0;
        let count = self.digits(&mut value);
        // No leading zeros (RFC 8259): "0" alone, or a digit 1-9 first.
        if count == 0 || (count > 1 && self.bytes[start] == b'0') {
            return None;
        }
        let mut scale = 0i32;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            // The fraction's digits go onto the same whole number, each one power of ten down.
            scale = -self.digits(&mut value);
            if scale == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            let sign = match self.peek() {
                Some(b'-') => -1,
                Some(b'+') => 1,
                _ => 0,
            };
            if sign != 0 {
                self.pos += 1;
            }
            let mut exponent = 0.0;
            if self.digits(&mut exponent) == 0 {
                return None;
            }
            let exponent = exponent.min(1000.0) as i32;
            scale += if sign < 0 { -exponent } else { exponent };
        }
        // Dividing by a power of ten is exact for the common short fractions (0.25, 0.1 as
        // close as f64 allows); multiplying by a negative power would not be. Past 10^300 the
        // power itself would overflow to infinity (and 1.5e-310 read as 0), so divide in steps.
        while scale < -300 {
            value /= 1e300;
            scale += 300;
        }
        if scale < 0 {
            value /= 10f64.powi(-scale);
        } else if value != 0.0 {
            // (0e400 is 0, not 0 times infinity.)
            let whole = value;
            value *= 10f64.powi(scale);
            // The power is a few ulps off: what overflows by no more than that is f64::MAX
            // (which serde_json writes as 1.7976931348623157e308).
            if value.is_infinite()
                && whole * 10f64.powi(scale - 8) <= f64::MAX / 1e8 * (1.0 + 16.0 * f64::EPSILON)
            {
                value = f64::MAX;
            }
        }
        // Too large for an f64 (1e400): serde_json refuses it too.
        value
            .is_finite()
            .then_some(if negative { -value } else { value })
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        self.pos += 4;
        let mut value = 0;
        for d in digits.bytes() {
            value = value * 16 + (d as char).to_digit(16)?;
        }
        Some(value)
    }

    /// A string, borrowed from the text when it has no escapes.
    pub fn string(&mut self) -> Option<Cow<'a, str>> {
        if !self.eat(b'"') {
            return None;
        }
        let text = self.text;
        let mut out = String::new();
        let mut escaped = false;
        let mut run = self.pos;
        loop {
            match self.peek()? {
                b'"' => {
                    let tail = &text[run..self.pos];
                    self.pos += 1;
                    if !escaped {
                        return Some(Cow::Borrowed(tail));
                    }
                    out.push_str(tail);
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    escaped = true;
                    out.push_str(&text[run..self.pos]);
                    self.pos += 1;
                    let escape = self.peek()?;
                    self.pos += 1;
                    out.push(match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                    run = self.pos;
                }
                0..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
    }

    /// `\uXXXX`, with a surrogate pair as two escapes; a lone surrogate is refused.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            if self.bytes.get(self.pos..self.pos + 2)? != b"\\u" {
                return None;
            }
            self.pos += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return None;
            }
            return char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
        }
        char::from_u32(first)
    }
}

impl FromJson for Json {
    fn read(reader: &mut Reader) -> Option<Self> {
        reader.skip_space();
        match reader.peek()? {
            b'n' => reader.null().then_some(Json::Null),
            b't' | b'f' => reader.boolean().map(Json::Bool),
            b'"' => reader.string().map(|s| Json::String(s.into_owned())),
            b'[' => Vec::read(reader).map(Json::Array),
            b'{' => {
                reader.begin_object()?;
                let mut members = Vec::new();
                let mut first = true;
                while let Some(name) = reader.next_member(&mut first)? {
                    members.push((name.into_owned(), Json::read(reader)?));
                }
                Some(Json::Object(members))
            }
            _ => reader.number().map(Json::Number),
        }
    }
}

/// Writes `text` as a JSON string literal.
pub fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A type read from JSON: `None` when the value does not have its shape.
pub trait FromJson: Sized {
    fn read(reader: &mut Reader) -> Option<Self>;

    /// What a missing object member means: an error, except for `Option` (absent is `None`).
    fn missing() -> Option<Self> {
        None
    }
}

/// A type written as JSON.
pub trait ToJson {
    fn write_json(&self, out: &mut String);

    /// Whether an object member of this value is left out (`Option::None`).
    fn is_absent(&self) -> bool {
        false
    }

    /// The JSON text.
    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// Writes the members of an object.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter { out, first: true }
    }

    /// Writes `"key": value`, unless the value is an absent `Option`.
    pub fn member<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        if value.is_absent() {
            return;
        }
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_string(self.out, key);
        self.out.push(':');
        value.write_json(self.out);
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

impl FromJson for String {
    fn read(reader: &mut Reader) -> Option<Self> {
        reader.string().map(Cow::into_owned)
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_string(out, self);
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_string(out, self);
    }
}

impl FromJson for bool {
    fn read(reader: &mut Reader) -> Option<Self> {
        reader.boolean()
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl FromJson for f64 {
    fn read(reader: &mut Reader) -> Option<Self> {
        reader.number()
    }
}

/// Whole numbers from 0 to 2^53 (exact in an `f64`).
fn whole(reader: &mut Reader) -> Option<u64> {
    let n = reader.number()?;
    ((0.0..=9_007_199_254_740_992.0).contains(&n) && n == (n as u64) as f64).then_some(n as u64)
}

impl FromJson for u64 {
    fn read(reader: &mut Reader) -> Option<Self> {
        whole(reader)
    }
}

impl FromJson for u32 {
    fn read(reader: &mut Reader) -> Option<Self> {
        u32::try_from(whole(reader)?).ok()
    }
}

fn write_whole(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in &digits[i..] {
        out.push(*d as char);
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        write_whole(out, *self);
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        write_whole(out, u64::from(*self));
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn read(reader: &mut Reader) -> Option<Self> {
        if reader.null() {
            return Some(None);
        }
        T::read(reader).map(Some)
    }

    fn missing() -> Option<Self> {
        Some(None)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }

    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read(reader: &mut Reader) -> Option<Self> {
        reader.begin_array()?;
        let mut items = Vec::new();
        let mut first = true;
        while reader.next_item(&mut first)? {
            items.push(T::read(reader)?);
        }
        Some(items)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

/// `FromJson` and `ToJson` for a struct whose members are named like its fields (or as given:
/// `field = "key"`).
#[macro_export]
macro_rules! json_struct {
    ($ty:ident { $($field:ident $(= $key:literal)?),* $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            fn read(reader: &mut $crate::json::Reader) -> Option<Self> {
                $(let mut $field = None;)*
                reader.begin_object()?;
                let mut first = true;
                while let Some(name) = reader.next_member(&mut first)? {
                    match &*name {
                        $($crate::json_key!($field $(, $key)?) => {
                            $field = Some($crate::json::FromJson::read(reader)?)
                        })*
                        // Unknown members are ignored: the server may add fields.
                        _ => reader.skip()?,
                    }
                }
                Some($ty {
                    $($field: match $field {
                        Some(value) => value,
                        None => $crate::json::FromJson::missing()?,
                    },)*
                })
            }
        }
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                let mut object = $crate::json::ObjectWriter::new(out);
                $(object.member($crate::json_key!($field $(, $key)?), &self.$field);)*
                object.end();
            }
        }
    };
}

/// The member name of a field in `json_struct!`.
#[macro_export]
#[doc(hidden)]
macro_rules! json_key {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident, $key:literal) => {
        $key
    };
}

/// `FromJson` and `ToJson` for an enum of unit variants written as strings.
#[macro_export]
macro_rules! json_enum {
    ($ty:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            fn read(reader: &mut $crate::json::Reader) -> Option<Self> {
                match &*reader.string()? {
                    $($name => Some($ty::$variant),)*
                    _ => None,
                }
            }
        }
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                $crate::json::write_string(out, match self {
                    $($ty::$variant => $name,)*
                });
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_value() {
        let value = parse(
            r#" {"a": [1, -2.5, 3e2, 0.1], "b": {"c": null, "d": true, "e": false}, "s": "x\"\\\/\n\u00e9\ud83d\ude00"} "#,
        );
        let expected = Json::Object(vec![
            (
                "a".into(),
                Json::Array(vec![
                    Json::Number(1.0),
                    Json::Number(-2.5),
                    Json::Number(300.0),
                    Json::Number(0.1),
                ]),
            ),
            (
                "b".into(),
                Json::Object(vec![
                    ("c".into(), Json::Null),
                    ("d".into(), Json::Bool(true)),
                    ("e".into(), Json::Bool(false)),
                ]),
            ),
            ("s".into(), Json::String("x\"\\/\né😀".into())),
        ]);
        assert_eq!(value, Some(expected));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "1e",
            "\"\\x\"",
            "\"a",
            "nul",
            "[1] 2",
            "{\"a\" 1}",
            "\"\\ud800\"",
            "\"\u{1}\"",
            "{1:2}",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn refuses_nesting_deeper_than_the_limit_without_overflowing_the_stack() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep), None);
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_some());
    }

    #[test]
    fn whole_numbers_are_exact_up_to_two_to_the_53() {
        assert_eq!(
            from_str::<u64>("9007199254740992"),
            Some(9_007_199_254_740_992)
        );
        assert_eq!(from_str::<u64>("9007199254740994"), None);
        assert_eq!(from_str::<u64>("1.5"), None);
        assert_eq!(from_str::<u64>("-1"), None);
        assert_eq!(from_str::<u32>("4294967296"), None);
        assert_eq!(42u64.to_json(), "42");
        assert_eq!(0u32.to_json(), "0");
    }

    #[test]
    fn writes_strings_that_read_back_the_same() {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀";
        assert_eq!(
            from_str::<String>(&text.to_string().to_json()),
            Some(text.to_string())
        );
    }
}
