# Yangguang (阳光采购): one image for web (gunicorn), Celery worker and Celery beat.
# Settings come from environment variables only (config/settings/production.py); see
# docker-compose.yml for the set that runs together.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    YG_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/var/media

# WeasyPrint renders PDFs with Pango and needs CJK fonts (documents/checks.py); HarfBuzz's
# subsetter keeps the embedded fonts small; gettext compiles the Chinese catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time and served by whitenoise (hashed, compressed);
# the secret is a throwaway that only lets the settings load for this step.
RUN export DJANGO_SECRET_KEY=build-only-not-secret \
    && python manage.py compilemessages \
    && python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /app yangguang \
    && mkdir -p /app/var/media \
    && chown -R yangguang /app/var

USER yangguang
EXPOSE 8000
# WEB_CONCURRENCY sets the number of gunicorn workers (gunicorn reads it itself).
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60"]
