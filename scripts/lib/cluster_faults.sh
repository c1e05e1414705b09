# shellcheck shell=bash
# chatctl cluster fault inject|heal KIND: faults of the cluster of hosts, each injectable and healable, one line on
# stdout saying what was done (the chaos harness records it). Processes are found by pid file only; link cuts are
# nftables tables inside the hosts (cluster.sh).

usage_cluster_fault() {
  cat <<USAGE
Usage: chatctl cluster fault inject|heal KIND

  silo-partition   silo3 cut from silo1 and silo2 (a minority of one); heal: links back, silo3 (which was
                   declared dead and stopped itself) started again
  front-silo-cut   front1 cut from silo1 (its gateway there); heal: links back
  silo-db-cut      silo2 cut from both PostgreSQL hosts; heal: links back
  redis-cut        Redis on db unreachable (its port dropped on db); heal: reachable again
  silo-freeze      every process of host silo2 stopped (SIGSTOP of its pid file's process tree); heal: SIGCONT,
                   and silo2 started again if it was declared dead and stopped itself
  pg-primary-kill  kill -9 of the PostgreSQL processes of the primary's host; returns once the standby is primary
                   (prints the failover time); heal: the old primary started again, rejoins as standby
  silo-rolling     every silo in turn: graceful stop, start, wait ready (all in inject; heal does nothing)
  front-rolling    every front in turn, the same
USAGE
}

cmd_cluster_fault() {
  if has_help_flag "$@"; then usage_cluster_fault; return 0; fi
  local action=${1:-} kind=${2:-}
  case $action:$kind in
    inject:silo-partition) cluster_cut silo3 silo1 silo2 >&2; echo "silo3 cut from silo1 and silo2" ;;
    heal:silo-partition) cluster_heal silo3 >&2; cluster_restart_if_dead silo3 ;;
    inject:front-silo-cut) cluster_cut front1 silo1 >&2; echo "front1 cut from silo1" ;;
    heal:front-silo-cut) cluster_heal front1 >&2; echo "front1 healed" ;;
    inject:silo-db-cut) cluster_cut silo2 db db2 >&2; echo "silo2 cut from db and db2" ;;
    heal:silo-db-cut) cluster_heal silo2 >&2; echo "silo2 healed" ;;
    inject:redis-cut) cluster_redis_cut; echo "Redis port $CLUSTER_REDIS_PORT dropped on db" ;;
    heal:redis-cut) ip netns exec oc-db nft delete table inet ocredis 2>/dev/null || true; echo "Redis reachable again" ;;
    inject:silo-freeze) cluster_freeze silo2 STOP ;;
    heal:silo-freeze) cluster_freeze silo2 CONT >/dev/null; cluster_restart_if_dead silo2 ;;
    inject:pg-primary-kill) cluster_pg_kill_primary ;;
    heal:pg-primary-kill) cluster_pg_rejoin ;;
    inject:silo-rolling) cluster_rolling "${CLUSTER_SILOS[@]}" ;;
    inject:front-rolling) cluster_rolling "${CLUSTER_FRONTS[@]}" ;;
    heal:silo-rolling | heal:front-rolling) echo "nothing to heal" ;;
    *) usage_cluster_fault >&2; die "unknown fault '$action $kind'" ;;
  esac
}

# Only Redis: PostgreSQL on the same host stays reachable.
cluster_redis_cut() {
  ip netns exec oc-db nft -f - <<NFT
table inet ocredis
delete table inet ocredis
table inet ocredis {
  chain input { type filter hook input priority 0; tcp dport $CLUSTER_REDIS_PORT drop; }
  chain output { type filter hook output priority 0; tcp sport $CLUSTER_REDIS_PORT drop; }
}
NFT
}

# cluster_freeze HOST STOP|CONT : the signal to every process of the host's pid files and their descendants
cluster_freeze() {
  local host=$1 signal=$2 file count=0
  shopt -s nullglob
  for file in "$RUN_DIR"/*.pid; do
    [[ $(basename "$file" .pid) == "$host" ]] || continue
    cluster_signal_tree "$signal" "$(read_pidfile "$file")"
    count=$((count + 1))
  done
  shopt -u nullglob
  ((count)) || die "no pid file of host $host in $RUN_DIR"
  echo "SIG$signal to the processes of $host"
}

# A silo that learnt it was declared dead stops itself: wait for that (the membership table says so within a few
# seconds of the links coming back), then start it again and wait until it is ready.
cluster_restart_if_dead() {
  local host=$1 pattern
  pattern=$(cluster_app_pattern "$host")
  if wait_for "$host to stop itself" 30 cluster_not_running "$host" "$pattern"; then
    cluster_app_start "$host" >&2
    cluster_wait_ready "$host" >&2
    echo "$host had stopped itself (declared dead); started again and ready"
  else
    cluster_wait_ready "$host" >&2
    echo "$host kept running and is ready"
  fi
}

cluster_not_running() { ! pidfile_live "$RUN_DIR/$1.pid" "$2"; }

cluster_rolling() {
  local host pattern started=$SECONDS
  for host in "$@"; do
    pattern=$(cluster_app_pattern "$host")
    stop_pidfiles 60 "$pattern" "$RUN_DIR/$host.pid" >&2
    cluster_app_start "$host" >&2
    cluster_wait_ready "$host" >&2
  done
  echo "restarted $* one by one (graceful stop, start, ready) in $((SECONDS - started))s"
}

# kill -9 of the primary's pg_autoctl and everything under it (its postgres and backends), all at once
cluster_pg_kill_primary() {
  local primary standby started
  primary=$(cluster_pg_primary)
  [[ -n $primary ]] || die "no PostgreSQL primary (see chatctl cluster status)"
  pidfile_live "$RUN_DIR/$primary.pid" pg_autoctl || die "$primary's pg_autoctl is not running"
  printf '%s\n' "$primary" >"$RUN_DIR/pg-killed"
  started=$EPOCHREALTIME
  cluster_signal_tree KILL "$(read_pidfile "$RUN_DIR/$primary.pid")"
  standby=$(cluster_pg_other "$primary")
  wait_for "$standby to become primary" 60 cluster_pg_primary_is "$standby" || die "no failover to $standby within 60s"
  printf 'kill -9 of %s (PostgreSQL primary); %s primary after %ss\n' "$primary" "$standby" \
    "$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')"
}

cluster_pg_other() {
  local entry
  for entry in "${CLUSTER_PG_NODES[@]}"; do
    [[ ${entry%%:*} != "$1" ]] && printf '%s' "${entry%%:*}"
  done
}

# The killed node's pg_autoctl again: the monitor has it rewind and follow the new primary as its standby.
cluster_pg_rejoin() {
  local node started=$SECONDS
  node=$(cat "$RUN_DIR/pg-killed" 2>/dev/null) || die "no killed PostgreSQL node recorded"
  cluster_pg_run "$node" >&2
  wait_for "$node to rejoin as secondary" 120 cluster_pg_has_state "$node" secondary ||
    { cluster_pg_states >&2; die "$node did not rejoin as secondary"; }
  rm -f "$RUN_DIR/pg-killed"
  echo "$node started again, secondary of $(cluster_pg_other "$node") after $((SECONDS - started))s"
}
