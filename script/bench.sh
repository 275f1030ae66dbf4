#!/usr/bin/env bash
# npm run bench: every benchmark, each against a peer measured in the same run, printed as markdown
# (docs/benchmarks.md holds a recorded run). Starts the isolated engine and its base images first.
#   foundation  overhead beside the builds (vs plain docker build), discovery of 200 services (vs a bare YAML parse)
#   discovery   a 200-service project by our parser and by Compose v2 (vs docker compose config alone)
#   lint        1,000 Dockerfiles (vs dockerfilelint, in-process)
#   cache       cold vs warm rebuild after a one-line change, per backend, on each engine
#   walltime    a cold run of 4 services (vs the slowest alone, plain docker build one by one, bake), analysis after a one-line change, peak memory, on each engine
#   analyze     layers, compressed size, waste and contents of a ~1 GB image (vs docker save | gzip -c | wc -c), on each engine
# Pass names to run some: npm run bench -- lint foundation. IMAGE_BUDGET_ENGINES="modern" limits the
# per-engine benchmarks to one engine (default: legacy modern).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

engines=(${IMAGE_BUDGET_ENGINES:-legacy modern})
for engine in "${engines[@]}"; do
  bash script/engine --engine "$engine" start >&2
  bash script/engine --engine "$engine" base >&2
done

benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(foundation discovery lint cache analyze walltime)
echo "# image-budget benchmarks"
echo
echo "Run on $(date -u +%Y-%m-%d) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Node $(node --version)."
for bench in "${benches[@]}"; do
  case "$bench" in
    cache | analyze | walltime) per_engine=("${engines[@]}") ;;
    discovery) per_engine=(modern) ;; # Compose v2 is the peer
    *) per_engine=(legacy) ;;
  esac
  for engine in "${per_engine[@]}"; do
    (
      eval "$(bash script/engine --engine "$engine" env)"
      extra=()
      if [ "$bench" = cache ]; then
        if [ "$engine" = modern ]; then extra=(--backends inline,none,local,registry); else extra=(--backends inline,none); fi
      fi
      echo
      echo "<!-- $bench on the $engine engine: $("$IMAGE_BUDGET_DOCKER" version --format 'docker {{.Server.Version}}' 2>/dev/null) -->"
      npx tsx "script/bench/$bench.ts" "${extra[@]}"
    )
  done
done
