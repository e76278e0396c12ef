# The options sops-nix's NixOS module declares (`sops-nix.nixosModules.sops`), restated
# from its option declarations (Mic92/sops-nix, modules/sops/default.nix and
# modules/sops/templates/default.nix at commit 6ade8292ba53) with their names, types
# and defaults; descriptions are flakesmith's own. Only the declarations (and the
# placeholders templates name secrets by): decrypting and installing secrets is
# sops-nix's job. Left out: `sops.package` and
# `sops.validationPackage` (the installer's own packages).
#
# This file is the source of `dsl/data/sops-nix-options.json` and of the shipped
# `flakesmith::sops_nix` bindings (README, "Option bindings"), and the stand-in module
# the tests evaluate generated hosts against. Defaults that upstream computes from other
# NixOS options (`users.users.<owner>.group`, the host's SSH keys) read them where they
# exist and keep upstream's text.
{ config, lib, ... }:
let
  inherit (lib) mkOption types literalExpression;
  cfg = config.sops;
  groupOf = owner: config.users.users.${owner}.group or null;
  secret = types.submodule ({ config, name, ... }: {
    options = {
      name = mkOption {
        type = types.str;
        default = name;
        description = "File name of the decrypted secret under /run/secrets.";
      };
      key = mkOption {
        type = types.str;
        default = if cfg.defaultSopsKey != null then cfg.defaultSopsKey else name;
        defaultText = lib.literalMD "the attribute name";
        description = ''Key of the secret in the sops file ("" for the whole file); ignored for binary files.'';
      };
      path = mkOption {
        type = types.str;
        default = if config.neededForUsers then "/run/secrets-for-users/${config.name}" else "/run/secrets/${config.name}";
        defaultText = lib.literalMD "/run/secrets-for-users/<name> with neededForUsers, /run/secrets/<name> otherwise";
        description = "Where the decrypted secret is linked to.";
      };
      format = mkOption {
        type = types.enum [ "yaml" "json" "binary" "dotenv" "ini" ];
        default = cfg.defaultSopsFormat;
        defaultText = literalExpression "config.sops.defaultSopsFormat";
        description = "Format of the sops file; binary files are written out as they decrypt.";
      };
      mode = mkOption {
        type = types.str;
        default = "0400";
        description = "Octal permissions of the decrypted file.";
      };
      owner = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "User owning the decrypted file (only with uid 0).";
      };
      uid = mkOption {
        type = types.nullOr types.int;
        default = 0;
        description = "Numeric owner, used when owner is null; the user need not exist.";
      };
      group = mkOption {
        type = types.nullOr types.str;
        default = if config.owner != null then groupOf config.owner else null;
        defaultText = literalExpression "config.users.users.\${owner}.group";
        description = "Group owning the decrypted file (only with gid 0).";
      };
      gid = mkOption {
        type = types.nullOr types.int;
        default = 0;
        description = "Numeric group, used when group is null; the group need not exist.";
      };
      sopsFile = mkOption {
        type = types.path;
        default = cfg.defaultSopsFile;
        defaultText = literalExpression "config.sops.defaultSopsFile";
        description = "The encrypted sops file holding the secret.";
      };
      restartUnits = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "sshd.service" ];
        description = "systemd units restarted when the secret changes.";
      };
      reloadUnits = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "sshd.service" ];
        description = "systemd units reloaded when the secret changes.";
      };
      neededForUsers = mkOption {
        type = types.bool;
        default = false;
        description = "Decrypt the secret before users are created (for password files); it then lives under /run/secrets-for-users and belongs to root.";
      };
    };
  });
  template = types.submodule ({ config, name, ... }: {
    options = {
      name = mkOption {
        type = types.singleLineStr;
        default = name;
        description = "File name of the rendered template under /run/secrets-rendered.";
      };
      path = mkOption {
        type = types.singleLineStr;
        default = "/run/secrets-rendered/${config.name}";
        description = "Where the rendered file is written.";
      };
      content = mkOption {
        type = types.lines;
        default = "";
        description = "The template text; secrets appear in it through config.sops.placeholder.<name>.";
      };
      mode = mkOption {
        type = types.singleLineStr;
        default = "0400";
        description = "Octal permissions of the rendered file.";
      };
      owner = mkOption {
        type = types.singleLineStr;
        default = "root";
        description = "User owning the rendered file.";
      };
      group = mkOption {
        type = types.singleLineStr;
        default = groupOf config.owner;
        defaultText = literalExpression "config.users.users.\${owner}.group";
        description = "Group owning the rendered file.";
      };
      file = mkOption {
        type = types.path;
        example = "./configuration-template.conf";
        description = "A template file, used instead of content.";
      };
      restartUnits = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "sshd.service" ];
        description = "Units restarted when the rendered file changes.";
      };
      reloadUnits = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "sshd.service" ];
        description = "Units reloaded when the rendered file changes.";
      };
    };
  });
in
{
  options.sops = {
    secrets = mkOption {
      type = types.attrsOf secret;
      default = { };
      description = "The secrets to decrypt on activation, by name.";
    };
    templates = mkOption {
      type = types.attrsOf template;
      default = { };
      description = "Files rendered from text with secrets substituted in, by name.";
    };
    defaultSopsFile = mkOption {
      type = types.path;
      description = "The sops file secrets come from unless they name their own.";
    };
    defaultSopsFormat = mkOption {
      type = types.str;
      default = "yaml";
      description = "The format secrets have unless they name their own.";
    };
    defaultSopsKey = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = ''The key secrets are looked up by unless they name their own ("" for the whole file).'';
    };
    validateSopsFiles = mkOption {
      type = types.bool;
      default = true;
      description = "Check the sops files while evaluating; they must then be in the Nix store.";
    };
    keepGenerations = mkOption {
      type = types.ints.unsigned;
      default = 1;
      description = "How many generations of secrets to keep; 0 keeps them all.";
    };
    log = mkOption {
      type = types.listOf (types.enum [ "keyImport" "secretChanges" ]);
      default = [ "keyImport" "secretChanges" ];
      description = "What the installer logs.";
    };
    environment = mkOption {
      type = types.attrsOf (types.either types.str types.path);
      default = { };
      description = "Environment variables for the secrets installer, single-quoted as written.";
    };
    useTmpfs = mkOption {
      type = types.bool;
      default = false;
      description = "Keep decrypted secrets on tmpfs instead of ramfs (tmpfs may be swapped to disk).";
    };
    age = {
      keyFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/var/lib/sops-nix/key.txt";
        description = "The age key file that decrypts the sops files (outside the Nix store).";
      };
      plugins = mkOption {
        type = types.listOf types.package;
        default = [ ];
        description = "age plugins the decryption may use.";
      };
      generateKey = mkOption {
        type = types.bool;
        default = false;
        description = "Generate the age key file on activation when it does not exist.";
      };
      sshKeyPaths = mkOption {
        type = types.listOf types.path;
        default = [ ];
        defaultText = lib.literalMD "the host's ed25519 SSH host keys";
        description = "SSH keys used as age keys.";
      };
    };
    # Invisible upstream too: what a template's text names a secret by, set below.
    placeholder = mkOption {
      type = types.attrsOf types.str;
      default = { };
      visible = false;
      description = "The placeholder of each secret, substituted in templates when they are rendered.";
    };
    gnupg = {
      home = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/root/.gnupg";
        description = "The GnuPG home holding the key that decrypts the sops files.";
      };
      sshKeyPaths = mkOption {
        type = types.listOf types.path;
        default = [ ];
        defaultText = lib.literalMD "the host's RSA SSH host keys";
        description = "SSH keys imported as GnuPG keys (unset when gnupg.home is set).";
      };
    };
  };
  # The placeholders sops-nix gives every secret (where there are templates; given
  # always here, which a template's own names cannot then depend on).
  config.sops.placeholder = lib.mapAttrs (
    name: _: lib.mkDefault "<SOPS:${builtins.hashString "sha256" name}:PLACEHOLDER>"
  ) cfg.secrets;
}
