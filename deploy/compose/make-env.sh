#!/bin/bash
# Writes deploy/compose/.env with fresh secrets for a single-host install: database passwords, the RS256 key pair the
# platform's tokens are signed with, the key that seals stored credentials, Grafana's admin password. Stripe's keys
# you add yourself (test mode: sk_test_..., and your webhook endpoint's whsec_...). Never commit the result.
set -euo pipefail
cd "$(dirname "$0")"
if [ -e .env ]; then echo ".env exists; remove it first to make new secrets" >&2; exit 1; fi
key=$(mktemp); trap 'rm -f "$key"' EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null
one_line() { tr -d '\n'; }
umask 077
cat > .env <<ENV
DROPSHIP_DB_ADMIN_PASSWORD=$(openssl rand -hex 24)
DROPSHIP_DB_PASSWORD=$(openssl rand -hex 24)
DROPSHIP_JWT_PRIVATE_KEY=$(one_line < "$key")
DROPSHIP_JWT_PUBLIC_KEY=$(openssl pkey -in "$key" -pubout | one_line)
DROPSHIP_CRYPTO_KEY=$(openssl rand -base64 32)
DROPSHIP_GRAFANA_PASSWORD=$(openssl rand -hex 12)
DROPSHIP_STRIPE_SECRET_KEY=
DROPSHIP_STRIPE_WEBHOOK_SECRET=
DROPSHIP_FIRST_ADMIN=
ENV
echo "wrote $(pwd)/.env: add your Stripe keys (and DROPSHIP_FIRST_ADMIN, your e-mail) before 'docker compose up'"
