#!/usr/bin/env bash
# Kaplan–Meier + log-rank at scale: SurvLens (native CLI) against R survival and lifelines,
# on the same generated files in the same run. Prints a table of seconds, peak memory
# (max RSS) and ratios. Not a test: timings never go in tests.
#
# Usage: benches/km_logrank.sh [N ...]      (default: 1e4 1e5 1e6)
# Needs: R with survival (apt-get install r-base-core r-cran-survival); optional lifelines (pip).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1e4 1e5 1e6)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=target/release/survlens

cat > "$work/spec.json" <<'JSON'
{"time": {"column": "os_months"}, "event": {"column": "status"},
 "group": {"column": "treatment", "reference": "IM"},
 "km": {"times": [12, 60, 120]}, "logrank": {"pairwise": "none"}}
JSON
cat > "$work/r.R" <<'RS'
suppressMessages(library(survival))
args <- commandArgs(TRUE)
d <- read.csv(args[1])
fit <- survfit(Surv(os_months, status) ~ treatment, data = d)
s <- summary(fit, times = c(12, 60, 120), extend = TRUE)
tab <- summary(fit)$table
lr <- survdiff(Surv(os_months, status) ~ treatment, data = d)
cat(sprintf("R chisq %.10g\n", lr$chisq), file = stderr())
RS
cat > "$work/py.py" <<'PY'
import sys
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test
d = pd.read_csv(sys.argv[1])
for g, sub in d.groupby("treatment"):
    KaplanMeierFitter().fit(sub["os_months"], sub["status"])
r = multivariate_logrank_test(d["os_months"], d["treatment"], d["status"])
print("lifelines chisq", r.test_statistic, file=sys.stderr)
PY

measure() { # label, command... → "seconds maxrss_MB"
  local out
  out=$( { /usr/bin/time -f '%e %M' "$@" > /dev/null 2> "$work/err"; } 2>&1 ) || true
  tail -n 1 "$work/err" | awk '{ printf "%s %.0f\n", $1, $2 / 1024 }'
}

have_py=0; python3 -c 'import lifelines' 2>/dev/null && have_py=1
printf '| n | SurvLens s | SurvLens MB | R s | R MB | lifelines s | lifelines MB | R / SurvLens | lifelines / SurvLens |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  csv="$work/cohort_$n.csv"
  python3 benches/gen_cohort.py "$n" "$csv"
  read -r s_sec s_mb < <(measure "$bin" analyze "$csv" --spec "$work/spec.json")
  read -r r_sec r_mb < <(measure Rscript "$work/r.R" "$csv")
  if [ $have_py = 1 ]; then read -r p_sec p_mb < <(measure python3 "$work/py.py" "$csv"); else p_sec=NA; p_mb=NA; fi
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b + 0 == 0) print "NA"; else printf "%.1f", a / b }'; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$s_sec" "$s_mb" "$r_sec" "$r_mb" "$p_sec" "$p_mb" \
    "$(ratio "$r_sec" "$s_sec")" "$(ratio "$p_sec" "$s_sec")"
done
