#!/usr/bin/env python3
"""Runs a linter on the file the tool call touched; exit 2 hands its complaints back to Claude."""
import json
import shutil
import subprocess
import sys

event = json.load(sys.stdin)
path = event.get("tool_input", {}).get("file_path", "")
if not path.endswith(".py") or shutil.which("ruff") is None:
    sys.exit(0)
result = subprocess.run(["ruff", "check", path], capture_output=True, text=True)
if result.returncode != 0:
    print(result.stdout, file=sys.stderr)
    sys.exit(2)
