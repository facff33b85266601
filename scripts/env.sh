# shellcheck shell=bash
# Source this file (". scripts/env.sh") to get the toolchain this project needs:
#   - Node.js 22 or 24. If the machine's `node` is another major version, Node 22 is
#     unpacked from the npm registry's `node-linux-<arch>` package into .tools/ (git-ignored)
#     and put first on PATH; native modules (better-sqlite3) are then built against its headers.
#   - Yarn 4 through corepack, whose `yarn` shim is installed into .tools/bin.
#   - Yarn and corepack use the registry (and CA bundle) from npm's own configuration.
# It changes nothing outside the repository.

_resilience_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

case "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" in
  22 | 24) ;;
  *)
    _resilience_node_dir="$_resilience_root/.tools/node22"
    if [ ! -x "$_resilience_node_dir/bin/node" ]; then
      case "$(uname -m)" in
        x86_64) _resilience_arch=x64 ;;
        aarch64 | arm64) _resilience_arch=arm64 ;;
        *) echo "scripts/env.sh: no Node 22 package for $(uname -m); install Node 22 or 24" >&2; return 1 ;;
      esac
      echo "scripts/env.sh: fetching Node 22 (node-linux-$_resilience_arch) into .tools/node22" >&2
      _resilience_tmp="$(mktemp -d)"
      (cd "$_resilience_tmp" && npm pack --silent "node-linux-$_resilience_arch@22" >/dev/null 2>&1) || {
        echo "scripts/env.sh: npm pack node-linux-$_resilience_arch@22 failed" >&2; return 1; }
      mkdir -p "$_resilience_node_dir"
      tar xzf "$_resilience_tmp"/node-linux-*.tgz --strip-components=1 -C "$_resilience_node_dir"
      rm -rf "$_resilience_tmp"
    fi
    export PATH="$_resilience_node_dir/bin:$PATH"
    export npm_config_nodedir="$_resilience_node_dir"
    ;;
esac

# Yarn and corepack take the registry (and its CA bundle, if any) from npm's configuration,
# so that a machine's mirror is used without being written into the repository.
_resilience_registry="$(npm config get registry 2>/dev/null | sed 's#/$##')"
if [ -n "$_resilience_registry" ]; then
  export COREPACK_NPM_REGISTRY="$_resilience_registry"
  export YARN_NPM_REGISTRY_SERVER="$_resilience_registry"
fi
_resilience_cafile="$(npm config get cafile 2>/dev/null)"
if [ -n "$_resilience_cafile" ] && [ "$_resilience_cafile" != null ] && [ "$_resilience_cafile" != undefined ]; then
  export NODE_EXTRA_CA_CERTS="$_resilience_cafile"
  export YARN_CA_FILE_PATH="$_resilience_cafile"
fi
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export YARN_ENABLE_TELEMETRY=0

# corepack ships with Node 22 and 24 installs, but neither inside the bare node-linux-* package
# nor with Node 25+: then the registry's corepack package is used. Its `yarn` shim goes into
# .tools/bin so that child processes (and `timeout yarn ...`) find it too.
_resilience_bin="$_resilience_root/.tools/bin"
if [ ! -x "$_resilience_bin/yarn" ]; then
  mkdir -p "$_resilience_bin"
  if command -v corepack >/dev/null 2>&1; then
    corepack enable --install-directory "$_resilience_bin" yarn
  else
    _resilience_cp_dir="$_resilience_root/.tools/corepack"
    mkdir -p "$_resilience_cp_dir"
    (cd "$_resilience_cp_dir" && npm pack --silent corepack >/dev/null 2>&1 && tar xzf corepack-*.tgz) || {
      echo "scripts/env.sh: could not fetch corepack" >&2; return 1; }
    node "$_resilience_cp_dir/package/dist/corepack.js" enable --install-directory "$_resilience_bin" yarn
  fi
fi
export PATH="$_resilience_bin:$PATH"
