//! Other flakes' modules with their typed options: a host imports sops-nix, disko and a
//! nixos-hardware profile, sets their options through the shipped bindings, and the
//! generated flake's `outputs` evaluate with the real module system and the stand-in
//! input flakes of `tests/fixtures/inputs/` (which declare those options as upstream
//! does), so a value Nix would reject for real is rejected here too.

use flakesmith::prelude::*;
use flakesmith::value::{Anything, Data};
use flakesmith::{compile, Input};
use flakesmith_inputs::disko::disko::devices::{self, DiskValue};
use flakesmith_inputs::sops_nix::sops;
use flakesmith_tests::{evaluate_flake, nixpkgs_lib_or_say, rejected_text as rejected};

fn laptop() -> Host {
    Host::new("laptop", System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_text("{ }"))
        .import(Module::from_input("sops-nix", "nixosModules.sops"))
        .import(Module::from_input("disko", "nixosModules.disko"))
        .import(Module::from_input(
            "nixos-hardware",
            "nixosModules.framework-13-7040-amd",
        ))
        .set(sops::age::key_file, "/var/lib/sops-nix/key.txt")
        .set(sops::validate_sops_files, false)
        .set(
            devices::disk,
            [(
                "main",
                DiskValue::new()
                    .device("/dev/nvme0n1")
                    .content(Data::<Anything>::attrs([
                        ("type", Data::of("filesystem")),
                        ("format", Data::of("ext4")),
                        ("mountpoint", Data::of("/")),
                    ])),
            )],
        )
}

fn fleet(host: Host) -> Flake {
    Flake::new("inputs", "24.11")
        .input(Input::github("sops-nix", "Mic92/sops-nix").follows("nixpkgs", "nixpkgs"))
        .input(Input::github("disko", "nix-community/disko").follows("nixpkgs", "nixpkgs"))
        .input(Input::github("nixos-hardware", "NixOS/nixos-hardware"))
        .host(host)
}

#[test]
fn typed_options_of_input_modules_evaluate_through_the_flake_outputs() {
    let tree = compile(&fleet(laptop()), std::path::Path::new("."))
        .unwrap()
        .tree;
    let host = tree.get("hosts/laptop/default.nix").unwrap();
    assert!(
        host.contains("keyFile = \"/var/lib/sops-nix/key.txt\";"),
        "{host}"
    );
    let Some(lib) = nixpkgs_lib_or_say("input modules") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        r#"let config = outputs.nixosConfigurations.laptop.config; in {
          keyFile = config.sops.age.keyFile;
          secrets = config.sops.secrets;
          root = config.fileSystems."/";
          microcode = config.hardware.cpu.amd.updateMicrocode;
          imageSize = config.disko.devices.disk.main.imageSize;
        }"#,
    )
    .unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "keyFile": "/var/lib/sops-nix/key.txt",
            "secrets": {},
            "root": { "device": "/dev/nvme0n1", "fsType": "ext4" },
            "microcode": true,
            "imageSize": "2G",
        })
    );
}

#[test]
fn a_value_sops_nix_rejects_fails_in_nix_as_it_would_for_real() {
    // The bindings make `format` an enum, so a wrong value does not compile; written raw,
    // it reaches Nix, and the stand-in's declaration rejects it as sops-nix's would.
    let host = laptop().set(sops::secrets::secret("wifi").format(), Raw::nix("\"toml\""));
    let tree = compile(&fleet(host), std::path::Path::new("."))
        .unwrap()
        .tree;
    let Some(lib) = nixpkgs_lib_or_say("input modules: a wrong value") else {
        return;
    };
    let error = evaluate_flake(
        &lib,
        &tree,
        "outputs.nixosConfigurations.laptop.config.sops.secrets.wifi.format",
    )
    .unwrap_err();
    assert!(
        error.contains("sops.secrets.wifi.format") && error.contains("is not of type"),
        "{error}"
    );
    // The near miss: a value sops-nix takes.
    let host = laptop().set(sops::secrets::secret("wifi").format(), Raw::nix("\"json\""));
    let tree = compile(&fleet(host), std::path::Path::new("."))
        .unwrap()
        .tree;
    let value = evaluate_flake(
        &lib,
        &tree,
        "outputs.nixosConfigurations.laptop.config.sops.secrets.wifi.format",
    )
    .unwrap();
    assert_eq!(value, "json");
}

/// A shared module that brings sops-nix with it: the host imports only the module.
fn secrets_module() -> Module {
    Module::new(Category::System, "secrets")
        .import(Module::from_input("sops-nix", "nixosModules.sops"))
        .set(sops::age::key_file, "/var/lib/sops-nix/key.txt")
}

#[test]
fn a_module_imports_another_flakes_module_for_its_hosts() {
    let host = Host::new("desk", System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_text("{ }"))
        .import(secrets_module());
    let tree = compile(&fleet(host), std::path::Path::new("."))
        .unwrap()
        .tree;
    let module = tree.get("modules/system/secrets.nix").unwrap();
    assert!(
        module.contains("  inputs,\n") && module.contains("inputs.sops-nix.nixosModules.sops"),
        "{module}"
    );
    let host = tree.get("hosts/desk/default.nix").unwrap();
    assert!(!host.contains("sops-nix"), "{host}");
    let Some(lib) = nixpkgs_lib_or_say("a module importing another flake's") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        "outputs.nixosConfigurations.desk.config.sops.age.keyFile",
    )
    .unwrap();
    assert_eq!(value, "/var/lib/sops-nix/key.txt");
}

#[test]
fn module_import_mistakes_name_the_rust_line() {
    let host = |module: Module| {
        Host::new("desk", System::X86_64Linux, "24.11")
            .hardware(Hardware::nix_text("{ }"))
            .import(module)
    };
    let home_in_nixos =
        Module::new(Category::System, "base").import(Module::new(Category::Home, "shell"));
    let text = rejected(&fleet(host(home_in_nixos)));
    assert!(
        text.contains("error[import-across-kinds]: module `modules/system/base.nix`"),
        "{text}"
    );
    assert!(text.contains("tests/tests/input_modules.rs:"), "{text}");
    let hand_kept = Module::nix_text(Category::System, "legacy", "{ }")
        .import(Module::from_input("sops-nix", "nixosModules.sops"));
    let text = rejected(&fleet(host(hand_kept)));
    assert!(
        text.contains("error[imports-on-foreign-module]: module `modules/system/legacy.nix`"),
        "{text}"
    );
}
