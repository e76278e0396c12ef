use flakesmith_home::programs;
use flakesmith::prelude::*;

fn main() {
    let _user = User::new("alice", "24.05").set(programs::git::enable, "yes");
}
