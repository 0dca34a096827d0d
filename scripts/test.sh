#!/usr/bin/env bash
# The test command (README): type-check, lint, check generated code, then every mocha suite.
# Ends with "N passed, N failed"; the JSON report is left at test-results/report.json.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
step() { echo "== $*"; }

step "type-check"; npx tsc -p tsconfig.json --noEmit || status=1
step "lint"; npx eslint src test bench || status=1
if [ -x scripts/gen-thrift.sh ]; then step "generated Thrift code is up to date"; bash scripts/gen-thrift.sh --check || status=1; fi
step "build"; npm run --silent build || status=1

step "tests"
if [ $# -eq 0 ]; then set -- "test/**/*.test.ts"; fi
npx mocha --reporter ./test/support/reporter.cjs "$@"
mocha_status=$?
[ $mocha_status -ne 0 ] && status=$mocha_status
if [ $status -ne 0 ] && [ $mocha_status -eq 0 ]; then
  # Keep the closing line last: a check outside mocha failed, count it as one failure.
  echo "checks outside mocha failed (see above)"
  node -e "const r=require('./test-results/report.json');console.log(r.stats.passes+' passed, '+(r.stats.failures+1)+' failed')"
fi
exit $status
