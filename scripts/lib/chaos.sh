# shellcheck shell=bash
# chatctl chaos: load + fault injection (silo kill -9, PostgreSQL and Redis restarts, front kill -9),
# then acknowledged vs stored vs received. The faults themselves are 'chatctl chaos-fault', called by the
# harness (tools/Chaos) so it can timestamp them; processes are found by pid file only.
# shellcheck disable=SC2153

usage_chaos() {
  cat <<USAGE
Usage: chatctl chaos [--duration 5m] [--silos 3] [--fronts 2] [--threads N] [--rate R]
                     [--outage 15s] [--faults silo-kill,pg-restart,redis-restart,front-kill]

Start (or reuse) a multi-silo, multi-front stack with 'chatctl up' (send rate limit off,
fast failure detection), run steady load over every front (tools/Chaos: N threads, each a
sender that retries with the same client_message_id until acknowledged, and a receiver that
fails over to another front and catches up with JoinThread(after_seq)), and inject the faults
one after another with a settle time between:
  silo-kill      kill -9 of the last silo (restarted after --outage by 'chatctl up')
  pg-restart     pg_ctl stop -m fast of the stack's PostgreSQL, start after --outage
  redis-restart  Redis stopped by its pid file, started after --outage
  front-kill     kill -9 of the last front (its clients move to another; restarted later)
At the end: quiescence, every receiver catches up, then acknowledged vs PostgreSQL vs received.
Prints and writes <data>/chaos/*.json and *.md: faults with timestamps, messages acknowledged,
acknowledged-but-missing, duplicate seqs, gaps, per-fault recovery times, errors per fault.
Exit status is non-zero when anything acknowledged is missing or duplicated, or a fault
was not recovered from.

  --duration T   load time (default 5m; stretched when the faults need more)
  --silos N      silos (default \${CHAT_SILOS:-3});  --fronts N  fronts (default \${CHAT_FRONTS:-2})
  --threads N    sender/receiver pairs (default 16);  --rate R  total sends/s (default 40)
  --outage T     how long each fault lasts before it is healed (default 15s)
  --no-build     do not build (the stack and the harness must be built)
  --cluster      on the cluster of hosts instead ('chatctl cluster up', started or reused): fronts
                 front1-2, faults from 'chatctl cluster fault' (--faults silo-partition,front-silo-cut,
                 silo-db-cut,redis-cut,silo-freeze,pg-primary-kill,silo-rolling,front-rolling; default all),
                 load capped at 8 threads and 16 sends/s unless given (two cores: more load trips Orleans'
                 failure probes by itself); also --warmup T and --settle T

It stops and starts the PostgreSQL and Redis of the data folder: use a separate one, e.g.
  CHAT_DATA_DIR=/tmp/chaos CHAT_PG_PORT=25432 CHAT_REDIS_PORT=26379 CHAT_FRONT_PORT_BASE=5180 \\
  CHAT_SILO_PORT_BASE=11211 CHAT_GATEWAY_PORT_BASE=30100 CHAT_SILO_HTTP_PORT_BASE=18180 ./chatctl chaos
Stop the stack afterwards with 'chatctl down' (same environment).
USAGE
}

# Failure detection an operator would set for a small cluster: a dead silo is declared dead in
# seconds instead of the Orleans defaults (~1 minute). Anything set by the caller wins.
chaos_export_env() {
  export Chat__RateLimit__Enabled=false
  export Orleans__Membership__ProbeTimeout=${Orleans__Membership__ProbeTimeout:-00:00:02}
  export Orleans__Membership__NumMissedProbesLimit=${Orleans__Membership__NumMissedProbesLimit:-2}
  export Orleans__Membership__NumVotesForDeathDeclaration=${Orleans__Membership__NumVotesForDeathDeclaration:-2}
  export Orleans__Membership__TableRefreshTimeout=${Orleans__Membership__TableRefreshTimeout:-00:00:05}
  export Orleans__Messaging__ResponseTimeout=${Orleans__Messaging__ResponseTimeout:-00:00:10}
  export Orleans__Gateway__GatewayListRefreshPeriod=${Orleans__Gateway__GatewayListRefreshPeriod:-00:00:05}
}

cmd_chaos() {
  if has_help_flag "$@"; then usage_chaos; return 0; fi
  local build=1 cluster=0
  local -a args=()
  SILOS=${CHAT_SILOS:-3}
  FRONTS=${CHAT_FRONTS:-2}
  while (($#)); do
    case $1 in
      --silos) SILOS=${2:?--silos needs a value}; shift ;;
      --fronts) FRONTS=${2:?--fronts needs a value}; shift ;;
      --no-build) build=0 ;;
      --cluster) cluster=1 ;;
      --duration | --threads | --rate | --faults | --outage | --warmup | --settle) args+=("$1" "${2:?$1 needs a value}"); shift ;;
      *) die "unknown argument '$1' (see chatctl chaos --help)" ;;
    esac
    shift
  done
  if ((cluster)); then chaos_cluster "$build" "${args[@]}"; return; fi
  require_uint --silos "$SILOS"
  require_uint --fronts "$FRONTS"
  ((SILOS >= 2)) || die "chaos needs at least 2 silos (one is killed)"
  ((FRONTS >= 2)) || die "chaos needs at least 2 fronts (one is killed)"
  # the fault commands (child chatctl processes) must see the same stack
  export CHAT_SILOS=$SILOS CHAT_FRONTS=$FRONTS
  chaos_export_env
  if ((build)); then cmd_up; else cmd_up --no-build; fi
  ((build)) && build_tool Chaos
  bench_check_rate_limit

  local dll fronts
  dll=$REPO/tools/Chaos/bin/Release/net10.0/OrleansChat.Chaos.dll
  require_dll "$dll"
  fronts=$(bench_fronts)
  info "chaos run against $fronts ($SILOS silos), results in $DATA/chaos"
  dotnet "$dll" --fronts "$fronts" --db "$(chat_db_cs)" --out "$DATA/chaos" \
    --jwt-key "${CHAT_JWT_KEY:-$DEFAULT_JWT_KEY}" --fault-command "$REPO/chatctl" "${args[@]}"
}

# chaos_cluster BUILD HARNESS-ARGS... : the harness against the cluster of hosts (cluster*.sh)
chaos_cluster() {
  local build=$1 host fronts=""
  shift
  export Chat__RateLimit__Enabled=false
  # the cluster's pid files and logs, for cluster_up and build_tool
  # shellcheck disable=SC2034
  RUN_DIR=$DATA/cluster/run LOG_DIR=$DATA/cluster/logs
  if ((build)); then cluster_up; else cluster_up --no-build; fi
  ((build)) && build_tool Chaos
  local dll=$REPO/tools/Chaos/bin/Release/net10.0/OrleansChat.Chaos.dll
  require_dll "$dll"
  for host in "${CLUSTER_FRONTS[@]}"; do fronts+="${fronts:+,}$(cluster_front_url "$host")/"; done
  info "chaos run against the cluster of hosts ($fronts), results in $DATA/chaos"
  dotnet "$dll" --cluster --threads 8 --rate 16 --fronts "$fronts" --db "$(cluster_db_cs)" --out "$DATA/chaos" \
    --jwt-key "${CHAT_JWT_KEY:-$DEFAULT_JWT_KEY}" --fault-command "$REPO/chatctl" "$@"
}

# ---------------------------------------------------------------- faults (called by the harness)

# chatctl chaos-fault inject|heal KIND : one line on stdout says what was done.
cmd_chaos_fault() {
  local action=${1:-} kind=${2:-}
  chaos_export_env
  case $action:$kind in
    inject:silo-kill) chaos_kill silo $((SILOS - 1)) "$SILO_DLL_NAME" ;;
    inject:front-kill) chaos_kill front $((FRONTS - 1)) "$FRONT_DLL_NAME" ;;
    heal:silo-kill | heal:front-kill) chaos_restart_missing ;;
    inject:pg-restart)
      pg_running || die "PostgreSQL of $PGDATA_DIR is not running"
      as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" stop -m fast -w -t 60 >/dev/null
      printf 'pg_ctl stop -m fast (%s)\n' "$PGDATA_DIR"
      ;;
    heal:pg-restart)
      pg_ensure_running >&2
      printf 'PostgreSQL started again on port %s\n' "$PG_PORT"
      ;;
    inject:redis-restart)
      local pid
      pid=$(read_pidfile "$REDIS_PIDFILE")
      redis_running || die "Redis of $REDIS_PIDFILE is not running"
      redis_stop >&2
      printf 'redis-server pid %s stopped (SIGTERM by pid file)\n' "$pid"
      ;;
    heal:redis-restart)
      redis_ensure_running >&2
      printf 'Redis started again (pid %s)\n' "$(read_pidfile "$REDIS_PIDFILE")"
      ;;
    *) die "usage: chatctl chaos-fault inject|heal silo-kill|pg-restart|redis-restart|front-kill" ;;
  esac
}

# chaos_kill KIND I PATTERN : kill -9 of KIND-I, by its pid file (never by name)
chaos_kill() {
  local name=$1-$2 pattern=$3 pid
  pid=$(read_pidfile "$RUN_DIR/$name.pid")
  proc_matches "$pid" "$pattern" || die "$name is not running (pid file $RUN_DIR/$name.pid)"
  kill -KILL "$pid"
  printf 'kill -9 %s (pid %s)\n' "$name" "$pid"
}

# 'chatctl up' without build or migrations: starts whatever silo/front is missing, waits for health.
chaos_restart_missing() {
  start_all >&2
  wait_all_healthy >&2
  printf 'restarted missing processes; all %s silos and %s fronts healthy\n' "$SILOS" "$FRONTS"
}
