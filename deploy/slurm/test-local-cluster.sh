#!/usr/bin/env bash
# Test the SLURM deployment for real: start a one-node SLURM cluster on this machine, submit a small sweep as a job
# array (one task per shard) with a dependent merge job through deploy/slurm/submit.sh, and check that the merged
# runs.csv and summary.csv are byte-identical to the same sweep run locally.
#
#   deploy/slurm/test-local-cluster.sh            # as root, on Debian or Ubuntu; about 20 s once installed
#
# Installs slurm-wlm and munge with apt-get when they are missing. Needs no systemd and no cgroups: munged,
# slurmctld and slurmd run in the foreground of this script, with their state, logs and configuration in a
# temporary folder, and are stopped by PID when it ends, whatever the outcome. Uses CLOUDLETSIM as the binary if
# set, or builds the debug binary with cargo. Set KEEP=1 to keep the temporary folder for inspection.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
shards=4
tenths() { local t=${EPOCHREALTIME/./}; echo $((t / 100000)); }
started=$(tenths)
step() { local d=$(($(tenths) - started)); printf '\n[%3d.%d s] %s\n' $((d / 10)) $((d % 10)) "$*"; }
die() { echo "test-local-cluster: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (it starts munged, slurmctld and slurmd)"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null ||
    ! command -v sbatch >/dev/null || ! command -v mungekey >/dev/null; then
    echo "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
fi

step "cloudletsim binary"
if [[ -n ${CLOUDLETSIM:-} ]]; then
    bin=$(realpath "$CLOUDLETSIM")
else
    (cd "$root" && cargo build --quiet --bin cloudletsim)
    bin=$(realpath "${CARGO_TARGET_DIR:-$root/target}/debug/cloudletsim")
fi
[[ -x $bin ]] || die "no cloudletsim binary at $bin"
echo "$bin"

work=$(mktemp -d /tmp/cloudletsim-slurm.XXXXXX)
pids=()
cleanup() {
    local status=$?
    # Stop the daemons this script started, newest first, by PID only.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [[ $status -ne 0 ]]; then
        for log in "$work"/*.log "$work"/out/logs/*.log; do
            [[ -f $log ]] && { echo "--- $log"; tail -n 20 "$log"; }
        done
    fi
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds
    local limit=$1 what=$2
    shift 2
    for _ in $(seq $((limit * 10))); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "timed out after ${limit} s waiting for $what"
}

step "munged"
mkdir -p /run/munge
chmod 0755 /run/munge
socket=/run/munge/munge.socket.2
if munge -n -S "$socket" 2>/dev/null | unmunge -S "$socket" >/dev/null 2>&1; then
    echo "reusing the munged already listening on $socket"
else
    mungekey --create --keyfile="$work/munge.key"
    chmod 0600 "$work/munge.key"
    munged --foreground --force --socket="$socket" --key-file="$work/munge.key" --log-file="$work/munged.log" \
        --pid-file="$work/munged.pid" --seed-file="$work/munged.seed" >"$work/munged.out" 2>&1 &
    pids+=($!)
    wait_for 10 "munged" sh -c "munge -n -S '$socket' | unmunge -S '$socket'"
fi

step "slurmctld and slurmd"
node=$(hostname -s)
hw=$(slurmd -C | head -n 1)
cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$hw")
cores=$(sed -n 's/.* CoresPerSocket=\([0-9]*\).*/\1/p' <<<"$hw")
sockets=$(sed -n 's/.* SocketsPerBoard=\([0-9]*\).*/\1/p' <<<"$hw")
threads=$(sed -n 's/.* ThreadsPerCore=\([0-9]*\).*/\1/p' <<<"$hw")
memory=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")
mkdir -p "$work/state" "$work/spool"
# Two free ports away from SLURM's defaults, so that other daemons on this host (a real cluster's, or those of an
# earlier run of this script that was killed) are not disturbed.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=16817
while listening "$port" || listening "$((port + 1))"; do
    port=$((port + 2))
done
cat >"$work/slurm.conf" <<CONF
ClusterName=cloudletsim-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups here: track processes through /proc and bind no tasks.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
# MinJobAge stays at its default (300 s): a shorter one purges finished tasks before sbatch --wait reads their exit
# codes.
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus SocketsPerBoard=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads RealMemory=$((memory / 2)) State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
wait_for 30 "slurmctld" scontrol ping
slurmd -D -f "$SLURM_CONF" -N "$node" >"$work/slurmd.out" 2>&1 &
pids+=($!)
wait_for 60 "the node to be idle" sh -c "sinfo -h -N -o %T | grep -qx idle"
sinfo -N

step "the sweep locally (reference)"
sweep=$root/deploy/slurm/test-sweep.toml
"$bin" sweep "$sweep" --out "$work/local" --jobs 2

step "the sweep on SLURM: $shards array tasks, then the merge job"
cd "$work"
CLOUDLETSIM=$bin "$root/deploy/slurm/submit.sh" "$sweep" "$work/out" "$shards" --wait
for ((i = 0; i < shards; i++)); do
    [[ -s $work/out/logs/shard-$i.log ]] || die "shard $i left no log: it did not run as an array task"
    grep -q "(shard $i/$shards)" "$work/out/logs/shard-$i.log" || die "shard $i's log does not show its shard"
done

step "compare"
for file in runs.csv summary.csv sweep.json; do
    cmp "$work/local/$file" "$work/out/merged/$file" || die "$file differs between the SLURM and the local sweep"
    echo "$file: identical ($(wc -l <"$work/local/$file") lines)"
done
diff -r "$work/local/runs" "$work/out/merged/runs" >/dev/null || die "run files differ"

step "a failing shard fails the submission, and the merge does not run"
printf 'scenario = "%s"\n[vary]\n"wearables.cont" = [100, 200]\n' "$root/scenarios/quickstart.toml" >"$work/bad.toml"
if CLOUDLETSIM=$bin "$root/deploy/slurm/submit.sh" "$work/bad.toml" "$work/bad" 2 --wait; then
    die "submit.sh --wait succeeded although every shard failed"
fi
[[ ! -e $work/bad/merged ]] || die "the merge ran although the shards failed"

step "test-local-cluster: passed"
