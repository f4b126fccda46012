#!/usr/bin/env bash
# Whole-file input, end to end, in one run:
#   1. `agentkit chunk --max 512 --overlap 50 FILE` on a 50 MB text file (the chunking corpus concatenated
#      5 times) as a user runs it: process start, read, chunk, JSON lines out (to a file, and to /dev/null),
#      beside @langchain/textsplitters' RecursiveCharacterTextSplitter({chunkSize: 512, chunkOverlap: 50})
#      splitting the same file in a warmed-up node process (bench/peers/chunking/throughput.mjs: splitText
#      alone, without node's start, the file read or any output, so the ratio is in the peer's favour);
#      medians of RUNS runs (AGENTKIT_BENCH_REPS, default 7), their ratios, the chunk counts of both (equal)
#      and the peak RSS of both processes;
#   2. the file cache's read throughput (bench_file_input: a miss from a cold page cache, a miss from a warm
#      one, a hit; read_file alone; the istreambuf_iterator loop it replaced) beside `cat FILE >/dev/null`,
#      on the 10 MB corpus and on the 50 MB file.
# Our times come from bash's `time` (wall, user, sys; ms resolution), cat's from EPOCHREALTIME (us); both
# include fork and exec. Peak RSS is /usr/bin/time's %M of a separate run of ours and of the node process
# that did the timed splits.
# Cold reads: the file's pages are evicted before each cold read with posix_fadvise(POSIX_FADV_DONTNEED)
# (`dd iflag=nocache`; bench_file_input does the same), which needs no privileges and leaves the rest of the
# page cache alone; AGENTKIT_BENCH_DROP_CACHES=1 drops the whole page cache instead (root; it slows everyone
# else on the machine). In a VM the host may still hold the blocks: either way it is the guest's cold read.
#   bench/run-file-input.sh                   both parts (about 2 minutes on 2 busy cores, build up to date)
#   bench/run-file-input.sh --chunk           part 1 only;  --reads: part 2 only
#   AGENTKIT_BENCH_REPS=11 bench/run-file-input.sh
# Env: AGENTKIT_BENCH_DIR (Release build dir, default build/bench; examples and benchmarks are switched on
# there), AGENTKIT_JOBS (build jobs, default 2), AGENTKIT_CLI (time this agentkit binary instead of the
# build's: to compare two builds), AGENTKIT_BENCH_DROP_CACHES=1 (see cold reads).
# Needs: cmake, ninja, g++; node + `scripts/bootstrap --peers` for the peer; /usr/bin/time for peak RSS.
set -euo pipefail
export LC_ALL=C  # a '.' decimal point in EPOCHREALTIME, awk and sort
. "$(dirname "$0")/lib.sh"
cd "$AGENTKIT_ROOT"
part_chunk=1 part_reads=1
for arg in "$@"; do
  case "$arg" in
    --chunk) part_reads=0 ;;
    --reads) part_chunk=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#'; exit 0 ;;
    *) ak_die "unknown option '$arg' (see bench/run-file-input.sh --help)" ;;
  esac
done
build="$AK_BENCH_BUILD"
runs="${AGENTKIT_BENCH_REPS:-7}"
peers_dir="bench/peers/chunking"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

command -v node >/dev/null 2>&1 || ak_die "node is needed for the corpus and the peer (scripts/bootstrap installs it)"
[ -x /usr/bin/time ] || ak_die "/usr/bin/time is needed for peak RSS (Debian package: time)"
corpus="$(ak_chunking_corpus)"
big="$out/corpus-50m.txt"
for _ in 1 2 3 4 5; do cat "$corpus"; done >"$big"
big_bytes=$(stat -c %s "$big")
corpus_bytes=$(stat -c %s "$corpus")

ak_bench_build "$build" agentkit_cli bench_file_input
cli="${AGENTKIT_CLI:-$build/examples/cli/agentkit}"
chunk_args=(chunk --max 512 --overlap 50)

# time_cat FILE LOG: appends the wall time of `cat FILE >/dev/null` to LOG, in seconds (microsecond
# resolution from bash's EPOCHREALTIME: a warm 10 MB cat takes a few ms).
time_cat() {
  local t0 t1
  t0=$EPOCHREALTIME
  cat "$1" >/dev/null
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f\n", b - a}' >>"$2"
}

# median FILE: the median of the numbers in FILE (one a line; the upper one of the two middles).
median() { sort -g "$1" | awk '{v[NR] = $1} END {print v[int(NR / 2) + 1]}'; }

# time_ours DEST LABEL: RUNS timed runs of agentkit chunk on the big file, output to DEST; appends
# "wall cpu" lines (seconds) to $out/LABEL.
time_ours() {
  local dest="$1" label="$2" t
  for _ in $(seq "$runs"); do
    t=$( { TIMEFORMAT='%3R %3U %3S'; time "$cli" "${chunk_args[@]}" "$big" >"$dest"; } 2>&1 )
    awk '{printf "%s %.3f\n", $1, $2 + $3}' <<<"$t" >>"$out/$label"
  done
}

# Part 1: agentkit chunk end to end beside LangChain.
chunk_part() {
  ak_say "agentkit chunk on $big_bytes bytes, x$runs to a file and x$runs to /dev/null"
  "$cli" "${chunk_args[@]}" "$big" >"$out/chunks.jsonl"  # warm-up: the file and the binary in the page cache
  ours_chunks=$(wc -l <"$out/chunks.jsonl")
  time_ours "$out/chunks.jsonl" ours-file
  time_ours /dev/null ours-null
  /usr/bin/time -f %M -o "$out/ours.rss" "$cli" "${chunk_args[@]}" "$big" >/dev/null

  peer=0
  if [ -d "$peers_dir/node_modules/@langchain/textsplitters" ]; then
    ak_say "peer: @langchain/textsplitters RecursiveCharacterTextSplitter on the same file, x$runs"
    (cd "$peers_dir" && /usr/bin/time -f %M -o "$out/peer.rss" node throughput.mjs "$big" --runs "$runs" --which chars) >"$out/peer.json"
    peer=1
  else
    ak_say "peer skipped: run scripts/bootstrap --peers (npm install in $peers_dir)"
  fi

  awk '{print $1}' "$out/ours-file" >"$out/w-file"; awk '{print $2}' "$out/ours-file" >"$out/c-file"
  awk '{print $1}' "$out/ours-null" >"$out/w-null"; awk '{print $2}' "$out/ours-null" >"$out/c-null"
  wall_file=$(median "$out/w-file"); cpu_file=$(median "$out/c-file")
  wall_null=$(median "$out/w-null"); cpu_null=$(median "$out/c-null")
  ours_rss=$(cat "$out/ours.rss")

  echo
  echo "### agentkit chunk end to end vs LangChain splitText, $big_bytes bytes, chunk size 512 / overlap 50 (chars), median of $runs"
  echo
  echo "| | wall s (median) | CPU s (median) | chunks | peak RSS MB | wall ratio | CPU ratio |"
  echo "|---|---|---|---|---|---|---|"
  if [ "$peer" = 1 ]; then
    node -e '
      const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const [wf, cf, wn, cn, chunks, rss, prss] = process.argv.slice(2).map(Number);
      const pw = med(p.seconds), pc = med(p.cpu_seconds);
      const row = (name, w, c, n, r, ratio) => console.log(`| ${name} | ${w.toFixed(3)} | ${c.toFixed(3)} | ${n} | ${(r / 1024).toFixed(1)} | ${ratio ? (pw / w).toFixed(1) + "x" : "1"} | ${ratio ? (pc / c).toFixed(1) + "x" : "1"} |`);
      row("`agentkit chunk` > file (whole process)", wf, cf, chunks, rss, true);
      row("`agentkit chunk` > /dev/null (whole process)", wn, cn, chunks, rss, true);
      row(`LangChain splitText (in process, node ${p.node})`, pw, pc, p.chunks, prss, false);
      if (p.chunks !== chunks) console.log(`\nchunk counts differ: ours ${chunks}, LangChain ${p.chunks}`);
    ' "$out/peer.json" "$wall_file" "$cpu_file" "$wall_null" "$cpu_null" "$ours_chunks" "$ours_rss" "$(cat "$out/peer.rss")"
  else
    printf '| `agentkit chunk` > file | %s | %s | %s | %s | | |\n' "$wall_file" "$cpu_file" "$ours_chunks" "$ours_rss KB"
    printf '| `agentkit chunk` > /dev/null | %s | %s | %s | %s | | |\n' "$wall_null" "$cpu_null" "$ours_chunks" "$ours_rss KB"
  fi
}

# Part 2: whole-file reads beside cat.
reads_part() {
  # Cold reads: evict this file's pages (or, when asked, drop the whole page cache).
  if [ "${AGENTKIT_BENCH_DROP_CACHES:-0}" = 1 ]; then
    (sync && echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null || ak_die "AGENTKIT_BENCH_DROP_CACHES=1: /proc/sys/vm/drop_caches is not writable"
    cold_how="cat: page cache dropped before each read; file_cache: the file evicted with posix_fadvise(DONTNEED)"
    evict() { sync; echo 3 >/proc/sys/vm/drop_caches; }
  else
    cold_how="the file evicted from the page cache with posix_fadvise(DONTNEED) before each read"
    evict() { dd if="$1" iflag=nocache count=0 status=none; }
  fi

  echo
  echo "### Whole-file reads: file_cache beside cat, MB/s (median of $runs; cold: $cold_how)"
  echo
  echo "| file | cat cold | file_cache miss, cold | cat warm | file_cache miss, warm | read_file warm | istreambuf_iterator warm | file_cache hit |"
  echo "|---|---|---|---|---|---|---|---|"
  for f in "$corpus" "$big"; do
    bytes=$(stat -c %s "$f")
    : >"$out/cat-cold"; : >"$out/cat-warm"
    for _ in $(seq "$runs"); do
      evict "$f"
      time_cat "$f" "$out/cat-cold"
    done
    cat "$f" >/dev/null
    for _ in $(seq "$runs"); do time_cat "$f" "$out/cat-warm"; done
    AGENTKIT_FILE_INPUT="$f" "$build/bench/bench_file_input" --benchmark_repetitions="$runs" \
      --benchmark_report_aggregates_only=true --benchmark_format=json >"$out/reads.json" 2>/dev/null
    node -e '
      const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).benchmarks;
      const [bytes, catCold, catWarm, name] = [Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
      const med = (n) => b.find((x) => x.run_name.startsWith(n) && x.aggregate_name === "median");
      const mbs = (n) => { const m = med(n); return m ? (m.bytes_per_second / 1e6).toFixed(0) : "-"; };
      const hit = med("BM_FileCacheHit");
      const catMbs = (s) => (s > 0 ? (bytes / s / 1e6).toFixed(0) : "-");
      console.log(`| ${name} (${(bytes / 1e6).toFixed(1)} MB) | ${catMbs(catCold)} | ${mbs("BM_FileCacheMissCold")} | ${catMbs(catWarm)} | ` +
                  `${mbs("BM_FileCacheMissWarm")} | ${mbs("BM_ReadFileWarm")} | ${mbs("BM_IstreambufIteratorWarm")} | ` +
                  `${hit ? hit.real_time.toFixed(0) + " ns a hit" : "-"} |`);
    ' "$out/reads.json" "$bytes" "$(median "$out/cat-cold")" "$(median "$out/cat-warm")" "$(basename "$f")"
  done
  echo
  echo "(input: $corpus_bytes-byte corpus $(ak_rel "$corpus"), the 50 MB file is it 5 times; ours: $(ak_rel "$cli") ${chunk_args[*]})"
}

if [ "$part_chunk" = 1 ]; then chunk_part; fi
if [ "$part_reads" = 1 ]; then reads_part; fi
