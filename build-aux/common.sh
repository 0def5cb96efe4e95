# common.sh: shared by run-demo and run-tests: install what is missing, configure, build.
# SPDX-License-Identifier: GPL-3.0-or-later

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${BUILDDIR:-$top/_build}

desk_missing_packages ()
{
  local pkg missing=()
  while read -r pkg; do
    case "$pkg" in ''|'#'*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done < "$top/build-aux/debian-packages.txt"
  echo "${missing[@]}"
}

desk_ensure_packages ()
{
  command -v dpkg-query >/dev/null || { echo "run-*: not a Debian system; install the packages of build-aux/debian-packages.txt yourself" >&2; return 0; }
  local missing
  missing=$(desk_missing_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
  else
    echo "Missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install $missing" >&2
    exit 1
  fi
}

desk_build ()
{
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$top" "$@"
  else
    meson setup --reconfigure "$builddir" "$top" "$@" >/dev/null
  fi
  meson compile -C "$builddir"
}
