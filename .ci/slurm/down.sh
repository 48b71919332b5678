#!/usr/bin/env bash
# Stops the one-node test cluster started by .ci/slurm/up.sh (slurmd, slurmctld,
# munged), each by the pid in its pid file. Idempotent; leaves packages and
# configuration in place, so the next up.sh starts in seconds.
set -uo pipefail

stop() { # name pidfile
    local name=$1 pidfile=$2 pid
    if [[ -s $pidfile ]] && pid=$(cat "$pidfile") && kill -0 "$pid" 2>/dev/null; then
        echo "slurm-ci: stopping $name (pid $pid)"
        kill "$pid"
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || return 0
            sleep 0.1
        done
        echo "slurm-ci: $name did not stop after 10 s; sending SIGKILL" >&2
        kill -9 "$pid" 2>/dev/null || true
    else
        echo "slurm-ci: $name is not running"
    fi
}

stop slurmd /run/slurmd.pid
stop slurmctld /run/slurmctld.pid
stop munged /run/munge/munged.pid
exit 0
