//! Every compile error more-threads promises, checked against its `.stderr`;
//! and the programs at the edge of what compiles, which must also run.
//!
//! The cases are compiled from a copy (so that nothing writes into
//! `tests/ui/` unless asked), by trybuild in a child process of this test
//! binary, which records what the compiler printed for each. On the reviewed
//! toolchain each record must equal its `.stderr`; elsewhere each case must
//! still fail, with its headlines (see `more_threads_ui_tests`).

use more_threads_ui_tests::{Compiler, comparable, headlines, reviewed_toolchain};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

/// The reviewed cases, relative to this crate (trybuild's paths are).
const CASES: &str = "tests/ui";
/// Where they are copied and compiled; trybuild prints paths relative to the
/// crate, so this prefix is put back to `tests/ui/` before comparing.
const COPIES: &str = "target/tests/ui";
/// Set in the child process that compiles the copies.
const COMPILE_THE_COPIES: &str = "MORE_THREADS_UI_COMPILE_THE_COPIES";
/// Set by CI: compare exactly, or fail (never fall back to headlines).
const EXACT: &str = "MORE_THREADS_UI_EXACT";
/// Set in the child process that builds and runs the corpus.
const BUILD_THE_CORPUS: &str = "MORE_THREADS_UI_BUILD_THE_CORPUS";
/// trybuild's cargo builds without debug info. trybuild does not read the
/// workspace's profiles, and its cargo inherits our environment: with the
/// default profile, each of the corpus's programs links the runtime's and
/// std's debug info, 36 MB a program and 6.7 GB for the corpus, which ran
/// CI's machine out of disk; without, 0.8 GB. A program that panics still
/// says where (the location is compiled in, not read from debug info).
const WITHOUT_DEBUG_INFO: [(&str, &str); 2] = [
    ("CARGO_PROFILE_DEV_DEBUG", "0"),
    ("CARGO_PROFILE_DEV_STRIP", "debuginfo"),
];

#[test]
fn every_promised_compile_error_reads_as_reviewed() {
    let compiler = Compiler::running().expect("the compiler that builds the cases");
    let exact = compiler.is_reviewed();
    let refresh = env::var_os("TRYBUILD").is_some_and(|v| v == "overwrite");
    assert!(
        exact || env::var_os(EXACT).is_none(),
        "{EXACT} is set, but `{}` is not the reviewed toolchain {}: run `cargo +{} test -p more-threads-ui-tests`",
        compiler.version(),
        reviewed_toolchain(),
        reviewed_toolchain(),
    );
    assert!(
        exact || !refresh,
        "TRYBUILD=overwrite refreshes the reviewed .stderr files, and `{}` is not the toolchain they are reviewed on: \
         run `TRYBUILD=overwrite cargo +{} test -p more-threads-ui-tests`",
        compiler.version(),
        reviewed_toolchain(),
    );

    let cases = copy_the_cases();
    // trybuild reports each copy as "wip" with all it printed: that is the
    // record this test reads, so its report is shown only when it failed.
    let compiled = Command::new(env::current_exe().expect("this test binary"))
        .args(["compile_the_copies", "--exact", "--ignored", "--nocapture"])
        .env(COMPILE_THE_COPIES, "1")
        .env("TRYBUILD", "overwrite")
        .envs(WITHOUT_DEBUG_INFO)
        .output()
        .expect("the child process that compiles the cases");
    assert!(
        compiled.status.success(),
        "compiling the ui cases failed ({}): a case that should not compile did, or trybuild could not build them:\n{}{}",
        compiled.status,
        String::from_utf8_lossy(&compiled.stdout),
        String::from_utf8_lossy(&compiled.stderr),
    );

    let copied_from = format!("{COPIES}/");
    let mut wrong = String::new();
    for case in &cases {
        let reviewed_path = case.with_extension("stderr");
        let copy = Path::new(COPIES).join(case.file_name().expect("a file"));
        let printed = fs::read_to_string(copy.with_extension("stderr"))
            .unwrap_or_else(|e| panic!("what the compiler printed for {}: {e}", case.display()));
        let printed = comparable(&printed, &copied_from);
        if exact && refresh {
            fs::write(&reviewed_path, &printed)
                .unwrap_or_else(|e| panic!("writing {}: {e}", reviewed_path.display()));
            continue;
        }
        let reviewed = fs::read_to_string(&reviewed_path).unwrap_or_else(|e| {
            panic!(
                "{} has no reviewed .stderr ({e}): write it with `TRYBUILD=overwrite cargo +{} test -p more-threads-ui-tests`",
                case.display(),
                reviewed_toolchain()
            )
        });
        let reviewed = comparable(&reviewed.replace("\r\n", "\n"), &copied_from);
        if exact {
            if printed != reviewed {
                let _ = write!(
                    wrong,
                    "\n{} does not read as reviewed.\n--- reviewed\n{reviewed}--- printed\n{printed}",
                    case.display()
                );
            }
        } else {
            let said: Vec<&str> = headlines(&printed);
            for headline in headlines(&reviewed) {
                if !said.contains(&headline) {
                    let _ = write!(
                        wrong,
                        "\n{} no longer says `{headline}`; it printed:\n{printed}",
                        case.display()
                    );
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "on `{}`:{wrong}\nIf a message changed on purpose, refresh with `TRYBUILD=overwrite cargo +{} test -p more-threads-ui-tests` and review the diff.",
        compiler.version(),
        reviewed_toolchain()
    );
    if exact {
        eprintln!(
            "{} ui cases: every .stderr read exactly as reviewed on `{}`",
            cases.len(),
            compiler.version()
        );
    } else {
        eprintln!(
            "{} ui cases: each failed with its reviewed headlines on `{}` (the .stderr files are compared exactly on {})",
            cases.len(),
            compiler.version(),
            reviewed_toolchain()
        );
    }
}

/// Run by the test above, in a child process of its own with
/// `TRYBUILD=overwrite`, so that trybuild writes what the compiler printed
/// for each copy beside it; on its own it does nothing.
#[test]
#[ignore = "run by every_promised_compile_error_reads_as_reviewed"]
fn compile_the_copies() {
    if env::var_os(COMPILE_THE_COPIES).is_none() {
        eprintln!("compile_the_copies runs inside every_promised_compile_error_reads_as_reviewed");
        return;
    }
    trybuild::TestCases::new().compile_fail(format!("{COPIES}/*.rs"));
}

#[test]
fn programs_at_the_edge_of_what_compiles_build_and_run() {
    // trybuild prints each program's result as it goes: the child's output
    // is left on the terminal rather than captured.
    let status = Command::new(env::current_exe().expect("this test binary"))
        .args(["build_the_corpus", "--exact", "--ignored", "--nocapture"])
        .env(BUILD_THE_CORPUS, "1")
        .envs(WITHOUT_DEBUG_INFO)
        .status()
        .expect("the child process that builds and runs the corpus");
    assert!(
        status.success(),
        "a program of the corpus did not build or did not run to its end ({status}): see trybuild's report above"
    );
}

/// Run by the test above, in a child process of its own (so that its
/// environment can leave debug info out of trybuild's builds); on its own it
/// does nothing.
#[test]
#[ignore = "run by programs_at_the_edge_of_what_compiles_build_and_run"]
fn build_the_corpus() {
    if env::var_os(BUILD_THE_CORPUS).is_none() {
        eprintln!(
            "build_the_corpus runs inside programs_at_the_edge_of_what_compiles_build_and_run"
        );
        return;
    }
    trybuild::TestCases::new().pass("tests/pass/*.rs");
}

/// The programs above are the DSL's corpus: ordinary Rust inside `scope!`,
/// `#[worker]` and `#[more_threads::main]`, each built with every warning
/// an error (a warning in the user's code is a failed build under
/// `-D warnings`) and run, asserting what it computed.
#[test]
fn the_corpus_holds_a_hundred_programs_or_more_each_denying_warnings() {
    let mut programs = 0;
    for entry in fs::read_dir("tests/pass").expect("the corpus") {
        let path = entry.expect("a corpus entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        programs += 1;
        let text = fs::read_to_string(&path).expect("a corpus program");
        assert!(
            text.lines().any(|line| line.trim() == "#![deny(warnings)]"),
            "{} does not deny warnings: add `#![deny(warnings)]` after its doc comment",
            path.display()
        );
    }
    assert!(
        programs >= 100,
        "the corpus holds {programs} programs; the DSL promises at least 100"
    );
}

/// Copies each case to a fresh folder (no `.stderr` beside them, so trybuild
/// writes what it gets) and returns the cases' paths, sorted.
fn copy_the_cases() -> Vec<PathBuf> {
    let copies = Path::new(COPIES);
    if copies.exists() {
        fs::remove_dir_all(copies).expect("removing the previous copies");
    }
    fs::create_dir_all(copies).expect("a folder for the copies");
    let mut cases: Vec<PathBuf> = fs::read_dir(CASES)
        .expect("the ui cases")
        .map(|entry| entry.expect("a ui case").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| Path::new(CASES).join(path.file_name().expect("a file")))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no ui case under {CASES}");
    for case in &cases {
        fs::copy(case, copies.join(case.file_name().expect("a file")))
            .unwrap_or_else(|e| panic!("copying {}: {e}", case.display()));
    }
    cases
}
