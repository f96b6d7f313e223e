#!/usr/bin/env bash
# Builds the guest corpus listed in guests.json into bin/<name>.<libc>:
#   glibc: gcc -O2 -static -no-pie -s      musl: musl-gcc -O2 -static -no-pie -s
# Usage: tests/guests/build.sh [guest names...]   (then regenerate goldens with make_golden.ts)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
mkdir -p bin
flags=(-O2 -static -no-pie -s -Wall -Wextra -Werror)
builds="$(deno run --allow-read list_builds.ts "$@")"
while read -r name libc source; do
  case "$libc" in
    glibc) cc=gcc ;;
    musl) cc=musl-gcc ;;
    *) echo "build.sh: unknown libc $libc" >&2; exit 1 ;;
  esac
  command -v "$cc" >/dev/null || { echo "build.sh: $cc not found (musl-gcc: apt install musl-tools)" >&2; exit 1; }
  "$cc" "${flags[@]}" -o "bin/$name.$libc" "src/$source" -lm # -lm: glibc keeps libm apart
  printf '%-34s %7d bytes\n' "bin/$name.$libc" "$(stat -c %s "bin/$name.$libc")"
done <<<"$builds"
