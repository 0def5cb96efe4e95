#!/bin/sh
# run-fuzzer.sh: fuzz one target for a while on a fresh copy of its corpus (the 30 s CI run)
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: run-fuzzer.sh FUZZER NAME SOURCE-DIR WORK-DIR SECONDS
set -eu
fuzzer=$1 name=$2 src=$3 work=$4 seconds=$5
# meson may pass the fuzzer relative to the build directory; it is run
# from the work directory below.
case "$fuzzer" in
  /*) ;;
  *) fuzzer="$(pwd)/$fuzzer" ;;
esac

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$src/corpus/$name/"* "$work/corpus/"
cd "$work"
# One job, one worker: one core. libFuzzer then writes the run to fuzz-0.log.
# New inputs go to the first directory, the copy; the regressions are read.
rc=0
"$fuzzer" -max_total_time="$seconds" -jobs=1 -workers=1 -print_final_stats=1 \
  -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$src/regressions/$name" || rc=$?
cat fuzz-0.log 2>/dev/null || true
ls "$work/artifacts/" >&2
exit $rc
