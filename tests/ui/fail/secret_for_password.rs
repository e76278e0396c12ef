use flakesmith_nixos::users;
use flakesmith::prelude::*;

fn main() {
    let alice = users::users::user("alice");
    let _ = Host::new("desk", System::X86_64Linux, "24.05")
        .set(alice.password(), Secret::agenix("alice-password"))
        .set(alice.hashed_password(), RuntimePath::new("/run/secrets/alice"));
}
