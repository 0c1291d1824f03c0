-- Each reconciliation mismatch announced once (ReconciliationMismatch), however often the watch finds it again and
-- however many instances run the watch.
create table reconciliation_alert (
    day         date          not null,
    kind        varchar(40)   not null,
    reference   varchar(200)  not null,
    found_at    timestamptz   not null,
    primary key (day, kind, reference)
);
