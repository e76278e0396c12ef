# The options impermanence's NixOS module declares (`impermanence.nixosModules.impermanence`),
# restated from its option declarations (nix-community/impermanence, nixos.nix at commit
# 03fe473c731c) with their names, types and defaults; descriptions are flakesmith's own.
# Only the declarations a configuration sets: the internal ones (where a file's parent
# directory and its permissions end up) and the bind mounts, services and activation
# scripts are impermanence's job.
#
# This file is the source of `dsl/data/impermanence-options.json` and of the shipped
# `flakesmith_inputs::impermanence` bindings (README, "Option bindings").
#
# A file or directory is a path string or an attribute set naming it (`{ directory =
# "/var/lib/x"; mode = "0700"; }`): impermanence coerces the string to the set.
{ lib, ... }:
let
  inherit (lib) mkOption types;
  permissions = what: {
    user = mkOption {
      type = types.str;
      description = "Owner of the ${what} when impermanence creates it in persistent storage.";
    };
    group = mkOption {
      type = types.str;
      description = "Group of the ${what} when impermanence creates it in persistent storage.";
    };
    mode = mkOption {
      type = types.str;
      example = "0700";
      description = "Mode of the ${what} when impermanence creates it in persistent storage, as chmod takes it.";
    };
  };
  storage = {
    persistentStoragePath = mkOption {
      type = types.path;
      description = "Persistent storage holding this entry (by default its location's).";
    };
  };
  directory = types.submodule {
    options = storage // permissions "directory" // {
      directory = mkOption {
        type = types.str;
        description = "The directory to bind mount from persistent storage.";
      };
      hideMount = mkOption {
        type = types.bool;
        example = true;
        description = "Whether file managers are told not to show the bind mount (by default the location's `hideMounts`).";
      };
    };
  };
  file = types.submodule {
    options = storage // {
      file = mkOption {
        type = types.str;
        description = "The file to link or bind mount from persistent storage.";
      };
      parentDirectory = permissions "file's parent directory";
    };
  };
  entries = what: sub: example: mkOption {
    type = types.listOf (types.coercedTo types.str (name: { ${what} = name; }) sub);
    default = [ ];
    inherit example;
    description = "The ${if what == "file" then "files" else "directories"} kept in persistent storage: a path, or a set naming it with its permissions.";
  };
in
{
  options.environment.persistence = mkOption {
    default = { };
    description = "Persistent storage locations, by the path of each, and what they keep across reboots.";
    type = types.attrsOf (types.submodule ({ name, ... }: {
      options = {
        enable = mkOption {
          type = types.bool;
          default = true;
          description = "Whether this persistent storage location is used.";
        };
        persistentStoragePath = mkOption {
          type = types.path;
          default = name;
          defaultText = "‹name›";
          description = "Where the kept files and directories really are.";
        };
        hideMounts = mkOption {
          type = types.bool;
          default = false;
          example = true;
          description = "Whether file managers are told not to show this location's bind mounts.";
        };
        enableWarnings = mkOption {
          type = types.bool;
          default = true;
          description = "Whether impermanence warns about entries that are likely mistakes.";
        };
        files = entries "file" file [ "/etc/machine-id" ];
        directories = entries "directory" directory [ "/var/log" "/var/lib/nixos" ];
        users = mkOption {
          default = { };
          description = "Files and directories of users' home directories, by user name, relative to the home directory.";
          type = types.attrsOf (types.submodule ({ name, ... }: {
            options = {
              home = mkOption {
                type = types.path;
                default = "/home/${name}";
                defaultText = "/home/‹name›";
                description = "The user's home directory, where the entries are relative to.";
              };
              files = entries "file" file [ ".screenrc" ];
              directories = entries "directory" directory [ "Downloads" ".ssh" ];
            };
          }));
        };
      };
    }));
  };
}
