#!/bin/sh
# Runs once, when the database volume is created (postgres image: /docker-entrypoint-initdb.d).
# Two roles, neither a superuser (see README, "Database roles"):
#   vib_owner  owns the database and its tables; runs the migrations (docker-compose service "migrate").
#   vib_app    what web, worker and beat log in as; after every migrate, "manage.py audit_grant_app_role"
#              gives it read/write on the tables but only INSERT and SELECT on the access log.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v owner_password="$VIB_OWNER_PASSWORD" -v app_password="$VIB_APP_PASSWORD" <<'SQL'
CREATE ROLE vib_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE vib_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
ALTER DATABASE vib OWNER TO vib_owner;
ALTER SCHEMA public OWNER TO vib_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO vib_app;
SQL
