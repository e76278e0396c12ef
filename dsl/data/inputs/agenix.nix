# The options agenix's NixOS module declares (`agenix.nixosModules.default`), restated
# from its option declarations (ryantm/agenix, modules/age.nix at commit 7cbb4773bce3)
# with their names, types and defaults; descriptions are flakesmith's own. Only the
# declarations: decrypting secrets is agenix's job.
#
# This file is the source of `dsl/data/agenix-options.json` and of the shipped
# `flakesmith::agenix` bindings (README, "Option bindings"), and the stand-in module the
# tests evaluate generated hosts against. Defaults that upstream computes from other
# NixOS options read them where they exist and keep upstream's text.
{ config, lib, ... }:
let
  inherit (lib) mkOption types literalExpression;
  cfg = config.age;
  secret = types.submodule ({ config, name, ... }: {
    options = {
      name = mkOption {
        type = types.str;
        default = name;
        defaultText = lib.literalMD "the attribute name";
        description = "File name of the decrypted secret under age.secretsDir.";
      };
      file = mkOption {
        type = types.path;
        description = "The age-encrypted file holding the secret.";
      };
      path = mkOption {
        type = types.str;
        default = "${cfg.secretsDir}/${config.name}";
        defaultText = literalExpression ''"''${config.age.secretsDir}/''${name}"'';
        description = "Where the decrypted secret is installed.";
      };
      mode = mkOption {
        type = types.str;
        default = "0400";
        description = "Permissions of the decrypted file, as chmod takes them.";
      };
      owner = mkOption {
        type = types.str;
        default = "0";
        description = "User owning the decrypted file.";
      };
      group = mkOption {
        type = types.str;
        default = config.users.users.${config.owner}.group or "0";
        defaultText = literalExpression ''users.''${owner}.group or "0"'';
        description = "Group owning the decrypted file.";
      };
      symlink = mkOption {
        type = types.bool;
        default = true;
        example = true;
        description = "Whether to link the secret to its path (instead of writing it there).";
      };
    };
  });
in
{
  options.age = {
    ageBin = mkOption {
      type = types.str;
      default = "age";
      defaultText = literalExpression ''"''${pkgs.age}/bin/age"'';
      description = "The age program that decrypts the secrets.";
    };
    secrets = mkOption {
      type = types.attrsOf secret;
      default = { };
      description = "The secrets to decrypt on activation, by name.";
    };
    secretsDir = mkOption {
      type = types.path;
      default = "/run/agenix";
      description = "Directory the decrypted secrets are linked from.";
    };
    secretsMountPoint = mkOption {
      type = types.addCheck types.str (s: lib.trim s != "" && (s == "/" || !lib.hasSuffix "/" s))
        // { description = "string (with check: non-empty without trailing slash)"; };
      default = "/run/agenix.d";
      description = "Where each generation of secrets is decrypted before it is linked to age.secretsDir (not empty, no trailing slash).";
    };
    identityPaths = mkOption {
      type = types.listOf types.path;
      default = [ ];
      defaultText = lib.literalMD "the host's RSA and ed25519 SSH host keys, when openssh is enabled";
      description = "Private keys agenix decrypts with.";
    };
  };
}
