# Production image: only the runtime lock (no test or lint tools), ffmpeg from Debian, gunicorn for the web.
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir uv==0.13.9 && uv pip install --system --no-cache -r requirements.lock
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v0 \
 && SECRET_KEY=build-only python manage.py collectstatic --no-input -v0
RUN useradd --system --uid 1000 vib && mkdir -p /data && chown vib /data
USER vib
EXPOSE 8000
CMD ["gunicorn", "vibplatform.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
