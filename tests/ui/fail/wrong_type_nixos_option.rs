use flakesmith_nixos::networking;
use flakesmith::prelude::*;

fn main() {
    let _host = Host::new("desk", System::X86_64Linux, "24.05").set(networking::host_name, 42);
}
