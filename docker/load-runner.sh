#!/bin/sh
# The load runner's entry point (docker/compose.yaml): `npm run bench` against the app containers,
# which migrated their own databases when they started. The bench resets each app's database to
# this run's data set (--target-db) before measuring. Arguments go on to the bench, e.g.
#   docker compose -f docker/compose.yaml run --rm load-runner --scenarios articles,feed --rounds 5
set -eu
exec npm run bench -- --no-build --target "$ARENA_TARGETS" --target-db "$ARENA_TARGET_DATABASES" "$@"
