//! Every public item of `tinyio` has a runnable example in its doc comment.
//!
//! "Public" is what a user of the crate can name: the crate root, the `pub` modules reachable
//! from it, every `pub` item of those, every item a public module re-exports with `pub use`
//! (`pub use queue::Queue` in `lib.rs` makes `Queue` public wherever it is defined), the inherent
//! `pub fn`s of public types (wherever the `impl` block is), the methods of public traits, and
//! `#[macro_export]` macros. Items marked `#[doc(hidden)]`, `#[cfg(test)]` modules, trait
//! implementations, fields and variants are left out (rustdoc does not ask examples of those
//! either).
//!
//! A runnable example is a fenced code block that `cargo test --doc` runs: plain ```` ``` ````,
//! ```` ```rust ```` or ```` ```should_panic ````, not `ignore`, `no_run`, `compile_fail` or
//! `text`. The doctests themselves prove that the examples pass; this test proves they exist.
//!
//! The crate is read with a small tokenizer and item parser written here (the workspace has no
//! `syn`), so the tests at the bottom plant small crates to show what it finds and what it skips.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
    /// A string, char or number literal.
    Lit,
    Lifetime,
    /// One `///` line or `/** */` block: outer documentation.
    OuterDoc(String),
    /// One `//!` line or `/*! */` block: documentation of the enclosing module.
    InnerDoc(String),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
}

fn tokenize(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let mut push = |tok: Tok, line: usize| out.push(Token { tok, line });
    while i < c.len() {
        let ch = c[i];
        let start_line = line;
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            let end = (i..c.len()).find(|&j| c[j] == '\n').unwrap_or(c.len());
            let text: String = c[i..end].iter().collect();
            if text.starts_with("///") && !text.starts_with("////") {
                push(Tok::OuterDoc(text[3..].to_string()), start_line);
            } else if let Some(rest) = text.strip_prefix("//!") {
                push(Tok::InnerDoc(rest.to_string()), start_line);
            }
            i = end;
        } else if ch == '/' && at(i + 1) == '*' {
            let (mut depth, mut j) = (0, i);
            loop {
                if j >= c.len() {
                    break;
                }
                if c[j] == '/' && at(j + 1) == '*' {
                    depth += 1;
                    j += 2;
                } else if c[j] == '*' && at(j + 1) == '/' {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[j] == '\n' {
                        line += 1;
                    }
                    j += 1;
                }
            }
            let text: String = c[i..j].iter().collect();
            let body = text.get(3..text.len().saturating_sub(2)).unwrap_or("");
            if text.starts_with("/**") && !text.starts_with("/***") && text != "/**/" {
                push(Tok::OuterDoc(body.to_string()), start_line);
            } else if text.starts_with("/*!") {
                push(Tok::InnerDoc(body.to_string()), start_line);
            }
            i = j;
        } else if ch == '"' || ((ch == 'b' || ch == 'c') && at(i + 1) == '"') {
            i += if ch == '"' { 1 } else { 2 };
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    i += 1;
                }
                if at(i) == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
            push(Tok::Lit, start_line);
        } else if (ch == 'r' || (ch == 'b' && at(i + 1) == 'r')) && {
            let k = if ch == 'r' { i + 1 } else { i + 2 };
            let hashes = (k..c.len()).take_while(|&j| c[j] == '#').count();
            at(k + hashes) == '"'
        } {
            let k = if ch == 'r' { i + 1 } else { i + 2 };
            let hashes = (k..c.len()).take_while(|&j| c[j] == '#').count();
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body_start = k + hashes + 1;
            let rest: String = c[body_start..].iter().collect();
            let len = rest.find(&close).map_or(rest.len(), |n| n + close.len());
            line += rest[..len].matches('\n').count();
            i = body_start + rest[..len].chars().count();
            push(Tok::Lit, start_line);
        } else if ch == '\'' {
            if at(i + 1) == '\\' {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
                push(Tok::Lit, start_line);
            } else if at(i + 2) == '\'' {
                i += 3;
                push(Tok::Lit, start_line);
            } else {
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
                push(Tok::Lifetime, start_line);
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            push(Tok::Ident(c[start..i].iter().collect()), start_line);
        } else if ch.is_ascii_digit() {
            while at(i).is_alphanumeric()
                || at(i) == '_'
                || (at(i) == '.' && at(i + 1).is_ascii_digit())
            {
                i += 1;
            }
            push(Tok::Lit, start_line);
        } else {
            push(Tok::Punct(ch), start_line);
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Items

#[derive(Debug, Default)]
struct Item {
    /// `fn`, `struct`, `enum`, `union`, `trait`, `type`, `const`, `static`, `mod`, `macro`,
    /// `impl` or `use`.
    kind: &'static str,
    name: String,
    /// Declared exactly `pub` (not `pub(crate)`, not private).
    is_pub: bool,
    hidden: bool,
    cfg_test: bool,
    macro_export: bool,
    docs: String,
    line: usize,
    /// The items of an inline module, an `impl` or a `trait` block.
    children: Vec<Item>,
    /// A `mod` with a body (`mod m { ... }`) rather than `mod m;`.
    inline: bool,
    /// For an `impl`: whether it implements a trait, and the name of the type.
    trait_impl: bool,
    self_type: String,
    /// For a `use`: each imported path and the name it is imported as (`*` for a glob).
    leaves: Vec<(Vec<String>, String)>,
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.pos + k).map(|t| &t.tok)
    }

    fn is_punct(&self, k: usize, ch: char) -> bool {
        self.peek(k) == Some(&Tok::Punct(ch))
    }

    fn ident(&self, k: usize) -> Option<&str> {
        match self.peek(k) {
            Some(Tok::Ident(s)) => Some(s),
            _ => None,
        }
    }

    /// Skips a balanced group that starts at the current token (`(`, `[` or `{`), returning
    /// its tokens without the delimiters.
    fn group(&mut self) -> Vec<Tok> {
        let mut depth = 0;
        let mut inner = Vec::new();
        while let Some(tok) = self.peek(0).cloned() {
            self.pos += 1;
            match tok {
                Tok::Punct('(' | '[' | '{') => {
                    depth += 1;
                    if depth == 1 {
                        continue;
                    }
                }
                Tok::Punct(')' | ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        return inner;
                    }
                }
                _ => {}
            }
            inner.push(tok);
        }
        inner
    }

    /// Skips to the end of the current item: a `;` outside parentheses and brackets, or a
    /// balanced `{ ... }` body.
    fn skip_item(&mut self) {
        let mut depth = 0;
        while let Some(tok) = self.peek(0).cloned() {
            match tok {
                Tok::Punct('(' | '[') => depth += 1,
                Tok::Punct(')' | ']') => depth -= 1,
                Tok::Punct(';') if depth == 0 => {
                    self.pos += 1;
                    return;
                }
                Tok::Punct('{') if depth == 0 => {
                    self.group();
                    if self.is_punct(0, ';') {
                        self.pos += 1;
                    }
                    return;
                }
                Tok::Punct('}') if depth == 0 => return, // the end of the enclosing block
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// The tokens up to the next `{` or `;` outside parentheses and brackets, not included.
    fn header(&mut self) -> Vec<Tok> {
        let mut depth = 0;
        let mut header = Vec::new();
        while let Some(tok) = self.peek(0).cloned() {
            match tok {
                Tok::Punct('(' | '[') => depth += 1,
                Tok::Punct(')' | ']') => depth -= 1,
                Tok::Punct('{' | ';') if depth == 0 => return header,
                _ => {}
            }
            header.push(tok);
            self.pos += 1;
        }
        header
    }

    /// Parses items up to the end of the input, or up to the `}` that closes the current block
    /// (consumed). Returns them, and the inner documentation (`//!`) of the block.
    fn items(&mut self) -> (Vec<Item>, String) {
        let mut items = Vec::new();
        let mut inner_docs = String::new();
        loop {
            let mut item = Item::default();
            // Documentation and attributes.
            loop {
                match self.peek(0).cloned() {
                    Some(Tok::OuterDoc(text)) => {
                        item.docs.push_str(&text);
                        item.docs.push('\n');
                        self.pos += 1;
                    }
                    Some(Tok::InnerDoc(text)) => {
                        inner_docs.push_str(&text);
                        inner_docs.push('\n');
                        self.pos += 1;
                    }
                    Some(Tok::Punct('#')) => {
                        self.pos += 1;
                        let inner = self.is_punct(0, '!');
                        if inner {
                            self.pos += 1;
                        }
                        let attr = self.group();
                        let words: Vec<String> = attr
                            .iter()
                            .filter_map(|t| match t {
                                Tok::Ident(s) => Some(s.clone()),
                                _ => None,
                            })
                            .collect();
                        let words: Vec<&str> = words.iter().map(String::as_str).collect();
                        if !inner {
                            match words.as_slice() {
                                ["doc", "hidden"] => item.hidden = true,
                                ["cfg", "test"] => item.cfg_test = true,
                                ["macro_export", ..] => item.macro_export = true,
                                _ => {}
                            }
                        }
                    }
                    _ => break,
                }
            }
            let Some(tok) = self.peek(0).cloned() else {
                return (items, inner_docs);
            };
            if tok == Tok::Punct('}') {
                self.pos += 1;
                return (items, inner_docs);
            }
            item.line = self.toks[self.pos].line;
            // Visibility.
            if self.ident(0) == Some("pub") {
                self.pos += 1;
                if self.is_punct(0, '(') {
                    self.group(); // pub(crate), pub(super), pub(in ...): not public
                } else {
                    item.is_pub = true;
                }
            }
            // Qualifiers.
            loop {
                match (self.ident(0), self.ident(1)) {
                    (Some("async" | "unsafe" | "default"), _) => self.pos += 1,
                    (Some("const"), Some("fn" | "unsafe" | "async" | "extern")) => self.pos += 1,
                    (Some("extern"), _) if self.ident(1) != Some("crate") => {
                        self.pos += 1;
                        if self.peek(0) == Some(&Tok::Lit) {
                            self.pos += 1;
                        }
                    }
                    _ => break,
                }
            }
            let Some(keyword) = self.ident(0).map(str::to_string) else {
                self.pos += 1; // something this parser does not know: skip it
                continue;
            };
            let name = self.ident(1).unwrap_or_default().to_string();
            match keyword.as_str() {
                "fn" | "struct" | "enum" | "union" | "type" | "const" | "static" => {
                    item.kind = match keyword.as_str() {
                        "fn" => "fn",
                        "struct" => "struct",
                        "enum" => "enum",
                        "union" => "union",
                        "type" => "type",
                        "const" => "const",
                        _ => "static",
                    };
                    item.name = name;
                    self.skip_item();
                }
                "trait" => {
                    item.kind = "trait";
                    item.name = name;
                    self.header();
                    if self.is_punct(0, '{') {
                        self.pos += 1;
                        item.children = self.items().0;
                    }
                }
                "impl" => {
                    item.kind = "impl";
                    self.pos += 1;
                    let header = self.header();
                    let (trait_impl, self_type) = impl_header(&header);
                    item.trait_impl = trait_impl;
                    item.self_type = self_type;
                    if self.is_punct(0, '{') {
                        self.pos += 1;
                        item.children = self.items().0;
                    }
                }
                "mod" => {
                    item.kind = "mod";
                    item.name = name;
                    self.pos += 2;
                    if self.is_punct(0, '{') {
                        self.pos += 1;
                        let (children, docs) = self.items();
                        item.children = children;
                        item.docs.push_str(&docs);
                        item.inline = true;
                    } else {
                        self.skip_item();
                    }
                }
                "use" => {
                    item.kind = "use";
                    self.pos += 1;
                    let mut tree = Vec::new();
                    while let Some(tok) = self.peek(0).cloned() {
                        self.pos += 1;
                        if tok == Tok::Punct(';') {
                            break;
                        }
                        tree.push(tok);
                    }
                    use_leaves(&tree, &[], &mut item.leaves);
                }
                "macro_rules" if self.is_punct(1, '!') => {
                    item.kind = "macro";
                    item.name = self.ident(2).unwrap_or_default().to_string();
                    self.pos += 3;
                    self.group();
                    if self.is_punct(0, ';') {
                        self.pos += 1;
                    }
                }
                _ if self.is_punct(1, '!') => {
                    // A macro call in item position (`thread_local! { ... }`).
                    self.pos += 2;
                    self.group();
                    if self.is_punct(0, ';') {
                        self.pos += 1;
                    }
                    continue;
                }
                _ => {
                    self.skip_item();
                    continue;
                }
            }
            items.push(item);
        }
    }
}

/// The items of a file, and its inner documentation.
fn parse(text: &str) -> (Vec<Item>, String) {
    Parser {
        toks: tokenize(text),
        pos: 0,
    }
    .items()
}

/// Whether an `impl` header (the tokens after `impl`) implements a trait, and the name of its
/// self type.
fn impl_header(header: &[Tok]) -> (bool, String) {
    let mut angle = 0i32;
    let mut trait_impl = false;
    let mut name = String::new();
    let mut generics_done = false;
    let mut k = 0;
    while k < header.len() {
        match &header[k] {
            Tok::Punct('-') if header.get(k + 1) == Some(&Tok::Punct('>')) => k += 1,
            Tok::Punct('<') => angle += 1,
            Tok::Punct('>') => {
                angle -= 1;
                if angle == 0 && !generics_done && name.is_empty() {
                    generics_done = true;
                }
            }
            Tok::Ident(word) if angle == 0 => match word.as_str() {
                "for" => {
                    trait_impl = true;
                    name.clear();
                }
                "where" => break,
                "dyn" | "unsafe" | "const" => {}
                _ => name = word.clone(),
            },
            _ => {}
        }
        if angle == 0 && !matches!(header[k], Tok::Punct('<' | '>')) {
            generics_done = true;
        }
        k += 1;
    }
    (trait_impl, name)
}

/// Flattens a use tree into its leaves: (path, name it is imported as).
fn use_leaves(tree: &[Tok], prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
    let mut k = 0;
    let mut path = prefix.to_vec();
    while k < tree.len() {
        match &tree[k] {
            Tok::Ident(word) if word == "as" => {
                if let Some(Tok::Ident(alias)) = tree.get(k + 1) {
                    out.push((path.clone(), alias.clone()));
                }
                return;
            }
            Tok::Ident(word) => path.push(word.clone()),
            Tok::Punct('*') => {
                out.push((path.clone(), String::from("*")));
                return;
            }
            Tok::Punct('{') => {
                // The list: split its inside at depth-0 commas.
                let mut depth = 0;
                let mut part = Vec::new();
                for tok in &tree[k + 1..] {
                    match tok {
                        Tok::Punct('{') => depth += 1,
                        Tok::Punct('}') if depth == 0 => break,
                        Tok::Punct('}') => depth -= 1,
                        Tok::Punct(',') if depth == 0 => {
                            use_leaves(&part, &path, out);
                            part.clear();
                            continue;
                        }
                        _ => {}
                    }
                    part.push(tok.clone());
                }
                if !part.is_empty() {
                    use_leaves(&part, &path, out);
                }
                return;
            }
            _ => {} // `::`
        }
        k += 1;
    }
    if let Some(last) = path.last() {
        let name = if last == "self" {
            path.pop();
            path.last().cloned().unwrap_or_default()
        } else {
            last.clone()
        };
        out.push((path, name));
    }
}

// ---------------------------------------------------------------------------------------------
// The crate

struct Module {
    /// The file its items are in.
    file: String,
    /// Where it is declared (`file:line`; the crate root: `src/lib.rs:1`).
    declared: String,
    /// The folder of its submodules' files.
    dir: String,
    /// Reachable from the crate root through `pub mod`s.
    public: bool,
    /// Its outer docs (on `mod x;`) and inner docs (`//!`).
    docs: String,
    items: Vec<Item>,
}

/// A public item and whether its doc comment has a runnable example.
#[derive(Debug)]
struct Public {
    /// `queue::Queue::try_put`, `crate` for the crate root.
    path: String,
    kind: &'static str,
    at: String,
    has_example: bool,
}

struct Crate {
    modules: BTreeMap<Vec<String>, Module>,
}

impl Crate {
    /// Reads the crate whose root is `src/lib.rs`, with `read` giving each file's text.
    fn load(read: &dyn Fn(&str) -> Option<String>) -> Crate {
        let mut krate = Crate {
            modules: BTreeMap::new(),
        };
        let text = read("src/lib.rs").expect("src/lib.rs");
        let (items, docs) = parse(&text);
        let root = Module {
            file: String::from("src/lib.rs"),
            declared: String::from("src/lib.rs:1"),
            dir: String::from("src"),
            public: true,
            docs,
            items,
        };
        krate.add(read, Vec::new(), root);
        krate
    }

    /// Adds `module` at `path`, and its submodules, reading their files.
    fn add(
        &mut self,
        read: &dyn Fn(&str) -> Option<String>,
        path: Vec<String>,
        mut module: Module,
    ) {
        for item in &mut module.items {
            if item.kind != "mod" || item.cfg_test {
                continue;
            }
            let dir = format!("{}/{}", module.dir, item.name);
            let (file, items, inner_docs) = if item.inline {
                (
                    module.file.clone(),
                    std::mem::take(&mut item.children),
                    String::new(),
                )
            } else {
                let flat = format!("{}/{}.rs", module.dir, item.name);
                let nested = format!("{dir}/mod.rs");
                let (file, text) = match (read(&flat), read(&nested)) {
                    (Some(text), _) => (flat, text),
                    (None, Some(text)) => (nested, text),
                    (None, None) => panic!("mod {} declared, but no {flat} or {nested}", item.name),
                };
                let (items, docs) = parse(&text);
                (file, items, docs)
            };
            let child = Module {
                file,
                declared: format!("{}:{}", module.file, item.line),
                dir,
                public: module.public && item.is_pub && !item.hidden,
                docs: item.docs.clone() + &inner_docs,
                items,
            };
            self.add(read, path_of(&path, &item.name), child);
        }
        self.modules.insert(path, module);
    }

    /// The definition that `name` in module `path` refers to, following `use` items.
    fn resolve(&self, path: &[String], name: &str, depth: usize) -> Option<(Vec<String>, String)> {
        if depth > 16 {
            return None;
        }
        let module = self.modules.get(path)?;
        // Values and types first, then imports, then modules: `mod gather;` next to
        // `pub use gather::gather;` names two things.
        let defines = module.items.iter().any(|item| {
            item.name == name && !matches!(item.kind, "impl" | "use" | "macro" | "mod")
        });
        if defines {
            return Some((path.to_vec(), name.to_string()));
        }
        for item in module.items.iter().filter(|item| item.kind == "use") {
            for (target, alias) in &item.leaves {
                if alias == name {
                    let absolute = absolute(path, target);
                    let (last, parent) = absolute.split_last()?;
                    return self.resolve(parent, last, depth + 1);
                }
            }
        }
        let is_module = module
            .items
            .iter()
            .any(|item| item.name == name && item.kind == "mod");
        is_module.then(|| (path.to_vec(), name.to_string()))
    }

    /// The item `name` of module `path`: a value or type if there is one, else a module.
    fn item(&self, path: &[String], name: &str) -> Option<&Item> {
        let items = &self.modules.get(path)?.items;
        let named = |item: &&Item| item.name == name;
        items
            .iter()
            .filter(named)
            .find(|item| !matches!(item.kind, "impl" | "use" | "macro" | "mod"))
            .or_else(|| items.iter().filter(named).find(|item| item.kind == "mod"))
    }

    /// Every public item, with whether it has a runnable example.
    fn public_items(&self) -> Vec<Public> {
        // The public definitions, as (module path, name).
        let mut public: BTreeSet<(Vec<String>, String)> = BTreeSet::new();
        for (path, module) in &self.modules {
            if !module.public {
                continue;
            }
            for item in &module.items {
                let named = !matches!(item.kind, "impl" | "use" | "macro");
                let hides = self
                    .item(path, &item.name)
                    .is_some_and(|first| first.kind != "mod");
                if item.kind == "mod" && hides {
                    // `mod block_on;` next to `pub fn block_on`: the function is the item.
                } else if named && item.is_pub && !item.hidden && !item.cfg_test {
                    public.insert((path.clone(), item.name.clone()));
                }
                if item.kind == "use" && item.is_pub && !item.hidden {
                    for (target, alias) in &item.leaves {
                        if alias == "*" {
                            let glob = absolute(path, target);
                            if let Some(module) = self.modules.get(&glob) {
                                for item in &module.items {
                                    if item.is_pub && !item.hidden && item.kind != "use" {
                                        public.insert((glob.clone(), item.name.clone()));
                                    }
                                }
                            }
                        } else if let Some(found) = absolute(path, target)
                            .split_last()
                            .and_then(|(last, parent)| self.resolve(parent, last, 0))
                        {
                            let hidden = self.item(&found.0, &found.1).is_some_and(|i| i.hidden);
                            if !hidden {
                                public.insert(found);
                            }
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        let crate_root = &self.modules[&Vec::new()];
        out.push(Public {
            path: String::from("crate"),
            kind: "mod",
            at: crate_root.declared.clone(),
            has_example: has_runnable_example(&crate_root.docs),
        });
        for (path, name) in &public {
            let Some(item) = self.item(path, name) else {
                continue;
            };
            let full = display(path, name);
            let (at, docs) = if item.kind == "mod" {
                // Where its docs are: the `//!` lines of its file, or the inline `mod`.
                let module = &self.modules[&path_of(path, name)];
                let at = if item.inline {
                    module.declared.clone()
                } else {
                    format!("{}:1", module.file)
                };
                (at, module.docs.clone())
            } else {
                let file = &self.modules[path].file;
                (format!("{file}:{}", item.line), item.docs.clone())
            };
            out.push(Public {
                path: full.clone(),
                kind: item.kind,
                at,
                has_example: has_runnable_example(&docs),
            });
            if item.kind == "trait" {
                for method in item.children.iter().filter(|m| m.kind == "fn" && !m.hidden) {
                    let file = &self.modules[path].file;
                    out.push(Public {
                        path: format!("{full}::{}", method.name),
                        kind: "fn",
                        at: format!("{file}:{}", method.line),
                        has_example: has_runnable_example(&method.docs),
                    });
                }
            }
        }
        // Inherent methods of public types, wherever their `impl` is, and exported macros.
        for (path, module) in &self.modules {
            let file = &module.file;
            for item in &module.items {
                if item.kind == "macro" && item.macro_export && !item.hidden {
                    out.push(Public {
                        path: format!("{}!", item.name),
                        kind: "macro",
                        at: format!("{file}:{}", item.line),
                        has_example: has_runnable_example(&item.docs),
                    });
                }
                if item.kind != "impl" || item.trait_impl || item.cfg_test {
                    continue;
                }
                let Some((type_path, type_name)) = self.resolve(path, &item.self_type, 0) else {
                    continue;
                };
                if !public.contains(&(type_path.clone(), type_name.clone())) {
                    continue;
                }
                for method in &item.children {
                    if method.kind == "fn" && method.is_pub && !method.hidden {
                        out.push(Public {
                            path: format!("{}::{}", display(&type_path, &type_name), method.name),
                            kind: "fn",
                            at: format!("{file}:{}", method.line),
                            has_example: has_runnable_example(&method.docs),
                        });
                    }
                }
            }
        }
        out
    }
}

fn path_of(path: &[String], name: &str) -> Vec<String> {
    let mut child = path.to_vec();
    child.push(name.to_string());
    child
}

fn display(path: &[String], name: &str) -> String {
    path.iter()
        .map(String::as_str)
        .chain([name])
        .collect::<Vec<_>>()
        .join("::")
}

/// A `use` path made absolute from module `path`.
fn absolute(path: &[String], target: &[String]) -> Vec<String> {
    let mut out = path.to_vec();
    let mut rest = target;
    match target.first().map(String::as_str) {
        Some("crate") => {
            out.clear();
            rest = &target[1..];
        }
        Some("self") => rest = &target[1..],
        _ => {}
    }
    while rest.first().map(String::as_str) == Some("super") {
        out.pop();
        rest = &rest[1..];
    }
    out.extend(rest.iter().cloned());
    out
}

/// Whether `docs` hold a fenced code block that `cargo test --doc` runs.
fn has_runnable_example(docs: &str) -> bool {
    let mut open: Option<bool> = None; // inside a fence: whether it runs
    for line in docs.lines() {
        let line = line.trim();
        if !(line.starts_with("```") || line.starts_with("~~~")) {
            continue;
        }
        match open {
            Some(runs) => {
                if runs {
                    return true;
                }
                open = None;
            }
            None => {
                let info = line.trim_start_matches(['`', '~']);
                let tags: Vec<&str> = info
                    .split([',', ' ', '\t'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .collect();
                let not_run = ["ignore", "no_run", "compile_fail", "text", "sh", "console"];
                let rust = tags
                    .iter()
                    .all(|t| *t == "rust" || *t == "should_panic" || t.starts_with("edition"));
                open = Some(rust && !tags.iter().any(|t| not_run.contains(t)));
            }
        }
    }
    false
}

/// The lines of the failure message: one per public item without a runnable example.
fn missing(items: &[Public]) -> Vec<String> {
    items
        .iter()
        .filter(|item| !item.has_example)
        .map(|item| format!("  {}  {} {}", item.at, item.kind, item.path))
        .collect()
}

fn read_from(root: &Path) -> impl Fn(&str) -> Option<String> + '_ {
    move |path| std::fs::read_to_string(root.join(path)).ok()
}

#[test]
fn every_public_item_of_tinyio_has_a_runnable_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let items = Crate::load(&read_from(root)).public_items();
    let missing = missing(&items);
    assert!(
        missing.is_empty(),
        "{} of {} public items of tinyio have no runnable example in their doc comment \
         (a ``` block that is not ignore, no_run, compile_fail or text):\n{}",
        missing.len(),
        items.len(),
        missing.join("\n")
    );
}

#[test]
fn the_public_items_of_tinyio_are_found_and_its_private_ones_are_not() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let items = Crate::load(&read_from(root)).public_items();
    let paths: BTreeSet<&str> = items.iter().map(|item| item.path.as_str()).collect();
    for public in [
        "crate",
        "queue",
        "queue::Queue",
        "queue::Queue::try_put",
        "queue::Queue::get",                   // in queue/get.rs
        "queue::error::TryGetError::is_empty", // re-exported twice
        "runtime::builder::spawn",
        "runtime::builder::Runtime::virtual_clock",
        "trace::Trace::render",
        "deadlock::Deadlock::blocked",
        "join_handle::JoinHandle::abort_on_drop",
        "multi_thread::MultiThread::try_run",
        "gather::Gather",
        "gather!",
        "block_on",
        "time::sleep",
    ] {
        assert!(
            paths.contains(public),
            "{public} not found among {paths:#?}"
        );
    }
    for private in [
        "gather::core::Engine::poll",
        "gather::tuple::MaybeDone",
        "gather::tuple::GatherTuple",
        "__private",
        "queue::Queue::lock",
        "task::Task",
        "runtime::header",
    ] {
        assert!(!paths.contains(private), "{private} is not public");
    }
    assert!(items.len() >= 80, "only {} public items found", items.len());
}

// ---------------------------------------------------------------------------------------------
// The checker, proved on planted crates.

fn planted(files: &[(&str, &str)]) -> Vec<String> {
    let files: BTreeMap<String, String> = files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    let items = Crate::load(&move |path: &str| files.get(path).cloned()).public_items();
    let mut missing: Vec<String> = items
        .iter()
        .filter(|item| !item.has_example)
        .map(|item| item.path.clone())
        .collect();
    missing.sort();
    missing
}

const EXAMPLE: &str = "/// ```\n/// assert!(true);\n/// ```\n";

#[test]
fn planted_items_without_a_runnable_example_are_reported() {
    let lib = format!(
        "//! The crate.\n{EXAMPLE}\
         pub fn undocumented() {{}}\n\
         /// Documented, no example.\npub fn prose() {{}}\n\
         /// ```ignore\n/// x\n/// ```\npub fn ignored() {{}}\n\
         /// ```no_run\n/// x\n/// ```\npub fn not_run() {{}}\n\
         /// ```text\n/// x\n/// ```\npub struct Text;\n\
         {EXAMPLE}pub fn good() {{}}\n\
         /// ```rust,should_panic\n/// panic!()\n/// ```\npub fn panics() {{}}\n"
    );
    // The crate's own docs use `//!`: one line before the example, so it counts.
    let lib = lib.replacen(EXAMPLE, &EXAMPLE.replace("///", "//!"), 1);
    assert_eq!(
        planted(&[("src/lib.rs", &lib)]),
        ["Text", "ignored", "not_run", "prose", "undocumented"]
    );
}

#[test]
fn planted_reexports_methods_macros_and_modules_are_checked_and_private_ones_are_not() {
    let lib = "//! ```\n//! ```\n\
         mod hidden_place;\n\
         pub mod open;\n\
         pub use hidden_place::{Exported, exported as renamed};\n\
         #[doc(hidden)]\npub mod __private { pub use crate::hidden_place::Helper; }\n\
         /// A macro with no example.\n#[macro_export]\nmacro_rules! mac { () => {} }\n\
         macro_rules! local { () => {} }\n\
         #[cfg(test)]\nmod tests { pub fn in_tests() {} }\n";
    let hidden_place = format!(
        "{EXAMPLE}pub struct Exported;\n\
         pub fn exported() {{}}\n\
         pub fn not_exported() {{}}\n\
         pub struct Helper;\n\
         pub(crate) struct Internal;\n\
         impl Exported {{\n    pub fn method(&self) {{}}\n    {EXAMPLE}    pub fn good(&self) {{}}\n    \
         pub(crate) fn internal(&self) {{}}\n    #[doc(hidden)]\n    pub fn hidden(&self) {{}}\n}}\n\
         impl Internal {{ pub fn on_internal(&self) {{}} }}\n\
         impl std::fmt::Debug for Exported {{\n    \
         fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{ Ok(()) }}\n}}\n"
    );
    // A method in another file, on a type imported with `use super::...`.
    let open = "//! The open module, no example.\n\
                mod more;\n\
                pub use more::Later;\n\
                pub fn in_open(x: &'static str, c: char) -> char { let _ = (x, '{', \"}\"); c }\n";
    let more = "use super::super::Exported;\n\
                impl<T: Fn() -> u8> Wrapper<T> {}\n\
                pub struct Wrapper<T>(pub T);\n\
                pub struct Later;\n\
                impl Exported {\n    /// r#\"{\"# is not a brace.\n    pub fn elsewhere(&self) -> &str { r#\"}\"# }\n}\n";
    assert_eq!(
        planted(&[
            ("src/lib.rs", lib),
            ("src/hidden_place.rs", &hidden_place),
            ("src/open/mod.rs", open),
            ("src/open/more.rs", more),
        ]),
        [
            "hidden_place::Exported::elsewhere",
            "hidden_place::Exported::method",
            "hidden_place::exported",
            "mac!",
            "open",
            "open::in_open",
            "open::more::Later",
        ]
    );
}
