#!/usr/bin/env bash
# Fails when a C source or header does not follow the committed .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(find text io verify results scanner bench tests -name '*.[ch]' | sort)
clang-format --dry-run --Werror $files
echo "ok - $(echo "$files" | wc -l) files follow .clang-format"
