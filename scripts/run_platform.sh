#!/usr/bin/env bash
# Starts the web server and the background worker (with the scheduler) together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY -m celery -A vibplatform worker --beat --loglevel=INFO --concurrency=2 \
  --schedule=.data/celerybeat-schedule &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
PORT="${PORT:-8000}"  # SITE_URL follows it (see settings.py)
echo "Platform: http://127.0.0.1:$PORT/  (worker pid $worker)"
$PY manage.py runserver "127.0.0.1:$PORT"
