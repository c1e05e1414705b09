# shellcheck shell=bash
# chatctl infra: packages, project-local PostgreSQL and Redis.

usage_infra() {
  cat <<USAGE
Usage: chatctl infra [up]

Ensure the project-local PostgreSQL and Redis are installed and running.

  - installs postgresql, redis-server (and curl) with apt-get when missing
  - data folder: \$CHAT_DATA_DIR, else $REPO/.chat
    (or /var/lib/orleanschat/<hash> when the postgres user cannot enter the repo)
  - PostgreSQL on 127.0.0.1:\${CHAT_PG_PORT:-15432}, role/database 'orleanschat'
    (password 'orleanschat'); its unix socket lives inside the data folder
  - Redis on 127.0.0.1:\${CHAT_REDIS_PORT:-16379} with appendonly persistence

Idempotent: anything already running is left alone. Stop with 'chatctl down'.
USAGE
}

cmd_infra() {
  if has_help_flag "$@"; then usage_infra; return 0; fi
  [[ ${1:-up} == up ]] || die "unknown infra argument '$1' (see chatctl infra --help)"
  (($# <= 1)) || die "too many arguments (see chatctl infra --help)"
  infra_up
}

infra_up() {
  ensure_packages
  prepare_data_dirs
  pg_ensure_running
  pg_ensure_role_and_db
  redis_ensure_running
  info "infra ready: PostgreSQL 127.0.0.1:$PG_PORT, Redis 127.0.0.1:$REDIS_PORT (data: $DATA)"
}

# ---------------------------------------------------------------- packages

ensure_packages() {
  local -a pkgs=()
  if [[ -z $(find_pg_bin) ]] || ! command -v redis-server >/dev/null ||
    ! command -v redis-cli >/dev/null || { is_root && ! id -u postgres >/dev/null 2>&1; }; then
    pkgs+=(postgresql redis-server)
  fi
  command -v curl >/dev/null || pkgs+=(curl)
  if ((${#pkgs[@]})); then
    is_root || die "missing packages: ${pkgs[*]}; install them (apt-get install ${pkgs[*]}) or run as root"
    info "installing ${pkgs[*]} with apt-get"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}"
  fi
  PG_BIN=$(find_pg_bin)
  [[ -n $PG_BIN ]] || die "no PostgreSQL server found under /usr/lib/postgresql/*/bin"
  command -v redis-server >/dev/null || die "redis-server not found on PATH"
}

# ---------------------------------------------------------------- data folders

prepare_data_dirs() {
  mkdir -p "$DATA" "$REDIS_DIR" "$RUN_DIR" "$LOG_DIR"
  chmod 755 "$DATA" "$LOG_DIR"
  if is_root; then
    if [[ $DATA == /var/lib/orleanschat/* ]]; then chmod 755 /var/lib/orleanschat; fi
    runuser -u postgres -- test -x "$DATA" ||
      die "user postgres cannot enter $DATA; set CHAT_DATA_DIR to a folder it can reach"
  fi
  if [[ ! -d $PGDATA_DIR ]]; then
    mkdir -p "$PGDATA_DIR"
  fi
  if is_root; then chown postgres:postgres "$PGDATA_DIR"; fi
  chmod 700 "$PGDATA_DIR"
  # unix socket paths are limited to 107 bytes
  local sock="$PGDATA_DIR/.s.PGSQL.$PG_PORT"
  ((${#sock} <= 107)) || die "socket path too long ($sock); set CHAT_DATA_DIR to a shorter folder"
}

# ---------------------------------------------------------------- postgresql

pg_running() {
  [[ -f $PGDATA_DIR/PG_VERSION ]] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

# Port of the running postmaster (4th line of postmaster.pid).
pg_running_port() {
  sed -n '4p' "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true
}

pg_initdb() {
  [[ -f $PGDATA_DIR/PG_VERSION ]] && return 0
  info "initialising PostgreSQL cluster in $PGDATA_DIR"
  local log=$LOG_DIR/initdb.log
  if ! as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U "$PG_SUPERUSER" -E UTF8 --no-locale \
    --auth-local=peer --auth-host=scram-sha-256 >"$log" 2>&1; then
    show_log_tail "$log"
    die "initdb failed"
  fi
}

pg_write_config() {
  local conf=$PGDATA_DIR/postgresql.conf
  grep -q "^include_if_exists = 'orleanschat.conf'" "$conf" ||
    printf "\ninclude_if_exists = 'orleanschat.conf'\n" >>"$conf"
  cat >"$PGDATA_DIR/orleanschat.conf" <<CONF
# written by chatctl; edits are overwritten on the next start
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGDATA_DIR'
fsync = on
max_connections = 300
shared_buffers = 256MB
# Chat writes are a steady append stream: with the default 1 GB of WAL a busy run forced a checkpoint every minute
# or two, and the full-page images written after each one made the next come sooner, with commit latency spikes.
max_wal_size = 4GB
checkpoint_timeout = 15min
password_encryption = 'scram-sha-256'
CONF
  cat >"$PGDATA_DIR/pg_hba.conf" <<HBA
# written by chatctl; edits are overwritten on the next start
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  peer
host    all       all   127.0.0.1/32   scram-sha-256
HBA
  if is_root; then
    chown postgres:postgres "$PGDATA_DIR/orleanschat.conf" "$PGDATA_DIR/pg_hba.conf" "$conf"
  fi
  chmod 600 "$PGDATA_DIR/orleanschat.conf" "$PGDATA_DIR/pg_hba.conf"
}

pg_ensure_running() {
  pg_initdb
  if pg_running; then
    local port
    port=$(pg_running_port)
    [[ $port == "$PG_PORT" ]] ||
      die "PostgreSQL from $PGDATA_DIR runs on port $port, not $PG_PORT; run 'chatctl down' first"
    info "PostgreSQL already running (port $PG_PORT)"
  else
    port_open "$PG_PORT" && die "port $PG_PORT is in use by something else; set CHAT_PG_PORT"
    pg_write_config
    local log=$LOG_DIR/postgres.log
    touch "$log"
    if is_root; then chown postgres:postgres "$log"; fi
    info "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$log" -w -t 60 start >/dev/null; then
      show_log_tail "$log"
      die "PostgreSQL failed to start"
    fi
  fi
  wait_for "PostgreSQL" 30 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" ||
    { show_log_tail "$LOG_DIR/postgres.log"; die "PostgreSQL does not answer on port $PG_PORT"; }
}

# psql as the cluster superuser over the unix socket inside PGDATA (or PG_SOCKET_DIR, set by chatctl cluster)
pg_super_psql() {
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "${PG_SOCKET_DIR:-$PGDATA_DIR}" -p "$PG_PORT" \
    -U "$PG_SUPERUSER" -d postgres
}

pg_ensure_role_and_db() {
  pg_super_psql >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  ELSE
    ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME')
\gexec
SQL
}

# ---------------------------------------------------------------- redis

redis_running() { pidfile_live "$REDIS_PIDFILE" redis-server; }

redis_ping() {
  [[ $(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

redis_write_config() {
  cat >"$REDIS_DIR/redis.conf" <<CONF
# written by chatctl; edits are overwritten on the next start
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile "$REDIS_PIDFILE"
logfile "$LOG_DIR/redis.log"
dir "$REDIS_DIR"
appendonly yes
appendfsync everysec
save ""
CONF
}

redis_ensure_running() {
  if redis_running; then
    redis_ping || die "Redis from $REDIS_PIDFILE does not answer on port $REDIS_PORT; run 'chatctl down' first"
    info "Redis already running (port $REDIS_PORT)"
    return 0
  fi
  rm -f "$REDIS_PIDFILE"
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is in use by something else; set CHAT_REDIS_PORT"
  redis_write_config
  info "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server "$REDIS_DIR/redis.conf" </dev/null ||
    { show_log_tail "$LOG_DIR/redis.log"; die "redis-server failed to start"; }
  wait_for "Redis" 30 redis_ping ||
    { show_log_tail "$LOG_DIR/redis.log"; die "Redis does not answer on port $REDIS_PORT"; }
  wait_for "Redis pid file" 10 redis_running || die "Redis did not write $REDIS_PIDFILE"
}

# wait_for WHAT SECONDS CMD... -> polls CMD until it succeeds or time runs out
wait_for() {
  local what=$1 secs=$2 deadline
  shift 2
  deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { warn "$what not ready after ${secs}s"; return 1; }
    sleep 0.5
  done
}

# ---------------------------------------------------------------- stop

pg_stop() {
  [[ -n $PG_BIN && -f $PGDATA_DIR/PG_VERSION ]] || return 0
  if pg_running; then
    info "stopping PostgreSQL ($PGDATA_DIR)"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" stop -m fast -w -t 60 >/dev/null
  fi
}

redis_stop() {
  stop_pidfiles 30 redis-server "$REDIS_PIDFILE"
}
