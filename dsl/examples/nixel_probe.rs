fn main() {
    for text in [
        "{ a = 1; }",
        "{ a = ; }",
        "# c\n{\n  x = ''\n    hi\n  '';\n}\n",
    ] {
        println!("{:?}", flakesmith::validate::validate(text));
    }
}
