#!/usr/bin/env python3
"""Refuses a Write or Edit whose new text looks like it holds a secret."""
import json
import re
import sys

PATTERNS = [re.compile(r"sk-[A-Za-z0-9]{20,}"), re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")]

event = json.load(sys.stdin)
tool_input = event.get("tool_input", {})
text = tool_input.get("content") or tool_input.get("new_string") or ""
if any(p.search(text) for p in PATTERNS):
    print("refused: the text looks like it contains a secret", file=sys.stderr)
    sys.exit(2)
