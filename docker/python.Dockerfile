# syntax=docker/dockerfile:1
#
# One Dockerfile for every Python app (an arena.json with "runtime": "python"), with the app as a
# build argument; docker/Dockerfile builds the Node apps and the load runner:
#
#   docker build -f docker/python.Dockerfile --build-arg APP=asyncpg -t orm-arena/asyncpg .   # from the repository root
#
# The image holds what `npm run build` (scripts/python/build-venv.mjs) makes of the app: a .venv
# from its hashed requirements.lock (wheels only), and the repository's own Python (the shared
# layer packages/py-api and the app) on the .venv's path by a .pth file, at the paths they have in
# the repository, so the manifest's commands run unchanged in the app's folder. No Node: the image
# serves DATABASE_URL, never an embedded PostgreSQL. scripts/test/docker.test.ts checks this file
# against the apps' manifests.

# The Python the locks are resolved for (`uv pip compile --python-version 3.11`): their wheels are
# cp311 builds. The minor version is the pin; the test holds it to the locks' headers.
ARG PYTHON_IMAGE=python:3.11-slim

# 1. The .venv, from the lock alone first (a layer that survives source edits), then the sources.
FROM ${PYTHON_IMAGE} AS build
ARG APP
RUN test -n "${APP}" || (echo "--build-arg APP=<app> is required (an apps/<app>/arena.json name)" && exit 1)
WORKDIR /arena/apps/${APP}
COPY apps/${APP}/requirements.lock ./
RUN python -m venv .venv \
  && .venv/bin/pip install --no-cache-dir --disable-pip-version-check --no-input \
    --require-hashes --only-binary=:all: -r requirements.lock
COPY packages/py-api/pyproject.toml /arena/packages/py-api/
COPY packages/py-api/src /arena/packages/py-api/src
COPY apps/${APP} ./
# A migrations folder outside the app (the Python baseline applies apps/pg's SQL files), from the
# manifest, at its repository path; one inside the app came with it.
RUN --mount=type=bind,target=/context \
  dir="$(realpath -m "$(.venv/bin/python -c 'import json; print(json.load(open("arena.json"))["migrations"]["directory"])')")" \
  && case "${dir}" in "/arena/apps/${APP}"/*) ;; \
    *) mkdir -p "${dir}" && cp -R "/context/${dir#/arena/}/." "${dir}/" ;; \
  esac \
  && test -d "${dir}"
# What an editable install leaves behind, without building anything (as build-venv.mjs does).
RUN printf '%s\n' /arena/packages/py-api/src "/arena/apps/${APP}/src" \
    > "$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/arena-local-packages.pth" \
  && .venv/bin/python -c "import arena_api, arena_${APP}.migrate"

# 2. The production image (the last stage, so the default target): Python, the .venv and the
#    sources at the same paths (a venv does not move), run by an unprivileged user.
FROM ${PYTHON_IMAGE} AS app
ARG APP
ENV NODE_ENV=production \
  PORT=3000 \
  APP=${APP} \
  PYTHONDONTWRITEBYTECODE=1 \
  PYTHONUNBUFFERED=1
# A numeric user, so that an orchestrator's "run as non-root" check can verify it.
RUN groupadd --system --gid 10001 arena \
  && useradd --system --uid 10001 --gid arena --no-create-home --shell /usr/sbin/nologin arena
COPY --from=build /arena /arena
WORKDIR /arena/apps/${APP}
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=5 \
  CMD [".venv/bin/python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=2)"]
# Migrate with the app's own tool (idempotent: applied migrations are skipped), then serve: the
# manifest's migrate and start commands.
CMD ["sh", "-c", ".venv/bin/python -m \"arena_${APP}.migrate\" && exec .venv/bin/python -m \"arena_${APP}\""]
