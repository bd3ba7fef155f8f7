#!/usr/bin/env bash
# make demo: start a 3-node simulated Aerospike EE cluster, show asroll's plan for it, roll it with the demo
# playbook, show the result, and stop the simulator (also on failure or Ctrl-C), leaving nothing running.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug}
DIR=${DEMO_DIR:-/tmp/asroll-demo}

say() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

"$BIN/asroll-sim" down --dir "$DIR" >/dev/null 2>&1
rm -rf "$DIR"
trap '"$BIN/asroll-sim" down --dir "$DIR" >/dev/null 2>&1' EXIT

say "Starting a simulated 3-node cluster (real sshd per node on 127.0.77.N, info protocol on :3000)"
"$BIN/asroll-sim" up --nodes 3 --dir "$DIR" --ssh-port "${DEMO_SSH_PORT:-2222}" || exit 1

say "The plan, from the files alone (first node shown; every node gets the same steps)"
"$BIN/asroll" plan -i "$DIR/inventory.yml" -p playbooks/demo.yml --node aero-1 || exit 1

say "The roll: one node at a time, warm restarts, the gate between nodes"
"$BIN/asroll" run -i "$DIR/inventory.yml" -p playbooks/demo.yml --yes --state-dir "$DIR/state"
status=$?

say "What the simulated cluster did (from its record)"
grep -E '"event":"asd_started"' "$DIR/record.jsonl" | grep -v '"initial":true' \
    | sed -E 's/.*"ts":"([^"]+)".*"node":"([^"]+)".*"at_boot":([a-z]+).*"mode":"([a-z]+)".*/  \1  \2  asd started \4 (at boot: \3)/'
"$BIN/asroll" status -i "$DIR/inventory.yml"

say "Stopping the simulator"
"$BIN/asroll-sim" down --dir "$DIR"
trap - EXIT
echo "State, journal, per-node command logs and the report: $DIR/state/runs/"
exit $status
