# Sourced by the e2e scripts, after they set $work (the run's directory): names they share.

# The exporter's image as built here, and the Debian base its FROM lines name, which the
# workload containers run too.
E2E_IMAGE=localhost/capability-exporter:e2e
E2E_BASE=docker.io/library/debian:bookworm
E2E_BASE_SLIM=docker.io/library/debian:bookworm-slim
# Debian's servers, for the profiles' proof (e2e/servers-image.sh).
E2E_SERVERS=localhost/servers:e2e

# podman with a store of the run's own, in $work: the user's images, containers and podman
# state are never touched, and removing $work removes everything the run stored. The tests are
# given the same options (-De2e.podman), so $work must have no spaces in its path.
e2e_podman_options() {
  echo --root "$work/podman/root" --runroot "$work/podman/run" --tmpdir "$work/podman/tmp" \
    --storage-driver overlay --cgroup-manager cgroupfs --events-backend none
}
e2e_podman() {
  # shellcheck disable=SC2046 # the options are words, split on purpose
  podman $(e2e_podman_options) "$@"
}

# Runs a command with its output in $work/LOG.log; on failure shows the end of it.
logged() {
  local log=$work/$1.log
  shift
  if ! "$@" >"$log" 2>&1; then
    echo "e2e: failed: $* (end of $log:)" >&2
    tail -n 30 "$log" >&2
    return 1
  fi
}
