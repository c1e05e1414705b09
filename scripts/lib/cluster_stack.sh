# shellcheck shell=bash
# chatctl cluster up/down/status of the processes: PostgreSQL (cluster_pg.sh), Redis on 'db', a silo on each of
# silo1-3, a front on each of front1-2. Every process runs inside its host (ip netns exec), listens on the host's
# address and is recorded by pid file in $DATA/cluster/run; logs in $DATA/cluster/logs.
# shellcheck disable=SC2153

CLUSTER_SILOS=(silo1 silo2 silo3)
CLUSTER_FRONTS=(front1 front2)
CLUSTER_REDIS_PORT=6379
CLUSTER_FRONT_PORT=8080
CLUSTER_SILO_HTTP_PORT=18080

cluster_front_url() { printf 'http://%s:%s' "$(cluster_address "$1")" "$CLUSTER_FRONT_PORT"; }
cluster_health_url() {
  case $1 in
    silo*) printf 'http://%s:%s/health/ready' "$(cluster_address "$1")" "$CLUSTER_SILO_HTTP_PORT" ;;
    front*) printf '%s/health/ready' "$(cluster_front_url "$1")" ;;
  esac
}
cluster_redis_cs() { printf '%s:%s' "$(cluster_address db)" "$CLUSTER_REDIS_PORT"; }

# Failure detection of a cluster of hosts (docs/reliability.md, "Cluster of hosts"): a silo that stops answering
# is declared dead after 2 missed probes (1 s, stretched to at most 2 s when the prober itself is slow) by 2 voters;
# a vote is also held back while the silo's connection carried a message within MaxProbeTimeout x 2, so ~4-8 s in
# all and its threads serve sends again within 10 s. Orleans' defaults (probe 5 s, MaxProbeTimeout 30 s, 3 missed
# probes) take a minute. The price: a silo that stalls for ~4 s (a long GC pause, a starved machine) is declared
# dead and stops itself. Calls already lost with such a silo (or behind a cut link) end only at the response
# timeout, so the fronts send a send that stays unanswered 2 s again (same client_message_id), close a socket whose
# data stays unacknowledged 3 s (TCP_USER_TIMEOUT), re-read the gateway list every second, and silos give up a
# client's answers 1 s after its gateway connection broke instead of holding them for a minute
# (docs/reliability.md, "Calls caught by a fault"). Callers' values win.
cluster_failure_detection_env() {
  printf '%s\n' \
    "Orleans__Membership__ProbeTimeout=${Orleans__Membership__ProbeTimeout:-00:00:01}" \
    "Orleans__Membership__MaxProbeTimeout=${Orleans__Membership__MaxProbeTimeout:-00:00:02}" \
    "Orleans__Membership__NumMissedProbesLimit=${Orleans__Membership__NumMissedProbesLimit:-2}" \
    "Orleans__Membership__NumVotesForDeathDeclaration=${Orleans__Membership__NumVotesForDeathDeclaration:-2}" \
    "Orleans__Membership__TableRefreshTimeout=${Orleans__Membership__TableRefreshTimeout:-00:00:05}" \
    "Orleans__Membership__DeathVoteExpirationTimeout=${Orleans__Membership__DeathVoteExpirationTimeout:-00:00:30}" \
    "Orleans__Messaging__ResponseTimeout=${Orleans__Messaging__ResponseTimeout:-00:00:10}" \
    "Orleans__Messaging__ClientDropTimeout=${Orleans__Messaging__ClientDropTimeout:-00:00:01}" \
    "Orleans__Gateway__GatewayListRefreshPeriod=${Orleans__Gateway__GatewayListRefreshPeriod:-00:00:01}" \
    "Orleans__Connection__UnacknowledgedDataTimeout=${Orleans__Connection__UnacknowledgedDataTimeout:-00:00:03}" \
    "Orleans__Connection__OpenConnectionTimeout=${Orleans__Connection__OpenConnectionTimeout:-00:00:03}" \
    "Chat__SendRetry__AttemptTimeout=${Chat__SendRetry__AttemptTimeout:-00:00:02}"
}

cluster_common_env() {
  printf '%s\n' \
    "ConnectionStrings__ChatDb=$(cluster_db_cs)" \
    "ConnectionStrings__Redis=$(cluster_redis_cs)" \
    "Orleans__ClusterId=$CLUSTER_ID" \
    "Orleans__ServiceId=$SERVICE_ID"
  cluster_failure_detection_env
}

cluster_silo_env() {
  local address
  address=$(cluster_address "$1")
  cluster_common_env
  printf '%s\n' \
    "DOTNET_ENVIRONMENT=Development" \
    "Silo__AdvertisedAddress=$address" \
    "Silo__SiloPort=11111" \
    "Silo__GatewayPort=30000" \
    "Silo__HttpPort=$CLUSTER_SILO_HTTP_PORT" \
    "Silo__MigrateOnStart=false" \
    "Kestrel__Endpoints__Health__Url=http://$address:$CLUSTER_SILO_HTTP_PORT"
}

cluster_front_env() {
  cluster_common_env
  printf '%s\n' \
    "ASPNETCORE_ENVIRONMENT=Development" \
    "ASPNETCORE_URLS=$(cluster_front_url "$1")"
}

cluster_redis_up() {
  if pidfile_live "$RUN_DIR/redis.pid" redis-server; then info "redis already running"; return 0; fi
  local dir=$DATA/cluster/redis
  mkdir -p "$dir"
  # in the foreground (daemonize no) so the pid file names redis-server itself
  cat >"$dir/redis.conf" <<CONF
# written by chatctl cluster
bind $(cluster_address db)
port $CLUSTER_REDIS_PORT
protected-mode no
daemonize no
dir "$dir"
appendonly yes
appendfsync everysec
save ""
CONF
  spawn_detached redis / ip netns exec oc-db redis-server "$dir/redis.conf"
  wait_for "Redis on db" 30 cluster_redis_ping || { show_log_tail "$LOG_DIR/redis.log"; die "Redis does not answer"; }
}

cluster_redis_ping() {
  [[ $(timeout 3 redis-cli -h "$(cluster_address db)" -p "$CLUSTER_REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

# cluster_app_start HOST : the silo or front of HOST unless it already runs
cluster_app_start() {
  local host=$1 dir dll
  local -a envs
  if [[ $host == silo* ]]; then
    dir=$(silo_bin_dir) dll=$SILO_DLL_NAME
    mapfile -t envs < <(cluster_silo_env "$host")
  else
    dir=$(front_bin_dir) dll=$FRONT_DLL_NAME
    mapfile -t envs < <(cluster_front_env "$host")
  fi
  if pidfile_live "$RUN_DIR/$host.pid" "$dll"; then info "$host already running"; return 0; fi
  require_dll "$dir/$dll"
  spawn_detached "$host" "$dir" ip netns exec "oc-$host" env "${envs[@]}" dotnet "$dir/$dll"
}

cluster_app_pattern() { if [[ $1 == silo* ]]; then printf '%s' "$SILO_DLL_NAME"; else printf '%s' "$FRONT_DLL_NAME"; fi; }

# cluster_wait_ready HOST... : every /health/ready answers 200 within HEALTH_TIMEOUT (reuses apps.sh's wait_healthy)
cluster_wait_ready() {
  local host deadline=$((SECONDS + HEALTH_TIMEOUT))
  for host in "$@"; do
    wait_healthy "$host" "$(cluster_health_url "$host")" "$(cluster_app_pattern "$host")" "$deadline"
  done
}

cluster_migrate() {
  local dir log=$LOG_DIR/migrate.log
  local -a envs
  dir=$(silo_bin_dir)
  require_dll "$dir/$SILO_DLL_NAME"
  mapfile -t envs < <(cluster_silo_env silo1)
  info "running database migrations against the primary, log: $log"
  (cd "$dir" && ip netns exec oc-silo1 env "${envs[@]}" dotnet "$dir/$SILO_DLL_NAME" --migrate-only </dev/null >"$log" 2>&1) ||
    { show_log_tail "$log"; die "migration failed"; }
}

cluster_stack_up() {
  local host
  cluster_pg_up
  cluster_redis_up
  cluster_migrate
  # all at once: a front waits for a silo's gateway by itself
  for host in "${CLUSTER_SILOS[@]}" "${CLUSTER_FRONTS[@]}"; do cluster_app_start "$host"; done
  cluster_wait_ready "${CLUSTER_SILOS[@]}" "${CLUSTER_FRONTS[@]}"
  printf '\nCluster is up. Fronts:'
  for host in "${CLUSTER_FRONTS[@]}"; do printf ' %s' "$(cluster_front_url "$host")"; done
  printf '\nDatabase: %s\nLogs: %s\n' "$(cluster_db_cs)" "$LOG_DIR"
}

# Every pid file's process tree (a frozen one must be resumed before it can take a SIGTERM), fronts, silos,
# Redis, PostgreSQL; then the data (the formation belongs to these hosts; logs are kept).
cluster_stack_down() {
  local file
  shopt -s nullglob
  for file in "$RUN_DIR"/*.pid; do cluster_signal_tree CONT "$(read_pidfile "$file")"; done
  local -a fronts=("$RUN_DIR"/front*.pid) silos=("$RUN_DIR"/silo*.pid)
  shopt -u nullglob
  ((${#fronts[@]} == 0)) || stop_pidfiles 30 "$FRONT_DLL_NAME" "${fronts[@]}"
  ((${#silos[@]} == 0)) || stop_pidfiles 30 "$SILO_DLL_NAME" "${silos[@]}"
  stop_pidfiles 30 redis-server "$RUN_DIR/redis.pid"
  cluster_pg_down
  # pg_autoctl keeps some state files under /tmp/pg_autoctl/<PGDATA>
  rm -rf "$DATA/cluster/pg" "$DATA/cluster/redis" "/tmp/pg_autoctl$DATA/cluster"
}

# cluster_tree PID : PID and all its descendants (from /proc: procps may be missing on a minimal machine)
cluster_tree() {
  local pid=$1 child
  [[ $pid =~ ^[0-9]+$ && -d /proc/$pid ]] || return 0
  printf '%s\n' "$pid"
  for child in $(cluster_children "$pid"); do cluster_tree "$child"; done
}

# cluster_children PID : the pids whose parent is PID (4th field of /proc/N/stat, after the ')' of the name)
cluster_children() {
  local file line
  local -a fields
  for file in /proc/[0-9]*/stat; do
    { read -r line <"$file"; } 2>/dev/null || continue
    read -r -a fields <<<"${line##*) }"
    [[ ${fields[1]} == "$1" ]] && printf '%s\n' "${file//[^0-9]/}"
  done
  return 0
}

# cluster_signal_tree SIGNAL PID : SIGNAL to PID and its descendants (all at once, listed first)
cluster_signal_tree() {
  local -a pids
  mapfile -t pids < <(cluster_tree "$2")
  ((${#pids[@]})) && kill -"$1" "${pids[@]}" 2>/dev/null
  return 0
}

cluster_processes_status() {
  local file name pid state code
  shopt -s nullglob
  for file in "$RUN_DIR"/*.pid; do
    name=$(basename "$file" .pid)
    pid=$(read_pidfile "$file")
    if [[ -n $pid && -d /proc/$pid ]]; then
      state=running
      [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == T ]] && state=frozen
    else
      state="not running"
    fi
    case $name in
      silo* | front*) code=$(http_code "$(cluster_health_url "$name")"); state+=", /health/ready $(describe_code "$code")" ;;
    esac
    printf '  %-8s pid %-8s %s\n' "$name" "${pid:-?}" "$state"
  done
  shopt -u nullglob
  if pidfile_live "$RUN_DIR/monitor.pid" pg_autoctl; then
    printf 'PostgreSQL nodes (name, reported state, assigned state):\n'
    cluster_pg_states 2>/dev/null | sed 's/^/  /' || true
  fi
}
