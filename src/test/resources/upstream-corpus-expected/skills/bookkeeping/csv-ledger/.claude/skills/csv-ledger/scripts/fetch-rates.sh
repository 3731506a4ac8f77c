#!/usr/bin/env bash
set -euo pipefail
base="${1:-EUR}"
printf '{"base":"%s","rates":{}}\n' "$base" > rates.json
echo "wrote rates.json for $base"
