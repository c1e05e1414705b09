# shellcheck shell=bash
# chatctl test: run the .NET test suite against the project-local infra.

usage_test() {
  cat <<USAGE
Usage: chatctl test [DOTNET-TEST-ARGS...]

Run 'chatctl infra', install Debian's chromium when /usr/bin/chromium is missing
(the web client's browser test) and s3rver from npm into tests/S3rver (the S3
attachment store's tests), then the unit tests alone (tests/UnitTests: no
database, seconds), then 'dotnet test OrleansChat.sln' (Debug) for the rest with
  CHAT_TEST_PG=Host=127.0.0.1;Port=<pg port>;Username=orleanschat;Password=orleanschat;Database=orleanschat
  CHAT_TEST_REDIS=127.0.0.1:<redis port>
Without arguments, the namespace cluster's smoke test (ClusterSmokeTests: chatctl cluster, root) runs
last and alone. Extra arguments go to dotnet test, e.g.  chatctl test --filter FullyQualifiedName~Rooms
Output is also written to <data>/logs/test.log. The last line is
  tests: P passed, F failed, S skipped
Exit status is non-zero when dotnet test fails or no test ran.
PostgreSQL and Redis are left running afterwards; 'chatctl down' stops them.
USAGE
}

cmd_test() {
  if [[ ${1:-} == -h || ${1:-} == --help ]]; then usage_test; return 0; fi
  [[ -f $REPO/OrleansChat.sln ]] || die "$REPO/OrleansChat.sln not found"
  infra_up
  ensure_chromium
  ensure_s3rver
  local log=$LOG_DIR/test.log rc
  local -a target=("$REPO/OrleansChat.sln")
  # with the Microsoft.Testing.Platform runner (global.json) the solution needs --solution
  if grep -qs 'Microsoft.Testing.Platform' "$REPO/global.json"; then
    target=(--solution "$REPO/OrleansChat.sln")
  fi
  info "running dotnet test, log: $log"
  set +e
  : >"$log"
  rc=0
  if (($# == 0)); then
    # The unit layer first and alone (no PostgreSQL, no Redis): a broken rule fails in seconds, not minutes.
    dotnet test "$REPO/tests/UnitTests/UnitTests.csproj" -nologo 2>&1 | tee -a "$log"
    rc=${PIPESTATUS[0]}
    # The namespace cluster's smoke test runs last and alone: on two cores, sharing them with the rest of the suite
    # would slow its silos enough to trip Orleans' failure detection by itself.
    set -- --filter "FullyQualifiedName!~OrleansChat.UnitTests&FullyQualifiedName!~ClusterSmokeTests"
    local smoke=1
  fi
  if ((rc == 0)); then
    run_suite "${target[@]}" -nologo "$@"
    rc=$?
  fi
  if ((rc == 0 && ${smoke:-0})); then
    run_suite "$REPO/tests/WebFront.Tests/WebFront.Tests.csproj" -nologo --no-build --filter "FullyQualifiedName~ClusterSmokeTests"
    rc=$?
  fi
  set -e
  summarize_tests "$log" "$rc"
}

# run_suite DOTNET-TEST-ARGS... : dotnet test against the project-local PostgreSQL and Redis, output to the log
run_suite() {
  CHAT_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=$DB_USER;Password=$DB_PASSWORD;Database=$DB_NAME" \
    CHAT_TEST_REDIS="$(chat_redis_cs)" \
    dotnet test "$@" 2>&1 | tee -a "$log"
  return "${PIPESTATUS[0]}"
}

# The web client's end-to-end test drives Debian's Chromium (tests/WebClient.Tests); Playwright never downloads one.
# Without a colour emoji font, reactions and pins render as empty boxes (in the README's screenshots too); the tests
# pass either way, so a missing font is only installed when we may.
ensure_chromium() {
  local emoji_font=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
  local -a packages=()
  [[ -x /usr/bin/chromium ]] || packages+=(chromium)
  [[ -f $emoji_font ]] || packages+=(fonts-noto-color-emoji)
  ((${#packages[@]} == 0)) && return 0
  if ! is_root; then
    [[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing; install it (apt-get install chromium) or run as root"
    warn "no colour emoji font: emoji show as boxes in the browser tests' screenshots (apt-get install fonts-noto-color-emoji)"
    return 0
  fi
  info "installing ${packages[*]} with apt-get (for the web client's browser tests)"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
}

# The S3 attachment store's tests start s3rver (npm, tests/S3rver): installed from its lock file when missing or stale.
ensure_s3rver() {
  local dir=$REPO/tests/S3rver
  [[ -f $dir/package-lock.json ]] || return 0
  if [[ ! -f $dir/node_modules/.package-lock.json || $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    info "installing s3rver for the attachment tests (npm ci in tests/S3rver)"
    (cd "$dir" && npm ci --no-audit --no-fund >/dev/null) || die "npm ci in $dir failed"
    touch "$dir/node_modules/.package-lock.json"
  fi
}

# summarize_tests LOG RC -> prints the totals line last; returns non-zero on failure
summarize_tests() {
  local log=$1 rc=$2 totals passed failed skipped
  totals=$(count_tests "$log")
  read -r passed failed skipped <<<"$totals"
  local status=0
  if ((rc != 0)); then
    printf 'error: dotnet test failed (exit %s)\n' "$rc" >&2
    status=1
  fi
  if ((passed + failed == 0)); then
    printf 'error: no test ran\n' >&2
    status=1
  fi
  printf 'tests: %s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped" | tee -a "$log"
  return "$status"
}

# count_tests LOG -> "passed failed skipped", summed over every test project.
# Understands the VSTest per-project line
#   Passed!  - Failed: 0, Passed: 12, Skipped: 1, Total: 13, Duration: ...
# and, when none is present, the Microsoft.Testing.Platform summary block
#   failed: 0 / succeeded: 12 / skipped: 1
count_tests() {
  sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' "$1" | awk '
    /Failed:[[:space:]]*[0-9]+,[[:space:]]*Passed:[[:space:]]*[0-9]+,[[:space:]]*Skipped:[[:space:]]*[0-9]+/ {
      line = $0
      sub(/.*Failed:[[:space:]]*/, "", line);  f += line + 0
      line = $0
      sub(/.*Passed:[[:space:]]*/, "", line);  p += line + 0
      line = $0
      sub(/.*Skipped:[[:space:]]*/, "", line); s += line + 0
      vstest = 1
      next
    }
    /^[[:space:]]*failed:[[:space:]]*[0-9]+[[:space:]]*$/    { mf += $2 }
    /^[[:space:]]*succeeded:[[:space:]]*[0-9]+[[:space:]]*$/ { mp += $2 }
    /^[[:space:]]*skipped:[[:space:]]*[0-9]+[[:space:]]*$/   { ms += $2 }
    END {
      if (vstest) print p + 0, f + 0, s + 0
      else        print mp + 0, mf + 0, ms + 0
    }'
}
