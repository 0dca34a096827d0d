#!/usr/bin/env bash
# Accio's main job on its embedded defaults: start a local agent (SQLite storage, local scheduler,
# local artifact directory), push the geo-indistinguishability workflow, submit a sweep of epsilon
# values x repeats, show progress, print a results table, stop the agent.
# Run it twice: the second run completes from the cache.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR=${ACCIO_DEMO_DIR:-$PWD/.accio-data}
mkdir -p "$DATA_DIR"
[ -d node_modules ] || npm ci --no-audit --no-fund
if [ ! -f dist/src/cli/commands/submit.js ] || [ -n "$(find src -newer dist/.built -print -quit 2>/dev/null || echo stale)" ]; then
  echo "building..." >&2
  npm run --silent build && touch dist/.built
fi

PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export ACCIO_ADDR=127.0.0.1:$PORT
accio() { node bin/run.js "$@"; }

# Not through the accio() function: $! must be the agent itself, so the trap below stops it.
node bin/run.js agent --port "$PORT" --data-dir "$DATA_DIR" >"$DATA_DIR/agent.log" 2>&1 &
AGENT=$!
trap 'kill $AGENT 2>/dev/null; wait $AGENT 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  accio workflows --json >/dev/null 2>&1 && break
  kill -0 $AGENT 2>/dev/null || { echo "the agent did not start; see $DATA_DIR/agent.log" >&2; exit 4; }
  sleep 0.2
done
echo "agent on $ACCIO_ADDR, data in $DATA_DIR" >&2

accio push examples/geo-i/workflow.yaml
START=$(date +%s.%N)
# Ids go to stdout (parent first); progress goes to stderr, so it stays on the terminal.
PARENT=$(accio submit examples/geo-i/sweep.yaml --wait | head -n 1)
END=$(date +%s.%N)

OUT=$(mktemp -d)
accio export "$PARENT" --aggregate --out "$OUT/export" >/dev/null
echo
node scripts/results-table.js "$OUT/export/artifacts.csv"
rm -rf "$OUT"
accio inspect "$PARENT" --json | node -e "
let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{
  const { run, children } = JSON.parse(s).result;
  let nodes = 0, hits = 0;
  for (const c of children) for (const n of c.state.nodes) { nodes++; if (n.cacheHit) hits++; }
  console.log('\nsweep ' + run.id + ': ' + run.state.status + ', ' + children.length + ' runs in ' + (${END} - ${START}).toFixed(1) + ' s; ' +
    hits + ' of ' + nodes + ' nodes from the cache' + (hits < nodes ? ' (run it again: everything will be)' : ''));
})"
