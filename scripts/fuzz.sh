#!/usr/bin/env bash
# Builds relate's libFuzzer targets (fuzz/) with clang and runs each for a bounded time.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]    default: 20 seconds each, every target
#
# Each target starts from its seed corpus in fuzz/corpus/NAME/ (read-only: what it finds
# goes to build-fuzz/corpus/NAME/, kept between runs), with fuzz/NAME.dict when there is one. Any crash, sanitizer report, leak,
# input slower than 10 s or use of more than 2 GB fails the run; the input that did it is
# saved as build-fuzz/artifacts/NAME-crash-... and can be replayed with
#   build-fuzz/fuzz/fuzz_NAME build-fuzz/artifacts/NAME-crash-...
# Exits non-zero if the build or any target failed. BUILD_DIR overrides build-fuzz.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
secs=${1:-20}
shift || true
dir=${BUILD_DIR:-build-fuzz}
jobs=$(nproc 2>/dev/null || echo 2)

command -v clang >/dev/null 2>&1 || { echo "fuzz.sh: clang is needed (apt-get install clang)"; exit 1; }
echo "== fuzz: configure and build $dir"
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRELATE_BUILD_FUZZ=ON -DRELATE_WERROR=ON -DRELATE_BUILD_TESTS=OFF -DRELATE_BUILD_TOOLS=OFF \
  -DRELATE_BUILD_EXAMPLES=OFF -DRELATE_BUILD_BENCH=OFF >"$dir.configure.log" 2>&1 ||
  { cat "$dir.configure.log"; echo "fuzz.sh: configuring failed"; exit 1; }
cmake --build "$dir" -j "$jobs" --target relate_fuzz || { echo "fuzz.sh: build failed"; exit 1; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    targets+=("${name#fuzz_}")
  done
fi

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$dir/artifacts"
failed=0
for t in "${targets[@]}"; do
  bin="$dir/fuzz/fuzz_$t"
  [ -x "$bin" ] || { echo "fuzz.sh: no target $t"; failed=$((failed + 1)); continue; }
  mkdir -p "$dir/corpus/$t"
  log="$dir/fuzz_$t.log"
  echo "== fuzz $t for ${secs}s"
  dict=()
  [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$dir/artifacts/$t-" "$dir/corpus/$t" "fuzz/corpus/$t" \
    >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: ok, ${execs:-?} executions in ${secs}s, corpus $(ls "$dir/corpus/$t" | wc -l) inputs"
  else
    tail -n 60 "$log"
    echo "fuzz $t: FAILED (exit $rc), see $log and $dir/artifacts/"
    failed=$((failed + 1))
  fi
done
[ $failed -eq 0 ]
