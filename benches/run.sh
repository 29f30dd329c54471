#!/usr/bin/env bash
# End-to-end benchmark: hkfilings against ripgrep on generated corpora.
#
#   benches/run.sh [SIZES...]        default: 10000 100000
#
# For each size it generates a corpus with the project's generator, then
# measures with the page cache warm (and cold where the machine lets us drop
# caches, saying which): `hkfilings index DIR` (walk, read, parse, index,
# checks), `rg -j2 --no-ignore -c "Balance at close" DIR` (reads every file:
# the practical floor), peak RSS of the index run, and the warm start from
# the cache. Then it runs the inner-loop benchmarks (cargo bench: parse, forms,
# scale). Prints a Markdown table for the README.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000 100000}")
# shellcheck disable=SC2206
sizes=(${sizes[@]})
work=${BENCH_DIR:-$(mktemp -d)}
command -v rg >/dev/null || { echo "benches/run.sh needs ripgrep (apt-get install -y ripgrep)" >&2; exit 1; }
cargo build --release --quiet --bin hkfilings --example gen_corpus
bin=target/release/hkfilings

can_drop=no
if [ -w /proc/sys/vm/drop_caches ] && sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then can_drop=yes; fi

secs() { # run a command, print wall seconds
  local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
  echo "$e - $s" | bc -l | xargs printf '%.2f'
}
peak_kb() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cache drop possible: $can_drop"
echo
echo "| filings | corpus MB | rg (warm) | index (warm) | ratio | warm start | peak RSS | bytes/filing | RSS/corpus | index (cold) | rg (cold) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  dir="$work/corpus-$n"
  if [ ! -d "$dir" ]; then
    # about 55 files per issuer over 36 months (returns, next day returns, announcements)
    issuers=$(( n / 55 )); [ "$issuers" -lt 1 ] && issuers=1
    target/release/examples/gen_corpus "$dir" --issuers "$issuers" --months 36 >/dev/null
    # The generator's truth and manifest are no filings: keep them beside the corpus.
    mv "$dir/truth.jsonl" "$work/truth-$n.jsonl"; mv "$dir/manifest.json" "$work/manifest-$n.json"
    # The cache leaves out files modified in the two seconds before a load
    # (their stamp could hide a later write): wait, or a just-written corpus
    # would not fill it and the warm start would parse it again.
    sleep 3
  fi
  files=$(find "$dir" -type f -name '*.txt' | wc -l)
  mb=$(du -sm --apparent-size "$dir" | cut -f1)
  # warm the page cache
  rg -j2 --no-ignore -c "Balance at close" "$dir" >/dev/null 2>&1 || true
  export HKFILINGS_CACHE_DIR="$work/cache-$n"; rm -rf "$HKFILINGS_CACHE_DIR"
  rgw=$(secs rg -j2 --no-ignore -c "Balance at close" "$dir")
  idx=$(secs "$bin" index "$dir" --no-cache)
  "$bin" index "$dir" >/dev/null 2>&1 || true   # fill the cache
  warm=$(secs "$bin" index "$dir")
  kb=$(peak_kb "$bin" index "$dir" --no-cache)
  bpf=$(( kb * 1024 / (files > 0 ? files : 1) ))
  frac=$(echo "$kb / 1024 / $mb" | bc -l | xargs printf '%.2f')
  ratio=$(echo "$idx / $rgw" | bc -l | xargs printf '%.2f')
  cold_i="n/a"; cold_r="n/a"
  if [ "$can_drop" = yes ]; then
    sync; echo 3 > /proc/sys/vm/drop_caches; cold_r=$(secs rg -j2 --no-ignore -c "Balance at close" "$dir")
    sync; echo 3 > /proc/sys/vm/drop_caches; cold_i=$(secs "$bin" index "$dir" --no-cache)
  fi
  echo "| $files | $mb | ${rgw}s | ${idx}s | ${ratio}x | ${warm}s | $(( kb / 1024 )) MB | $bpf | $frac | $cold_i | $cold_r |"
done
echo
cargo bench --quiet --bench parse 2>/dev/null | grep -v '^$' || true
cargo bench --quiet --bench forms 2>/dev/null | grep -v '^$' || true
BENCH_FILINGS=${BENCH_FILINGS:-100000} cargo bench --quiet --bench scale 2>/dev/null | grep -v '^$' || true
