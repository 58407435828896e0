#!/usr/bin/env bash
# Installs the Debian packages the kiosk project needs (pcscd, vpcd, ippeveprinter, chromium,
# poppler, fonts, dbus, avahi, opensc, postgresql). The list lives in one place,
# scripts/system/debian-packages.txt, which scripts/system/requirements.ts reads too.
#
#   bash scripts/install-system-deps.sh           check; install what is missing (as root)
#   bash scripts/install-system-deps.sh --check   check only; exit 1 if something is missing
#   bash scripts/install-system-deps.sh --list F  use another list file (tests)
#
# Quiet and exit 0 when everything is present. Not root and something missing: prints what is
# missing and the one sudo apt-get line, and exits 1.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="$here/system/debian-packages.txt"
check_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check_only=1 ;;
    --list) shift; list="${1:?--list needs a file}" ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "install-system-deps: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -r "$list" ] || { echo "install-system-deps: cannot read $list" >&2; exit 2; }

# present PATH-OR-GLOB: true when the path, or at least one match of the glob, exists.
present() {
  local match
  for match in $1; do
    [ -e "$match" ] && return 0
  done
  return 1
}

missing_lines=()
missing_packages=()
while read -r path package purpose; do
  case "$path" in ''|'#'*) continue ;; esac
  if ! present "$path"; then
    missing_lines+=("  $path  (Debian package $package: $purpose)")
    case " ${missing_packages[*]-} " in *" $package "*) ;; *) missing_packages+=("$package") ;; esac
  fi
done < "$list"

[ "${#missing_packages[@]}" -eq 0 ] && exit 0

echo "install-system-deps: missing system parts:"
printf '%s\n' "${missing_lines[@]}"

if [ "$check_only" -eq 1 ] || [ "$(id -u)" -ne 0 ]; then
  echo "Install them with:"
  echo "  sudo apt-get install -y --no-install-recommends ${missing_packages[*]}"
  exit 1
fi

echo "install-system-deps: installing ${missing_packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing_packages[@]}"

still_missing=0
while read -r path package _; do
  case "$path" in ''|'#'*) continue ;; esac
  if ! present "$path"; then
    echo "install-system-deps: $path still missing after installing $package" >&2
    still_missing=1
  fi
done < "$list"
exit "$still_missing"
