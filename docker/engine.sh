#!/usr/bin/env bash
# exchange-lab engine bootstrap: make sure a Docker engine answers `docker info`.
#
#   bash docker/engine.sh          # exit 0 once an engine answers; non-zero with instructions otherwise
#
# - An engine already answers: exit 0 at once, silently.
# - Debian/Ubuntu as root: installs `docker.io` if `dockerd` is missing (one `apt-get update`,
#   non-interactive), starts `dockerd` in the background (log: $EXLAB_DOCKERD_LOG), waits until
#   `docker info` answers or the deadline passes. Nothing is pulled from any registry.
# - Anywhere else (not root, not Debian, macOS, a remote DOCKER_HOST): prints what to run, exits 2.
#
# Environment:
#   EXLAB_DOCKERD_LOG      dockerd's log file            @default /var/log/exlab-dockerd.log
#   EXLAB_ENGINE_TIMEOUT   seconds to wait for dockerd   @default 60
# Exit codes: 0 engine answers · 1 install/start failed · 2 needs the user (instructions printed).
set -uo pipefail

LOG="${EXLAB_DOCKERD_LOG:-/var/log/exlab-dockerd.log}"
TIMEOUT="${EXLAB_ENGINE_TIMEOUT:-60}"

say() { printf 'exlab engine: %s\n' "$*" >&2; }
fail() { say "$1"; exit "${2:-1}"; }

engine_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# True when a dockerd process runs (reads /proc: no dependency on procps).
dockerd_running() {
  local comm
  for comm in /proc/[0-9]*/comm; do
    [ "$(cat "$comm" 2>/dev/null)" = "dockerd" ] && return 0
  done
  return 1
}

if engine_answers; then exit 0; fi

os="$(uname -s)"
if [ "$os" = "Darwin" ]; then
  fail "no Docker engine answers. Start Docker Desktop (open -a Docker), or install it first:
  brew install --cask docker && open -a Docker
then run this script again." 2
fi
if [ "$os" != "Linux" ]; then
  fail "no Docker engine answers on $os. Start Docker Desktop, then run this script again." 2
fi

if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST}" != "unix:///var/run/docker.sock" ]; then
  fail "DOCKER_HOST=${DOCKER_HOST} does not answer. Start the engine it points at, or unset DOCKER_HOST
to use a local dockerd (this script can start one on Debian as root)." 2
fi

if [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
  fail "no Docker engine answers. Install Docker with your distribution's package manager and start it, e.g.
  sudo dnf install -y moby-engine && sudo systemctl start docker     # Fedora
  sudo systemctl start docker                                         # Docker already installed
then run this script again." 2
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v dockerd >/dev/null 2>&1; then
    fail "no Docker engine answers. Start it as root, then run this script again:
  sudo systemctl start docker      # or: sudo bash docker/engine.sh
If dockerd runs but you lack access to /var/run/docker.sock: sudo usermod -aG docker \"\$USER\" and log in again." 2
  fi
  fail "no Docker engine is installed. Install and start it as root:
  sudo bash docker/engine.sh
(or: sudo apt-get update && sudo apt-get install -y docker.io && sudo systemctl start docker)" 2
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  say "installing docker.io (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$(mktemp /tmp/exlab-apt.XXXXXX)"
  if ! { apt-get update -qq -o DPkg::Lock::Timeout=120 && apt-get install -y -qq -o DPkg::Lock::Timeout=120 -o Dpkg::Options::=--force-confold docker.io; } >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    fail "apt-get could not install docker.io (full log: $apt_log)."
  fi
  rm -f "$apt_log"
  command -v dockerd >/dev/null 2>&1 || fail "docker.io is installed but dockerd is not on PATH ($PATH)."
fi

# A dockerd that is already starting is waited for, not started twice.
if ! dockerd_running; then
  mkdir -p "$(dirname "$LOG")" 2>/dev/null
  touch "$LOG" 2>/dev/null || LOG="/tmp/exlab-dockerd.log"
  rm -f /var/run/docker.pid
  setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &
  say "started dockerd (pid $!, log $LOG)"
fi

deadline=$(( $(date +%s) + TIMEOUT ))
until engine_answers; do
  if ! dockerd_running; then
    tail -n 20 "$LOG" >&2 2>/dev/null
    fail "dockerd exited while starting (log: $LOG)."
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    tail -n 20 "$LOG" >&2 2>/dev/null
    fail "dockerd did not answer within ${TIMEOUT}s (log: $LOG; raise EXLAB_ENGINE_TIMEOUT to wait longer)."
  fi
  sleep 0.5
done
exit 0
