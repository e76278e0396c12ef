use flakesmith_nixos::system::nixos;
use flakesmith::prelude::*;

fn main() {
    let _host = Host::new("desk", System::X86_64Linux, "24.05").set(nixos::release, "24.11");
}
