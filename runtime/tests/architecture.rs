//! The crate's layering, checked on its source: modules import each other in
//! one direction only, each tier of `lib.rs` stands only on the tiers below
//! it, and inside the crate an item is named by the module it is in, never
//! through the root's re-exports (the public facade).
//!
//! A module here is a top-level module of `src/`: a folder `x/` and its
//! `x.rs` are one. What is read: the code of every file the crate compiles
//! outside its tests, found by following `mod` declarations from `lib.rs`,
//! without comments, doc comments and literals; every `crate::` path in it
//! (`$crate::` in a macro too, `super::` paths that climb to the root, and
//! `report!`, the macro every module may call, defined in `report`). Test
//! code is not read: an item gated by a `cfg` that holds only under `test`
//! (`#[cfg(all(test, loom))] mod loom_tests;`, a `#[cfg(test)] fn`), and
//! the files such an item declares. `lib.rs` itself is the facade, and is
//! not a module that imports.
//!
//! Std only: the check must not be the reason the crate has a dependency.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The tiers of `lib.rs` (and DESIGN.md), lowest first: each module imports
/// only modules of its own tier or of the tiers before it. Inside tier 0,
/// the order is whatever has no cycle (the first test); today it is `sync`;
/// `backoff`, `panic`, `error_chain`, `raw_lock`; `holder`; `observed`;
/// `local` (with its blocked slot, profile and last log lines), `report`;
/// `deadlock`; `signal`; `lock`, `till`, `promise`.
const TIERS: [(&str, &[&str]); 3] = [
    (
        "tier 0, the primitives",
        &[
            "sync",
            "backoff",
            "panic",
            "error_chain",
            "raw_lock",
            "holder",
            "observed",
            "local",
            "report",
            "deadlock",
            "signal",
            "lock",
            "till",
            "promise",
        ],
    ),
    (
        "tier 1, the tree and the process-level services",
        &[
            "thread",
            "health",
            "main_thread",
            "logging",
            "profile",
            "console",
        ],
    ),
    (
        "tier 2, built on both",
        &["queue", "pool", "batch", "repeat", "process", "supervisor"],
    ),
];

/// The files that may ask whether the build is a loom model: the shim, and
/// the raw lock's choice of flavor (its comment says why there).
const KNOW_OF_LOOM: [&str; 2] = ["src/sync.rs", "src/raw_lock.rs"];

#[test]
fn no_two_modules_import_each_other_even_through_others() {
    let crate_ = Crate::read();
    let mut message = String::new();
    for cycle in crate_.cycles() {
        let _ = writeln!(message, "these modules import each other in a circle:");
        for (from, to) in cycle.iter().zip(cycle.iter().cycle().skip(1)) {
            let _ = writeln!(message, "  {from} -> {to}   at {}", crate_.sites(from, to));
        }
    }
    assert!(
        message.is_empty(),
        "{message}break each circle: move what both need below both, or hand the \
         lower one a trait the upper one implements"
    );
}

#[test]
fn the_primitives_import_nothing_of_the_tree_nor_of_what_is_built_on_both() {
    let violations = Crate::read().upward_imports(0);
    assert!(
        violations.is_empty(),
        "tier 0 must not import a tier above it:\n{violations}"
    );
}

#[test]
fn the_tree_imports_nothing_of_what_is_built_on_it() {
    let violations = Crate::read().upward_imports(1);
    assert!(
        violations.is_empty(),
        "tier 1 must not import tier 2:\n{violations}"
    );
}

#[test]
fn every_module_has_a_tier() {
    let crate_ = Crate::read();
    let tiered: BTreeSet<&str> = TIERS
        .iter()
        .flat_map(|(_, names)| names.iter().copied())
        .collect();
    let untiered: Vec<&String> = crate_
        .modules
        .iter()
        .filter(|module| !tiered.contains(module.as_str()))
        .collect();
    let stale: Vec<&&str> = tiered
        .iter()
        .filter(|name| !crate_.modules.contains(**name))
        .collect();
    assert!(
        untiered.is_empty() && stale.is_empty(),
        "modules without a tier in TIERS (put each in the tier lib.rs gives it): \
         {untiered:?}; names in TIERS that are no module of the crate: {stale:?}"
    );
}

#[test]
fn no_module_imports_through_the_crate_roots_reexports() {
    let crate_ = Crate::read();
    let mut message = String::new();
    for path in &crate_.through_root {
        let _ = writeln!(
            message,
            "  {}:{}: crate::{}",
            path.file, path.line, path.name
        );
    }
    assert!(
        message.is_empty(),
        "inside the crate, name an item by its module (crate::signal::Signal, not \
         crate::Signal): the root's re-exports are the public facade only:\n{message}"
    );
}

#[test]
fn only_the_sync_shim_and_the_raw_locks_choice_ask_whether_the_build_is_a_loom_model() {
    let crate_ = Crate::read();
    let mut message = String::new();
    for (file, line) in &crate_.loom_mentions {
        if !KNOW_OF_LOOM.contains(&file.as_str()) {
            let _ = writeln!(message, "  {file}:{line}");
        }
    }
    assert!(
        message.is_empty(),
        "`loom` outside the sync shim and the raw lock's choice of flavor: ask the shim \
         (sync::MODELED as a plain `if`, or its macros for thread-locals and statics), \
         or add there what it lacks:\n{message}"
    );
}

#[test]
fn the_reader_sees_the_imports_it_checks() {
    let crate_ = Crate::read();
    assert!(
        crate_.modules.len() >= 20,
        "found only {:?}: is the reader following `mod` declarations?",
        crate_.modules
    );
    for (from, to) in [
        ("lock", "signal"),
        ("thread", "signal"),
        ("queue", "thread"),
        ("signal", "report"),
    ] {
        assert!(
            crate_.edges.contains_key(&(from.to_owned(), to.to_owned())),
            "{from} imports {to} (it does), yet the reader did not see it"
        );
    }
}

#[test]
fn the_reader_reads_every_file_but_the_tests() {
    let crate_ = Crate::read();
    let read = |file: &str| crate_.files.iter().any(|read| read == file);
    let unaccounted: Vec<String> = rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .into_iter()
        .filter(|file| !crate_.files.contains(file) && !crate_.test_files.contains(file))
        .collect();
    assert!(
        unaccounted.is_empty(),
        "files neither read nor declared by test code: {unaccounted:?}: is the reader \
         missing the `mod` that declares them?"
    );
    // `test.rs` is the root of `#[more_threads::test]`, not test code.
    assert!(
        read("src/lock.rs") && read("src/main_thread/test.rs"),
        "{:?}",
        crate_.files
    );
    for test_file in [
        "src/lock/tests.rs",
        "src/lock/loom_tests.rs",
        "src/test_support.rs",
    ] {
        assert!(
            !read(test_file),
            "{test_file} is test code, yet it was read"
        );
    }
}

/// Every `.rs` file under `dir`, as `src/...`.
fn rust_files(dir: &Path) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).expect("src/ can be listed") {
            let path = entry.expect("src/ can be listed").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let file = path.strip_prefix(root).unwrap_or(&path);
                files.push(file.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files
}

/// An import of one module by another, where it is written.
struct Site {
    file: String,
    line: usize,
}

/// A `crate::NAME` path whose NAME is no module: an item of the root.
struct RootPath {
    file: String,
    line: usize,
    name: String,
}

/// What the crate's source says of its modules.
struct Crate {
    /// The top-level modules, by name.
    modules: BTreeSet<String>,
    /// Each import of one module by another, with where it is written.
    edges: BTreeMap<(String, String), Vec<Site>>,
    through_root: Vec<RootPath>,
    /// Where code (not a comment, not a test) names `loom`.
    loom_mentions: Vec<(String, usize)>,
    /// The files read, as `src/...`.
    files: Vec<String>,
    /// The files of test code, not read.
    test_files: Vec<String>,
}

impl Crate {
    fn read() -> Crate {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let lib = Source::read(root, &root.join("src/lib.rs"));
        let mut crate_ = Crate {
            modules: BTreeSet::new(),
            edges: BTreeMap::new(),
            through_root: Vec::new(),
            loom_mentions: Vec::new(),
            files: vec!["src/lib.rs".to_owned()],
            test_files: Vec::new(),
        };
        let mut macro_use = Vec::new();
        let mut sources: Vec<(Declared, Source)> = Vec::new();
        let mut to_read: VecDeque<Declared> = lib.declared_modules(&root.join("src"), &[]).into();
        // Every file the crate compiles (outside its tests), breadth first.
        while let Some(declared) = to_read.pop_front() {
            if declared.test {
                let file = declared.file.strip_prefix(root).unwrap_or(&declared.file);
                crate_
                    .test_files
                    .push(file.to_string_lossy().replace('\\', "/"));
                continue;
            }
            if declared.path.len() == 1 {
                crate_.modules.insert(declared.path[0].clone());
                if declared.macro_use {
                    macro_use.push(declared.path[0].clone());
                }
            }
            let source = Source::read(root, &declared.file);
            to_read.extend(source.declared_modules(&declared.children, &declared.path));
            sources.push((declared, source));
        }
        // The macros a `#[macro_use]` module lends every module after it.
        let macros: BTreeMap<String, String> = sources
            .iter()
            .filter(|(declared, _)| macro_use.contains(&declared.path[0]))
            .flat_map(|(declared, source)| {
                source
                    .macro_rules()
                    .into_iter()
                    .map(|name| (name, declared.path[0].clone()))
            })
            .collect();
        for (declared, source) in &sources {
            crate_.files.push(source.name.clone());
            let from = &declared.path[0];
            for reference in source.references(&declared.path, &macros) {
                let site = Site {
                    file: source.name.clone(),
                    line: reference.line,
                };
                if crate_.modules.contains(&reference.module) {
                    if reference.module != *from {
                        crate_
                            .edges
                            .entry((from.clone(), reference.module))
                            .or_default()
                            .push(site);
                    }
                } else {
                    crate_.through_root.push(RootPath {
                        file: site.file,
                        line: site.line,
                        name: reference.module,
                    });
                }
            }
            for line in source.lines_naming("loom") {
                crate_.loom_mentions.push((source.name.clone(), line));
            }
        }
        crate_
    }

    fn sites(&self, from: &str, to: &str) -> String {
        let sites = &self.edges[&(from.to_owned(), to.to_owned())];
        let mut sites: Vec<String> = sites
            .iter()
            .map(|site| format!("{}:{}", site.file, site.line))
            .collect();
        sites.dedup();
        sites.join(", ")
    }

    fn imports(&self, from: &str) -> impl Iterator<Item = &str> {
        self.edges
            .keys()
            .filter(move |(edge_from, _)| edge_from == from)
            .map(|(_, to)| to.as_str())
    }

    /// For each group of modules that reach each other, one shortest circle
    /// through its first module, in order.
    fn cycles(&self) -> Vec<Vec<String>> {
        let mut found: Vec<Vec<String>> = Vec::new();
        for start in &self.modules {
            if found.iter().any(|cycle| cycle.contains(start)) {
                continue;
            }
            if let Some(cycle) = self.shortest_path(start, start) {
                found.push(cycle);
            }
        }
        found
    }

    /// The modules from `from` (first) to just before `to`, by the fewest
    /// imports, if `to` can be reached.
    fn shortest_path(&self, from: &str, to: &str) -> Option<Vec<String>> {
        let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue: VecDeque<&str> = VecDeque::from([from]);
        while let Some(module) = queue.pop_front() {
            for next in self.imports(module) {
                if next == to {
                    let mut path = vec![module.to_owned()];
                    let mut at = module;
                    while at != from {
                        at = came_from[at];
                        path.push(at.to_owned());
                    }
                    path.reverse();
                    return Some(path);
                }
                if next != from && !came_from.contains_key(next) {
                    came_from.insert(next, module);
                    queue.push_back(next);
                }
            }
        }
        None
    }

    /// Every import by a module of tier `tier` of a module of a tier above.
    fn upward_imports(&self, tier: usize) -> String {
        let tier_of = |module: &str| TIERS.iter().position(|(_, names)| names.contains(&module));
        let mut message = String::new();
        for (from, to) in self.edges.keys() {
            let (Some(from_tier), Some(to_tier)) = (tier_of(from), tier_of(to)) else {
                continue;
            };
            if from_tier == tier && to_tier > tier {
                let _ = writeln!(
                    message,
                    "  {from} ({}) imports {to} ({}) at {}",
                    TIERS[from_tier].0,
                    TIERS[to_tier].0,
                    self.sites(from, to)
                );
            }
        }
        message
    }
}

/// A module the crate declares, and the file it is in.
struct Declared {
    /// From the crate root: `["thread", "scope", "core"]`.
    path: Vec<String>,
    file: PathBuf,
    /// Where the files of the modules it declares are.
    children: PathBuf,
    macro_use: bool,
    /// Declared by test code: not read.
    test: bool,
}

/// One file's code: its comments and the insides of its literals blanked
/// (lines kept), then its test code blanked too.
struct Source {
    /// `src/...`, for messages.
    name: String,
    code: Vec<char>,
    /// The same, with its test code: where its tests' `mod`s are declared.
    with_tests: Vec<char>,
}

/// A reference to a top-level module (or, if no module has that name, to
/// an item of the root), and its line.
struct Reference {
    module: String,
    line: usize,
}

impl Source {
    fn read(root: &Path, file: &Path) -> Source {
        let text = fs::read_to_string(file)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()));
        let name = file
            .strip_prefix(root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let code = blank_comments_and_literals(&text);
        let mut source = Source {
            name,
            with_tests: code.clone(),
            code,
        };
        source.blank_test_items();
        source
    }

    fn line_of(&self, at: usize) -> usize {
        1 + self.code[..at].iter().filter(|&&c| c == '\n').count()
    }

    fn ident_at(&self, at: usize) -> Option<String> {
        ident_at(&self.code, at)
    }

    fn skip_blank(&self, at: usize) -> usize {
        skip_blank(&self.code, at)
    }

    /// `at` past a `::` there (blanks around it allowed), if there is one.
    fn after_path_separator(&self, at: usize) -> Option<usize> {
        let at = self.skip_blank(at);
        (self.code.get(at) == Some(&':') && self.code.get(at + 1) == Some(&':'))
            .then(|| self.skip_blank(at + 2))
    }

    /// The index just past the bracket matching the one at `open`.
    fn past_matching(&self, open: usize) -> usize {
        let mut depth = 0_usize;
        for at in open..self.code.len() {
            match self.code[at] {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return at + 1;
                    }
                }
                _ => {}
            }
        }
        self.code.len()
    }

    /// Blanks each item (or statement) whose outer attributes include a
    /// `cfg` that holds only under `test`, attributes included.
    fn blank_test_items(&mut self) {
        let mut at = 0;
        while at + 1 < self.code.len() {
            if !(self.code[at] == '#' && self.code[at + 1] == '[') {
                at += 1;
                continue;
            }
            let start = at;
            let mut test_only = false;
            // The item's attributes, one after the other.
            let mut next = start;
            while self.code.get(next) == Some(&'#') && self.code.get(next + 1) == Some(&'[') {
                let end = self.past_matching(next + 1);
                let inside: String = self.code[next + 2..end - 1].iter().collect();
                test_only |= cfg_holds_only_under_test(&inside);
                next = self.skip_blank(end);
            }
            if !test_only {
                at = next;
                continue;
            }
            let end = self.item_end(next);
            for c in &mut self.code[start..end] {
                if *c != '\n' {
                    *c = ' ';
                }
            }
            at = end;
        }
    }

    /// Where the item (or statement) starting at `at` ends: after a `;` or
    /// a `}` at its own depth, or before the bracket that closes what
    /// holds it.
    fn item_end(&self, mut at: usize) -> usize {
        let mut depth = 0_i32;
        while at < self.code.len() {
            match self.code[at] {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' => depth -= 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        let after = self.skip_blank(at + 1);
                        return if self.code.get(after) == Some(&';') {
                            after + 1
                        } else {
                            at + 1
                        };
                    }
                }
                ';' if depth == 0 => return at + 1,
                _ => {}
            }
            if depth < 0 {
                return at;
            }
            at += 1;
        }
        at
    }

    /// The modules this file declares with `mod NAME;` (in inline modules
    /// too), each with its file, test code's included; `dir` holds the files
    /// of this file's children, and `path` is this file's module.
    fn declared_modules(&self, dir: &Path, path: &[String]) -> Vec<Declared> {
        let mut declared = Vec::new();
        // Inline modules open here: (name, the depth inside its braces).
        let mut inline: Vec<(String, usize)> = Vec::new();
        let mut depth = 0;
        let mut at = 0;
        while at < self.with_tests.len() {
            match self.with_tests[at] {
                '{' => depth += 1,
                '}' => {
                    if inline.last().is_some_and(|(_, inside)| *inside == depth) {
                        inline.pop();
                    }
                    depth -= 1;
                }
                _ => {}
            }
            if ident_at(&self.with_tests, at).as_deref() == Some("mod") {
                let name_at = skip_blank(&self.with_tests, at + 3);
                let name = ident_at(&self.with_tests, name_at).unwrap_or_else(|| {
                    panic!("{}:{}: `mod` without a name", self.name, self.line_of(at))
                });
                let after = skip_blank(&self.with_tests, name_at + name.len());
                let mut module_dir = dir.to_path_buf();
                for (inline_name, _) in &inline {
                    module_dir.push(inline_name);
                }
                match self.with_tests.get(after) {
                    Some('{') => {
                        inline.push((name, depth + 1));
                    }
                    Some(';') => {
                        let attributes = self.attributes_before(at);
                        assert!(
                            !attributes.contains("#[path"),
                            "{}:{}: this test does not follow #[path] attributes; teach it",
                            self.name,
                            self.line_of(at)
                        );
                        let flat = module_dir.join(format!("{name}.rs"));
                        let (file, children) = if flat.exists() {
                            (flat, module_dir.join(&name))
                        } else {
                            (
                                module_dir.join(&name).join("mod.rs"),
                                module_dir.join(&name),
                            )
                        };
                        let mut module_path = path.to_vec();
                        module_path.extend(inline.iter().map(|(name, _)| name.clone()));
                        module_path.push(name);
                        declared.push(Declared {
                            path: module_path,
                            file,
                            children,
                            macro_use: attributes.contains("macro_use"),
                            // Blanked with the test code.
                            test: self.code[at] != 'm',
                        });
                    }
                    _ => {}
                }
            }
            at += 1;
        }
        declared
    }

    /// The outer attributes (and visibility) written just before `at`, as text.
    fn attributes_before(&self, at: usize) -> String {
        let line_start = |at: usize| {
            self.with_tests[..at]
                .iter()
                .rposition(|&c| c == '\n')
                .map_or(0, |newline| newline + 1)
        };
        let mut start = line_start(at);
        // Attribute lines above the declaration.
        while start > 0 {
            let above = line_start(start - 1);
            let text: String = self.with_tests[above..start].iter().collect();
            if !text.trim_start().starts_with("#[") {
                break;
            }
            start = above;
        }
        self.with_tests[start..at].iter().collect()
    }

    /// The names of the `macro_rules!` this file defines.
    fn macro_rules(&self) -> Vec<String> {
        let mut names = Vec::new();
        for at in 0..self.code.len() {
            if self.ident_at(at).as_deref() == Some("macro_rules")
                && self.code.get(at + "macro_rules".len()) == Some(&'!')
            {
                let name_at = self.skip_blank(at + "macro_rules".len() + 1);
                names.extend(self.ident_at(name_at));
            }
        }
        names
    }

    /// Every reference to a top-level module (or to an item of the root)
    /// from this file, whose module is `path`: `crate::NAME` and
    /// `$crate::NAME` paths, each NAME of a `crate::{...}` group, `super::`
    /// paths that climb to the root, and calls of the root's `#[macro_use]`
    /// macros (`macros`: each one's module).
    fn references(&self, path: &[String], macros: &BTreeMap<String, String>) -> Vec<Reference> {
        let mut references = Vec::new();
        let mut inline_depths: Vec<usize> = Vec::new();
        let mut depth = 0;
        let mut at = 0;
        while at < self.code.len() {
            match self.code[at] {
                '{' => depth += 1,
                '}' => {
                    if inline_depths.last() == Some(&depth) {
                        inline_depths.pop();
                    }
                    depth -= 1;
                }
                _ => {}
            }
            let Some(ident) = self.ident_at(at) else {
                at += 1;
                continue;
            };
            let after = at + ident.len();
            let line = || self.line_of(at);
            match ident.as_str() {
                "mod" => {
                    let name_at = self.skip_blank(after);
                    if let Some(name) = self.ident_at(name_at) {
                        if self.code.get(self.skip_blank(name_at + name.len())) == Some(&'{') {
                            inline_depths.push(depth + 1);
                        }
                    }
                }
                "crate" => {
                    if let Some(next) = self.after_path_separator(after) {
                        for module in self.first_segments(next) {
                            references.push(Reference {
                                module,
                                line: line(),
                            });
                        }
                    }
                }
                "super" => {
                    // Climb from this module (and its inline modules) to the root?
                    let mut level = path.len() + inline_depths.len();
                    let mut next = self.after_path_separator(after);
                    while let Some(segment_at) = next {
                        level = level.saturating_sub(1);
                        if self.ident_at(segment_at).as_deref() == Some("super") {
                            next = self.after_path_separator(segment_at + "super".len());
                            continue;
                        }
                        if level == 0 {
                            for module in self.first_segments(segment_at) {
                                references.push(Reference {
                                    module,
                                    line: line(),
                                });
                            }
                        }
                        break;
                    }
                }
                _ => {
                    if self.code.get(after) == Some(&'!') {
                        if let Some(module) = macros.get(&ident) {
                            references.push(Reference {
                                module: module.clone(),
                                line: line(),
                            });
                        }
                    }
                }
            }
            at = after;
        }
        references
    }

    /// The first segment of the path at `at`, or of each path of the
    /// group (`{a, b::c}`) there.
    fn first_segments(&self, at: usize) -> Vec<String> {
        if self.code.get(at) != Some(&'{') {
            return self.ident_at(at).into_iter().collect();
        }
        let end = self.past_matching(at) - 1;
        let mut segments = Vec::new();
        let mut depth = 0;
        let mut element_start = true;
        for i in at + 1..end {
            match self.code[i] {
                '{' | '(' | '[' => depth += 1,
                '}' | ')' | ']' => depth -= 1,
                ',' if depth == 0 => element_start = true,
                c if element_start && !c.is_whitespace() => {
                    element_start = false;
                    segments.extend(self.ident_at(i));
                }
                _ => {}
            }
        }
        segments
    }

    /// The lines where the identifier `word` stands in the code.
    fn lines_naming(&self, word: &str) -> Vec<usize> {
        let mut lines = Vec::new();
        for at in 0..self.code.len() {
            if self.ident_at(at).as_deref() == Some(word) {
                lines.push(self.line_of(at));
            }
        }
        lines
    }
}

/// The identifier starting at `at` in `code`, if one does (and none runs
/// into it).
fn ident_at(code: &[char], at: usize) -> Option<String> {
    let starts = code.get(at).is_some_and(|&c| c.is_alphabetic() || c == '_');
    let joined = at > 0 && is_ident_char(code[at - 1]);
    if !starts || joined {
        return None;
    }
    let end = (at..code.len())
        .find(|&i| !is_ident_char(code[i]))
        .unwrap_or(code.len());
    Some(code[at..end].iter().collect())
}

/// `at`, past the blanks there.
fn skip_blank(code: &[char], mut at: usize) -> usize {
    while code.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `attribute` (the inside of `#[...]`) is a `cfg` that holds only
/// when `test` does: `cfg(test)`, `cfg(all(test, loom))`; not
/// `cfg(not(test))`, nor `cfg(any(test, loom))`.
fn cfg_holds_only_under_test(attribute: &str) -> bool {
    let attribute: String = attribute.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(predicate) = attribute
        .strip_prefix("cfg(")
        .and_then(|rest| rest.strip_suffix(')'))
    else {
        return false;
    };
    implies_test(predicate)
}

fn implies_test(predicate: &str) -> bool {
    if predicate == "test" {
        return true;
    }
    let arguments = |name: &str| {
        predicate
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('('))
            .and_then(|rest| rest.strip_suffix(')'))
            .map(split_top_level)
    };
    if let Some(all) = arguments("all") {
        return all.iter().any(|predicate| implies_test(predicate));
    }
    if let Some(any) = arguments("any") {
        return !any.is_empty() && any.iter().all(|predicate| implies_test(predicate));
    }
    false
}

/// `a,b(c,d),e` → `a`, `b(c,d)`, `e`.
fn split_top_level(list: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (at, c) in list.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&list[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    if start < list.len() {
        parts.push(&list[start..]);
    }
    parts
}

/// `text` with every comment (doc comments too) and the inside of every
/// string and character literal replaced by spaces; line breaks are kept,
/// so lines keep their numbers.
fn blank_comments_and_literals(text: &str) -> Vec<char> {
    let mut code: Vec<char> = text.chars().collect();
    let blank = |code: &mut Vec<char>, from: usize, to: usize| {
        for c in &mut code[from..to] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    };
    let mut at = 0;
    while at < code.len() {
        let next = code.get(at + 1).copied();
        match code[at] {
            '/' if next == Some('/') => {
                let end = (at..code.len())
                    .find(|&i| code[i] == '\n')
                    .unwrap_or(code.len());
                blank(&mut code, at, end);
                at = end;
            }
            '/' if next == Some('*') => {
                // Block comments nest.
                let mut depth = 0;
                let mut end = at;
                while end < code.len() {
                    if code[end] == '/' && code.get(end + 1) == Some(&'*') {
                        depth += 1;
                        end += 2;
                    } else if code[end] == '*' && code.get(end + 1) == Some(&'/') {
                        depth -= 1;
                        end += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        end += 1;
                    }
                }
                blank(&mut code, at, end);
                at = end;
            }
            '"' => {
                let mut end = at + 1;
                while end < code.len() && code[end] != '"' {
                    end += if code[end] == '\\' { 2 } else { 1 };
                }
                let end = end.min(code.len());
                blank(&mut code, at + 1, end);
                at = end + 1;
            }
            '\'' => {
                // A character literal, or a lifetime or label (left as is).
                if next == Some('\\') {
                    let mut end = at + 3;
                    while end < code.len() && code[end] != '\'' {
                        end += 1;
                    }
                    blank(&mut code, at + 1, end);
                    at = end + 1;
                } else if code.get(at + 2) == Some(&'\'') {
                    blank(&mut code, at + 1, at + 2);
                    at += 3;
                } else {
                    at += 1;
                }
            }
            c if is_ident_char(c) => {
                // A whole identifier or number, so that nothing inside one
                // starts a literal; then a raw string, if it is a raw
                // string's prefix (`r"..."`, `br#"..."#`; not `r#type`).
                let start = at;
                while at < code.len() && is_ident_char(code[at]) {
                    at += 1;
                }
                let prefix: String = code[start..at].iter().collect();
                if !matches!(prefix.as_str(), "r" | "br" | "cr") {
                    continue;
                }
                let hashes = (at..code.len()).take_while(|&i| code[i] == '#').count();
                let quote = at + hashes;
                if code.get(quote) != Some(&'"') {
                    continue;
                }
                let closing: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let mut end = quote + 1;
                while end < code.len() && !code[end..].starts_with(&closing) {
                    end += 1;
                }
                blank(&mut code, quote + 1, end);
                at = end + closing.len();
            }
            _ => at += 1,
        }
    }
    code
}
