# shellcheck shell=bash
# chatctl cluster: hosts on one machine as network namespaces on a bridge (issue 18's groundwork).
# Every namespace and link it makes is named oc-* and recorded in $DATA/cluster/hosts; down removes exactly those.
# Subnet 198.18.0.0/24 (benchmarking range, routed nowhere on this machine); the root namespace is 198.18.0.1.

CLUSTER_BRIDGE=ocbr0
CLUSTER_PREFIX=198.18.0
# host name -> last octet: a database host, three silo hosts, two front hosts, a monitor host for PostgreSQL failover
CLUSTER_HOSTS=(db:10 db2:14 silo1:11 silo2:12 silo3:13 front1:21 front2:22 monitor:30)

usage_cluster() {
  cat <<USAGE
Usage: chatctl cluster up [--no-build] | down | status
       chatctl cluster hosts-up | hosts-down     only the namespaces and the bridge
       chatctl cluster fault inject|heal KIND    see chatctl cluster fault --help
       chatctl cluster cut HOST [PEER...]   drop HOST's traffic to the PEERs (all other hosts when none)
       chatctl cluster heal HOST            remove HOST's cuts
       chatctl cluster exec HOST CMD...     run CMD inside HOST's namespace

Hosts (namespace oc-HOST, address $CLUSTER_PREFIX.N/24 on bridge $CLUSTER_BRIDGE, the root namespace is
$CLUSTER_PREFIX.1): ${CLUSTER_HOSTS[*]}.
'up' builds (Release), makes the hosts and starts inside them: a pg_auto_failover monitor on monitor, the
PostgreSQL primary on db and its synchronous hot standby on db2 (ports 6432, 6433), Redis on db (6379), a silo on
each of silo1-3 (silo 11111, gateway 30000, health 18080), a front on each of front1-2 (http://HOST:8080).
Pid files in \$CHAT_DATA_DIR/cluster/run, logs in \$CHAT_DATA_DIR/cluster/logs.
'down' stops exactly those processes (by pid file), deletes the cluster's data, then the namespaces and the
bridge recorded in \$CHAT_DATA_DIR/cluster/hosts; it also cleans up after a failed 'up'.
Needs root; installs nftables, ping and postgresql-15-auto-failover with apt-get when missing.
USAGE
}

cmd_cluster() {
  local action=${1:-status}
  (($#)) && shift
  RUN_DIR=$DATA/cluster/run
  LOG_DIR=$DATA/cluster/logs
  case $action in
    -h | --help | help) usage_cluster ;;
    up) cluster_up "$@" ;;
    down) cluster_require; cluster_stack_down; cluster_hosts_down ;;
    hosts-up) cluster_hosts_up ;;
    hosts-down) cluster_hosts_down ;;
    status) cluster_status; cluster_processes_status ;;
    fault) cmd_cluster_fault "$@" ;;
    cut) cluster_cut "$@" ;;
    heal) cluster_heal "$@" ;;
    exec)
      local host=${1:?host}
      shift
      ip netns exec "oc-$host" "$@"
      ;;
    *) die "unknown cluster action '$action' (see chatctl cluster --help)" ;;
  esac
}

cluster_up() {
  local build=1
  case ${1:-} in
    --no-build) build=0 ;;
    "") ;;
    *) die "unknown argument '$1' (see chatctl cluster --help)" ;;
  esac
  cluster_require
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  chmod 755 "$DATA" "$DATA/cluster"
  ((build)) && build_release
  cluster_hosts_up
  cluster_stack_up
}

cluster_state() { printf '%s' "$DATA/cluster/hosts"; }

cluster_require() {
  is_root || die "chatctl cluster needs root (network namespaces)"
  if ! command -v ip >/dev/null; then
    info "installing iproute2 with apt-get (network namespaces)"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y iproute2; } >/dev/null 2>&1 || die "could not install iproute2"
  fi
  if ! command -v nft >/dev/null || ! command -v ping >/dev/null; then
    info "installing nftables and ping with apt-get (link cuts, reachability)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y nftables iputils-ping >/dev/null 2>&1 ||
      { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y nftables iputils-ping >/dev/null 2>&1; } ||
      die "could not install nftables and iputils-ping"
  fi
  if ! command -v redis-server >/dev/null || [[ -z $PG_BIN ]]; then ensure_packages; fi
}

cluster_address() {
  local entry
  for entry in "${CLUSTER_HOSTS[@]}"; do
    [[ ${entry%%:*} == "$1" ]] && { printf '%s.%s' "$CLUSTER_PREFIX" "${entry##*:}"; return 0; }
  done
  die "unknown cluster host '$1' (hosts: ${CLUSTER_HOSTS[*]})"
}

# record NAME: remember something this command created, before creating it, so down can always undo it
cluster_record() {
  mkdir -p "$(dirname "$(cluster_state)")"
  grep -qxF "$1" "$(cluster_state)" 2>/dev/null || printf '%s\n' "$1" >>"$(cluster_state)"
}

cluster_hosts_up() {
  cluster_require
  if ! ip link show "$CLUSTER_BRIDGE" >/dev/null 2>&1; then
    cluster_record "bridge $CLUSTER_BRIDGE"
    ip link add "$CLUSTER_BRIDGE" type bridge
    ip addr add "$CLUSTER_PREFIX.1/24" dev "$CLUSTER_BRIDGE"
  fi
  ip link set "$CLUSTER_BRIDGE" up
  local entry host
  for entry in "${CLUSTER_HOSTS[@]}"; do
    host=${entry%%:*}
    if ! ip netns list | grep -qw "oc-$host"; then
      cluster_record "netns oc-$host"
      ip netns add "oc-$host"
      ip link add "ocv-$host" type veth peer name eth0 netns "oc-$host"
      ip link set "ocv-$host" master "$CLUSTER_BRIDGE" up
      ip -n "oc-$host" addr add "$(cluster_address "$host")/24" dev eth0
      ip -n "oc-$host" link set eth0 up
      ip -n "oc-$host" link set lo up
    fi
  done
  info "cluster hosts up on $CLUSTER_BRIDGE ($CLUSTER_PREFIX.0/24)"
}

cluster_hosts_down() {
  local kind name
  [[ -f $(cluster_state) ]] || { info "no cluster recorded in $(cluster_state)"; return 0; }
  # namespaces first (their veth ends go with them), the bridge last
  tac "$(cluster_state)" | while read -r kind name; do
    case $kind in
      netns) ip netns del "$name" 2>/dev/null || true ;;
      bridge) ip link del "$name" 2>/dev/null || true ;;
    esac
  done
  rm -f "$(cluster_state)"
  info "cluster hosts removed"
}

cluster_status() {
  local entry host address state
  for entry in "${CLUSTER_HOSTS[@]}"; do
    host=${entry%%:*}
    address=$(cluster_address "$host")
    if ! ip netns list 2>/dev/null | grep -qw "oc-$host"; then
      state="absent"
    elif command -v ping >/dev/null && ping -c1 -W1 "$address" >/dev/null 2>&1; then
      state="reachable"
    else
      state="unreachable"
    fi
    if ip netns list 2>/dev/null | grep -qw "oc-$host" && ip netns exec "oc-$host" nft list table inet occut >/dev/null 2>&1; then
      state+=" (cut)"
    fi
    printf '%-8s %-14s %s\n' "$host" "$address" "$state"
  done
}

# cut HOST [PEER...]: HOST drops every packet to and from the peers (a partition as HOST sees it)
cluster_cut() {
  local host=${1:?host}
  shift
  local -a peers=("$@")
  local entry address
  if ((${#peers[@]} == 0)); then
    for entry in "${CLUSTER_HOSTS[@]}"; do
      [[ ${entry%%:*} != "$host" ]] && peers+=("${entry%%:*}")
    done
  fi
  local set=""
  for entry in "${peers[@]}"; do
    address=$(cluster_address "$entry")
    set+="${set:+, }$address"
  done
  ip netns exec "oc-$host" nft -f - <<NFT
table inet occut
delete table inet occut
table inet occut {
  chain input { type filter hook input priority 0; ip saddr { $set } drop; }
  chain output { type filter hook output priority 0; ip daddr { $set } drop; }
}
NFT
  info "$host cut from: ${peers[*]}"
}

cluster_heal() {
  local host=${1:?host}
  ip netns exec "oc-$host" nft delete table inet occut 2>/dev/null || true
  info "$host healed"
}
