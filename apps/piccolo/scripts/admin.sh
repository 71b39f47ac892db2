#!/bin/sh
# `npm run admin`: Piccolo Admin on DATABASE_URL. Builds .venv-admin from requirements-admin.lock
# once (hash-checked wheels, as every .venv here), with the shared layer and this app on its path,
# then starts admin.py.
set -e
cd "$(dirname "$0")/.."
if [ ! -x .venv-admin/bin/python ]; then
  python3 -m venv .venv-admin
  .venv-admin/bin/pip install --quiet --disable-pip-version-check --no-input --require-hashes \
    --only-binary=:all: -r requirements-admin.lock
  site=$(.venv-admin/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
  printf '%s\n%s\n' "$(cd ../../packages/py-api/src && pwd)" "$(pwd)/src" > "$site/arena-local-packages.pth"
fi
exec .venv-admin/bin/python admin.py
