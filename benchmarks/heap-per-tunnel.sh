#!/usr/bin/env bash
# Live heap and RSS per idle tunnel of `tether serve`, from glibc's malloc_stats() called in the
# running host with gdb before and after the capacity ramp of `tether-bench product`.
# Usage (from the repository root, after a release build into .build-release):
#   benchmarks/heap-per-tunnel.sh DEVICES [NAME=VALUE ...]    e.g. 2000 TETHER_TLS_RECORD_LAYER=openssl
# The live-heap column needs glibc malloc: with jemalloc (what `tether serve` links) malloc_stats
# prints nothing and only the RSS column is meaningful.
set -euo pipefail
devices=$1; shift
log=$(mktemp)
env "$@" .build-release/release/tether-bench product --devices "$devices" --rates 100 --step-seconds 1 \
    --handshake-seconds 0 --no-storm --settle 30 > "$log" 2>&1 &
bench=$!
for _ in $(seq 1 90); do grep -q "power action" "$log" && break; sleep 1; done
pid=$(head -1 "$log" | sed 's/.*(pid \([0-9]*\)).*/\1/')
data=$(head -1 "$log" | sed 's/.*data //')
inuse() {
    gdb -p "$pid" -batch -ex 'call (void)malloc_stats()' >/dev/null 2>&1 || true
    sleep 0.5
    grep -A2 "^Total" "$data/serve.log" | tail -1 | awk '{print $5}'
}
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
heap_before=$(inuse); rss_before=$(rss)
for _ in $(seq 1 300); do
    [ "$(ls "/proc/$pid/fd" | wc -l)" -ge $((devices + 30)) ] && break
    sleep 2
done
sleep 10   # past the trimmer's quiet tick
heap_after=$(inuse); rss_after=$(rss)
echo "devices=$devices $*"
echo "live heap per tunnel: $(( (${heap_after:-0} - ${heap_before:-0}) / devices )) B (0 without glibc malloc)"
echo "RSS per tunnel:       $(( (rss_after - rss_before) * 1024 / devices )) B"
wait "$bench" || true
rm -f "$log"
