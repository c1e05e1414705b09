# shellcheck shell=bash
# chatctl cluster: PostgreSQL inside the hosts. pg_auto_failover (Debian's postgresql-15-auto-failover): its monitor
# on host 'monitor', a primary and a synchronous hot standby on 'db' and 'db2'. Which of the two is primary changes
# with every failover: ask cluster_pg_primary. Each node is one 'pg_autoctl run' process (it supervises its
# postgres), started with spawn_detached, pid file $CLUSTER_RUN/NODE.pid.

# Each node has its own port because PostgreSQL's unix sockets live in /var/run/postgresql, which namespaces share.
CLUSTER_PG_NODES=(db:6432 db2:6433)
CLUSTER_MONITOR_PORT=6430
CLUSTER_PG_SOCKETS=/var/run/postgresql

cluster_pg_dir() { printf '%s/cluster/pg/%s' "$DATA" "$1"; }

cluster_pg_port() {
  local entry
  [[ $1 == monitor ]] && { printf '%s' "$CLUSTER_MONITOR_PORT"; return 0; }
  for entry in "${CLUSTER_PG_NODES[@]}"; do
    [[ ${entry%%:*} == "$1" ]] && { printf '%s' "${entry##*:}"; return 0; }
  done
  die "'$1' is not a PostgreSQL host (${CLUSTER_PG_NODES[*]})"
}

cluster_monitor_uri() {
  printf 'postgres://autoctl_node@%s:%s/pg_auto_failover?sslmode=disable' "$(cluster_address monitor)" "$CLUSTER_MONITOR_PORT"
}

# The application's connection string: both nodes, and Npgsql picks the one that takes writes. read-write rather
# than primary: while pg_auto_failover promotes the standby it keeps it default_transaction_read_only until the
# monitor confirms the old primary is out (a primary, but one that refuses writes). Host Recheck Seconds (default
# 10) is how long Npgsql trusts what it learnt about a host; after a failover it would keep avoiding the new
# primary that long.
cluster_db_cs() {
  local entry hosts=""
  for entry in "${CLUSTER_PG_NODES[@]}"; do
    hosts+="${hosts:+,}$(cluster_address "${entry%%:*}"):${entry##*:}"
  done
  printf 'Host=%s;Database=%s;Username=%s;Password=%s;Target Session Attributes=read-write;Host Recheck Seconds=2;Timeout=5' \
    "$hosts" "$DB_NAME" "$DB_USER" "$DB_PASSWORD"
}

# postgres_launcher HOST : the command prefix that runs a program inside HOST's namespace as user postgres, with
# pg_autoctl's configuration and state under the node's own folder (not ~postgres, so down removes them with the
# data) and a UTF-8 locale (initdb takes the database encoding from it)
postgres_launcher() {
  local home
  home=$(cluster_pg_dir "$1").home
  printf '%s\n' ip netns exec "oc-$1" setpriv --reuid postgres --regid postgres --init-groups env -i \
    HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run" \
    PATH="$PG_BIN:/usr/bin:/bin" LANG=C.UTF-8 LC_ALL=C.UTF-8
}

# as_postgres HOST CMD... : CMD inside HOST as user postgres (postgres_launcher)
as_postgres() {
  local -a launcher
  mapfile -t launcher < <(postgres_launcher "$1")
  shift
  (cd / && exec "${launcher[@]}" "$@")
}

# psql as superuser on a node (over its unix socket) or on the monitor (over TCP inside its host)
cluster_psql() {
  local host=$1 port
  shift
  port=$(cluster_pg_port "$host")
  if [[ $host == monitor ]]; then
    as_postgres monitor psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -d pg_auto_failover "$@"
  else
    as_postgres "$host" psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$CLUSTER_PG_SOCKETS" -p "$port" -d postgres "$@"
  fi
}

cluster_pg_packages() {
  command -v pg_autoctl >/dev/null && return 0
  info "installing postgresql-15-auto-failover with apt-get (PostgreSQL failover)"
  apt-get update >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql-15-auto-failover >/dev/null ||
    die "could not install postgresql-15-auto-failover"
}

cluster_pg_prepare() {
  local host=$1 dir
  dir=$(cluster_pg_dir "$host")
  install -d -o postgres -g postgres -m 2775 "$CLUSTER_PG_SOCKETS"
  install -d -o postgres -g postgres -m 755 "$(dirname "$dir")"
  install -d -o postgres -g postgres -m 700 "$dir.home"
  runuser -u postgres -- test -x "$(dirname "$dir")" || die "user postgres cannot enter $(dirname "$dir")"
}

# A node's own settings, included from postgresql.conf (pg_autoctl owns postgresql-auto-failover.conf).
cluster_pg_write_config() {
  local dir=$1 extra=$2
  grep -q "^include_if_exists = 'orleanschat.conf'" "$dir/postgresql.conf" ||
    printf "\ninclude_if_exists = 'orleanschat.conf'\n" >>"$dir/postgresql.conf"
  # pg_autoctl sizes shared_buffers for a machine of its own; four servers share this one
  printf "# written by chatctl cluster\nshared_buffers = '128MB'\neffective_cache_size = '1GB'\nmax_connections = 300\n%s\n" \
    "$extra" >"$dir/orleanschat.conf"
  chown postgres:postgres "$dir/orleanschat.conf"
}

# The monitor decides failovers. Defaults take 20-30 s to fail over a dead primary: a node is unhealthy when it
# has not reported for node_considered_unhealthy_timeout (20 s) and its health checks failed, and a primary that
# does not answer is given primary_demote_timeout (30 s) to demote itself. Shorter here: a failed check is seen
# in ~2 s, a node silent for 3 s with failed checks is failed over, and the standby takes writes 2 s after its
# promotion. The price: a primary that stalls for 3 s (a long fsync, a frozen VM) is demoted although it would
# have come back; and a primary cut off from the monitor and the standby keeps its sessions until it demotes
# itself (pg_autoctl's network_partition_timeout, 20 s), though with synchronous replication it commits nothing.
cluster_monitor_up() {
  local dir
  dir=$(cluster_pg_dir monitor)
  cluster_pg_prepare monitor
  if [[ ! -f $dir/PG_VERSION ]]; then
    info "creating the pg_auto_failover monitor on host monitor"
    as_postgres monitor pg_autoctl create monitor --pgdata "$dir" --pgport "$CLUSTER_MONITOR_PORT" \
      --hostname "$(cluster_address monitor)" --auth trust --no-ssl >>"$LOG_DIR/monitor-create.log" 2>&1 ||
      { show_log_tail "$LOG_DIR/monitor-create.log"; die "pg_autoctl create monitor failed"; }
    cluster_pg_write_config "$dir" "$(
      cat <<CONF
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 2
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 3000
pgautofailover.primary_demote_timeout = 2000
CONF
    )"
  fi
  cluster_pg_run monitor
  wait_for "pg_auto_failover monitor" 60 cluster_psql monitor -c 'select 1' || die "the monitor does not answer"
}

# cluster_pg_run HOST : start (or leave running) the node's pg_autoctl service
cluster_pg_run() {
  local host=$1
  if pidfile_live "$RUN_DIR/$host.pid" "pg_autoctl"; then
    info "$host: pg_autoctl already running"
    return 0
  fi
  local -a launcher
  mapfile -t launcher < <(postgres_launcher "$host")
  spawn_detached "$host" / "${launcher[@]}" pg_autoctl run --pgdata "$(cluster_pg_dir "$host")"
}

# Who may connect: the application user with its password from the cluster's subnet; pg_auto_failover's own users
# (health checks, replication, pg_rewind) trusted from that subnet.
cluster_pg_write_hba() {
  local dir=$1
  cat >"$dir/pg_hba.conf" <<HBA
# written by chatctl cluster
local   all          all                                trust
host    all          all          127.0.0.1/32          trust
host    all          $DB_USER  $CLUSTER_PREFIX.0/24     scram-sha-256
host    all          all          $CLUSTER_PREFIX.0/24     trust
host    replication  all          $CLUSTER_PREFIX.0/24     trust
HBA
  chown postgres:postgres "$dir/pg_hba.conf"
}

# cluster_pg_node_up HOST : the first node created becomes the primary, the next one its standby
# (pg_basebackup from the primary, which already has our pg_hba.conf and orleanschat.conf: they are copied).
cluster_pg_node_up() {
  local host=$1 dir port
  dir=$(cluster_pg_dir "$host")
  port=$(cluster_pg_port "$host")
  cluster_pg_prepare "$host"
  if [[ ! -f $dir.home/created ]]; then
    info "creating PostgreSQL node $host (pg_autoctl create postgres)"
    as_postgres "$host" pg_autoctl create postgres --pgdata "$dir" --pgport "$port" --listen "$(cluster_address "$host")" \
      --hostname "$(cluster_address "$host")" --name "$host" --skip-pg-hba --no-ssl \
      --monitor "$(cluster_monitor_uri)" >>"$LOG_DIR/$host-create.log" 2>&1 ||
      { show_log_tail "$LOG_DIR/$host-create.log"; die "pg_autoctl create postgres ($host) failed"; }
    cluster_pg_write_hba "$dir"
    cluster_pg_write_config "$dir" ""
    touch "$dir.home/created"
  fi
  cluster_pg_run "$host"
}

# The nodes' states as the monitor sees them: "name reported goal" per line.
cluster_pg_states() {
  cluster_psql monitor -F ' ' -c "select nodename, reportedstate, goalstate from pgautofailover.node order by nodeid"
}

# cluster_pg_primary : the node that is primary now (reported and assigned), or nothing
cluster_pg_primary() {
  cluster_pg_states 2>/dev/null | awk '($2 == "primary" || $2 == "single" || $2 == "wait_primary") && $2 == $3 { print $1 }'
}

cluster_pg_has_state() { cluster_pg_states 2>/dev/null | grep -qx "$1 $2 $2"; }

cluster_pg_up() {
  cluster_pg_packages
  cluster_monitor_up
  local first=${CLUSTER_PG_NODES[0]%%:*} second=${CLUSTER_PG_NODES[1]%%:*}
  cluster_pg_node_up "$first"
  wait_for "$first as primary" 90 cluster_pg_primary_is "$first" || die "$first did not become primary"
  cluster_pg_node_up "$second"
  wait_for "$second as secondary" 120 cluster_pg_has_state "$second" secondary ||
    { cluster_pg_states >&2; die "$second did not become a secondary"; }
  wait_for "$first as primary" 30 cluster_pg_has_state "$first" primary || die "$first is not primary"
  # the application's role and database, created on the primary (pg_autoctl's own database is 'postgres')
  # infra.sh's pg_ensure_role_and_db reads these (dynamic scope): the primary's socket and port
  # shellcheck disable=SC2034
  local PG_SOCKET_DIR=$CLUSTER_PG_SOCKETS PG_PORT=${CLUSTER_PG_NODES[0]##*:}
  PG_SUPERUSER=postgres pg_ensure_role_and_db
  info "PostgreSQL: primary $first, synchronous standby $second ($(cluster_psql "$first" -c 'show synchronous_standby_names'))"
}

cluster_pg_primary_is() { [[ $(cluster_pg_primary) == "$1" ]]; }

# The nodes, then the monitor: SIGTERM to pg_autoctl stops its postgres (fast); a postgres whose pg_autoctl was
# killed is stopped through its own postmaster.pid.
cluster_pg_down() {
  local entry host dir
  for entry in "${CLUSTER_PG_NODES[@]}" monitor; do
    host=${entry%%:*}
    stop_pidfiles 60 pg_autoctl "$RUN_DIR/$host.pid"
    dir=$(cluster_pg_dir "$host")
    if [[ -n $PG_BIN && -f $dir/postmaster.pid ]] && proc_matches "$(read_pidfile "$dir/postmaster.pid")" postgres; then
      info "stopping the postgres of $host left without its pg_autoctl"
      as_pg "$PG_BIN/pg_ctl" -D "$dir" stop -m immediate -w -t 30 >/dev/null || true
    fi
  done
}
