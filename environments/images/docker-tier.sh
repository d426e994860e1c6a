#!/usr/bin/env bash
# The docker test tier, from nothing: install the engine if missing, start a dockerd if none answers, build the
# offline base image, run a command, and stop the dockerd this script started (also on failure and Ctrl+C).
#
#   docker-tier.sh start            install docker.io + debootstrap if missing; start dockerd if no engine answers
#   docker-tier.sh images           build the offline base image (debootstrap + docker import) unless it exists,
#                                   then the offline Redis and PostgreSQL images on it (C# builder, content-hash cache)
#   docker-tier.sh stop             stop the dockerd that `start` started (nothing if it found one running)
#   docker-tier.sh status           say which engine answers and whether this script started it
#   docker-tier.sh mirror           print the Debian mirror debootstrap would use (from apt's sources)
#   docker-tier.sh run -- CMD...    start + images, run CMD, always stop; exits with CMD's exit code
#
# Settings (environment):
#   REPLICA_BASE_IMAGE     tag of the offline base image            (default replica/debian:bookworm)
#   REPLICA_DEBIAN_SUITE   Debian suite debootstrap installs         (default bookworm)
#   REPLICA_DEBIAN_MIRROR  Debian mirror for debootstrap             (default: the machine's apt sources, see below)
#   REPLICA_DOCKER_STATE   where the pid file and dockerd log live   (default /tmp/replica-docker-tier; removed
#                          once the dockerd this script started has stopped; after a failed `run`, the log is
#                          copied to artifacts/test-results/dockerd.log first)
#   DOCKER_HOST            an engine to use instead of the local socket; this script never starts one elsewhere
#
# The Debian mirror debootstrap installs from is the one this machine's apt uses: the first deb source for the suite
# in /etc/apt/sources.list.d/*.sources (deb822 `URIs:`) or in /etc/apt/sources.list and sources.list.d/*.list
# (one-line `deb` entries); failing that, the first deb source that is not a -security suite. REPLICA_DEBIAN_MIRROR
# overrides it.
#
# Service images (the staging backend and auth) are built by the same C# builder when the runtime first needs them.
set -euo pipefail

BASE_IMAGE="${REPLICA_BASE_IMAGE:-replica/debian:bookworm}"
SUITE="${REPLICA_DEBIAN_SUITE:-bookworm}"
MIRROR="${REPLICA_DEBIAN_MIRROR:-}"
APT_SOURCES_DIR="${REPLICA_APT_SOURCES_DIR:-/etc/apt}"
STATE_DIR="${REPLICA_DOCKER_STATE:-/tmp/replica-docker-tier}"
PID_FILE="$STATE_DIR/dockerd.pid"
LOG_FILE="$STATE_DIR/dockerd.log"
DEFAULT_SOCKET=/var/run/docker.sock
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RESULTS_DIR="$(cd "$HERE/../.." && pwd)/artifacts/test-results"
ENGINE="${DOCKER_HOST:-unix://$DEFAULT_SOCKET}"

say() { printf '[docker-tier] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

engine_answers() { timeout 10 docker -H "$ENGINE" info >/dev/null 2>&1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "$1 needs root (run with sudo), or start an engine yourself and set DOCKER_HOST"
}

ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  need_root "installing ${missing[*]}"
  say "installing ${missing[*]} (apt-get update first)"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed"
}

started_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop_engine() {
  local pid
  if ! pid="$(started_pid)"; then
    rm -f "$PID_FILE"
    return 0
  fi
  say "stopping dockerd (pid $pid) that this script started"
  kill -TERM "$pid" 2>/dev/null || true
  # dockerd stops its containers (10 s grace each) and its own containerd before it exits.
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; say "dockerd stopped"; return 0; }
    sleep 0.5
  done
  say "dockerd did not stop within 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

# One exit trap for everything this script may leave behind: a half-made rootfs, and a dockerd it started that
# must not outlive a failed start, an interrupted run, or the end of `run`.
ROOTFS=""
STOP_ENGINE_ON_EXIT=0
cleanup() {
  local rc=$?
  [ -n "$ROOTFS" ] && rm -rf "$ROOTFS" "$ROOTFS.log"
  if [ "$STOP_ENGINE_ON_EXIT" -eq 1 ]; then
    stop_engine
    # The dockerd this script started is gone, and so is its folder. After a failed command its log goes where the
    # tiers' own logs are kept (not after Ctrl+C: nobody asked why).
    if [ -f "$LOG_FILE" ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 130 ]; then
      mkdir -p "$RESULTS_DIR" && cp "$LOG_FILE" "$RESULTS_DIR/dockerd.log" && say "dockerd's log: $RESULTS_DIR/dockerd.log"
    fi
    rm -f "$LOG_FILE"
    rmdir "$STATE_DIR" 2>/dev/null || true
  fi
  exit $rc
}
trap cleanup EXIT
CHILD=""
on_signal() {
  say "interrupted"
  [ -n "$CHILD" ] && { kill -TERM "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; }
  exit 130
}
trap on_signal INT TERM

start_engine() {
  ensure_packages
  if engine_answers; then
    say "an engine already answers at $ENGINE; using it and leaving it running"
    return 0
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    die "no engine at DOCKER_HOST=$DOCKER_HOST; start it, or unset DOCKER_HOST to let this script start a local dockerd"
  fi
  if started_pid >/dev/null; then
    die "dockerd $(cat "$PID_FILE") started earlier by this script runs but does not answer at $ENGINE; see $LOG_FILE"
  fi
  need_root "starting dockerd"
  mkdir -p "$STATE_DIR"
  say "no engine at $ENGINE; starting dockerd (log: $LOG_FILE)"
  # Until it answers, a failure or Ctrl+C stops it again.
  local keep_after="$STOP_ENGINE_ON_EXIT"
  STOP_ENGINE_ON_EXIT=1
  dockerd --host "unix://$DEFAULT_SOCKET" >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local pid; pid="$(cat "$PID_FILE")"
  for i in $(seq 1 120); do
    if engine_answers; then
      say "dockerd (pid $pid) answers at $ENGINE after $((i / 2)) s"
      STOP_ENGINE_ON_EXIT="$keep_after"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$LOG_FILE" >&2 || true; die "dockerd exited while starting; see $LOG_FILE"; }
    sleep 0.5
  done
  tail -n 20 "$LOG_FILE" >&2 || true
  die "dockerd did not answer at $ENGINE within 60 s; see $LOG_FILE"
}

# Prints the deb sources apt is configured with, one "URI SUITE..." line each, in apt's order: sources.list, then
# sources.list.d (*.list one-line entries and *.sources deb822 stanzas, by file name). Disabled stanzas are left out.
apt_deb_sources() {
  local file
  for file in "$APT_SOURCES_DIR/sources.list" "$APT_SOURCES_DIR"/sources.list.d/*; do
    [ -f "$file" ] || continue
    case "$file" in
      *.sources)
        awk '
          function flush() { if (deb && enabled && uris != "" && suites != "") { n = split(uris, u, " "); for (i = 1; i <= n; i++) print u[i], suites } deb = 0; enabled = 1; uris = ""; suites = "" }
          BEGIN { enabled = 1 }
          /^[[:space:]]*#/ { next }
          /^[[:space:]]*$/ { flush(); next }
          { key = tolower($1); sub(/:$/, "", key); value = $0; sub(/^[^:]*:[[:space:]]*/, "", value) }
          key == "types" { deb = (" " value " " ~ / deb /) }
          key == "uris" { uris = value }
          key == "suites" { suites = value }
          key == "enabled" { enabled = (tolower(value) != "no") }
          END { flush() }' "$file" ;;
      *.list|*/sources.list)
        # deb [option=value ...] URI SUITE COMPONENT...
        awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ } if (i + 1 <= NF) print $i, $(i + 1) }' "$file" ;;
    esac
  done
}

# The mirror for $SUITE: a deb source that serves the suite, else the first that is not a -security archive.
debian_mirror() {
  if [ -n "$MIRROR" ]; then
    echo "$MIRROR"
    return 0
  fi
  local sources found
  sources="$(apt_deb_sources)"
  found="$(awk -v suite="$SUITE" '{ for (i = 2; i <= NF; i++) if ($i == suite) { print $1; exit } }' <<<"$sources")"
  [ -n "$found" ] || found="$(awk '{ for (i = 2; i <= NF; i++) if ($i !~ /-security$/) { print $1; exit } }' <<<"$sources")"
  [ -n "$found" ] || return 1
  echo "${found%/}"
}

build_base_image() {
  engine_answers || die "no engine at $ENGINE; run '$0 start' first"
  if docker -H "$ENGINE" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    say "base image $BASE_IMAGE exists (cached); not rebuilding"
    return 0
  fi
  need_root "debootstrap"
  ensure_packages
  MIRROR="$(debian_mirror)" \
    || die "no Debian mirror: apt has no deb source in $APT_SOURCES_DIR/sources.list or sources.list.d/; set REPLICA_DEBIAN_MIRROR to one"
  ROOTFS="$(mktemp -d /tmp/replica-rootfs.XXXXXX)"
  local started=$SECONDS
  say "building base image $BASE_IMAGE: debootstrap --variant=minbase $SUITE from $MIRROR (about 30 s)"
  debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 \
    || { tail -n 20 "$ROOTFS.log" >&2; die "debootstrap $SUITE from $MIRROR failed (see the lines above)"; }
  # Keep the image small; apt-get update inside a build fetches fresh lists anyway.
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
  say "importing the rootfs as $BASE_IMAGE"
  tar -C "$ROOTFS" -c . | docker -H "$ENGINE" import \
    --change 'ENV DEBIAN_FRONTEND=noninteractive' \
    --change 'CMD ["/bin/bash"]' \
    --change "LABEL io.replica.base=$SUITE" \
    - "$BASE_IMAGE" >/dev/null
  rm -rf "$ROOTFS" "$ROOTFS.log"
  ROOTFS=""
  say "base image $BASE_IMAGE built in $((SECONDS - started)) s"
}

build_offline_images() {
  build_base_image
  command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH; it builds the offline Redis and PostgreSQL images"
  say "offline Redis and PostgreSQL images on $BASE_IMAGE (built only when their inputs changed)"
  # Same builder and cache as the docker runtime: Replica.Environments.Docker.ImageBuilder.
  DOCKER_HOST="$ENGINE" REPLICA_BASE_IMAGE="$BASE_IMAGE" dotnet run -c Release "$HERE/build-images.cs" -- "$HERE" \
    || die "building the offline images failed (see the lines above)"
}

status() {
  if engine_answers; then say "engine answers at $ENGINE"; else say "no engine at $ENGINE"; fi
  local pid
  if pid="$(started_pid)"; then say "dockerd pid $pid was started by this script"; else say "this script started no dockerd"; fi
}

run_wrapped() {
  [ $# -gt 0 ] || die "usage: $0 run -- COMMAND [ARGS...]"
  if ! engine_answers && ! started_pid >/dev/null; then
    STOP_ENGINE_ON_EXIT=1
  fi
  start_engine
  build_offline_images
  say "running: $*"
  # In the background so that a TERM from a launcher reaches us at once (bash defers traps until a foreground
  # command ends); we pass it on to the command, then the exit trap stops the engine. With job control on (set -m)
  # while it starts, so that bash does not start the job with SIGINT ignored, which every process the tests start
  # would inherit (a test sending Ctrl+C to a `replica up` would wait for nothing). A SIGINT already ignored when
  # this script started stays ignored; `./replica test` starts it with SIGINT at its default.
  local rc=0
  set -m
  "$@" &
  CHILD=$!
  set +m
  wait "$CHILD" || rc=$?
  CHILD=""
  say "command exited with $rc"
  exit $rc
}

case "${1:-}" in
  start) start_engine ;;
  images) build_offline_images ;;
  stop) stop_engine ;;
  status) status ;;
  mirror) debian_mirror || die "no Debian mirror: apt has no deb source in $APT_SOURCES_DIR/sources.list or sources.list.d/; set REPLICA_DEBIAN_MIRROR to one" ;;
  run) shift; [ "${1:-}" = "--" ] && shift; run_wrapped "$@" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2 ;;
esac
