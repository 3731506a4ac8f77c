#!/bin/sh
# Kept for shells without Python: lints every changed Python file at once.
git diff --name-only -- '*.py' | xargs -r ruff check
