# shellcheck shell=bash
# chatctl up / down: build, migrate, run silos and web fronts (status: status.sh).
# SILOS, FRONTS, ... are set by load_config (common.sh).
# shellcheck disable=SC2153

SILO_DLL_NAME=OrleansChat.Silo.dll
FRONT_DLL_NAME=OrleansChat.WebFront.dll
HEALTH_TIMEOUT=120

# CHAT_BUILD_CONFIGURATION=Debug runs what the test suite built (the cluster smoke test does)
silo_bin_dir() { printf '%s' "$REPO/src/Silo/bin/${CHAT_BUILD_CONFIGURATION:-Release}/net10.0"; }
front_bin_dir() { printf '%s' "$REPO/src/WebFront/bin/${CHAT_BUILD_CONFIGURATION:-Release}/net10.0"; }
silo_http_port() { printf '%s' $((${CHAT_SILO_HTTP_PORT_BASE:-18080} + $1)); }
front_http_port() { printf '%s' $((${CHAT_FRONT_PORT_BASE:-5080} + $1)); }
silo_health_url() { printf 'http://127.0.0.1:%s/health/ready' "$(silo_http_port "$1")"; }
front_health_url() { printf 'http://127.0.0.1:%s/health/ready' "$(front_http_port "$1")"; }

# ---------------------------------------------------------------- up

usage_up() {
  cat <<USAGE
Usage: chatctl up [--no-build]

Start everything: 'chatctl infra', then
  dotnet build OrleansChat.sln -c Release       (skipped with --no-build)
  OrleansChat.Silo --migrate-only               (database migrations)
  \${CHAT_SILOS:-1} silo(s):  silo i  -> silo port 11111+i, gateway 30000+i,
                                       http://127.0.0.1:(18080+i)
  \${CHAT_FRONTS:-1} front(s): front i -> http://127.0.0.1:(5080+i)
  CHAT_FRONTS_HOST_SILOS=1: every front also runs a silo of the cluster in its own
  process (one process per machine; with CHAT_SILOS=0 there are no separate silos)
Processes already running from our pid files are left alone (restart them
with 'chatctl down --keep-infra && chatctl up'). Waits up to ${HEALTH_TIMEOUT}s for every
/health/ready to answer 200. Logs and pid files live in the data folder.

Environment: CHAT_PG_PORT, CHAT_REDIS_PORT, CHAT_SILOS, CHAT_FRONTS,
CHAT_CLUSTER_ID (default dev), CHAT_DATA_DIR.
USAGE
}

cmd_up() {
  if has_help_flag "$@"; then usage_up; return 0; fi
  local build=1
  while (($#)); do
    case $1 in
      --no-build) build=0 ;;
      *) die "unknown argument '$1' (see chatctl up --help)" ;;
    esac
    shift
  done
  [[ -f $REPO/OrleansChat.sln ]] || die "$REPO/OrleansChat.sln not found"
  infra_up
  ((build)) && build_release
  run_migrations
  start_all
  wait_all_healthy
  print_up_summary
}

build_release() {
  local log=$LOG_DIR/build.log
  info "building OrleansChat.sln (Release), log: $log"
  if ! dotnet build "$REPO/OrleansChat.sln" -c Release -nologo -v minimal >"$log" 2>&1; then
    if grep -qE ': error ' "$log"; then
      grep -E ': error ' "$log" | sort -u | head -n 40 >&2
    else
      show_log_tail "$log" 30
    fi
    die "build failed"
  fi
  local warnings
  warnings=$(grep -cE ': warning ' "$log" || true)
  info "build ok (${warnings:-0} warning lines)"
}

# Environment shared by silos, fronts and the migrator.
common_env() {
  printf '%s\n' \
    "ConnectionStrings__ChatDb=$(chat_db_cs)" \
    "ConnectionStrings__Redis=$(chat_redis_cs)" \
    "Orleans__ClusterId=$CLUSTER_ID" \
    "Orleans__ServiceId=$SERVICE_ID"
}

silo_env() {
  local i=$1
  common_env
  printf '%s\n' \
    "DOTNET_ENVIRONMENT=Development" \
    "Silo__SiloPort=$((${CHAT_SILO_PORT_BASE:-11111} + i))" \
    "Silo__GatewayPort=$((${CHAT_GATEWAY_PORT_BASE:-30000} + i))" \
    "Silo__HttpPort=$(silo_http_port "$i")"
}

front_env() {
  local i=$1
  common_env
  printf '%s\n' \
    "ASPNETCORE_ENVIRONMENT=Development" \
    "ASPNETCORE_URLS=http://127.0.0.1:$(front_http_port "$i")"
  # CHAT_FRONTS_HOST_SILOS=1: every front also runs a silo of the cluster (one process per machine); its silo ports
  # follow the separate silos' (CHAT_SILOS may be 0).
  if [[ ${CHAT_FRONTS_HOST_SILOS:-0} == 1 ]]; then
    printf '%s\n' \
      "Front__HostSilo=true" \
      "Silo__SiloPort=$((${CHAT_SILO_PORT_BASE:-11111} + SILOS + i))" \
      "Silo__GatewayPort=$((${CHAT_GATEWAY_PORT_BASE:-30000} + SILOS + i))"
  fi
}

require_dll() {
  [[ -f $1 ]] || die "$1 not found (build failed or project layout changed?)"
}

run_migrations() {
  local dir dll log
  dir=$(silo_bin_dir)
  dll=$dir/$SILO_DLL_NAME
  log=$LOG_DIR/migrate.log
  require_dll "$dll"
  local -a envs
  mapfile -t envs < <(silo_env 0)
  info "running database migrations, log: $log"
  if ! (cd "$dir" && env "${envs[@]}" dotnet "$dll" --migrate-only </dev/null >"$log" 2>&1); then
    show_log_tail "$log"
    die "migration failed"
  fi
}

# start_detached NAME DIR DLL ENV... : start 'dotnet DLL' in DIR in its own
# session, detached from this shell, pid in run/NAME.pid, log in logs/NAME.log
start_detached() {
  local name=$1 dir=$2 dll=$3
  shift 3
  spawn_detached "$name" "$dir" env "$@" dotnet "$dll"
}

# spawn_detached NAME DIR CMD... : run CMD in DIR in its own session, detached from this shell, pid in
# $RUN_DIR/NAME.pid, output appended to $LOG_DIR/NAME.log. CMD must exec its program (env, ip netns exec,
# setpriv do), so the recorded pid is the program's own.
spawn_detached() {
  local name=$1 dir=$2 pid
  shift 2
  local pidfile=$RUN_DIR/$name.pid log=$LOG_DIR/$name.log
  printf '\n===== %s starting %s =====\n' "$(date -Is)" "$name" >>"$log"
  (cd "$dir" && exec setsid nohup "$@" </dev/null >>"$log" 2>&1) &
  pid=$!
  disown "$pid" 2>/dev/null || true
  printf '%s\n' "$pid" >"$pidfile"
  info "started $name (pid $pid), log: $log"
}

# start_one KIND I : start silo/front I unless already running from our pid file
start_one() {
  local kind=$1 i=$2 dir dll_name port name pid
  name=$kind-$i
  if [[ $kind == silo ]]; then
    dir=$(silo_bin_dir) dll_name=$SILO_DLL_NAME port=$(silo_http_port "$i")
  else
    dir=$(front_bin_dir) dll_name=$FRONT_DLL_NAME port=$(front_http_port "$i")
  fi
  local pidfile=$RUN_DIR/$name.pid
  if pidfile_live "$pidfile" "$dll_name"; then
    pid=$(read_pidfile "$pidfile")
    info "$name already running (pid $pid)"
    return 0
  fi
  rm -f "$pidfile"
  require_dll "$dir/$dll_name"
  port_open "$port" && die "port $port (for $name) is already in use by a process we did not start"
  local -a envs
  if [[ $kind == silo ]]; then mapfile -t envs < <(silo_env "$i"); else mapfile -t envs < <(front_env "$i"); fi
  start_detached "$name" "$dir" "$dir/$dll_name" "${envs[@]}"
}

start_all() {
  local i
  for ((i = 0; i < SILOS; i++)); do start_one silo "$i"; done
  for ((i = 0; i < FRONTS; i++)); do start_one front "$i"; done
}

# wait_healthy NAME URL PATTERN DEADLINE
wait_healthy() {
  local name=$1 url=$2 pattern=$3 deadline=$4 code
  local pidfile=$RUN_DIR/$name.pid log=$LOG_DIR/$name.log
  while :; do
    code=$(http_code "$url")
    [[ $code == 200 ]] && { info "$name healthy ($url)"; return 0; }
    if ! pidfile_live "$pidfile" "$pattern"; then
      show_last_run_log "$log"
      die "$name exited before becoming healthy"
    fi
    if ((SECONDS >= deadline)); then
      show_last_run_log "$log"
      die "$name not healthy after ${HEALTH_TIMEOUT}s ($url answered ${code:-nothing})"
    fi
    sleep 1
  done
}

# show_last_run_log FILE : tail of the output of the latest start only
show_last_run_log() {
  local file=$1
  [[ -f $file ]] || { show_log_tail "$file"; return 0; }
  printf -- '----- last lines of %s (latest start) -----\n' "$file" >&2
  awk '/^===== .* starting / { n = 0 } { buf[n++] = $0 } END { s = (n > 40) ? n - 40 : 0; for (i = s; i < n; i++) print buf[i] }' "$file" >&2
  printf -- '----- end of %s -----\n' "$file" >&2
}

wait_all_healthy() {
  local i deadline=$((SECONDS + HEALTH_TIMEOUT))
  for ((i = 0; i < SILOS; i++)); do
    wait_healthy "silo-$i" "$(silo_health_url "$i")" "$SILO_DLL_NAME" "$deadline"
  done
  for ((i = 0; i < FRONTS; i++)); do
    wait_healthy "front-$i" "$(front_health_url "$i")" "$FRONT_DLL_NAME" "$deadline"
  done
}

print_up_summary() {
  local i
  printf '\nOrleansChat is up.\n'
  for ((i = 0; i < FRONTS; i++)); do
    printf '  front %s: http://127.0.0.1:%s\n' "$i" "$(front_http_port "$i")"
  done
  printf 'Logs:\n'
  for ((i = 0; i < SILOS; i++)); do printf '  %s\n' "$LOG_DIR/silo-$i.log"; done
  for ((i = 0; i < FRONTS; i++)); do printf '  %s\n' "$LOG_DIR/front-$i.log"; done
  printf '  %s\n  %s\n' "$LOG_DIR/postgres.log" "$LOG_DIR/redis.log"
  printf 'Dev token:  ./chatctl token --user-id 1 --username client1 --role client\n'
  printf 'Stop:       ./chatctl down   (or: ./chatctl down --keep-infra)\n'
}

# ---------------------------------------------------------------- down

usage_down() {
  cat <<USAGE
Usage: chatctl down [--keep-infra]

Stop what chatctl started, by pid file only: fronts, then silos (SIGTERM,
up to 30s, then SIGKILL), then Redis, then PostgreSQL (pg_ctl stop -m fast).
Pid files whose process is gone (or is no longer ours) are removed.

  --keep-infra   stop only silos and fronts; leave PostgreSQL and Redis up
USAGE
}

cmd_down() {
  if has_help_flag "$@"; then usage_down; return 0; fi
  local keep_infra=0
  while (($#)); do
    case $1 in
      --keep-infra) keep_infra=1 ;;
      *) die "unknown argument '$1' (see chatctl down --help)" ;;
    esac
    shift
  done
  if [[ ! -d $DATA ]]; then
    info "nothing to stop (no data folder $DATA)"
    return 0
  fi
  stop_apps
  if ((keep_infra)); then
    info "infra left running (--keep-infra)"
    return 0
  fi
  redis_stop
  pg_stop
  info "all stopped"
}

stop_apps() {
  local -a fronts=() silos=()
  shopt -s nullglob
  fronts=("$RUN_DIR"/front-*.pid)
  silos=("$RUN_DIR"/silo-*.pid)
  shopt -u nullglob
  ((${#fronts[@]} == 0)) || stop_pidfiles 30 "$FRONT_DLL_NAME" "${fronts[@]}"
  ((${#silos[@]} == 0)) || stop_pidfiles 30 "$SILO_DLL_NAME" "${silos[@]}"
}
