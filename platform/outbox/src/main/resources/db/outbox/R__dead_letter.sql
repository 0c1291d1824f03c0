-- Every record this service's consumers dead-lettered, read back from their dead-letter topics by
-- DeadLetterRecorder: the index ops list, read and replay from. The topic stays the source; the row adds a status.
-- Repeatable with "if not exists", so databases migrated before it get it too.
create table if not exists dead_letter (
    id            bigserial     primary key,
    consumer      varchar(300)  not null,
    dlt_topic     varchar(300)  not null,
    dlt_partition int           not null,
    dlt_offset    bigint        not null,
    topic         varchar(300)  not null,
    record_key    text,
    value         text,
    headers       jsonb         not null,
    event_id      varchar(100),
    event_type    varchar(200),
    reason        text,
    dead_at       timestamptz   not null,
    status        varchar(20)   not null,
    replays       int           not null default 0,
    resolved_at   timestamptz,
    resolved_by   varchar(200),
    note          varchar(1000),
    unique (dlt_topic, dlt_partition, dlt_offset)
);
create index if not exists dead_letter_status on dead_letter (status, consumer, id);
