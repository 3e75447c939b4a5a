#!/usr/bin/env bash
# Statistical validation of the target-trial emulation (issue 22): the simulation of
# crates/stats/tests/emulation_simulation.rs (an ignored test, never part of the normal
# run). Prints the markdown table of benches/RESULTS_emulation.md and fails when the
# emulation is biased beyond 3 Monte Carlo SEs, the naive comparison is not, or the
# bootstrap coverage leaves 90–99%.
#
#   benches/emulation_simulation.sh                          # 500 cohorts
#   SURVLENS_EMU_COHORTS=100 benches/emulation_simulation.sh # fewer
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --profile ci -p survlens-stats --test emulation_simulation -- --ignored --nocapture --test-threads 1
