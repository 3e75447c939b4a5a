#!/usr/bin/env bash
# Statistical validation of the target-trial emulation (issue 22): the simulation of
# crates/stats/tests/emulation_simulation.rs (an ignored test, never part of the normal
# run). Prints the markdown tables of benches/RESULTS_emulation.md (both forms of the
# censoring probability) and fails when the product-limit form is biased beyond 3 Monte
# Carlo SEs or covers below 90%, the naive comparison is not biased, or the default
# exponential form does not show the bias the jump at G explains.
#
#   benches/emulation_simulation.sh                          # 500 cohorts
#   SURVLENS_EMU_COHORTS=100 benches/emulation_simulation.sh # fewer
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --profile ci -p survlens-stats --test emulation_simulation -- --ignored --nocapture --test-threads 1
