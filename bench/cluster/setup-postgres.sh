#!/usr/bin/env bash
# A throwaway PostgreSQL for the cluster benchmark (bench/WalActors.Cluster.Bench), on 127.0.0.1 only.
#
#   setup-postgres.sh install            install Debian's postgresql when no initdb/pg_ctl is found
#   setup-postgres.sh serve DIR PORT     install if needed, initdb DIR, start postgres on 127.0.0.1:PORT, print
#                                        "ready", then keep it running until this script's stdin closes; then stop it
#                                        and delete DIR
#
# `serve` is how the benchmark runs it: its stdin is a pipe from the benchmark, which the kernel closes however the
# benchmark ends (a crash or a SIGKILL included), so no postgres outlives the run. postgres refuses to run as root,
# so under root the server runs as the `postgres` user (runuser); the data directory is then owned by that user.
# Durability is the fair setting for a journal: fsync and synchronous_commit on (a commit returns once its WAL is
# flushed), as the defaults are, named so that no local configuration can change them.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

install() {
  if bindir >/dev/null; then
    return 0
  fi
  echo "installing postgresql (apt-get)" >&2
  as_root apt-get update >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  # The package's own cluster service is not wanted: the benchmark starts its own server.
  if [ -d /run/systemd/system ]; then
    as_root systemctl disable --now postgresql >&2 || true
  fi
  bindir >/dev/null || { echo "postgresql installed but no initdb/pg_ctl under /usr/lib/postgresql/*/bin" >&2; exit 4; }
}

# Runs a command as the user that owns the server: postgres under root, else the caller.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

serve() {
  local dir=$1 port=$2 bin
  install
  bin=$(bindir)
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 4; }
  # The socket directory is the throwaway one too, so nothing in /var/run/postgresql is needed or touched.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=200" \
    >/dev/null || { cat "$dir/postgres.log" >&2; exit 4; }
  echo ready
  read -r _ || true
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
    || as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  serve) [ $# -eq 3 ] || { echo "usage: $0 serve DIR PORT" >&2; exit 2; }; serve "$2" "$3" ;;
  *) echo "usage: $0 install | serve DIR PORT" >&2; exit 2 ;;
esac
