-- What each person is told: one row per account and event (the unique key makes a redelivered event tell no one
-- twice), shown in their feed and, by their preference, e-mailed at once or in a digest. E-mail state lives on the
-- row: PENDING (due at email_next_at, claimed with a lease), DIGEST (waiting for the account's digest), SENT,
-- FAILED (gave up), NONE (feed only).
create table notification (
    id                 bigserial     primary key,
    account_id         uuid          not null references account (id),
    kind               varchar(40)   not null,
    title              varchar(300)  not null,
    body               varchar(4000) not null,
    link               varchar(500),
    subject_id         varchar(100),
    event_key          varchar(200)  not null,
    created_at         timestamptz   not null,
    read_at            timestamptz,
    email_status       varchar(10)   not null,
    email_attempts     int           not null default 0,
    email_next_at      timestamptz,
    email_lease_until  timestamptz,
    email_sent_at      timestamptz,
    email_error        varchar(1000),
    unique (account_id, event_key)
);
create index notification_feed on notification (account_id, id desc);
create index notification_unread on notification (account_id) where read_at is null;
create index notification_email_due on notification (email_next_at) where email_status = 'PENDING';
create index notification_digest_waiting on notification (account_id, created_at) where email_status = 'DIGEST';

-- A person's choice per kind: EMAIL (feed and e-mail), FEED (feed only) or OFF; IMMEDIATE or DAILY (a digest).
-- No row: the kind's default.
create table notification_preference (
    account_id  uuid         not null references account (id),
    kind        varchar(40)  not null,
    channel     varchar(10)  not null check (channel in ('EMAIL', 'FEED', 'OFF')),
    cadence     varchar(10)  not null check (cadence in ('IMMEDIATE', 'DAILY')),
    updated_at  timestamptz  not null,
    primary key (account_id, kind)
);

-- When each account was last sent its digest.
create table notification_digest (
    account_id    uuid         primary key references account (id),
    last_sent_at  timestamptz  not null
);

-- The unsubscribe link in an e-mail: an unguessable token naming the account and the kinds the e-mail was about.
create table notification_unsubscribe (
    token       uuid          primary key,
    account_id  uuid          not null references account (id),
    kinds       varchar(40)[] not null,
    created_at  timestamptz   not null,
    used_at     timestamptz
);

-- How mails to a retailer's team look: its name, logo and colour.
alter table retailer add column brand_name varchar(200);
alter table retailer add column brand_logo_url varchar(500);
alter table retailer add column brand_color varchar(7);
