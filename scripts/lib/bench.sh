# shellcheck shell=bash
# chatctl bench: run the load-testing harness (tools/LoadTest) against the running stack.
# FRONTS, RUN_DIR, DATA, ... are set by load_config (common.sh); front helpers come from apps.sh.
# shellcheck disable=SC2153

BENCH_DLL_NAME=OrleansChat.LoadTest.dll

usage_bench() {
  cat <<USAGE
Usage: chatctl bench [SCENARIO] [--start] [OPTIONS]

Run the load-testing harness against the stack that 'chatctl up' started (or,
with --start, start it first with the send rate limit off). Scenarios:
  many-threads (default)  hot-thread  fanout  idle-connections  history  soak
  search                  message search over 1,000,000 messages in its own database
                          (tools/SearchBench; needs only PostgreSQL, no running stack)
  uploads                 the first front's RSS while ten 25 MiB files upload at once
                          (tools/UploadBench; --files N --mib M --rounds R)
Results (JSON + Markdown) go to <data>/bench/ (default .chat/bench/); a live
progress line is printed while it runs.

  --start              run 'chatctl up' first (with Chat__RateLimit__Enabled=false)
  --duration 30s       measured time per phase      --protocol json|messagepack|websocket
  --threads N          --senders N   --in-flight N  --rate R [--ramp-to R]
  --connections N      --watchers N  --baselines pg,hub,ping|none
  (all harness options: chatctl bench --help-harness)

The harness is pointed at every running front, the stack's PostgreSQL and Redis,
the cluster id and the pid files (server CPU and memory from /proc).
Benchmarks need the per-user send rate limit off: start the stack with
  Chat__RateLimit__Enabled=false ./chatctl up      (or use --start)
20,000 idle connections need two fronts: CHAT_FRONTS=2.

Search options: --messages 1000000 --threads 10000 --iterations 200 --reseed
(the data is generated once into the database orleanschat_search_bench and kept).

Examples:
  ./chatctl bench search
  ./chatctl bench many-threads --duration 30s
  ./chatctl bench hot-thread --senders 64 --duration 20s
  CHAT_FRONTS=2 ./chatctl bench idle-connections --connections 20000 --start
USAGE
}

cmd_bench() {
  local arg start=0 scenario=""
  local -a args=()
  for arg in "$@"; do
    case $arg in
      -h | --help) usage_bench; return 0 ;;
    esac
  done
  if [[ ${1:-} != "" && ${1:-} != -* ]]; then
    scenario=$1
    shift
  fi
  while (($#)); do
    case $1 in
      --start) start=1 ;;
      --help-harness) args+=(--help) ;;
      *) args+=("$1") ;;
    esac
    shift
  done
  if [[ $scenario == search ]]; then
    bench_search "${args[@]}"
    return
  fi
  if [[ $scenario == uploads ]]; then
    bench_uploads "${args[@]}"
    return
  fi
  [[ -f $REPO/tools/LoadTest/LoadTest.csproj ]] || die "tools/LoadTest not found"

  if ((start)); then
    export Chat__RateLimit__Enabled=false
    cmd_up
  fi
  build_tool LoadTest
  local dll
  dll=$(bench_bin_dir)/$BENCH_DLL_NAME
  if [[ " ${args[*]} " == *" --help "* ]]; then
    dotnet "$dll" --help
    return 0
  fi

  local fronts
  fronts=$(bench_fronts)
  [[ -n $fronts ]] || die "no web front is running; start the stack with './chatctl up' (or pass --start)"
  bench_check_rate_limit

  local -a run=(dotnet "$dll")
  [[ -n $scenario ]] && run+=("$scenario")
  run+=(--fronts "$fronts" --db "$(chat_db_cs)" --redis "$(chat_redis_cs)" --cluster-id "$CLUSTER_ID"
    --run-dir "$RUN_DIR" --pg-data "$PGDATA_DIR" --out "$DATA/bench"
    --jwt-key "${CHAT_JWT_KEY:-$DEFAULT_JWT_KEY}")
  run+=("${args[@]}")
  info "running ${scenario:-many-threads} against $fronts"
  "${run[@]}"
}

# The search benchmark: the silo's search query over generated data in a database of its own.
bench_search() {
  infra_up
  build_tool SearchBench
  dotnet "$REPO/tools/SearchBench/bin/Release/net10.0/OrleansChat.SearchBench.dll" \
    --db "$(chat_db_cs)" --out "$DATA/bench" "$@"
}

# The front's memory under ten 25 MiB uploads at once (tools/UploadBench), against the first running front.
bench_uploads() {
  local i pid=""
  while IFS= read -r i; do
    if pidfile_live "$RUN_DIR/front-$i.pid" "$FRONT_DLL_NAME"; then
      pid=$(read_pidfile "$RUN_DIR/front-$i.pid")
      break
    fi
  done < <(indices front "$FRONTS")
  [[ -n $pid ]] || die "no web front is running; start the stack with './chatctl up'"
  build_tool UploadBench
  dotnet "$REPO/tools/UploadBench/bin/Release/net10.0/OrleansChat.UploadBench.dll" \
    --front "http://127.0.0.1:$(front_http_port "$i")/" --pid "$pid" \
    --jwt-key "${CHAT_JWT_KEY:-$DEFAULT_JWT_KEY}" --out "$DATA/bench" "$@"
}

bench_bin_dir() { printf '%s' "$REPO/tools/LoadTest/bin/Release/net10.0"; }

# bench_fronts -> comma-separated base URLs of every live front (by pid file)
bench_fronts() {
  local i list=""
  while IFS= read -r i; do
    if pidfile_live "$RUN_DIR/front-$i.pid" "$FRONT_DLL_NAME"; then
      list+="${list:+,}http://127.0.0.1:$(front_http_port "$i")/"
    fi
  done < <(indices front "$FRONTS")
  printf '%s' "$list"
}

# Warn when a front runs with the per-user send rate limit on (it would throttle the load).
bench_check_rate_limit() {
  local file pid value
  for file in "$RUN_DIR"/front-*.pid; do
    [[ -f $file ]] || continue
    pid=$(read_pidfile "$file")
    [[ -r /proc/$pid/environ ]] || continue
    value=$(tr '\0' '\n' <"/proc/$pid/environ" | sed -n 's/^Chat__RateLimit__Enabled=//p')
    if [[ ${value,,} != false ]] && [[ $(tr '\0' '\n' <"/proc/$pid/environ" | sed -n 's/^Chat__RateLimit__SendsPerSecond=//p') != 0 ]]; then
      warn "$(basename "$file" .pid) runs with the per-user rate limits on (Chat__RateLimit__Enabled=${value:-default true});"
      warn "restart it with: ./chatctl down --keep-infra && Chat__RateLimit__Enabled=false ./chatctl up"
    fi
  done
}
