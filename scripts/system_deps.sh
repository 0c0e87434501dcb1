#!/usr/bin/env bash
# System packages some tests need (a real browser, a PostgreSQL server, ...), from Debian's
# registry. `make test` runs this first, so a fresh machine (CI) needs nothing by hand.
# Idempotent: installs only what is missing. Not root: prints what is missing and exits 0;
# the tests that need it then fail with a message naming the package.
set -euo pipefail

# "command-to-probe:debian-package" pairs; add a line per need.
# Grading: the kernel sandbox (autograder/grading/sandbox.py) is built with bubblewrap;
# prlimit and setpriv come with util-linux. `system_deps.sh grading` installs only these.
GRADING=(
  "bwrap:bubblewrap"
  "prlimit:util-linux"
  "setpriv:util-linux"
)
NEEDS=(
  "${GRADING[@]}"
  "chromium:chromium"
  "chromedriver:chromium-driver"
  "/usr/lib/postgresql:postgresql"
  # the Japanese terms in the notebooks render as text, not boxes, in browser screenshots
  "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:fonts-noto-cjk"
  # JupyterHub's proxy (configurable-http-proxy, installed from npm by tests/deploy)
  "node:nodejs"
  "npm:npm"
)

[[ ${1:-all} == grading ]] && NEEDS=("${GRADING[@]}")
missing=()
for pair in "${NEEDS[@]}"; do
  probe=${pair%%:*}; package=${pair#*:}
  if [[ $probe == /* ]]; then [[ -e $probe ]] || missing+=("$package")
  else command -v "$probe" >/dev/null 2>&1 || missing+=("$package"); fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "[system-deps] missing (install as root: apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "[system-deps] installing ${missing[*]} from Debian's registry"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# util-linux may be named twice (prlimit, setpriv): install each package once.
apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
