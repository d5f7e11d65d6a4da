//! Every compile error more-threads promises, checked against its `.stderr`;
//! and the programs at the edge of what compiles, which must also run.

#[test]
fn every_promised_compile_error_reads_as_reviewed() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/pass/*.rs");
}
