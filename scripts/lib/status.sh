# shellcheck shell=bash
# chatctl status: pid files, infra, health and cluster membership (sourced by chatctl).

# ---------------------------------------------------------------- status

usage_status() {
  cat <<USAGE
Usage: chatctl status

Show the data folder, each pid file (running or stale), PostgreSQL
(pg_isready), Redis (redis-cli ping), every silo/front /health/ready answer and the
cluster membership as the silos' management grain sees it (GET /cluster/members on the
first silo HTTP port that answers).
USAGE
}

cmd_status() {
  if has_help_flag "$@"; then usage_status; return 0; fi
  (($# == 0)) || die "unknown argument '$1' (see chatctl status --help)"
  printf 'data folder: %s\n' "$DATA"
  status_pidfiles
  status_infra
  status_health
  status_members
}

# The membership table (Redis) as seen through the first silo that answers.
status_members() {
  local i url body
  while IFS= read -r i; do
    url="http://127.0.0.1:$(silo_http_port "$i")/cluster/members"
    body=$(curl -sf --max-time 12 "$url" 2>/dev/null) || continue
    printf 'cluster membership (via silo-%s, %s):\n' "$i" "$url"
    if command -v jq >/dev/null; then
      jq -r '.[] | "  \(.silo)  \(.status)  name \(.name)  started \(.started)  alive \(.i_am_alive)"' <<<"$body"
    else
      printf '  %s\n' "$body"
    fi
    return 0
  done < <(indices silo "$SILOS")
  printf 'cluster membership: no silo answered /cluster/members\n'
}

status_pidfiles() {
  local file name pattern pid state found=0
  shopt -s nullglob
  for file in "$RUN_DIR"/*.pid; do
    found=1
    name=$(basename "$file" .pid)
    case $name in
      silo-*) pattern=$SILO_DLL_NAME ;;
      front-*) pattern=$FRONT_DLL_NAME ;;
      redis) pattern="redis-server" ;;
      *) pattern=$name ;;
    esac
    pid=$(read_pidfile "$file")
    if proc_matches "$pid" "$pattern"; then state=running; else state="not running (stale pid file)"; fi
    printf '  %-10s pid %-8s %s\n' "$name" "${pid:-?}" "$state"
  done
  shopt -u nullglob
  pid=$(read_pidfile "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)
  if [[ -n $pid ]]; then
    found=1
    if proc_matches "$pid" postgres; then state=running; else state="not running (stale postmaster.pid)"; fi
    printf '  %-10s pid %-8s %s\n' postgres "$pid" "$state"
  fi
  ((found)) || printf '  (no pid files)\n'
}

status_infra() {
  local pg="not running" redis="not answering"
  if [[ -n $PG_BIN ]] && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    pg="accepting connections"
  fi
  if [[ -n $PG_BIN && -f $PGDATA_DIR/PG_VERSION ]] && pg_running; then
    pg="$pg (server from $PGDATA_DIR running)"
  fi
  if command -v redis-cli >/dev/null && redis_ping; then redis=PONG; fi
  printf 'postgresql 127.0.0.1:%s: %s\n' "$PG_PORT" "$pg"
  printf 'redis      127.0.0.1:%s: %s\n' "$REDIS_PORT" "$redis"
}

# indices KIND COUNT -> 0..COUNT-1 plus any index that has a pid file
indices() {
  local kind=$1 count=$2 i file
  {
    for ((i = 0; i < count; i++)); do printf '%s\n' "$i"; done
    for file in "$RUN_DIR/$kind"-*.pid; do
      [[ -f $file ]] || continue
      i=${file##*/"$kind"-}
      printf '%s\n' "${i%.pid}"
    done
  } | grep -E '^[0-9]+$' | sort -un
}

status_health() {
  local i url code
  while IFS= read -r i; do
    url=$(silo_health_url "$i")
    code=$(http_code "$url")
    printf 'silo-%-5s %s -> %s\n' "$i" "$url" "$(describe_code "$code")"
  done < <(indices silo "$SILOS")
  while IFS= read -r i; do
    url=$(front_health_url "$i")
    code=$(http_code "$url")
    printf 'front-%-4s %s -> %s\n' "$i" "$url" "$(describe_code "$code")"
  done < <(indices front "$FRONTS")
}

describe_code() {
  if [[ -z $1 || $1 == 000 ]]; then printf 'no answer'; else printf 'HTTP %s' "$1"; fi
}
