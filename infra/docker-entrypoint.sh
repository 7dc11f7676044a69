#!/bin/sh
# The image's entry point: one image, the first argument chooses the process.
#   web       gunicorn serving the Django app (config/gunicorn.py)
#   worker    a Celery worker
#   beat      Celery beat (run exactly one)
#   metrics   Celery queue depth and outbox backlog for Prometheus (run exactly one)
#   migrate   shared schema, then every school's schema in parallel
#   manage    any manage.py command, e.g. `manage create_school --name ...`
# Anything else is run as given (e.g. `sh` for a shell in a debugging pod).
set -eu

APP_DIR=${HAVEN_APP_DIR:-$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)}
cd "$APP_DIR"
export PYTHONPATH="$APP_DIR/platform:$APP_DIR${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings}"
LOG_LEVEL=${HAVEN_LOG_LEVEL:-INFO}

command=${1:-web}
[ "$#" -gt 0 ] && shift

case "$command" in
  web)
    exec gunicorn --config python:config.gunicorn config.wsgi "$@"
    ;;
  worker)
    # One task at a time per process, acknowledged late (settings); scale with replicas.
    exec celery -A config worker --loglevel "$LOG_LEVEL" \
      --concurrency "${CELERY_CONCURRENCY:-2}" --without-gossip --without-mingle "$@"
    ;;
  beat)
    # The schedule state is disposable: beat recomputes it from settings on start.
    exec celery -A config beat --loglevel "$LOG_LEVEL" \
      --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" "$@"
    ;;
  metrics)
    exec python manage.py serve_metrics "$@"
    ;;
  migrate)
    python manage.py migrate_schemas --shared --noinput
    exec python manage.py migrate_schemas --tenant --noinput \
      --executor=multiprocessing "$@"
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
