#!/usr/bin/env bash
# Submit a cloudletsim sweep to SLURM: a job array of N shards, then a merge job that starts when every shard has
# succeeded. Results: OUT_DIR/merged/ (runs.csv, summary.csv, runs/); logs: OUT_DIR/logs/.
#
#   deploy/slurm/submit.sh SWEEP.toml OUT_DIR N [extra sbatch options...]
#
# Extra options go to both sbatch calls (e.g. --partition=short --time=01:00:00, or --wait to block until the merge
# has finished and exit with its status). Set CLOUDLETSIM to the binary's path if it is not on the PATH of the
# compute nodes; it is passed to the jobs with the rest of the environment.
set -euo pipefail

if [[ $# -lt 3 ]]; then
    echo "usage: $0 SWEEP.toml OUT_DIR N [sbatch options...]" >&2
    exit 2
fi
sweep=$1
out=$2
count=$3
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$out/logs"

# --wait applies to the merge job only: the array is submitted without it so that both are queued at once.
array_opts=()
for opt in "$@"; do
    [[ $opt == --wait ]] || array_opts+=("$opt")
done
array=$(sbatch --parsable --array="0-$((count - 1))" --output="$out/logs/shard-%a.log" "${array_opts[@]}" \
    "$here/sweep-array.sbatch" "$sweep" "$out")
array=${array%%;*}
echo "submitted shards: job array $array (tasks 0-$((count - 1)))"
wait=0
for opt in "$@"; do
    [[ $opt == --wait ]] && wait=1
done
# With --wait, sbatch returns the merge job's exit code, which is 0 for a merge cancelled because a shard failed:
# the job states (kept by slurmctld for MinJobAge, 300 s by default) tell the truth.
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --output="$out/logs/merge.log" \
    "$@" "$here/merge.sbatch" "$out" "$count") || true
merge=${merge%%;*}
[[ -n $merge ]] || { echo "submit.sh: the merge job could not be submitted" >&2; exit 1; }
echo "merge: job $merge -> $out/merged/"
if [[ $wait == 1 ]]; then
    state() { scontrol show job -o "$1" 2>/dev/null | sed -n 's/.* JobState=\([A-Z_]*\) .*/\1/p'; }
    if [[ $(state "$merge") != COMPLETED ]]; then
        echo "submit.sh: the merge job $merge ended $(state "$merge" | head -n 1); shard tasks that did not complete:" >&2
        scontrol show job -o "$array" | grep -v 'JobState=COMPLETED' |
            sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/  task \1: \2, exit code \3/p' >&2
        echo "see $out/logs/" >&2
        exit 1
    fi
    echo "merge job $merge completed: $out/merged/"
fi
