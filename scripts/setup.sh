#!/usr/bin/env bash
# Installs what building and testing relate needs on Debian 12. Safe to run again: when
# everything is there already, or when not root, it installs nothing and says so.
set -euo pipefail

packages=(
  build-essential cmake pkg-config          # compiler, build
  libsqlite3-dev sqlite3                    # SQLite engine
  libpq-dev postgresql                      # PostgreSQL client library, test server
  libjansson-dev                            # JSON
  libcmocka-dev                             # tests
  clang libclang-rt-14-dev                  # second compiler, sanitizer runtimes
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup.sh: all ${#packages[@]} packages already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup.sh: not root, not installing; missing: ${missing[*]}" >&2
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || { echo "setup.sh: no apt-get (Debian 12 expected); missing: ${missing[*]}" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
echo "setup.sh: installing ${missing[*]}"
apt-get update -q
# The tests start their own private server (scripts/pg.sh), so the package need not
# create and start a system-wide cluster.
if ! dpkg -s postgresql-common >/dev/null 2>&1; then
  apt-get install -y -q --no-install-recommends postgresql-common
fi
if [ -f /etc/postgresql-common/createcluster.conf ]; then
  sed -i 's/^#\?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
    /etc/postgresql-common/createcluster.conf
fi
apt-get install -y -q "${missing[@]}"
echo "setup.sh: done"
