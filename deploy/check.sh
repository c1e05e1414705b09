#!/usr/bin/env bash
# Offline checks of the deployment artifacts (no container engine or cluster needed). From the repo root:
#   deploy/check.sh              # everything, including both dotnet publish runs (~1-2 min)
#   deploy/check.sh --no-publish # skip the publish runs
# Each check prints PASS, FAIL or SKIP (tool missing); the exit code is non-zero when any check failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0
pass() { printf 'PASS  %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; failed=1; }
skip() { printf 'SKIP  %s\n' "$1"; }
run() { # run NAME COMMAND... : PASS/FAIL by exit code, output shown on failure
  local name=$1; shift
  if "$@" >"$TMP/out" 2>&1; then pass "$name"; else fail "$name"; tail -n 30 "$TMP/out"; fi
}

# 1. The same publish commands the Dockerfiles run.
if [[ ${1:-} != --no-publish ]]; then
  run "dotnet publish src/Silo" dotnet publish src/Silo -c Release -o "$TMP/pub-silo" -nologo -v quiet
  run "dotnet publish src/WebFront" dotnet publish src/WebFront -c Release -o "$TMP/pub-front" -nologo -v quiet
fi

# 2. Every YAML file parses.
for f in deploy/compose/compose.yaml deploy/k8s/*.yaml deploy/k8s/examples/*.yaml; do
  run "yaml parses: $f" python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' "$f"
done

# 3. Kubernetes manifests: kubectl needs an API server even for --dry-run=client, so also check offline that
#    selectors match pod labels, probes name declared ports, and ConfigMap/Secret references exist.
run "k8s manifests consistent" python3 - deploy/k8s/*.yaml deploy/k8s/examples/*.yaml <<'PY'
import sys, yaml
docs = [d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]
names = {(d["kind"], d["metadata"]["name"]) for d in docs}
errors = []
for d in docs:
    kind, meta = d["kind"], d["metadata"]
    if kind != "Namespace" and meta.get("namespace") != "orleanschat":
        errors.append(f"{kind}/{meta['name']}: namespace")
    pod = d["spec"]["template"] if kind in ("Deployment", "Job") else None
    if kind == "Deployment":
        sel = d["spec"]["selector"]["matchLabels"]
        if any(pod["metadata"]["labels"].get(k) != v for k, v in sel.items()):
            errors.append(f"{meta['name']}: selector does not match pod labels")
    if pod:
        for c in pod["spec"]["containers"]:
            ports = {p["name"] for p in c.get("ports", [])}
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                port = c.get(probe, {}).get("httpGet", {}).get("port")
                if port is not None and port not in ports:
                    errors.append(f"{meta['name']}: {probe} port {port} not declared")
            for ref in c.get("envFrom", []):
                for key, k in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                    if key in ref and (k, ref[key]["name"]) not in names:
                        errors.append(f"{meta['name']}: {k} {ref[key]['name']} missing")
    if kind == "Service":
        pods = [x for x in docs if x["kind"] == "Deployment"
                and all(x["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in d["spec"]["selector"].items())]
        if not pods:
            errors.append(f"Service {meta['name']}: selects no Deployment")
print("\n".join(errors) or f"{len(docs)} objects ok")
sys.exit(1 if errors else 0)
PY
if kubectl version --request-timeout=3s >/dev/null 2>&1; then
  run "kubectl apply --dry-run=server" kubectl apply --dry-run=server -f deploy/k8s/
else
  skip "kubectl apply --dry-run (no reachable API server; kubectl needs one even for --dry-run=client)"
fi

# 4. docker compose config, with the example env file plus placeholder secrets.
sed -e 's/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=checkonly/' \
    -e 's/^JWT_SIGNING_KEY=$/JWT_SIGNING_KEY=checkonly0123456789abcdef0123456789abcdef/' \
    deploy/compose/.env.example >"$TMP/check.env"
if docker compose version >/dev/null 2>&1; then
  run "docker compose config" docker compose --env-file "$TMP/check.env" -f deploy/compose/compose.yaml config -q
elif command -v docker-compose >/dev/null; then
  run "docker-compose config" docker-compose --env-file "$TMP/check.env" -f deploy/compose/compose.yaml config -q
else
  skip "compose config (neither 'docker compose' nor docker-compose installed)"
fi

# 5. nginx -t; the compose service names do not resolve here, so a copy points at loopback.
if command -v nginx >/dev/null; then
  sed -e 's/server front-0:5080/server 127.0.0.1:5080/' -e 's/server front-1:5080/server 127.0.0.2:5080/' \
    deploy/compose/nginx.conf >"$TMP/nginx.conf"
  run "nginx -t" nginx -t -q -p "$TMP" -c "$TMP/nginx.conf" -g "pid $TMP/nginx.pid; error_log $TMP/error.log;"
else
  skip "nginx -t (apt-get install -y nginx)"
fi

# 6. systemd units: verify prints warnings (unknown keys, bad values) but exits 0, so any output fails.
if command -v systemd-analyze >/dev/null; then
  cp deploy/systemd/*.service "$TMP/"
  out=$(cd "$TMP" && systemd-analyze verify ./orleanschat-silo@0.service ./orleanschat-front@0.service 2>&1)
  if [[ -z $out ]]; then pass "systemd-analyze verify"; else fail "systemd-analyze verify"; printf '%s\n' "$out"; fi
else
  skip "systemd-analyze verify"
fi

# 7. Dockerfiles: every COPY source from the build context exists and is allowed by the Dockerfile's ignore file.
run "Dockerfile COPY sources" python3 - deploy/docker/*.Dockerfile <<'PY'
import glob, re, sys
errors = []
for df in sys.argv[1:]:
    allow = [l[1:].rstrip("/") for l in open(df + ".dockerignore").read().splitlines() if l.startswith("!")]
    for line in open(df):
        m = re.match(r"COPY\s+(?!--from)(.+)\s+\S+$", line.strip())
        for src in (m.group(1).split() if m else []):
            if not glob.glob(src) and "[" not in src:
                errors.append(f"{df}: COPY source {src} missing")
            if not any(src == a or src.startswith(a + "/") for a in allow):
                errors.append(f"{df}: COPY source {src} excluded by {df}.dockerignore")
print("\n".join(errors) or "ok")
sys.exit(1 if errors else 0)
PY

# 8. The public proxies never log a query string (tokens travel in ?access_token= / ?token=) and route only the
#    public paths (not /metrics, /health, /cluster/members, /openapi).
run "proxies: no query strings logged, internal paths not routed" python3 - <<'PY'
import re, sys, yaml
errors = []
nginx = open("deploy/compose/nginx.conf").read()
for fmt in re.findall(r"log_format\s+\S+\s+([^;]*);", nginx):
    if re.search(r"\$(request|request_uri|args|query_string|arg_\w+|http_referer)\b", fmt):
        errors.append("nginx log_format logs the query string: " + fmt.strip())
if not re.search(r"access_log\s+\S+\s+chat_noquery", nginx):
    errors.append("nginx access_log does not use the query-free format")
if not re.search(r"^error_log\s+\S+\s+crit;", nginx, re.M):
    errors.append("nginx error_log below crit quotes request lines with their query strings")
routed = re.findall(r"location\s+(?:[~^=*]+\s+)?\^?(\S+)\s*\{([^}]*)\}", nginx)  # regex locations too (~ ^/path)
for path, body in routed:
    if "proxy_pass" in body and not path.startswith(("/api/", "/hubs/", "/ws/", "/app")):
        errors.append(f"nginx proxies {path}")
ingress = yaml.safe_load(open("deploy/k8s/examples/ingress.example.yaml"))
if ingress["metadata"]["annotations"].get("nginx.ingress.kubernetes.io/enable-access-log") != "false":
    errors.append("ingress logs requests with their query strings")
for rule in ingress["spec"]["rules"]:
    for p in rule["http"]["paths"]:
        if not p["path"].startswith(("/api/chat/", "/hubs/chat", "/ws/chat/", "/app")):
            errors.append("ingress routes " + p["path"])
print("\n".join(errors) or "ok")
sys.exit(1 if errors else 0)
PY

# 9. Shell scripts.
if command -v shellcheck >/dev/null; then
  run "shellcheck" shellcheck deploy/check.sh deploy/docker/silo-entrypoint.sh
else
  skip "shellcheck"
fi

exit "$failed"
