#!/bin/bash
# Undoes what a run of make e2e made, in whatever state it stopped (e2e/run.sh's trap; the tests
# undo their own first, this is for a run cut short): the containers and the containerd and
# dockerd the tests started in WORK, the tests' cgroups, the run's podman store, and WORK itself. Every step is
# tried even when one before it failed; only processes found by WORK's own paths are stopped.
#   e2e/clean.sh WORK
set -uo pipefail
work=$1
. "$(dirname "$0")/lib.sh"
failed=0
step() {
  "$@" && return
  echo "e2e clean-up: $* failed" >&2
  failed=1
}

# The pid in FILE, if that process is still the COMMAND that wrote it.
running() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && echo "$pid"
}

stop() { # PID: SIGTERM, then SIGKILL after 20 s
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 200); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null || true
}

containerd_down() {
  local dir=$work/containerd pid root id
  # Containers first, through runc's own state: with or without containerd, none is left running.
  for root in "$dir"/runc/*/; do
    [ -d "$root" ] || continue
    for id in $(runc --root "$root" list -q 2>/dev/null); do
      runc --root "$root" kill --all "$id" KILL 2>/dev/null
      runc --root "$root" delete --force "$id"
    done
  done
  if pid=$(running "$dir/containerd.pid" containerd); then stop "$pid"; fi
  # Shims outlive a containerd that was killed: each names this containerd's socket.
  for pid in $(pgrep -f -x "/usr/bin/containerd-shim-runc-v2 .* -address $dir/containerd.sock"); do
    stop "$pid"
  done
}

dockerd_down() {
  local dir=$work/docker pid
  [ -d "$dir" ] || return 0
  # Its containers first, while it runs; then the daemon (it stops its containerd).
  if pid=$(running "$dir/docker.pid" dockerd); then
    local docker="/usr/bin/docker --host unix://$dir/docker.sock" id
    for id in $($docker ps -aq 2>/dev/null); do $docker rm -f "$id" >/dev/null; done
    stop "$pid"
  fi
  # Its containerd, and the shims of a containerd that was killed.
  if pid=$(running "$dir/exec/containerd/containerd.pid" containerd); then stop "$pid"; fi
  for pid in $(pgrep -f -x "/usr/bin/containerd-shim-runc-v2 .* -address $dir/exec/containerd/containerd.sock"); do
    stop "$pid"
  done
}

# The test's cgroups are under a top-level cgroup named as WORK, in every hierarchy. A cgroup whose
# last processes are still exiting refuses rmdir (EBUSY) for a moment: whatever is left in them is
# killed and the removal tried again, for up to 60 s.
cgroups_down() {
  local top mount type procs pid left deadline=$((SECONDS + 60))
  top=$(basename "$work")
  while :; do
    left=
    while read -r _ mount type _; do
      case $type in cgroup | cgroup2) ;; *) continue ;; esac
      [ -d "$mount/$top" ] || continue
      while read -r procs; do
        while read -r pid; do kill -KILL "$pid" 2>/dev/null; done <"$procs"
      done < <(find "$mount/$top" -name cgroup.procs)
      find "$mount/$top" -depth -type d -exec rmdir {} + 2>/dev/null
      [ -d "$mount/$top" ] && left="$left $mount/$top"
    done </proc/mounts
    [ -z "$left" ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "e2e clean-up: still busy after 60 s:$left" >&2
      return 1
    fi
    sleep 0.5
  done
}

podman_down() {
  [ -d "$work/podman/root" ] || return 0
  e2e_podman rm --all --force >/dev/null && e2e_podman rmi --all --force >/dev/null
}

unmount_all() { # deepest first
  awk -v dir="$work/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r point; do umount --lazy "$point"; done
}

step containerd_down
step dockerd_down
step cgroups_down
step podman_down
step unmount_all
step rm -rf "$work"
exit $failed
