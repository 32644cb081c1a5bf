#!/usr/bin/env bash
# Installs the system programs the platform needs when they are missing: ffmpeg (transcoding), gettext
# (translations) and, for the browser tests, Debian's chromium and npm (for axe-core). Uses apt-get where it can; otherwise it
# says exactly what to install and stops.
set -euo pipefail
declare -A binary=([ffmpeg]=ffprobe [gettext]=msgfmt [chromium]=chromium [npm]=npm)
missing=()
for package in "$@"; do
  command -v "${binary[$package]}" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing ${missing[*]} with apt-get..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with sudo apt-get..."
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing programs: ${missing[*]}. Install them with your package manager" >&2
  echo "(Debian/Ubuntu: apt-get install ${missing[*]}; macOS: brew install ${missing[*]/chromium/--cask chromium})." >&2
  exit 1
fi
