#!/usr/bin/env bash
# Development: rebuilds and reloads the browser on every change.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"

scripts/bootstrap.sh
export CHIRP_DEMO="${CHIRP_DEMO:-1}" CHIRP_INSECURE_COOKIES="${CHIRP_INSECURE_COOKIES:-1}"
# Stable file names in development: the live-reload script swaps the
# stylesheet in place by its name, which a content hash would change.
export LEPTOS_HASH_FILES="${LEPTOS_HASH_FILES:-false}"
# --split: the lazy routes import their chunks from the split loader, which
# only a split build writes.
exec cargo leptos watch --split "$@"
