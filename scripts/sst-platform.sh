#!/bin/sh
# Installs SST's platform (.sst/platform: component sources, config.d.ts, Pulumi SDKs)
# offline: only the npm registry is needed. Skipped when the installed version matches
# the pinned sst package, so re-runs are instant; safe to run repeatedly.
set -eu
cd "$(dirname "$0")/.."
want=$(node -p 'require("./node_modules/sst/package.json").version' 2>/dev/null || echo unknown)
have=$(cat .sst/platform/version 2>/dev/null || echo none)
if [ "$want" = "$have" ] && [ -f .sst/platform/src/components/index.ts ] && [ -d .sst/platform/node_modules/@pulumi/aws ]; then
  echo "sst platform $have already installed in .sst/platform (skipped)"
  exit 0
fi
start=$(date +%s)
SST_SKIP_DEPENDENCY_CHECK=1 SST_TELEMETRY_DISABLED=1 SST_NO_BUN=1 \
  sst install --stage "${SST_STAGE:-dev}"
echo "sst platform $want installed in .sst/platform in $(( $(date +%s) - start ))s"
