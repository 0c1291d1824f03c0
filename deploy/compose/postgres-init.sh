#!/bin/bash
# A database and a login role per service, as in the CloudNativePG cluster: the role owns its database and has
# REPLICATION for its outbox relay's logical replication slot. Runs once, on an empty data directory.
set -euo pipefail
for pair in catalog_service:catalog order_service:orders inventory_service:inventory fulfillment_service:fulfillment \
            settlement_service:settlement integration_gateway:gateway; do
  role=${pair%%:*}
  db=${pair##*:}
  psql -v ON_ERROR_STOP=1 --username postgres -v role="$role" -v db="$db" -v pw="$DROPSHIP_DB_PASSWORD" <<'SQL'
create role :"role" with login replication password :'pw';
create database :"db" owner :"role";
SQL
done
