#!/bin/sh
# PostgreSQL with the official image's environment variables (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB,
# POSTGRES_HOST_AUTH_METHOD, PGDATA), listening on every container address, as the postgres user.
#
# The cluster is made when the image is built (`docker-entrypoint.sh make-cluster`, see the Dockerfile): initdb with
# the bootstrap superuser `postgres` and a spare database, marked unconfigured. A container's first start only
# gives it its settings, in one single-user session and one transaction: the superuser renamed to POSTGRES_USER
# with POSTGRES_PASSWORD, the spare database renamed to POSTGRES_DB (dropped when that is `postgres`), host access
# in pg_hba.conf with POSTGRES_HOST_AUTH_METHOD. The result is what `initdb -U USER` and `CREATE DATABASE DB OWNER
# USER` at the first start made before, without their cost at every new container (seconds on a busy machine).
# A PGDATA without a cluster (another PGDATA, an empty mounted volume) gets one made first; so does a container
# whose locale variables differ from the build's, as initdb takes the encoding and collation from them.
set -eu

user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
# Present while the cluster is unconfigured; holds the locale it was made with.
marker="$PGDATA/replica-unconfigured"
spare=replica_spare_database
setup_role=replica_entrypoint_setup

as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
# SQL quoting: a string literal and an identifier, their quote characters doubled.
literal() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
identifier() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
locale_settings() { printf 'LANG=%s LC_ALL=%s LC_CTYPE=%s LC_COLLATE=%s' "${LANG:-}" "${LC_ALL:-}" "${LC_CTYPE:-}" "${LC_COLLATE:-}"; }

# Runs SQL (statements each ending with a semicolon and an empty line) in a single-user session. exit_on_error
# makes the first failing statement end the session with a non-zero exit, which is fatal here.
single_user() {
  if ! output="$(printf '%s' "$1" | as_postgres postgres --single -j -D "$PGDATA" \
      -c fsync=off -c exit_on_error=on -c log_line_prefix= -c log_checkpoints=off postgres 2>&1)"; then
    echo "error: $2 failed:" >&2
    # The session prints its prompt (backend>) before each statement's messages.
    errors="$(printf '%s\n' "$output" | sed -n -E 's/^(backend> )*((ERROR|FATAL|PANIC|STATEMENT):)/\2/p')"
    printf '%s\n' "${errors:-$output}" >&2
    exit 1
  fi
}

prepare_directories() {
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
}

# initdb as `initdb -U USER --auth-local=trust --auth-host=scram-sha-256` would, with USER still `postgres`, and
# the spare database. --no-sync: the data of a throwaway environment need not survive a power cut. FILE_COPY:
# PostgreSQL 15's default strategy writes the whole template database to the WAL, several times slower here.
# fsync off in postgresql.conf for the same reason (a killed server loses nothing with it; only a crash of the
# machine would): commits and the checkpoint at every stop do not wait for the disk.
make_cluster() {
  as_postgres initdb -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 --no-sync --no-instructions >/dev/null
  printf '\n# Replica: a throwaway cluster (docker-entrypoint.sh)\nfsync = off\n' >>"$PGDATA/postgresql.conf"
  single_user "CREATE DATABASE $spare STRATEGY = FILE_COPY;

" "creating the spare database"
  locale_settings >"$marker"
}

configure_cluster() {
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != "trust" ]; then
    echo "error: POSTGRES_PASSWORD is not set; set it, or POSTGRES_HOST_AUTH_METHOD=trust" >&2
    exit 1
  fi
  case "$auth" in
    trust|reject|scram-sha-256|md5|password|gss|sspi|ident|peer|pam|ldap|radius|cert) ;;
    *) echo "error: POSTGRES_HOST_AUTH_METHOD=$auth is not an authentication method PostgreSQL knows" >&2; exit 1 ;;
  esac
  role="$(identifier "$user")"
  sql=""
  if [ "$db" = "postgres" ]; then
    # Outside the transaction (DROP DATABASE cannot run in one); IF EXISTS, so that a retry after a failure below
    # gets as far again.
    sql="DROP DATABASE IF EXISTS $spare;

"
  fi
  sql="${sql}BEGIN;

"
  if [ "$user" != "postgres" ]; then
    # No role can rename the session user: a setup role renames the bootstrap superuser and is dropped again, so
    # that USER is the only role, as after `initdb -U USER`.
    sql="${sql}CREATE ROLE $setup_role SUPERUSER;

SET SESSION AUTHORIZATION $setup_role;

ALTER ROLE postgres RENAME TO $role;

SET SESSION AUTHORIZATION $role;

DROP ROLE $setup_role;

"
  fi
  sql="${sql}ALTER ROLE $role PASSWORD $(literal "${POSTGRES_PASSWORD:-postgres}");

"
  if [ "$db" != "postgres" ]; then
    # Owned by the bootstrap superuser, now USER, as CREATE DATABASE DB OWNER USER made it.
    sql="${sql}ALTER DATABASE $spare RENAME TO $(identifier "$db");

"
  fi
  sql="${sql}COMMIT;

"
  single_user "$sql" "configuring the cluster (user $user, database $db)"
  if [ "$auth" != "scram-sha-256" ]; then
    sed -i -E "/^host/ s/scram-sha-256\$/$auth/" "$PGDATA/pg_hba.conf"
  fi
  echo "host all all all $auth" >>"$PGDATA/pg_hba.conf"
  rm -f "$marker"
  echo "initialised $PGDATA (user $user, database $db)"
}

if [ "${1:-}" = "make-cluster" ]; then
  prepare_directories
  make_cluster
  exit 0
fi
if [ "${1#-}" != "$1" ]; then
  set -- postgres "$@"
fi
if [ "$1" != "postgres" ]; then
  exec "$@"
fi
shift

prepare_directories
if [ -f "$marker" ] && [ "$(cat "$marker")" != "$(locale_settings)" ]; then
  # Made for another locale: make it again with this container's.
  find "$PGDATA" -mindepth 1 -delete
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  make_cluster
fi
if [ -f "$marker" ]; then
  configure_cluster
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*' "$@"
