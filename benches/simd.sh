#!/usr/bin/env bash
# WebAssembly SIMD vs scalar build (issue 24) in headless chromium, same page, same data,
# same run: benches/tools/wasm_bench.mjs on www/ (the page picks survlens_simd_bg.wasm)
# and on a copy of www/ whose pkg/survlens_simd_bg.wasm holds the scalar build's bytes.
# Prints, per N and step, the best-of-K `analysis` stage seconds of each build and the
# ratio; the worker's stage timings are printed too. Not a test (benches/RESULTS_simd.md).
#
#   benches/simd.sh [--reps K] [--steps cox,iptw] [N ...]     (N default 1e5 1e6)
# Needs a built www/ (scripts/build-web). Data: $SURVLENS_BENCH_DATA (default
# /tmp/survlens-bench), generated once per N by benches/gen_cohort.py.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
reps=3; steps=cox,iptw; sizes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1e5 1e6)
data_dir=${SURVLENS_BENCH_DATA:-/tmp/survlens-bench}
mkdir -p "$data_dir"
scalar=$(mktemp -d)
trap 'rm -rf "$scalar"' EXIT
cp -r www "$scalar/www"
cp www/pkg/survlens_bg.wasm "$scalar/www/pkg/survlens_simd_bg.wasm"
IFS=, read -r -a step_list <<<"$steps"
echo "| N | step | scalar s | SIMD s | scalar/SIMD |"
echo "|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  rows=$(python3 -c "print(int(float('$n')))")
  csv=$data_dir/cohort_$n.csv
  [ -s "$csv" ] || python3 benches/gen_cohort.py "$rows" "$csv"
  for step in "${step_list[@]}"; do
    declare -A secs=()
    for build in scalar simd; do
      www=$root/www
      [ $build = scalar ] && www=$scalar/www
      out=$(SURVLENS_WWW=$www node benches/tools/wasm_bench.mjs "$csv" benches/specs "$step" --reps "$reps" --timeout 600)
      echo "$out" | sed "s/^/# $build $n: /" >&2
      # The worker's `analysis` stage (its sub-stages nest in it), minimum over the runs.
      secs[$build]=$(echo "$out" | python3 -c "
import json, sys
best = None
for line in sys.stdin:
    if line.startswith('stages '):
        t = json.loads(line.split(' ', 2)[2])
        s = t['analysis']
        best = s if best is None else min(best, s)
print(f'{best:.3f}' if best is not None else 'n/a')")
    done
    ratio=$(python3 -c "a, b = '${secs[scalar]}', '${secs[simd]}'; print(f'{float(a) / float(b):.2f}' if 'n/a' not in (a, b) else 'n/a')")
    echo "| $n | $step | ${secs[scalar]} | ${secs[simd]} | $ratio |"
    unset secs
  done
done
