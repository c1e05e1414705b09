# shellcheck shell=bash
# Common helpers for chatctl: logging, configuration, paths, process handling.
# Sourced by chatctl; expects REPO to be set.
# The globals set by load_config are used by the other libraries.
# shellcheck disable=SC2034

# ---------------------------------------------------------------- logging

info() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# is_uint VALUE -> true when VALUE is a non-negative decimal integer
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# require_uint NAME VALUE
require_uint() {
  is_uint "$2" || die "$1 must be a non-negative integer (got '$2')"
}

# ---------------------------------------------------------------- configuration

load_config() {
  PG_PORT=${CHAT_PG_PORT:-15432}
  REDIS_PORT=${CHAT_REDIS_PORT:-16379}
  SILOS=${CHAT_SILOS:-1}
  FRONTS=${CHAT_FRONTS:-1}
  CLUSTER_ID=${CHAT_CLUSTER_ID:-dev}
  SERVICE_ID=orleanschat
  DB_NAME=orleanschat
  DB_USER=orleanschat
  DB_PASSWORD=orleanschat
  require_uint CHAT_PG_PORT "$PG_PORT"
  require_uint CHAT_REDIS_PORT "$REDIS_PORT"
  require_uint CHAT_SILOS "$SILOS"
  require_uint CHAT_FRONTS "$FRONTS"
  [[ -n $CLUSTER_ID ]] || die "CHAT_CLUSTER_ID must not be empty"

  DATA=$(resolve_data_dir)
  PGDATA_DIR=$DATA/pg
  REDIS_DIR=$DATA/redis
  RUN_DIR=$DATA/run
  LOG_DIR=$DATA/logs
  REDIS_PIDFILE=$RUN_DIR/redis.pid
  PG_BIN=$(find_pg_bin)

  if is_root; then PG_SUPERUSER=postgres; else PG_SUPERUSER=$(id -un); fi
}

# The data folder: CHAT_DATA_DIR if set; $REPO/.chat normally; a folder under
# /var/lib/orleanschat when the postgres user cannot enter the repo.
resolve_data_dir() {
  if [[ -n ${CHAT_DATA_DIR:-} ]]; then
    printf '%s\n' "$CHAT_DATA_DIR"
  elif is_root && id -u postgres >/dev/null 2>&1 &&
    ! runuser -u postgres -- test -x "$REPO" 2>/dev/null; then
    printf '/var/lib/orleanschat/%s\n' "$(printf '%s' "$REPO" | sha1sum | cut -c1-12)"
  else
    printf '%s\n' "$REPO/.chat"
  fi
}

# Connection strings handed to the .NET processes.
chat_db_cs() {
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s' \
    "$PG_PORT" "$DB_NAME" "$DB_USER" "$DB_PASSWORD"
}
chat_redis_cs() { printf '127.0.0.1:%s' "$REDIS_PORT"; }

# ---------------------------------------------------------------- postgres binaries

# Newest /usr/lib/postgresql/*/bin that holds a postgres server, or nothing.
find_pg_bin() {
  local dir best=""
  while IFS= read -r dir; do
    [[ -x $dir/bin/postgres ]] && best=$dir/bin
  done < <(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort -V)
  printf '%s' "$best"
}

# Run a command as the database owner (postgres when root, else ourselves).
as_pg() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# ---------------------------------------------------------------- processes

# proc_matches PID PATTERN -> true when PID is alive (not a zombie) and its
# command line contains PATTERN. Guards against pid reuse.
proc_matches() {
  local pid=$1 pattern=$2 cmdline
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ -n $cmdline && $cmdline == *"$pattern"* ]]
}

# read_pidfile FILE -> prints the pid (first line) or nothing
read_pidfile() {
  local pid=""
  if [[ -f $1 ]]; then read -r pid <"$1" 2>/dev/null || true; fi
  printf '%s' "$pid"
}

# pidfile_live FILE PATTERN -> true when FILE names a live process of ours
pidfile_live() {
  local pid
  pid=$(read_pidfile "$1")
  [[ -n $pid ]] && proc_matches "$pid" "$2"
}

# stop_pidfiles TIMEOUT PATTERN FILE... : SIGTERM every live process named by
# the pid files (if it still matches PATTERN), wait up to TIMEOUT seconds for
# all of them, SIGKILL the leftovers, remove the pid files.
stop_pidfiles() {
  local timeout=$1 pattern=$2 file pid deadline
  shift 2
  local -a files=() pids=()
  for file in "$@"; do
    [[ -f $file ]] || continue
    pid=$(read_pidfile "$file")
    if [[ -n $pid ]] && proc_matches "$pid" "$pattern"; then
      info "stopping $(basename "$file" .pid) (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      files+=("$file")
      pids+=("$pid")
    else
      info "removing stale pid file $file"
      rm -f "$file"
    fi
  done
  ((${#pids[@]})) || return 0
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    any_alive "$pattern" "${pids[@]}" || break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do
    if proc_matches "$pid" "$pattern"; then
      warn "pid $pid did not stop within ${timeout}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "${files[@]}"
}

any_alive() {
  local pattern=$1 pid
  shift
  for pid in "$@"; do
    proc_matches "$pid" "$pattern" && return 0
  done
  return 1
}

# port_open PORT -> true when something accepts TCP connections on 127.0.0.1:PORT
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# http_code URL -> prints the HTTP status code (000 when unreachable)
http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1" 2>/dev/null || true
}

# show_log_tail FILE [LINES]
show_log_tail() {
  local file=$1 lines=${2:-40}
  if [[ -f $file ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2 || true
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf '(no log file %s)\n' "$file" >&2
  fi
}

# has_help_flag ARGS... -> true when -h/--help is among the args
has_help_flag() {
  local arg
  for arg in "$@"; do
    [[ $arg == -h || $arg == --help ]] && return 0
  done
  return 1
}

# build_tool NAME: builds tools/NAME (Release) with its log in $LOG_DIR/NAME-build.log; stops on a failed build
build_tool() {
  local log=$LOG_DIR/${1,,}-build.log
  mkdir -p "$LOG_DIR"
  info "building tools/$1 (Release), log: $log"
  if ! dotnet build "$REPO/tools/$1/$1.csproj" -c Release -nologo -v minimal >"$log" 2>&1; then
    grep -E ': error ' "$log" | sort -u | head -n 40 >&2 || show_log_tail "$log" 30
    die "building tools/$1 failed"
  fi
}
