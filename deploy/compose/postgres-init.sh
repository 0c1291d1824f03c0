#!/bin/bash
# The service's login role and database on its own server, as in its CloudNativePG cluster: the role owns the database
# and has REPLICATION for its outbox relay's logical replication slot. compose.yaml names them per server
# (DROPSHIP_DB_ROLE, DROPSHIP_DB_NAME). Runs once, on an empty data directory.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username postgres -v role="$DROPSHIP_DB_ROLE" -v db="$DROPSHIP_DB_NAME" \
     -v pw="$DROPSHIP_DB_PASSWORD" <<'SQL'
create role :"role" with login replication password :'pw';
create database :"db" owner :"role";
SQL
