#!/usr/bin/env bash
# Install Debian packages the project needs, as root or through sudo; the ensure-*
# scripts call it for what they find missing.
# Usage: scripts/debian-install.sh "what for" PACKAGE…
set -euo pipefail
why=$1
shift
echo "Installing Debian's $* for $why…"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
