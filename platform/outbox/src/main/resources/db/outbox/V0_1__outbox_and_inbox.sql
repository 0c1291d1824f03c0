-- Shared by every service (platform-outbox). Services list db/outbox in quarkus.flyway.locations and
-- number their own migrations from V1.

-- Debezium's outbox table shape. aggregatetype is the topic the event goes to; aggregateid is the Kafka key.
create table outbox_event (
    id            uuid         primary key,
    aggregatetype varchar(255) not null,
    aggregateid   varchar(255) not null,
    type          varchar(255) not null,
    payload       jsonb        not null,
    occurredat    timestamptz  not null default now()
);
create index outbox_event_occurredat on outbox_event (occurredat);

-- Only inserts are decoded: the relay's retention clean-up deletes old rows without publishing anything.
create publication dropship_outbox for table outbox_event with (publish = 'insert');

-- Idempotent consumers: one row per (consumer, event id), written in the same transaction as the effect.
create table consumed_event (
    consumer    varchar(200) not null,
    event_id    varchar(100) not null,
    consumed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
