-- Callback signing secrets are sealed (AES-256-GCM, with the id of the key, like the gateway's store secrets):
-- signing_secret_sealed holds them; the plain column empties as the service seals the rows it finds there at start.
alter table supplier_callback add column signing_secret_sealed bytea;
alter table supplier_callback alter column signing_secret drop not null;
