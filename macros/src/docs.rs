//! Doc comments as option descriptions.

use syn::Attribute;

/// The text of the `///` comments, one line each, with the space after `///` removed.
pub fn doc_text(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                }),
            ..
        }) = &attr.meta
        {
            let value = lit.value();
            lines.push(
                value
                    .strip_prefix(' ')
                    .unwrap_or(&value)
                    .trim_end()
                    .to_owned(),
            );
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

/// The first sentence-like line, without its final period: what `mkEnableOption` names.
pub fn summary(doc: &str, fallback: &str) -> String {
    let first = doc.split("\n\n").next().unwrap_or("").replace('\n', " ");
    let first = first.trim().trim_end_matches('.');
    if first.is_empty() {
        fallback.to_owned()
    } else {
        first.to_owned()
    }
}
