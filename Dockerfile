# One image for web, worker, beat and migrate (docker-compose.yml).
FROM node:20-bookworm-slim AS pwa
WORKDIR /src/frontend_pwa
COPY frontend_pwa/ ./
RUN if [ -f package.json ]; then npm ci --no-audit --no-fund && npm run build; else mkdir -p dist; fi

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/jsc
COPY requirements/base.lock requirements/base.lock
RUN pip install -r requirements/base.lock
COPY backend/ backend/
COPY --from=pwa /src/frontend_pwa/dist frontend_pwa/dist
RUN python -m whitenoise.compress --quiet --no-brotli frontend_pwa/dist
RUN useradd --system --home /srv/jsc jsc && mkdir -p var/media var/static && chown -R jsc var
USER jsc
WORKDIR /srv/jsc/backend
RUN DEBUG=1 python manage.py collectstatic --noinput -v0
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4"]
