/// A module must name its options.
#[derive(flakesmith::NixModule)]
#[nix(category = "services", namespace = "fleet.tuple")]
pub struct Tuple(u16, bool);

/// Enum values become strings, so variants cannot carry data.
#[derive(flakesmith::NixValue)]
pub enum Mode {
    Fast,
    Custom(u8),
}

fn main() {}
