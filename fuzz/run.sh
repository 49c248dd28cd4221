#!/usr/bin/env bash
# Runs one fuzz target (or all, one after another) for SECONDS each, seeded from seeds/<target>.
# Needs a nightly toolchain and cargo-fuzz: `cargo install cargo-fuzz`.
#   fuzz/run.sh plan 600        fuzz/run.sh all 600
# Findings land in fuzz/artifacts/<target>/; reproduce one with
#   cargo +nightly fuzz run -O <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")"
target=${1:-all}
seconds=${2:-600}
targets=(plan front_matter tables refs tokenize diagnostics)
[ "$target" = all ] || targets=("$target")
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  cargo +nightly fuzz run -O "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=10 -print_final_stats=1
done
