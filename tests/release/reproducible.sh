#!/usr/bin/env bash
# Reproducible release (issue 25): the committed HEAD, released here and in a fresh clone
# in another folder (a different path, its own empty Cargo target directory and
# wasm-opt cache), gives byte-identical artifacts: the two SHA256SUMS are equal. Also
# checks that no artifact names a folder of this machine (the source folder, the clone's,
# CARGO_HOME, HOME).
#
# Why a full second build and not a shared target directory: with one target directory
# cargo would reuse the first folder's compiled crates, so equal hashes would prove
# nothing about paths. The second build costs one cold wasm-release build of the two
# modules (about 5 minutes on the 2-core CI machine), which fits CI's time.
#
#   tests/release/reproducible.sh
#
# The first folder is always rebuilt by scripts/release (with a warm target directory
# that is an incremental build of a minute): comparing a dist/ built before a `git pull`
# with a clone of the new HEAD is what once made a pulled tree look irreproducible. Measured
# on 2026-12-07: a tree updated by `git pull` and a fresh clone of the same commit,
# both released in full, gave identical SHA256SUMS for all six files.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
say() { printf 'reproducible: %s\n' "$*" >&2; }

if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  # CI's clone is clean; a developer's work tree with changes cannot be compared with a
  # clone of HEAD.
  if [ "${CI:-}" = true ]; then say "the work tree has uncommitted changes"; exit 1; fi
  say "SKIPPED: the work tree has uncommitted changes (commit them; the second folder is a clone of HEAD)"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/survlens-repro-XXXXXX")
trap 'rm -rf "$work"' EXIT

say "1. release in $root"
SURVLENS_DIST="$work/a" scripts/release

say "2. release in a fresh clone at another path, with its own target directory"
clone="$work/elsewhere/another-folder/survlens"
git clone --quiet --no-local "$root" "$clone"
cp -a node_modules "$clone/node_modules"
touch "$clone/node_modules/.package-lock.json"  # the same packages: no npm ci
(cd "$clone" && CARGO_TARGET_DIR="$clone/target" SURVLENS_DIST="$work/b" scripts/release)

say "3. compare"
sed 's/^/  a: /' "$work/a/SHA256SUMS" >&2
if ! diff -u "$work/a/SHA256SUMS" "$work/b/SHA256SUMS"; then
  say "the two releases differ"
  exit 1
fi
(cd "$work/a" && sha256sum -c --quiet SHA256SUMS)
for f in "$work"/a/*; do
  [ -f "$f" ] || continue
  case "$f" in *.tar.gz) content() { gzip -dc "$f"; } ;; *) content() { cat "$f"; } ;; esac
  for p in "$root" "$clone" "${CARGO_HOME:-$HOME/.cargo}" "$HOME/"; do
    if content | grep -aqF -- "$p"; then say "$(basename "$f") names the local path $p"; exit 1; fi
  done
done
say "identical: SHA256SUMS $(sha256sum "$work/a/SHA256SUMS" | cut -c1-64)"
