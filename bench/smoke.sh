#!/usr/bin/env bash
# The benchmarks' smoke test (a ctest entry, not a measurement): every workload,
# both sides, at a tiny size on one engine, and checks that relate and the
# baseline computed the same thing — the same result digests (counts and sums
# over the rows, rows stored) and byte-identical W1 JSON. Timings are ignored.
#
#   bash bench/smoke.sh BENCH_BIN_DIR sqlite|postgres [SCALE]
#
# PostgreSQL needs REL_TEST_PG_URL (scripts/test.sh sets it); the test makes its
# own databases there and drops them.
set -euo pipefail

bin=${1:?usage: smoke.sh BENCH_BIN_DIR sqlite|postgres [SCALE]}
engine=${2:?usage: smoke.sh BENCH_BIN_DIR sqlite|postgres [SCALE]}
scale=${3:-0.001}
work=$(mktemp -d "${TMPDIR:-/tmp}/relate-bench-smoke.XXXXXX")

case "$engine" in
  sqlite)
    main_url="sqlite:$work/main.db"
    w2_url="sqlite:$work/w2.db"
    ;;
  postgres)
    base=${REL_TEST_PG_URL:?REL_TEST_PG_URL is not set (scripts/test.sh sets it)}
    # Same server, databases of our own (the URL's path is the database).
    server=${base%%\?*}
    server=${server%/*}
    main_url="$server/relate_bench_smoke_$$"
    w2_url="$server/relate_bench_smoke_w2_$$"
    ;;
  *) echo "smoke.sh: engine must be sqlite or postgres" >&2; exit 2 ;;
esac

cleanup() {
  "$bin/datagen" --workload drop --engine "$engine" --url "$main_url" >/dev/null 2>&1 || true
  "$bin/datagen" --workload drop --engine "$engine" --url "$w2_url" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

common=(--engine "$engine" --scale "$scale")
"$bin/datagen" --workload main "${common[@]}" --url "$main_url"

failed=0
for w in W1 W2 W3add W3count W4; do
  for side in baseline relate_bench; do
    url=$main_url
    if [ "$w" = W2 ]; then
      url=$w2_url
      "$bin/datagen" --workload w2 "${common[@]}" --url "$url"
    fi
    "$bin/$side" --workload "$w" "${common[@]}" --url "$url" \
      --check-out "$work/$side.$w.check" --json-out "$work/$side.$w.json" >"$work/$side.$w.out"
    grep -q '^RESULT ' "$work/$side.$w.out" || { echo "smoke: $side $w printed no RESULT"; failed=1; }
  done
  if ! diff -u "$work/baseline.$w.check" "$work/relate_bench.$w.check"; then
    echo "smoke: $w on $engine: relate and the baseline disagree"
    failed=1
  fi
  if [ "$w" = W1 ] && ! cmp "$work/baseline.W1.json" "$work/relate_bench.W1.json"; then
    echo "smoke: W1 on $engine: the JSON differs"
    failed=1
  fi
  echo "smoke: $w on $engine: $(cat "$work/relate_bench.$w.check" | tr '\n' ' ')"
done
[ "$failed" = 0 ] && echo "smoke: every workload agrees on $engine"
exit "$failed"
