#!/usr/bin/env bash
# Fuzzing with libFuzzer (docs/reliability.md).
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options]   fuzz one target (a few at a time: each takes a core)
#   scripts/fuzz.sh all SECONDS [JOBS]                    every target in turn, JOBS (2) at a time
#   scripts/fuzz.sh merge TARGET                          what fuzzing found beyond the seeds, minimised, into the committed corpus
#   scripts/fuzz.sh seeds                                 make seeds from captures/ and the TLS fixtures
#   scripts/fuzz.sh build                                 only build
#
# The libFuzzer build (.build-fuzz) instruments every Swift module with AddressSanitizer and
# coverage, and links libFuzzer's driver without its main (grpcdump-fuzz has its own, which names
# the target). The committed corpus is one archive per target (Tests/FuzzCorpusTests/Corpus/
# TARGET.corpus.gz, replayed by the tests). Work lives in .fuzz/: corpus/TARGET (what fuzzing
# added), committed/TARGET (the archive unpacked), seeds/TARGET, findings/TARGET (crashes,
# timeouts, leaks, out-of-memory inputs), logs/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")/.."

swiftc_path=$(readlink -f "$(command -v swiftc)")
runtime="$(dirname "$swiftc_path")/../lib/swift/clang/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a"
binary=.build-fuzz/release/grpcdump-fuzz
committed=Tests/FuzzCorpusTests/Corpus

build() {
    [ -f "$runtime" ] || { echo "fuzz.sh: libFuzzer's runtime is not in this toolchain ($runtime)" >&2; exit 2; }
    swift build -c release --product grpcdump-fuzz --build-path .build-fuzz \
        -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
        -Xswiftc -DFUZZING -Xlinker "$runtime" -Xlinker -lstdc++ 2>&1 | grep -v "Cannot export local symbol" || true
    [ -x "$binary" ] || { echo "fuzz.sh: the build failed" >&2; exit 2; }
}

# The committed archive of TARGET, unpacked into .fuzz/committed/TARGET.
unpack() {
    rm -rf ".fuzz/committed/$1"
    if [ -f "$committed/$1.corpus.gz" ]; then "$binary" unpack "$committed/$1.corpus.gz" ".fuzz/committed/$1"; fi
}

seeds() {
    local args=() capture keys
    for capture in captures/*.pcap captures/*.pcapng Tests/TLSTests/Fixtures/*.pcap; do
        keys="${capture%.pcap}.keys"
        if [ -f "$keys" ]; then args+=("$capture=$keys"); else args+=("$capture"); fi
    done
    for file in $(find dissectors -name '*.proto' | sort); do args+=(--proto "$file"); done
    for file in captures/*.keys Tests/TLSTests/Fixtures/*.keys; do args+=(--keylog "$file"); done
    rm -rf .fuzz/seeds
    "$binary" seed .fuzz/seeds "${args[@]}"
}

case "${1:-}" in
build) build ;;
all)
    seconds=${2:?usage: scripts/fuzz.sh all SECONDS [JOBS]}
    build
    [ -d .fuzz/seeds ] || seeds
    "$binary" list | FUZZ_BUILT=1 xargs -P "${3:-2}" -I{} sh -c "echo '== {}'; '$0' {} $seconds"
    ;;
seeds) build; seeds ;;
merge)
    target=${2:?usage: scripts/fuzz.sh merge TARGET}
    [ -x "$binary" ] || build
    merged=$(mktemp -d)
    unpack "$target"
    [ -d .fuzz/seeds ] || seeds
    # The seeds go in first, so that only inputs reaching beyond them are kept; they are left
    # out of the archive (made again from the repository's captures by `seeds`).
    cp ".fuzz/seeds/$target"/* "$merged"/ 2>/dev/null || true
    dirs=()
    for dir in ".fuzz/committed/$target" ".fuzz/corpus/$target"; do [ -d "$dir" ] && dirs+=("$dir"); done
    "$binary" "$target" -merge=1 -rss_limit_mb=2048 -timeout=5 "$merged" "${dirs[@]}" 2>&1 | grep -E "MERGE-OUTER: [0-9]+ new files" || true
    rm -f "$merged"/seed-*
    mkdir -p "$committed"
    # Committed small: the smallest inputs, 512 KiB of them at most.
    "$binary" pack "$merged" "$committed/$target.corpus.gz" $((512 << 10))
    echo "$target: $(ls "$merged" | wc -l) inputs merged, $(stat -c %s "$committed/$target.corpus.gz") bytes committed"
    rm -rf "$merged"
    ;;
""|-h|--help) sed -n 2,14p "$0"; exit 0 ;;
*)
    target=$1 seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
    shift 2
    [ -n "${FUZZ_BUILT:-}" ] || build
    [ -d .fuzz/seeds ] || seeds
    mkdir -p ".fuzz/corpus/$target" ".fuzz/findings/$target" .fuzz/logs
    unpack "$target"
    dirs=(".fuzz/corpus/$target")
    for dir in ".fuzz/committed/$target" ".fuzz/seeds/$target"; do [ -d "$dir" ] && dirs+=("$dir"); done
    # Goals (docs/reliability.md): no input over 1 s, memory under 2 GB, no leak. Inputs over
    # 1 s are reported as slow units; only 5 s stops the run (on a loaded machine, ASan's
    # quarantine recycling alone can stall an input past 1 s).
    ASAN_OPTIONS=detect_leaks=1 "$binary" "$target" -max_total_time="$seconds" -timeout=5 -report_slow_units=1 -rss_limit_mb=2048 \
        -max_len=16384 -print_final_stats=1 -artifact_prefix=".fuzz/findings/$target/" "$@" "${dirs[@]}" \
        > ".fuzz/logs/$target.log" 2>&1 || true
    grep -E "^#[0-9]+.*(DONE|pulse)|stat::|Slowest unit|ERROR|SUMMARY|Test unit written" ".fuzz/logs/$target.log" | tail -9
    # Every run's executions and coverage, kept across runs (docs/reliability.md's figures).
    printf '%s %s executions=%s %s\n' "$(date -u +%FT%TZ)" "$target" \
        "$(grep -h stat::number_of_executed_units ".fuzz/logs/$target.log" | tail -1 | awk '{print $2}')" \
        "$(grep -hoE "cov: [0-9]+ ft: [0-9]+" ".fuzz/logs/$target.log" | tail -1)" >> .fuzz/ledger.txt
    ls ".fuzz/findings/$target" | sed "s|^|finding: .fuzz/findings/$target/|"
    ;;
esac
