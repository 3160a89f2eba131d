#!/usr/bin/env bash
# The README's test command (`npm test`) and CI's: system peers, type check, lint, every suite,
# then one plain closing line `N passed, N failed` over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-peers.sh || { echo "System peers are missing: see above for what to install." >&2; exit 1; }

rm -rf test-results && mkdir -p test-results
failed_stages=()

echo "== type check"; npx tsc -p tsconfig.json --noEmit || failed_stages+=("typecheck")
echo "== lint"; npx eslint . || failed_stages+=("lint")
echo "== unit and integration tests (vitest)"; npx vitest run "$@" || failed_stages+=("vitest")
echo "== end-to-end tests in Chromium (playwright)"; npx playwright test || failed_stages+=("playwright")

node scripts/test-summary.mjs "${failed_stages[@]}"
