# The fleet's login greeting: `fleet-motd` prints the host's name and NixOS version.
{writeShellScriptBin}:
writeShellScriptBin "fleet-motd" ''
  echo "$(hostname): NixOS $(nixos-version)"
''
