#!/usr/bin/env bash
# Compile-time benchmark: how long one translation unit that uses agentkit takes to compile, and what it pulls
# in. Each TU of bench/compile/ is compiled on its own (-c, nothing else running from this script), one at a
# time, with the include paths and defines of the CMake target a user would link:
#   chunker.cpp, cache.cpp, readme_agent.cpp   agentkit::agentkit
#   quickstart.cpp (examples/quickstart)       agentkit::http+sqlite, fmt  -DAGENTKIT_HAS_HTTP=1 -DAGENTKIT_HAS_SQLITE=1 -DFMT_SHARED
#   full_agent.cpp                             agentkit::http+sqlite, fmt  + -DAGENTKIT_HAS_SQLITE=1 -DSQLITE_ENABLE_COLUMN_METADATA
# and always: -std=gnu++20 -I include -Wall -Wextra -Wpedantic -Werror (as build/dev/compile_commands.json).
# Two build modes (docs/packaging.md): header-only (the default a user gets) and separate, where every TU is
# compiled with -DAGENTKIT_SEPARATE_COMPILATION (as the CMake option makes it) and the compiled parts, the
# library sources src/agentkit.cpp, src/transport_http.cpp and src/sqlite.cpp, are measured too: rows
# lib_agentkit, lib_http and lib_sqlite, compiled once per build, not per TU.
#
# Usage: bench/compile/run.sh [options]
#   -c "g++ clang++"   compilers (default: g++ clang++)
#   -O "0 2"           optimisation levels, each passed as -O<level> (default: 0 2)
#   -r N               runs per (compiler, level, TU); the table quotes medians (default: 1)
#   -t "chunker ..."   TUs, file names without .cpp (default: chunker cache readme_agent quickstart full_agent)
#   -m "header-only separate"  build modes (default: both)
#   -x "flags"         extra flags for every compile, e.g. -x -g to measure a Debug build's debug info
#   -I dir             agentkit's include directory (default: include/ of this tree); e.g. a patched copy,
#                      to measure a change to the headers before making it
#   -n                 skip the preprocessed-lines / headers-per-library table
#   -h                 this help
#
# Output (stdout): two markdown tables.
#   1. CPU seconds (user + sys of the compiler and its children, /usr/bin/time %U + %S) and peak RSS (%M) of
#      `<cxx> <flags> -O<level> -c <tu>`; the median over the runs.
#   2. Per compiler (at the first level of -O): lines of `-E` output (`| wc -l`, line markers included) and
#      the number of distinct headers per library, from `-M` (each header counted once; range-v3 includes its
#      meta/ and concepts/; x86 intrinsics are <immintrin.h> and the *intrin.h it includes).
# Progress and the machine's load (`uptime`) at the start and end go to stderr; on a shared machine, re-run
# any row that looks off (-t <tu> -c <cxx> -O <level>).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
compilers="g++ clang++"
levels="0 2"
runs=1
tus="chunker cache readme_agent quickstart full_agent"
extra=""
include_dir="$root/include"
headers_table=1
modes="header-only separate"

while getopts "c:O:r:t:x:I:m:nh" opt; do
  case $opt in
    c) compilers=$OPTARG ;;
    O) levels=$OPTARG ;;
    r) runs=$OPTARG ;;
    t) tus=$OPTARG ;;
    x) extra=$OPTARG ;;
    I) include_dir=$(cd "$OPTARG" && pwd) ;;
    m) modes=$OPTARG ;;
    n) headers_table=0 ;;
    h) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) exit 2 ;;
  esac
done
[[ -x /usr/bin/time ]] || { echo "run.sh: needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: -r takes a positive number" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/agentkit-compile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

common=(-std=gnu++20 -I "$include_dir" -Wall -Wextra -Wpedantic -Werror)
tu_flags() {
  case $1 in
    quickstart) echo "-DAGENTKIT_HAS_HTTP=1 -DAGENTKIT_HAS_SQLITE=1 -DSQLITE_ENABLE_COLUMN_METADATA -DFMT_SHARED" ;;
    lib_http) echo "-DAGENTKIT_HAS_HTTP=1" ;;
    full_agent) echo "-DAGENTKIT_HAS_HTTP=1 -DAGENTKIT_HAS_SQLITE=1 -DSQLITE_ENABLE_COLUMN_METADATA -DFMT_SHARED" ;;
    lib_sqlite) echo "-DAGENTKIT_HAS_SQLITE=1 -DSQLITE_ENABLE_COLUMN_METADATA" ;;
    *) echo "" ;;
  esac
}
mode_flags() { [[ $1 == separate ]] && echo "-DAGENTKIT_SEPARATE_COMPILATION" || echo ""; }
# The source of a TU: bench/compile/<tu>.cpp, or for lib_<part> the library source src/<part>.cpp.
tu_source() {
  case $1 in
    lib_agentkit) echo "$root/src/agentkit.cpp" ;;
    lib_http) echo "$root/src/transport_http.cpp" ;;
    lib_sqlite) echo "$root/src/sqlite.cpp" ;;
    *) echo "$here/$1.cpp" ;;
  esac
}

# median of the numbers on stdin
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }

echo "load at start: $(uptime)" >&2
echo "include directory: $include_dir" >&2
results=()
for mode in $modes; do
 [[ $mode == header-only || $mode == separate ]] || { echo "run.sh: -m takes header-only and/or separate" >&2; exit 2; }
 mode_tus=$tus
 [[ $mode == separate ]] && mode_tus="$tus lib_agentkit lib_http lib_sqlite"
 for cxx in $compilers; do
  command -v "$cxx" >/dev/null || { echo "run.sh: $cxx not found" >&2; exit 1; }
  for level in $levels; do
    for tu in $mode_tus; do
      src=$(tu_source "$tu")
      [[ -f $src ]] || { echo "run.sh: no $src" >&2; exit 1; }
      : > "$tmp/runs"
      for ((i = 1; i <= runs; ++i)); do
        # shellcheck disable=SC2046,SC2086
        if ! /usr/bin/time -o "$tmp/time" -f "%U %S %M" "$cxx" "${common[@]}" $(mode_flags "$mode") $(tu_flags "$tu") \
               -O"$level" $extra -c "$src" -o "$tmp/out.o" 2> "$tmp/err"; then
          cat "$tmp/err" >&2
          echo "run.sh: $cxx -O$level $tu ($mode) failed to compile" >&2
          exit 1
        fi
        tail -n 1 "$tmp/time" >> "$tmp/runs"
        echo "  $mode $cxx -O$level $tu: $(tail -n 1 "$tmp/time" | awk '{printf "%.2f s, %.0f MB", $1 + $2, $3 / 1024}')" >&2
      done
      cpu=$(awk '{printf "%.2f\n", $1 + $2}' "$tmp/runs" | median)
      rss=$(awk '{printf "%.0f\n", $3 / 1024}' "$tmp/runs" | median | awk '{printf "%.0f", $1}')
      results+=("| $tu | $mode | $cxx | -O$level | $cpu | $rss | $runs |")
    done
  done
 done
done
echo "load at end: $(uptime)" >&2

echo "| TU | mode | compiler | opt | CPU s (user+sys, median) | peak RSS MB (median) | runs |"
echo "|---|---|---|---|---:|---:|---:|"
printf '%s\n' "${results[@]}"

[[ $headers_table == 1 ]] || exit 0
first_level=${levels%% *}
echo
echo "| TU | mode | compiler | pp lines (-E) | headers | agentkit | std | Hana | Asio | Beast | OpenSSL | RapidJSON | fmt | range-v3 | SQLiteCpp | other Boost | x86 intrinsics | other (libc, ...) |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for mode in $modes; do
 for cxx in $compilers; do
  for tu in $tus; do
    src=$(tu_source "$tu")
    # shellcheck disable=SC2046,SC2086
    lines=$("$cxx" "${common[@]}" $(mode_flags "$mode") $(tu_flags "$tu") -O"$first_level" $extra -E "$src" | wc -l)
    # shellcheck disable=SC2046,SC2086
    "$cxx" "${common[@]}" $(mode_flags "$mode") $(tu_flags "$tu") -O"$first_level" $extra -M "$src" -MF "$tmp/deps"
    sed 's/\\$//' "$tmp/deps" | tr ' ' '\n' | sed '/:$/d' | grep -v '^$' | grep -v "/bench/compile/\|/examples/" \
      | xargs -r realpath -m | sort -u > "$tmp/headers"
    awk -v tu="$tu" -v mode="$mode" -v cxx="$cxx" -v lines="$lines" '
      { n++ }
      /\/include\/agentkit\//            { c["agentkit"]++; next }
      /\/boost\/hana[\/.]/               { c["hana"]++; next }
      /\/boost\/asio[\/.]/               { c["asio"]++; next }
      /\/boost\/beast[\/.]/              { c["beast"]++; next }
      /\/boost\//                        { c["boost"]++; next }
      /\/openssl\//                      { c["openssl"]++; next }
      /\/rapidjson\//                    { c["rapidjson"]++; next }
      /\/fmt\//                          { c["fmt"]++; next }
      /\/range\/v3\/|\/meta\/meta|\/concepts\/concepts|\/std\/detail\/associated_types/ { c["range"]++; next }
      /\/SQLiteCpp\//                    { c["sqlitecpp"]++; next }
      /\/c\+\+\/[0-9]+\// || /\/c\+\+\/v1\// { c["std"]++; next }
      /intrin\.h$|\/mm_malloc\.h$|\/mm3dnow\.h$/ { c["intrin"]++; next }
      { c["other"]++ }
      END {
        printf "| %s | %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", tu, mode, cxx, lines, n,
               c["agentkit"], c["std"], c["hana"], c["asio"], c["beast"], c["openssl"], c["rapidjson"], c["fmt"],
               c["range"], c["sqlitecpp"], c["boost"], c["intrin"], c["other"]
      }' "$tmp/headers"
  done
 done
done
