# Shared set-up for the quick-start scripts: a venv with the package, Node.js from PyPI, npm for Reflex.
# Nothing here downloads from outside the package registries (no bun, no Playwright browser download).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export REFLEX_USE_NPM=1
export REFLEX_TELEMETRY_ENABLED=false
export PIP_DISABLE_PIP_VERSION_CHECK=1
PYTHON="${PYTHON:-python3}"

ensure_venv() {
  local extras="${1:-}"
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
  fi
  export PATH="$ROOT/.venv/bin:$PATH"
  local stamp=".venv/.onestop-installed${extras:+-$extras}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    python -m pip install -q --upgrade pip
    if [ -n "$extras" ]; then
      python -m pip install -q -e ".[$extras]"
    else
      python -m pip install -q -e .
    fi
    touch "$stamp"
  fi
}

as_root() {
  if [ "$(id -u)" = "0" ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

ensure_chromium() {
  # Debian's chromium for the browser tests, and poppler-utils' pdftotext, which reads issued PDFs the way a
  # citizen's viewer does (tests/unit/test_documents.py checks the results' particulars with it).
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian's ${missing[*]} for the tests…"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

postgres_reachable() {
  "$ROOT/.venv/bin/python" - "$1" <<'PY' >/dev/null 2>&1
import sys, sqlalchemy as sa
sa.create_engine(sys.argv[1]).connect().close()
PY
}

redis_reachable() {
  "$ROOT/.venv/bin/python" - "$1" <<'PY' >/dev/null 2>&1
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
PY
}
