#!/usr/bin/env bash
# Installs what is missing, builds the release app and serves it at
# http://127.0.0.1:3000 on the embedded store, with demo data.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$CHIRP_ROOT"

scripts/bootstrap.sh
scripts/build-release.sh
export CHIRP_DEMO="${CHIRP_DEMO:-1}"
# Plain HTTP on loopback: browsers drop Secure cookies there.
export CHIRP_INSECURE_COOKIES="${CHIRP_INSECURE_COOKIES:-1}"
exec target/release/chirp-server
