#!/usr/bin/env bash
# The main job: installs what is needed, builds relate, then runs the organization
# example end to end on an embedded SQLite file (demo.db) with the relate command —
# sync, a nested create, and a find with a nested include printed as JSON — and
# finally the same scenario through the C API (examples/demo.c).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target relate_cli demo >&2

relate=build/tools/relate
model=examples/organization.rel
db=${1:-sqlite:demo.db}

run() { echo "\$ relate $*" >&2; "$relate" "$@"; }

run sync "$model" --db "$db" --force
run create "$model" Organization \
  '{"name":"Acme","Employees":[{"name":"Ann","Tasks":[{"title":"Ship it"},{"title":"Test it"}]},{"name":"Bo","Tasks":[{"title":"Write docs"}]}]}' \
  --db "$db" >/dev/null
run create "$model" Organization '{"name":"Globex","Employees":[{"name":"Cy"}]}' --db "$db" >/dev/null
run find "$model" Organization --db "$db" \
  --include '[{"association":"Employees","include":["Tasks"]}]' --order '[["id","ASC"]]'
echo >&2
echo "\$ build/examples/demo sqlite:demo-c.db" >&2
build/examples/demo sqlite:demo-c.db
