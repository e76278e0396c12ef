//! `#[derive(NixValue)]`: code generation.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::attr;
use crate::case::Case;
use crate::ctxt::Ctxt;
use crate::docs::doc_text;

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let container = attr::container(&cx, &input.attrs);
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "`NixValue` cannot be derived for generic types; use a concrete type",
        );
    }
    let name = &input.ident;
    let impls = match &input.data {
        Data::Struct(data) => struct_body(
            &cx,
            &data.fields,
            container.rename_all.unwrap_or(Case::Camel),
        )
        .map(|parts| struct_impls(name, parts)),
        Data::Enum(data) => {
            enum_impls(&cx, name, data, container.rename_all.unwrap_or(Case::Kebab))
        }
        Data::Union(data) => {
            cx.syn_error(syn::Error::new(
                data.union_token.span,
                "`NixValue` cannot be derived for unions; use a struct or an enum",
            ));
            None
        }
    };
    cx.check()?;
    Ok(impls.expect("a derive input without impls has recorded an error"))
}

/// A struct is an attribute set of its own schema: it may set any option whose type has
/// an attribute set member (`Record`).
fn struct_impls(name: &syn::Ident, (body, nix_type, merge): Parts) -> TokenStream {
    quote! {
        impl ::flakesmith::value::Record for #name {}

        impl ::flakesmith::ToNix for #name {
            fn to_nix(&self) -> ::core::result::Result<::flakesmith::nix::Expr, ::flakesmith::nix::ValueError> {
                #body
            }
        }

        ::flakesmith::value::value_of_itself!(#name);

        impl ::flakesmith::NixType for #name {
            type Value = #name;
            fn nix_type() -> ::flakesmith::nix::Expr {
                #nix_type
            }
        }

        impl ::flakesmith::MergeRule for #name {
            const MERGE: ::flakesmith::Merge = #merge;
        }
    }
}

/// A struct's code for the value, its option type and its merge rule.
type Parts = (TokenStream, TokenStream, TokenStream);

/// Records an error when two fields or variants take one Nix name: one value would be
/// lost (or two variants written alike).
fn unique_name<'a>(
    cx: &Ctxt,
    taken: &mut Vec<(String, &'a syn::Ident)>,
    name: String,
    ident: &'a syn::Ident,
    what: &str,
) {
    if let Some((_, first)) = taken.iter().find(|(n, _)| *n == name) {
        cx.error_spanned_by(
            ident,
            format!("{what} `{ident}` is written as `{name}`, like `{first}`: one would silently replace the other; rename one of them"),
        );
    } else {
        taken.push((name, ident));
    }
}

/// A struct with named fields becomes an attribute set; its option type is a submodule.
fn struct_body(cx: &Ctxt, fields: &Fields, case: Case) -> Option<Parts> {
    let Fields::Named(named) = fields else {
        cx.error_spanned_by(
            fields,
            "`NixValue` needs named fields: a tuple or unit struct has no attribute names to become a Nix attribute set",
        );
        return None;
    };
    let mut inserts = Vec::new();
    let mut declarations = Vec::new();
    let mut taken = Vec::new();
    for field in &named.named {
        let options = attr::item(cx, &field.attrs, "field");
        let ident = field.ident.as_ref().expect("named fields have names");
        let key = options
            .rename
            .unwrap_or_else(|| case.apply(&ident.to_string()));
        unique_name(cx, &mut taken, key.clone(), ident, "field");
        inserts.push(quote! {
            attrs.insert(#key, ::flakesmith::ToNix::to_nix(&self.#ident)?);
        });
        let (ty, description) = (&field.ty, doc_text(&field.attrs));
        declarations.push(quote!(::flakesmith::OptionDecl::of::<#ty>(#key, #description)));
    }
    let body = quote! {
        let mut attrs = ::flakesmith::nix::Attrs::new();
        #(#inserts)*
        ::core::result::Result::Ok(::flakesmith::nix::Expr::Attrs(attrs))
    };
    let nix_type = quote!(::flakesmith::declared::submodule_type(
        vec![#(#declarations),*]
    ));
    Some((body, nix_type, quote!(::flakesmith::Merge::Submodule)))
}

/// An enum of unit variants becomes a string, as `types.enum` values are: the same impls
/// the bindings' enums get (`flakesmith::value::string_enum!`).
fn enum_impls(
    cx: &Ctxt,
    name: &syn::Ident,
    data: &syn::DataEnum,
    case: Case,
) -> Option<TokenStream> {
    if data.variants.is_empty() {
        cx.syn_error(syn::Error::new(
            data.enum_token.span,
            "`NixValue` needs at least one variant: an empty enum has no value to write",
        ));
        return None;
    }
    let mut idents = Vec::new();
    let mut texts = Vec::new();
    let mut taken = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                "`NixValue` enums become Nix strings, so every variant must be a unit variant without fields",
            );
        }
        let options = attr::item(cx, &variant.attrs, "variant");
        let ident = &variant.ident;
        let text = options
            .rename
            .unwrap_or_else(|| case.apply(&ident.to_string()));
        unique_name(cx, &mut taken, text.clone(), ident, "variant");
        idents.push(ident);
        texts.push(text);
    }
    Some(quote! {
        ::flakesmith::value::string_enum!(#name { #(#idents => #texts),* });
    })
}

/// What a rejected derive still provides beside its errors: the value traits, so that
/// the user's code converting the type compiles and the derive's own message is the only
/// one. The bodies never run: the derive's `compile_error!` stops the build.
pub fn fallback(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    // A generic type or a union is itself the mistake reported; an impl would add to it.
    if matches!(input.data, Data::Union(_)) || !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    let unreachable = quote!(::core::unreachable!());
    let merge = quote!(::flakesmith::Merge::Equal);
    struct_impls(name, (unreachable.clone(), unreachable, merge))
}
