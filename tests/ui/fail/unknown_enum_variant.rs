use flakesmith_nixos::services::openssh::settings::{permit_root_login, PermitRootLogin};
use flakesmith::prelude::*;

fn main() {
    let _host = Host::new("desk", System::X86_64Linux, "24.05").set(permit_root_login, PermitRootLogin::Maybe);
}
