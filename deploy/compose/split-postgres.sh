#!/bin/bash
# Moves an install of the earlier compose file, one "postgres" service holding the six service databases in the volume
# <project>_postgres-data, to a PostgreSQL server per service (postgres-catalog ... postgres-gateway). Once, with the
# platform stopped, from any directory:
#   docker compose -f deploy/compose/compose.yaml --env-file deploy/compose/.env stop     # the earlier file's services
#   deploy/compose/split-postgres.sh
#   docker compose -f deploy/compose/compose.yaml --env-file deploy/compose/.env up -d --remove-orphans
# Each server's volume starts as a copy of the old data directory (the same PostgreSQL 17, so the files are its own):
# the WAL position, the relay's replication slot and its offsets (kept in its own database) come along, so each relay
# resumes where it stopped, nothing relayed twice or lost. Each server then drops the other services' slots and
# databases and roles. A run cut short can be run again: a copied volume is marked and only its drops are repeated. The old
# volume is kept; remove it (docker volume rm <project>_postgres-data) once the platform runs on the new servers.
set -euo pipefail
cd "$(dirname "$0")"
project=${COMPOSE_PROJECT_NAME:-dropship}
old=${project}_postgres-data
compose=(docker compose -f compose.yaml --env-file .env)
databases=(catalog orders inventory fulfillment settlement gateway)
declare -A roles=([catalog]=catalog_service [orders]=order_service [inventory]=inventory_service
                  [fulfillment]=fulfillment_service [settlement]=settlement_service [gateway]=integration_gateway)

if ! docker volume inspect "$old" >/dev/null 2>&1; then
  echo "no volume $old: nothing to move (a new install starts with a server per service)" >&2
  exit 1
fi
if [ -n "$(docker ps -q --filter "volume=$old")" ]; then
  echo "$old is in use: stop the platform first (docker compose ... stop)" >&2
  exit 1
fi

for db in "${databases[@]}"; do
  volume=${project}_postgres-${db}-data
  # Makes the service's container and its volume (labelled as compose's own) without starting it.
  "${compose[@]}" create "postgres-$db" >/dev/null
  state=$(docker run --rm -v "$volume":/to postgres:17 \
    bash -c 'if [ -e /to/.dropship-split ]; then echo copied; elif [ -e /to/PG_VERSION ]; then echo other; else echo empty; fi')
  case $state in
    empty)
      echo "postgres-$db: copying $old ..."
      docker run --rm -v "$old":/from:ro -v "$volume":/to postgres:17 \
        bash -c 'cp -a /from/. /to/ && touch /to/.dropship-split'
      ;;
    copied)
      echo "postgres-$db: copied by an earlier run"
      ;;
    *)
      echo "postgres-$db: $volume holds a database that was not copied from $old (was the new compose file started" \
           "before this move?). If nothing was written to it, remove it (docker volume rm $volume) and run this again." >&2
      exit 1
      ;;
  esac
  "${compose[@]}" up -d --wait "postgres-$db"
  # The other services' relays' slots first: a database with a slot cannot be dropped.
  "${compose[@]}" exec -T "postgres-$db" psql -v ON_ERROR_STOP=1 -q -U postgres -d postgres -v own="$db" >/dev/null <<'SQL'
select pg_drop_replication_slot(slot_name) from pg_replication_slots
 where database <> :'own'
   and database in ('catalog', 'orders', 'inventory', 'fulfillment', 'settlement', 'gateway');
SQL
  for other in "${databases[@]}"; do
    if [ "$other" != "$db" ]; then
      "${compose[@]}" exec -T "postgres-$db" psql -v ON_ERROR_STOP=1 -q -U postgres -d postgres \
        -c "drop database if exists \"$other\" with (force)" -c "drop role if exists \"${roles[$other]}\""
    fi
  done
  echo "postgres-$db: holds $db and its role ${roles[$db]} only"
done
echo "moved: start the platform (docker compose ... up -d --remove-orphans); $old is kept until you remove it"
