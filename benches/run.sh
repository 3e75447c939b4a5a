#!/usr/bin/env bash
# Speed and scale benchmark (issue 7): SurvLens native CLI and SurvLens wasm (headless
# chromium, through www/survlens.js and the page's worker) against R survival (+ nnet)
# and lifelines (+ statsmodels), on the same generated files in the same run.
# Prints a markdown table of seconds, peak memory and ratios. Not a test.
#
#   benches/run.sh [--timeout S] [--reps K] [--no-wasm] [--no-r] [--no-py] [--no-build]
#                  [--steps a,b,...] [N ...]
#
# N defaults to 1e3 1e4 1e5 1e6. Steps (benches/specs/<step>.json, same models in
# benches/tools/step.R and step.py):
#   load     CSV read + cohort build (time, event, group, 8 covariates)
#   km       Kaplan–Meier by group (3 curves, CI, medians)
#   logrank  3-group log-rank
#   cox      Efron Cox, 12 parameters (2 group dummies + 8 covariates, 3 categorical)
#   zph      cox.zph (transform km) on that fit
#   iptw     multinomial propensity model + ATE weights + weighted comparison
#   all      km + logrank + cox + zph in one spec (SurvLens only: end to end)
#   cif      competing risks (cr_months, cr_status): Aalen–Johansen CIFs by group with
#            their IJ standard errors + Gray's test (lifelines: AalenJohansenFitter, no test)
#   finegray Fine–Gray model of GIST death on the Cox design (R: cmprsk::crr at its
#            defaults; lifelines has none)
#   match    propensity-score matching, 1:1 nearest neighbour on the linear score with a
#            0.2 SD caliper, largest first, IM+HR and IM+RFA/TACE each against IM, then
#            the matched KM and Cox (R: MatchIt::matchit + coxph(cluster = subclass);
#            lifelines has none)
#   impute   multiple imputation of size_mis, mitotic_mis (m = 20, 10 iterations) and the
#            pooled Efron Cox model (R: mice + with(coxph) + pool; lifelines has none)
#   subgroups the group's Cox model within the levels of 5 columns and the 5 interaction
#            tests (R: coxph per level + anova of the interaction model; lifelines none here)
#   emulation target-trial emulation by clone–censor–weight, grace 6 months, treatment
#            time local_months, 8 censoring covariates (R: base R + survival as
#            tests/r/make_reference_emulation.R: survSplit at the death times + weighted
#            survfit; lifelines none)
# SurvLens step seconds = the step's stages as timed inside the process (`survlens
# analyze --timings`; the page's worker: its `timings`), best of K runs (default 3):
# load = file read + ingest, a section = its analysis stages (benches/tools/table.py,
# STEP_STAGES); the whole run's wall time is printed beside them. R and lifelines time
# each step inside one process per step (after their own CSV load). Memory: peak RSS of
# the whole process (wasm: of the largest chromium process). A step over the timeout
# (default 300 s) is "> S".
# Data: $SURVLENS_BENCH_DATA (default /tmp/survlens-bench), generated once per N.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
timeout_s=300; reps=3; wasm=1; with_r=1; with_py=1; build=1; sizes=(); only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout_s=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --no-wasm) wasm=0; shift ;;
    --no-r) with_r=0; shift ;;
    --no-py) with_py=0; shift ;;
    --no-build) build=0; shift ;;
    --steps) IFS=, read -r -a only <<<"$2"; shift 2 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1e3 1e4 1e5 1e6)
data_dir=${SURVLENS_BENCH_DATA:-/tmp/survlens-bench}
mkdir -p "$data_dir"
target_dir=${CARGO_TARGET_DIR:-$root/target}
if [ $build = 1 ]; then
  cargo build --release --quiet --bin survlens
  [ $wasm = 0 ] || scripts/build-web >&2
fi
bin=$target_dir/release/survlens
specs=benches/specs
steps=(load km logrank cox zph iptw all cif finegray match impute subgroups emulation)
[ ${#only[@]} = 0 ] || steps=("${only[@]}")
results=$(mktemp)
trap 'rm -f "$results" "$results.out" "$results.stages"' EXIT
say() { printf 'bench: %s\n' "$*" >&2; }
[ $with_py = 0 ] || python3 -c 'import lifelines, statsmodels' 2>/dev/null || { say "no lifelines/statsmodels: skipped"; with_py=0; }
[ $with_r = 0 ] || Rscript -e 'library(survival); library(nnet); library(cmprsk); library(MatchIt); library(mice)' >/dev/null 2>&1 || { say "no R survival/nnet/cmprsk/MatchIt/mice: skipped"; with_r=0; }

# "seconds maxrss_MB" of one command, or "timeout MB" / "failed MB".
measure() {
  local err rc
  err=$(mktemp)
  set +e
  /usr/bin/time -f 'TIME %e %M' timeout "$timeout_s" "$@" > "$results.out" 2> "$err"
  rc=$?
  set -e
  grep '^{"stages"' "$err" > "$results.stages" || true # --timings' line
  local line; line=$(grep '^TIME ' "$err" | tail -n 1)
  local sec mb; sec=$(awk '{print $2}' <<<"$line"); mb=$(awk '{printf "%.0f", $3 / 1024}' <<<"$line")
  if [ $rc = 124 ]; then sec=timeout; elif [ $rc != 0 ]; then sec=failed; say "failed ($rc): $* : $(grep -v '^TIME' "$err" | tail -n 2 | tr '\n' ' ')"; fi
  echo "$sec $mb"
  rm -f "$err"
}

for n in "${sizes[@]}"; do
  csv="$data_dir/cohort3_$n.csv" # 3: with the competing-risks, treatment-time and missing-value columns
  [ -s "$csv" ] || { say "generating $csv"; python3 benches/gen_cohort.py "$n" "$csv"; }
  # SurvLens native: minimum of $reps whole-process runs per spec.
  for step in "${steps[@]}"; do
    best=""; best_mb=0
    for _ in $(seq "$reps"); do
      read -r sec mb < <(measure "$bin" analyze "$csv" --spec "$specs/$step.json" --timings)
      if [[ $sec =~ ^[0-9.]+$ ]]; then
        [ ! -s "$results.stages" ] || echo "cli_stages $n $step $(cat "$results.stages")" >> "$results"
        if [ -z "$best" ] || awk -v a="$sec" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$sec; fi
        [ "$mb" -gt "$best_mb" ] && best_mb=$mb
      else best=$sec; best_mb=$mb; break; fi
    done
    echo "cli_wall $n $step $best $best_mb" >> "$results"
  done
  say "n=$n: SurvLens CLI done"
  if [ $wasm = 1 ]; then
    node benches/tools/wasm_bench.mjs "$csv" "$specs" "${steps[@]}" --timeout "$timeout_s" --reps "$reps" |
      while read -r step sec mb check; do
        if [ "$step" = stages ]; then echo "wasm_stages $n $sec $mb $check"; else echo "wasm $n $step $sec $mb $check"; fi
      done >> "$results"
    say "n=$n: SurvLens wasm done"
  fi
  for tool in r py; do
    [ $tool = r ] && [ $with_r = 0 ] && continue
    [ $tool = py ] && [ $with_py = 0 ] && continue
    for step in "${steps[@]}"; do
      [ $step = all ] && continue # R and lifelines: the sum of their steps
      # lifelines has no Fine–Gray model, matching, imputation or emulation
      [ $tool = py ] && [[ " finegray match impute emulation subgroups " == *" $step "* ]] && continue
      if [ $tool = r ]; then cmd=(Rscript benches/tools/step.R "$csv" "$step"); else cmd=(python3 benches/tools/step.py "$csv" "$step"); fi
      read -r sec mb < <(measure "${cmd[@]}")
      if [[ $sec =~ ^[0-9.]+$ ]]; then
        key=step; [ "$step" = load ] && key=load
        sec=$(awk -v k="$key" '$1 == k {print $2}' "$results.out")
        check=$(awk '$1 == "check" {print $2}' "$results.out")
      else check=NA; fi
      echo "$tool $n $step $sec $mb ${check:-NA}" >> "$results"
    done
    say "n=$n: $tool done"
  done
done
python3 benches/tools/table.py "$results" "$timeout_s"
