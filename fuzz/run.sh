#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for a bounded time, with corpora seeded from the project's own files.
#
#   fuzz/run.sh                       # each target 60 s
#   fuzz/run.sh 600                   # each target 10 minutes
#   FUZZ_SECONDS=600 fuzz/run.sh      # the same
#   fuzz/run.sh 300 sweep_spec        # one target
#
# Works on the stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags, and `--sanitizer none`
# (`-s none`) avoids AddressSanitizer, which needs a nightly-built standard library (safe Rust does not need it;
# panics, overflows in debug assertions, hangs and runaway memory are still caught). Installs cargo-fuzz when it is
# missing. Corpora go to fuzz/corpus/<target>/, crashes to fuzz/artifacts/<target>/ (both git-ignored); the exit
# status is non-zero when any target found a crash, a hang (-timeout) or runaway memory (-rss_limit_mb).
#
# Reproduce a crash:   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...
# Minimise it:         RUSTC_BOOTSTRAP=1 cargo fuzz tmin -s none TARGET fuzz/artifacts/TARGET/crash-...
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$fuzz_dir")"
cd "$root"

seconds="${1:-${FUZZ_SECONDS:-60}}"
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(scenario_loader sweep_spec check_expr)
timeout_s="${FUZZ_TIMEOUT:-10}"     # one input taking longer is a hang
rss_mb="${FUZZ_RSS_MB:-2048}"       # one input using more is runaway memory
if ! [[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]]; then
    echo "fuzz/run.sh: SECONDS must be a whole number > 0 (got '$seconds')" >&2
    exit 2
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz (cargo install cargo-fuzz --locked)"
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

# Seeds: the project's own inputs, plus the curated fuzz/seeds/<target>/. Files are named by content, so reseeding
# adds nothing twice.
seed() { # seed TARGET NAME < content
    local dir="$fuzz_dir/corpus/$1"
    mkdir -p "$dir"
    cat >"$dir/seed-$2"
}
for target in "${targets[@]}"; do
    case "$target" in
        scenario_loader)
            for f in scenarios/*.toml; do
                [[ $(basename "$f") == sweep-* ]] && continue
                name=$(basename "$f" .toml)
                seed "$target" "$name" <"$f"
                # The same with --set overrides after NUL separators (see fuzz_targets/scenario_loader.rs).
                { cat "$f"; printf '\0wearables.count=20\0cloudlets.mesh=ring\0links.ban.loss_prob=0.1'; } |
                    seed "$target" "$name-set"
                { cat "$f"; printf '\0cloudlets.count=4\0cloudlets.wan_gateways=[0, 2]\0simulation.duration_s=5'; } |
                    seed "$target" "$name-set2"
            done
            ;;
        sweep_spec)
            for f in scenarios/sweep-*.toml; do
                seed "$target" "$(basename "$f" .toml)" <"$f"
            done
            ;;
        check_expr)
            n=0
            while IFS= read -r expr; do
                n=$((n + 1))
                printf '%s\n' "$expr" | seed "$target" "expect-$n"
            done < <(grep -ohE -- "--expect '[^']+'" .ci/run docs/sweeps.md README.md | sed -E "s/^--expect '(.*)'$/\1/" | sort -u)
            ;;
        *)
            echo "fuzz/run.sh: unknown target '$target' (scenario_loader, sweep_spec, check_expr)" >&2
            exit 2
            ;;
    esac
    if [[ -d "$fuzz_dir/seeds/$target" ]]; then
        for f in "$fuzz_dir/seeds/$target"/*; do
            [[ -f $f ]] && seed "$target" "curated-$(basename "$f")" <"$f"
        done
    fi
done

failed=()
for target in "${targets[@]}"; do
    echo "==> $target: ${seconds}s (timeout ${timeout_s}s per input, rss limit ${rss_mb} MB)"
    mkdir -p "$fuzz_dir/artifacts/$target"
    if ! cargo fuzz run --fuzz-dir "$fuzz_dir" -s none "$target" "$fuzz_dir/corpus/$target" -- \
        -max_total_time="$seconds" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" -print_final_stats=1 \
        -artifact_prefix="$fuzz_dir/artifacts/$target/"; then
        failed+=("$target")
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz/run.sh: crashes found by: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz/run.sh: no crash in ${targets[*]}"
