// A configuration written against the 24.11 line, built against 25.05, where
// `hardware.pulseaudio` became `services.pulseaudio`.
use flakesmith::prelude::*;
use flakesmith_nixos::hardware::pulseaudio;

fn main() {
    let _host = Host::new("desk", System::X86_64Linux, "25.05").set(pulseaudio::enable, true);
}
