//! Arbitrary IR must print to a file that the real Nix parser (nixel) and rnix accept.
#![no_main]

use flakesmith::nix::{print_file, Attrs, Expr, Formals, Ident, NixPath};
use libfuzzer_sys::fuzz_target;

/// Builds an expression from fuzz bytes. Leaves that flakesmith refuses to construct
/// (NaN, NUL in strings, invalid paths) are skipped: they cannot reach the printer.
struct Builder<'a> {
    data: &'a [u8],
}

impl Builder<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.data.split_first().unwrap_or((&0, &[]));
        self.data = rest;
        *first
    }

    fn text(&mut self) -> String {
        let len = usize::from(self.byte() % 16);
        let take = len.min(self.data.len());
        let (bytes, rest) = self.data.split_at(take);
        self.data = rest;
        String::from_utf8_lossy(bytes).replace('\0', "")
    }

    fn expr(&mut self, depth: u8) -> Expr {
        let choice = if depth > 6 { self.byte() % 6 } else { self.byte() % 12 };
        match choice {
            0 => Expr::Null,
            1 => Expr::Bool(self.byte() % 2 == 0),
            2 => {
                let bytes: Vec<u8> = (0..8).map(|_| self.byte()).collect();
                Expr::Int(i64::from_le_bytes(bytes.try_into().unwrap()))
            }
            3 => {
                let bytes: Vec<u8> = (0..8).map(|_| self.byte()).collect();
                Expr::float(f64::from_le_bytes(bytes.try_into().unwrap())).unwrap_or(Expr::Null)
            }
            4 => Expr::string(self.text()).unwrap_or(Expr::Null),
            5 => NixPath::new(format!("./{}", self.text())).map(Expr::Path).unwrap_or(Expr::Null),
            6 | 7 => Expr::List((0..self.byte() % 4).map(|_| self.expr(depth + 1)).collect()),
            8 | 9 => {
                let mut attrs = Attrs::new();
                for _ in 0..self.byte() % 4 {
                    let key = self.text();
                    let value = self.expr(depth + 1);
                    attrs.insert(key, value);
                }
                Expr::Attrs(attrs)
            }
            10 => {
                let function = Expr::select("lib.mkDefault").unwrap();
                Expr::apply(function, [self.expr(depth + 1)])
            }
            _ => {
                let bind = (self.byte() % 2 == 0).then(|| Ident::new("args").unwrap());
                let formals = Formals { names: vec![Ident::new("lib").unwrap()], ellipsis: self.byte() % 2 == 0, bind };
                Expr::Lambda(formals, Box::new(self.expr(depth + 1)))
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let expr = Builder { data }.expr(0);
    let text = print_file(&["fuzz".to_owned()], &expr);
    if let Err(error) = flakesmith::validate::validate_nixel(&text) {
        panic!("nixel rejects printed output at {error}:\n{text}");
    }
    if let Err(error) = flakesmith::validate::validate_rnix(&text) {
        panic!("rnix rejects printed output at {error}:\n{text}");
    }
});
