#!/usr/bin/env bash
# Installs the system peers the tests run against (sshd test hosts, nftables/tc faults, nginx
# WebDAV, Chromium, locales). Used by `npm test` and `.ci/run`; idempotent and quick when
# everything is present (no `apt-get update` then).
#
# Exit codes: 0 all peers present (after installing what was missing);
#             1 peers missing and this script cannot install them (not root or no apt-get):
#               it prints the exact command to run.
set -euo pipefail

# package -> a file whose presence proves the package is installed. Checked by absolute path:
# PATH differs between shells, CI and sudo, and sshd must be run by its absolute path anyway.
PEERS=(
  "openssh-server:/usr/sbin/sshd"
  "openssh-client:/usr/bin/ssh"
  "openssh-client:/usr/bin/ssh-keygen"
  "iproute2:/usr/sbin/ip"
  "iproute2:/usr/sbin/tc"
  "nftables:/usr/sbin/nft"
  "util-linux:/usr/bin/unshare"
  "util-linux:/usr/bin/nsenter"
  "procps:/usr/bin/pkill"
  "procps:/usr/bin/ps"
  "psmisc:/usr/bin/fuser"
  "sudo:/usr/bin/sudo"
  "locales:/usr/sbin/locale-gen"
  "nginx:/usr/sbin/nginx"
  "libnginx-mod-http-dav-ext:/usr/lib/nginx/modules/ngx_http_dav_ext_module.so"
  "chromium:/usr/bin/chromium"
  "curl:/usr/bin/curl"
  "wget:/usr/bin/wget"
  "perl:/usr/bin/shasum"
  "openssl:/usr/bin/openssl"
  "iproute2:/usr/bin/ss"
  "busybox:/bin/busybox"
  "python3:/usr/bin/python3"
  "strace:/usr/bin/strace"
)

# Locales the tests log in with (a host with LANG=de_DE.UTF-8 must not make output unparsable).
LOCALES=("de_DE.UTF-8" "en_US.UTF-8")

missing_packages() {
  local entry pkg path out=()
  for entry in "${PEERS[@]}"; do
    pkg="${entry%%:*}"
    path="${entry#*:}"
    if [[ ! -e "$path" ]]; then
      [[ " ${out[*]-} " == *" $pkg "* ]] || out+=("$pkg")
    fi
  done
  echo "${out[*]-}"
}

# `locale -a` prints de_DE.utf8 for de_DE.UTF-8.
missing_locales() {
  local have loc norm out=()
  have="$(locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]' || true)"
  for loc in "${LOCALES[@]}"; do
    norm="$(echo "${loc%%.*}.utf8" | tr '[:upper:]' '[:lower:]')"
    grep -qx "$norm" <<<"$have" || out+=("$loc")
  done
  echo "${out[*]-}"
}

can_install() {
  [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1
}

install_packages() {
  local -a pkgs=("$@")
  echo "install-peers: installing: ${pkgs[*]}" >&2
  # Debian's postinst scripts (openssh-server, nginx) try to start their services; a policy-rc.d
  # exiting 101 forbids that, so a machine without init does not fail the install. Only remove
  # it afterwards if we created it.
  local created_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  local rc=0
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || rc=$?
  if [[ $rc -eq 0 ]]; then
    # --no-install-recommends is safe for all of these: Chromium's recommends are fonts/extension
    # helpers, nginx's none that the WebDAV tests use.
    apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${pkgs[@]}" >/dev/null || rc=$?
  fi
  if [[ $created_policy -eq 1 ]]; then rm -f /usr/sbin/policy-rc.d; fi
  return $rc
}

generate_locales() {
  local loc
  for loc in "$@"; do
    # locale.gen lines read "de_DE.UTF-8 UTF-8"; uncomment an existing line or append one.
    if grep -Eq "^#? *${loc//./\\.} UTF-8" /etc/locale.gen 2>/dev/null; then
      sed -i -E "s/^# *(${loc//./\\.} UTF-8)/\\1/" /etc/locale.gen
    else
      echo "$loc UTF-8" >>/etc/locale.gen
    fi
  done
  echo "install-peers: generating locales: $*" >&2
  /usr/sbin/locale-gen >/dev/null
}

main() {
  local pkgs locs
  pkgs="$(missing_packages)"
  if [[ -n "$pkgs" ]]; then
    if ! can_install; then
      echo "install-peers: missing system packages: $pkgs" >&2
      echo "install-peers: install them with:" >&2
      echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs" >&2
      exit 1
    fi
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    if ! install_packages $pkgs; then
      echo "install-peers: apt-get could not install: $pkgs (see apt's messages above)" >&2
      exit 1
    fi
    pkgs="$(missing_packages)"
    if [[ -n "$pkgs" ]]; then
      echo "install-peers: still missing after apt-get install: $pkgs" >&2
      exit 1
    fi
  fi

  locs="$(missing_locales)"
  if [[ -n "$locs" ]]; then
    if [[ "$(id -u)" != "0" || ! -x /usr/sbin/locale-gen ]]; then
      echo "install-peers: missing locales: $locs" >&2
      echo "install-peers: add them to /etc/locale.gen (e.g. 'de_DE.UTF-8 UTF-8') and run: sudo locale-gen" >&2
      exit 1
    fi
    # shellcheck disable=SC2086
    generate_locales $locs
    locs="$(missing_locales)"
    if [[ -n "$locs" ]]; then
      echo "install-peers: locale-gen did not produce: $locs" >&2
      exit 1
    fi
  fi
  echo "install-peers: all system peers present" >&2
}

main "$@"
