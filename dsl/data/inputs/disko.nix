# The options disko's NixOS module declares (`disko.nixosModules.disko`), restated from
# its option declarations (nix-community/disko, module.nix, lib/types/disk.nix and
# lib/types/nodev.nix at commit 1d31ec8a9ec5) with their names, types and defaults;
# descriptions are flakesmith's own. Only the declarations: partitioning, formatting
# and mounting are disko's job.
#
# This file is the source of `dsl/data/disko-options.json` and of the shipped
# `flakesmith::disko` bindings (README, "Option bindings"), and the stand-in module the
# tests evaluate generated hosts against.
#
# What a disk holds (`content`) and the pooled devices (mdadm arrays, ZFS pools, LVM
# volume groups) are disko's own tagged types, picked by their `type` attribute; they
# are declared here with disko's meaning but no further structure, so the bindings take
# them as untyped values that disko itself checks.
{ config, lib, ... }:
let
  inherit (lib) mkOption mkOptionType types literalExpression;
  absolutePath = mkOptionType {
    name = "absolutePath";
    description = "absolute path";
    descriptionClass = "noun";
    check = x: lib.isString x && lib.hasPrefix "/" x;
    merge = lib.mergeEqualOption;
  };
  tagged = what: mkOptionType {
    name = "disko";
    description = "disko ${what}, picked by its `type` attribute";
    descriptionClass = "noun";
    check = lib.isAttrs;
    merge = lib.mergeEqualOption;
  };
  disk = types.submodule ({ name, ... }: {
    options = {
      type = mkOption {
        type = types.enum [ "disk" ];
        default = "disk";
        internal = true;
        description = "The device's kind.";
      };
      name = mkOption {
        type = types.str;
        default = lib.replaceStrings [ "/" ] [ "_" ] name;
        defaultText = lib.literalMD "the attribute name, with / as _";
        description = "Name of the disk (and of its image).";
      };
      device = mkOption {
        type = absolutePath;
        example = "/dev/disk/by-id/nvme-Samsung_SSD_980_1TB";
        description = "The block device, best named by id so it survives reordering.";
      };
      imageSize = mkOption {
        type = types.strMatching "[0-9]+[KMGTP]?";
        default = "2G";
        description = "Size of the disk image when disko builds images (as truncate -s takes it).";
      };
      content = mkOption {
        type = types.nullOr (tagged "content (gpt, table, filesystem, luks, lvm_pv, mdraid, zfs, btrfs, swap, ...)");
        default = null;
        description = "What the disk holds: a partition table, a file system, an encrypted volume, ...";
      };
    };
  });
  nodev = types.submodule ({ name, ... }: {
    options = {
      type = mkOption {
        type = types.enum [ "nodev" ];
        default = "nodev";
        internal = true;
        description = "The device's kind.";
      };
      fsType = mkOption {
        type = types.str;
        example = "tmpfs";
        description = "File system type of the device-less mount.";
      };
      device = mkOption {
        type = types.str;
        default = "none";
        description = "The device field of the mount.";
      };
      mountpoint = mkOption {
        type = types.nullOr absolutePath;
        default = name;
        defaultText = lib.literalMD "the attribute name";
        description = "Where the file system is mounted.";
      };
      mountOptions = mkOption {
        type = types.listOf types.str;
        default = [ "defaults" ];
        description = "Options passed to mount.";
      };
    };
  });
in
{
  options.disko = {
    devices = {
      disk = mkOption {
        type = types.attrsOf disk;
        default = { };
        description = "Disks, by name.";
      };
      nodev = mkOption {
        type = types.attrsOf nodev;
        default = { };
        description = "Mounts without a block device (tmpfs and the like), by mount point.";
      };
      mdadm = mkOption {
        type = types.attrsOf (tagged "mdadm array");
        default = { };
        description = "Software RAID arrays, by name.";
      };
      zpool = mkOption {
        type = types.attrsOf (tagged "ZFS pool");
        default = { };
        description = "ZFS pools, by name.";
      };
      lvm_vg = mkOption {
        type = types.attrsOf (tagged "LVM volume group");
        default = { };
        description = "LVM volume groups, by name.";
      };
    };
    enableConfig = mkOption {
      type = types.bool;
      default = true;
      description = "Configure the system's file systems and boot from the devices (false on installer images).";
    };
    checkScripts = mkOption {
      type = types.bool;
      default = false;
      description = "Run shellcheck on the generated scripts.";
    };
    rootMountPoint = mkOption {
      type = types.str;
      default = "/mnt";
      description = "Where the mount script mounts the device tree.";
    };
    memSize = mkOption {
      type = types.int;
      default = 1024;
      description = "Memory of the image-building VM, in megabytes.";
    };
    imageBuilder = {
      qemu = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The qemu command that builds disk images (for images of another architecture).";
      };
      extraRootModules = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "bcachefs" ];
        description = "Kernel modules the image-building VM loads.";
      };
      extraPostVM = mkOption {
        type = types.lines;
        default = "";
        description = "Shell code run after the images are built and moved to $out.";
      };
      extraDependencies = mkOption {
        type = types.listOf types.package;
        default = [ ];
        description = "Packages available in the image-building VM.";
      };
      name = mkOption {
        type = types.str;
        default = "${config.networking.hostName or "nixos"}-disko-images";
        defaultText = literalExpression ''"''${config.networking.hostName}-disko-images"'';
        description = "Name of the disk images.";
      };
      copyNixStore = mkOption {
        type = types.bool;
        default = true;
        description = "Copy the Nix store into the images.";
      };
      imageFormat = mkOption {
        type = types.enum [ "raw" "qcow2" ];
        default = "raw";
        description = "Format of the disk images.";
      };
    };
    tests = {
      efi = mkOption {
        type = types.bool;
        default = (config.boot.loader.systemd-boot.enable or false) || (config.boot.loader.grub.efiSupport or false);
        defaultText = literalExpression "config.boot.loader.systemd-boot.enable || config.boot.loader.grub.efiSupport";
        description = "Whether the install test boots with EFI.";
      };
      extraChecks = mkOption {
        type = types.lines;
        default = "";
        description = "Extra test script lines for the install test.";
      };
    };
  };
}
