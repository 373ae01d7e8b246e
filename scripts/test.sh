#!/usr/bin/env bash
# The whole test suite, as the README's test command and .ci/run run it.
# Order: cheap static checks first, then the offline SST platform (infra tests need it),
# then every vitest project. Ends with a plain "N passed, N failed, N skipped" line.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "type check (packages, bench)"
pnpm --silent typecheck
step "lint + format (biome)"
pnpm --silent lint

if [ -f sst.config.ts ]; then
  step "SST platform (offline install, skipped when present)"
  pnpm --silent sst:install
  step "type check (sst.config.ts, stacks, infra)"
  pnpm --silent infra:typecheck
fi

step "Prometheus (Debian package: the Prometheus source and rules tests need it)"
if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  echo "present: $(promtool --version 2>&1 | head -1)"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  # Only while the package is missing; a failure leaves those tests to skip, saying why.
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null) ||
    echo "could not install prometheus: its tests will skip"
else
  echo "prometheus missing and not root: its tests skip (apt-get install -y prometheus)"
fi

step "tests (vitest)"
results=$(mktemp)
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$results" || status=$?
pnpm exec node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0) process.exitCode = 1;
' "$results" || status=1
rm -f "$results"
exit "$status"
