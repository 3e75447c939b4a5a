#!/usr/bin/env bash
# Statistical validation of the chained-equation imputation (issue 21): the simulation of
# tests/stats/imputation_coverage.rs (an ignored test, never part of the normal run).
# Prints the markdown table of benches/RESULTS_imputation.md and fails when the pooled 95%
# CI coverage of a term leaves 92–98% or complete cases are not biased.
#
#   benches/imputation_coverage.sh              # 1000 cohorts per scenario (~2 min on 1 core, optimised)
#   SURVLENS_MI_COHORTS=500 benches/imputation_coverage.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --profile ci --test stats imputation_coverage -- --ignored --nocapture --test-threads 1
