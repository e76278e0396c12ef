use flakesmith::prelude::*;
use flakesmith_nixos::networking;

fn main() {
    // `networking.hostName` is a string, not `null or string`: it cannot be `null`.
    let _ = Host::new("desk", System::X86_64Linux, "25.05").set_null(networking::host_name);
}
