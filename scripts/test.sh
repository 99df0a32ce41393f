#!/usr/bin/env bash
# The test command. Builds relate and runs every test in each build:
#   build/       gcc, -Werror, optimised (catches the warnings only -O2 shows)
#   build-asan/  clang, -Werror, AddressSanitizer + UndefinedBehaviorSanitizer + leaks
#   build-tsan/  clang, ThreadSanitizer: only the threaded test (test_concurrency)
#   build-fuzz/  clang, libFuzzer: each fuzz target for RELATE_FUZZ_SECONDS (default 20;
#                scripts/fuzz.sh), counted as one test that fails on any crash or leak
# Integration tests run on SQLite and on a private PostgreSQL 15 (scripts/pg.sh) that
# lives only as long as this script. Ends with "N passed, N failed" over every run and
# exits non-zero if anything failed to build or pass.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
repo=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
problems=()

bash scripts/setup.sh || { echo "test.sh: setup failed"; echo "0 passed, 1 failed"; exit 1; }

export RELATE_PG_STATE="$repo/build/pg.state"
trap 'bash scripts/pg.sh stop >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM

# build DIR CMAKE-ARGS...: configure and build, going on past errors so every test that
# does build still runs. Returns 2 if configuring failed (nothing to test), 1 if some
# target did not build; either counts as one failed step.
build() {
  local dir=$1 keep_going=()
  shift
  echo "== configure and build $dir"
  if ! cmake -S . -B "$dir" "$@"; then
    problems+=("configuring $dir failed")
    failed=$((failed + 1))
    return 2
  fi
  case "$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$dir/CMakeCache.txt")" in
    Ninja*) keep_going=(-- -k 0) ;;
    *Makefiles) keep_going=(-- -k) ;;
  esac
  cmake --build "$dir" -j "$jobs" "${keep_going[@]}" && return 0
  problems+=("build of $dir failed (tests that did not build count as failed)")
  failed=$((failed + 1))
  return 1
}

# run_tests DIR [CTEST-ARGS...]: ctest, adding its counts to the totals.
run_tests() {
  local dir=$1 log=$1/ctest.log line total fails
  shift
  echo "== ctest in $dir"
  (cd "$dir" && ctest --output-on-failure --no-tests=error -j "$jobs" "$@") 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    fails=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
    passed=$((passed + total - fails))
    failed=$((failed + fails))
    [ "$fails" -eq 0 ] || problems+=("$fails test(s) failed in $dir")
  fi
  if [ "$rc" -ne 0 ] && { [ -z "$line" ] || [ "$fails" -eq 0 ]; }; then
    problems+=("ctest in $dir exited $rc")
    failed=$((failed + 1))
  fi
}

start=$SECONDS
build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELATE_WERROR=ON -DRELATE_SANITIZE=OFF
configured_plain=$?

if bash scripts/pg.sh start && url=$(bash scripts/pg.sh url); then
  export REL_TEST_PG_URL=$url
  echo "test.sh: REL_TEST_PG_URL=$REL_TEST_PG_URL"
else
  # The [postgres] tests then fail, loudly, rather than being skipped.
  problems+=("PostgreSQL did not start")
fi

[ "$configured_plain" -lt 2 ] && run_tests build

sanitize_cc=()
command -v clang >/dev/null 2>&1 && sanitize_cc=(-DCMAKE_C_COMPILER=clang)
build build-asan "${sanitize_cc[@]}" -DCMAKE_BUILD_TYPE=Debug -DRELATE_WERROR=ON -DRELATE_SANITIZE=ON
if [ $? -lt 2 ]; then
  export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_tests build-asan
fi

# ThreadSanitizer needs every object instrumented, so it is a build of its own; it
# builds only what the threaded test needs.
if [ ${#sanitize_cc[@]} -gt 0 ]; then
  echo "== configure and build build-tsan (test_concurrency only)"
  if cmake -S . -B build-tsan "${sanitize_cc[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
       -DRELATE_WERROR=ON -DRELATE_TSAN=ON -DRELATE_BUILD_TOOLS=OFF \
       -DRELATE_BUILD_EXAMPLES=OFF -DRELATE_BUILD_BENCH=OFF &&
     cmake --build build-tsan -j "$jobs" --target integration_test_concurrency; then
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" run_tests build-tsan -R '^test_concurrency\['
  else
    problems+=("build of build-tsan failed")
    failed=$((failed + 1))
  fi
else
  problems+=("no clang: the ThreadSanitizer run and the fuzzers need it")
  failed=$((failed + 1))
fi

bash scripts/pg.sh stop

# Fuzzing, bounded in time: one step, passed or failed.
if [ ${#sanitize_cc[@]} -gt 0 ]; then
  if bash scripts/fuzz.sh "${RELATE_FUZZ_SECONDS:-20}"; then
    passed=$((passed + 1))
  else
    problems+=("fuzzing found a problem (scripts/fuzz.sh; inputs in build-fuzz/artifacts/)")
    failed=$((failed + 1))
  fi
fi

echo
echo "test.sh: finished in $((SECONDS - start))s"
for p in "${problems[@]}"; do
  echo "test.sh: $p"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#problems[@]} -eq 0 ]
