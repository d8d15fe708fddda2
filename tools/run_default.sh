#!/usr/bin/env bash
# Sets up, builds and runs the main job: the shipped default scenario, written to results.h5.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
build/condorsim run -o results.h5 "$@"
