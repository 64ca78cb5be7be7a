#!/usr/bin/env bash
# Builds the image of deploy/Containerfile with podman (dist/ from deploy/build.sh) and,
# where this machine can start containers, runs it: non-root, the database on a volume,
# /readyz answered, an event stored, and the same database after a restart of the
# container. A machine that cannot start containers (no user namespaces or rlimits, as
# in some CI sandboxes) gets one line saying so; the image is still built and checked.
set -euo pipefail
cd "$(dirname "$0")/.."
image=magda-sla-bot:ci name=magda-ci-$$ volume=magda-ci-$$
cleanup() { podman rm -f "$name" >/dev/null 2>&1 || true; podman volume rm -f "$volume" >/dev/null 2>&1 || true; }
trap cleanup EXIT
podman build -q -f deploy/Containerfile -t "$image" . >/dev/null
user=$(podman image inspect --format '{{.Config.User}}' "$image")
[ "$user" = "65532:65532" ] || { echo "container: the image runs as '$user', not 65532:65532" >&2; exit 1; }
echo "container: image $image built FROM scratch, user $user"

port=$((20000 + $$ % 20000))
if ! podman run -d --name "$name" -p "127.0.0.1:$port:8080" -v "$volume:/data" -e MAGDA_API_TOKEN=ci "$image" >/dev/null 2>"/tmp/$name.err"; then
  echo "container: not started, this machine cannot run containers: $(head -1 "/tmp/$name.err")"
  exit 0
fi
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { podman logs "$name"; exit 1; }
curl -fsS -H 'Authorization: Bearer ci' "http://127.0.0.1:$port/api/v1/events" \
  -d '{"ticket":"CI-1","type":"created","at":"'"$(date -Iseconds)"'","customer":"agency-x","kind":"incident","priority":"P3"}' | grep -q '"stored":1'
podman restart "$name" >/dev/null
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
podman exec "$name" /magda-sla-bot ticket CI-1 | grep -q '"ticket":"CI-1"' || { echo "container: CI-1 lost on restart" >&2; exit 1; }
echo "container: ran as $user, database on a volume, kept across a restart"
