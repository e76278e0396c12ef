//! Compile-time guarantees: wrong option types, misspelt options, unknown enum values,
//! read-only options and derive misuse fail to compile with messages that name the
//! mistake; the intended uses compile.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/fail/*.rs");
    cases.pass("ui/pass/*.rs");
}
