#!/usr/bin/env python3
"""Prints one status line from the JSON Claude Code sends on stdin."""
import json
import subprocess
import sys

data = json.load(sys.stdin)
model = data.get("model", {}).get("display_name", "?")
try:
    changed = subprocess.run(["git", "status", "--porcelain", "ledger"], capture_output=True, text=True).stdout
    count = len([line for line in changed.splitlines() if line.strip()])
except OSError:
    count = 0
print(f"[{model}] ledger: {count} changed")
