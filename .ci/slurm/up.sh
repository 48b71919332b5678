#!/usr/bin/env bash
# A real one-node SLURM cluster on this machine, for testing the cluster path
# (tests/e2e/test_slurm.py, bench/slurm_grid.py). Debian/Ubuntu, run as root.
#
#   bash .ci/slurm/up.sh      # install (apt) if needed, configure, start; wait until idle
#   bash .ci/slurm/down.sh    # stop the daemons again
#
# Idempotent: does nothing when the node already answers as idle (or busy).
# The cluster has no accounting database (accounting_storage/none), so job
# status comes from squeue (profiles/slurm-ci sets slurm-status-command: squeue).
# Settings can be overridden from the environment:
#   SLURM_CI_CPUS (default: nproc), SLURM_CI_MEMORY_MB (default: 90 % of RAM),
#   SLURM_CI_WAIT_S (default: 90).
set -euo pipefail

NODE="$(hostname -s)"
CPUS="${SLURM_CI_CPUS:-$(nproc)}"
WAIT_S="${SLURM_CI_WAIT_S:-90}"
CONF=/etc/slurm/slurm.conf
MARKER="# written by .ci/slurm/up.sh"
LOGDIR=/var/log/slurm

fail() {
    echo "slurm-ci: ERROR: $*" >&2
    for log in "$LOGDIR/slurmctld.log" "$LOGDIR/slurmd.log"; do
        if [[ -s $log ]]; then
            echo "--- last lines of $log:" >&2
            tail -n 20 "$log" >&2
        fi
    done
    exit 1
}

node_state() {
    # prints e.g. "idle", "mixed", "allocated", "down*", "drained"; empty if slurmctld is not answering
    timeout 15 sinfo --noheader --nodes="$NODE" --format=%T 2>/dev/null | head -n 1 || true
}

node_ready() {
    case "$(node_state)" in
    idle | mixed | allocated | completing) return 0 ;;
    *) return 1 ;;
    esac
}

alive() { # pid file -> is that process running?
    [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

if command -v sinfo >/dev/null 2>&1 && node_ready; then
    echo "slurm-ci: already up: node $NODE is $(node_state)"
    exit 0
fi

[[ $(id -u) -eq 0 ]] || fail "must run as root (it installs packages and starts daemons)"

# --- install --------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
    ! command -v munged >/dev/null || ! command -v sinfo >/dev/null; then
    command -v apt-get >/dev/null || fail "slurm is not installed and apt-get is not available"
    echo "slurm-ci: installing slurm-wlm and munge with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends slurm-wlm munge >/tmp/slurm-ci-apt.log 2>&1; then
        apt-get update -q >>/tmp/slurm-ci-apt.log 2>&1 || true
        apt-get install -y -q --no-install-recommends slurm-wlm munge >>/tmp/slurm-ci-apt.log 2>&1 ||
            { tail -n 20 /tmp/slurm-ci-apt.log >&2; fail "apt-get install slurm-wlm munge failed"; }
    fi
fi

# --- configuration ----------------------------------------------------------------
MEM_TOTAL_MB=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))
MEMORY_MB="${SLURM_CI_MEMORY_MB:-$((MEM_TOTAL_MB * 9 / 10))}"
mkdir -p /etc/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd "$LOGDIR"
if [[ -e $CONF ]] && ! grep -qF "$MARKER" "$CONF"; then
    fail "$CONF exists and was not written by this script; not overwriting it"
fi
NEW_CONF="$(
    cat <<EOF
$MARKER: a one-node test cluster, no accounting.
ClusterName=xltci
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=500
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
# a job over its --time limit gets SIGTERM, then SIGKILL after KillWait seconds
KillWait=5
OverTimeLimit=0
# finished jobs stay visible to squeue for 5 minutes (the status check needs them)
MinJobAge=300
InactiveLimit=0
SchedulerType=sched/backfill
NodeName=$NODE CPUs=$CPUS RealMemory=$MEMORY_MB State=UNKNOWN
# no MaxTime: every job brings its own --time (Snakemake's runtime resource)
PartitionName=ci Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
)"
RESTART=0
if [[ ! -e $CONF ]] || [[ "$(cat "$CONF")" != "$NEW_CONF" ]]; then
    printf '%s\n' "$NEW_CONF" >"$CONF"
    RESTART=1
fi

# --- munge ------------------------------------------------------------------------
if [[ ! -s /etc/munge/munge.key ]]; then
    if command -v mungekey >/dev/null; then
        mungekey --create --force --keyfile=/etc/munge/munge.key
    else
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! alive /run/munge/munged.pid; then
    echo "slurm-ci: starting munged"
    runuser -u munge -- /usr/sbin/munged || fail "munged did not start"
fi
for _ in $(seq 50); do
    munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.2
done
munge -n </dev/null | unmunge >/dev/null || fail "munge does not work (munge -n | unmunge)"

# --- slurmctld and slurmd -----------------------------------------------------------
if ((RESTART)); then
    for pidfile in /run/slurmd.pid /run/slurmctld.pid; do
        if alive "$pidfile"; then
            echo "slurm-ci: configuration changed, stopping $(basename "$pidfile" .pid)"
            kill "$(cat "$pidfile")"
            for _ in $(seq 50); do alive "$pidfile" || break; sleep 0.2; done
        fi
    done
fi
if ! alive /run/slurmctld.pid; then
    echo "slurm-ci: starting slurmctld"
    slurmctld || fail "slurmctld did not start"
fi
if ! alive /run/slurmd.pid; then
    echo "slurm-ci: starting slurmd"
    slurmd || fail "slurmd did not start"
fi

# --- wait for the node --------------------------------------------------------------
deadline=$((SECONDS + WAIT_S))
resumed=0
while ((SECONDS < deadline)); do
    state="$(node_state)"
    case "$state" in
    idle | mixed | allocated | completing)
        echo "slurm-ci: up: node $NODE ($CPUS CPUs, ${MEMORY_MB} MB) is $state"
        sinfo
        exit 0
        ;;
    down* | drain* | fail*)
        # e.g. after a restart of this machine; the node itself is fine
        if ((!resumed)); then
            scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1 || true
            resumed=1
        fi
        ;;
    esac
    sleep 1
done
fail "node $NODE is not idle after ${WAIT_S}s (state: '$(node_state)'; see sinfo -R)"
