//! `#[derive(NixModule)]`: code generation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{Data, DeriveInput, Fields};

use crate::attr;
use crate::case::Case;
use crate::ctxt::Ctxt;
use crate::docs::{doc_text, summary};

/// One field, parsed: everything code generation needs.
struct OptionField<'a> {
    ident: &'a syn::Ident,
    ty: &'a syn::Type,
    nix_name: String,
    description: String,
    attrs: attr::OptionAttrs,
}

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let module = attr::module(&cx, input);
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "`NixModule` cannot be derived for generic types",
        );
    }
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Some(named),
            other => {
                cx.error_spanned_by(
                    other,
                    "`NixModule` needs a struct with named fields: each field becomes an option named after it",
                );
                None
            }
        },
        Data::Enum(data) => {
            cx.syn_error(syn::Error::new(
                data.enum_token.span,
                "`NixModule` needs a struct with named fields; for an enum of option values, derive `NixValue`",
            ));
            None
        }
        Data::Union(data) => {
            cx.syn_error(syn::Error::new(
                data.union_token.span,
                "`NixModule` needs a struct with named fields, not a union",
            ));
            None
        }
    };
    let case = module
        .as_ref()
        .and_then(|m| m.rename_all)
        .unwrap_or(Case::Camel);
    let mut fields: Vec<OptionField> = Vec::new();
    for field in named.iter().flat_map(|n| &n.named) {
        let ident = field.ident.as_ref().expect("named fields have names");
        let attrs = attr::option(&cx, &field.attrs);
        let nix_name = attrs
            .rename
            .clone()
            .unwrap_or_else(|| case.apply(&ident.to_string()));
        if nix_name == "enable" {
            cx.error_spanned_by(
                ident,
                "`enable` is declared by `NixModule` itself; remove this field or rename it",
            );
            continue;
        }
        // Two fields declaring one option: one declaration would replace the other, and
        // a value of one field's Rust type would be bound to the other's Nix type.
        if let Some(first) = fields.iter().find(|f| f.nix_name == nix_name) {
            cx.error_spanned_by(
                ident,
                format!(
                    "field `{ident}` declares option `{nix_name}`, like field `{}`: one declaration would silently replace the other; rename one of them",
                    first.ident
                ),
            );
            continue;
        }
        fields.push(OptionField {
            ident,
            ty: &field.ty,
            nix_name,
            description: doc_text(&field.attrs),
            attrs,
        });
    }
    cx.check()?;
    let Some(module) = module else {
        unreachable!("a module without its required attributes has recorded an error")
    };

    let name = &input.ident;
    let vis = &input.vis;
    let cfg_name = format_ident!("{}Cfg", name);
    let options_name = format_ident!("{}Options", name);
    let module_name = module
        .name
        .unwrap_or_else(|| Case::Kebab.apply(&name.to_string()));
    let doc = doc_text(&input.attrs);
    let enable_description = summary(&doc, &module_name);
    let namespace = &module.namespace;
    let category = match module.category.0.as_str() {
        "system" => quote!(::flakesmith::Category::System),
        "services" => quote!(::flakesmith::Category::Services),
        "home" => quote!(::flakesmith::Category::Home),
        _ => quote!(::flakesmith::Category::Desktop),
    };
    let location = quote_spanned! {name.span()=>
        ::flakesmith::Location { file: file!(), line: line!(), column: column!() }
    };

    let value_ty = |ty: &syn::Type| quote!(<#ty as ::flakesmith::NixType>::Value);
    let path_of = |nix_name: &str| {
        quote!(::flakesmith::OptionPath::Owned(
            vec![#(#namespace.to_owned(),)* #nix_name.to_owned()]
        ))
    };

    let cfg_fields = fields.iter().map(|f| {
        let (ident, value) = (f.ident, value_ty(f.ty));
        let doc = format!("`cfg.{}`", f.nix_name);
        quote!(#[doc = #doc] pub #ident: ::flakesmith::CfgRef<#value>)
    });
    let cfg_inits = fields.iter().map(|f| {
        let (ident, nix_name) = (f.ident, &f.nix_name);
        quote!(#ident: ::flakesmith::CfgRef::new(#nix_name))
    });
    let option_fields = fields.iter().map(|f| {
        let (ident, value) = (f.ident, value_ty(f.ty));
        let doc = format!(
            "`{}.{}`{}{}",
            namespace.join("."),
            f.nix_name,
            if f.description.is_empty() { "" } else { ": " },
            f.description
        );
        quote!(#[doc = #doc] pub #ident: ::flakesmith::Opt<#value>)
    });
    let option_inits = fields.iter().map(|f| {
        let (ident, path) = (f.ident, path_of(&f.nix_name));
        quote!(#ident: ::flakesmith::Opt::at(#path))
    });
    let declarations = fields.iter().map(|f| {
        let (ty, nix_name, description) = (f.ty, &f.nix_name, &f.description);
        let value = value_ty(ty);
        // The default and example convert through `IntoValue` with the span of the user's
        // expression, so a value of the wrong type is a compile error pointing at it.
        let span_of = |tokens: &TokenStream| tokens.clone().into_iter().next().map_or_else(proc_macro2::Span::call_site, |t| t.span());
        let default = f.attrs.default.as_ref().map(|expr| {
            quote_spanned! {span_of(expr)=> .default_value(::flakesmith::IntoValue::<#value>::into_nix(#expr)) }
        });
        let example = f.attrs.example.as_ref().map(|expr| {
            quote_spanned! {span_of(expr)=> .example_value(::flakesmith::IntoValue::<#value>::into_nix(#expr)) }
        });
        // `line!()` spanned by the field reads the field's line: messages about its default
        // or example point at the field, not at the struct.
        let declared_at = quote_spanned! {f.ident.span()=>
            .declared_at(::flakesmith::Location { file: file!(), line: line!(), column: column!() })
        };
        quote!(::flakesmith::OptionDecl::of::<#ty>(#nix_name, #description) #declared_at #default #example)
    });
    let settings = fields.iter().map(|f| {
        let (ident, path) = (f.ident, path_of(&f.nix_name));
        quote!((#path, ::flakesmith::ToNix::to_nix(&self.#ident)))
    });
    let enable_path = path_of("enable");
    let cfg_doc =
        format!("Typed references to the values of `{name}`'s options, for its config part.");
    let options_doc = format!(
        "Typed handles on `{name}`'s options (`{}.*`), for hosts.",
        namespace.join(".")
    );

    Ok(quote! {
        #[doc = #cfg_doc]
        #[derive(Clone, Debug)]
        #vis struct #cfg_name {
            /// `cfg.enable`
            pub enable: ::flakesmith::CfgRef<bool>,
            #(#cfg_fields,)*
        }

        #[doc = #options_doc]
        #[derive(Clone, Debug)]
        #vis struct #options_name {
            /// Whether the module does anything.
            pub enable: ::flakesmith::Opt<bool>,
            #(#option_fields,)*
        }

        impl ::flakesmith::NixModule for #name {
            type Cfg = #cfg_name;
            type Options = #options_name;

            fn options() -> #options_name {
                #options_name { enable: ::flakesmith::Opt::at(#enable_path), #(#option_inits,)* }
            }

            fn cfg() -> #cfg_name {
                #cfg_name { enable: ::flakesmith::CfgRef::new("enable"), #(#cfg_inits,)* }
            }

            fn enable_option() -> ::flakesmith::Opt<bool> {
                ::flakesmith::Opt::at(#enable_path)
            }

            fn declare() -> ::flakesmith::Module {
                let options = ::flakesmith::ModuleOptions {
                    namespace: vec![#(#namespace.to_owned()),*],
                    enable_description: #enable_description.to_owned(),
                    options: vec![#(#declarations),*],
                };
                ::flakesmith::Module::with_options(#category, #module_name, options, #location).describe(#doc)
            }

            fn settings(&self) -> ::std::vec::Vec<(::flakesmith::OptionPath, ::core::result::Result<::flakesmith::nix::Expr, ::flakesmith::nix::ValueError>)> {
                vec![#(#settings),*]
            }
        }
    })
}

/// What a rejected derive still provides beside its errors: `<Name>Cfg`, `<Name>Options`
/// and an impl of `NixModule`, so that the user's `impl ModuleConfig`, `cfg.field` and
/// `.enable(Name { .. })` compile and the derive's own message is the only one (as
/// serde_derive and thiserror do). The bodies never run: the derive's `compile_error!`
/// stops the build.
pub fn fallback(input: &DeriveInput) -> TokenStream {
    let Data::Struct(syn::DataStruct {
        fields: syn::Fields::Named(named),
        ..
    }) = &input.data
    else {
        return TokenStream::new();
    };
    if !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    let (name, vis) = (&input.ident, &input.vis);
    let cfg_name = format_ident!("{}Cfg", name);
    let options_name = format_ident!("{}Options", name);
    // `enable` is the module's own; a field of that name is one of the mistakes reported.
    let fields: Vec<(&syn::Ident, &syn::Type)> = named
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref().map(|ident| (ident, &f.ty)))
        .filter(|(ident, _)| *ident != "enable")
        .collect();
    let cfg_fields = fields.iter().map(|(ident, ty)| {
        quote!(pub #ident: ::flakesmith::CfgRef<<#ty as ::flakesmith::NixType>::Value>)
    });
    let option_fields = fields.iter().map(
        |(ident, ty)| quote!(pub #ident: ::flakesmith::Opt<<#ty as ::flakesmith::NixType>::Value>),
    );
    quote! {
        #[doc(hidden)]
        #vis struct #cfg_name {
            pub enable: ::flakesmith::CfgRef<bool>,
            #(#cfg_fields,)*
        }

        #[doc(hidden)]
        #vis struct #options_name {
            pub enable: ::flakesmith::Opt<bool>,
            #(#option_fields,)*
        }

        impl ::flakesmith::NixModule for #name {
            type Cfg = #cfg_name;
            type Options = #options_name;
            fn options() -> #options_name { ::core::unreachable!() }
            fn cfg() -> #cfg_name { ::core::unreachable!() }
            fn enable_option() -> ::flakesmith::Opt<bool> { ::core::unreachable!() }
            fn declare() -> ::flakesmith::Module { ::core::unreachable!() }
            fn settings(&self) -> ::std::vec::Vec<(::flakesmith::OptionPath, ::core::result::Result<::flakesmith::nix::Expr, ::flakesmith::nix::ValueError>)> {
                ::core::unreachable!()
            }
        }
    }
}
