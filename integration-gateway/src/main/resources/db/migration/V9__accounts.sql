-- People who sign in: retailers' and suppliers' team members, and platform staff. A retailer is a record of its own
-- (company, plan, status); a supplier's record is catalog-service's.
create table retailer (
    id            varchar(100) primary key,
    company       varchar(200) not null,
    contact_email varchar(200) not null,
    status        varchar(20)  not null,   -- ACTIVE | SUSPENDED
    status_reason varchar(500),
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null
);

create table account (
    id                uuid         primary key,
    email             varchar(200) not null,
    password_hash     varchar(200) not null,
    kind              varchar(20)  not null,   -- RETAILER | SUPPLIER | STAFF
    tenant_id         varchar(100),            -- the retailer's or supplier's id; null for staff
    role              varchar(20)  not null,   -- OWNER | MEMBER (a tenant's), ADMIN | SUPPORT (staff)
    name              varchar(200),
    email_verified_at timestamptz,
    failed_sign_ins   int          not null default 0,
    locked_until      timestamptz,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null
);
create unique index account_email on account (lower(email));
create index account_tenant on account (kind, tenant_id);

-- One-time codes sent by mail (verify an e-mail, reset a password), kept only as their SHA-256.
create table account_code (
    code_hash  bytea        primary key,
    account_id uuid         not null references account (id),
    purpose    varchar(20)  not null,   -- VERIFY_EMAIL | RESET_PASSWORD
    expires_at timestamptz  not null,
    used_at    timestamptz
);

-- A signed-in session: its current refresh token (SHA-256), rotated on every refresh. A refresh token presented again
-- after it was rotated away means it was stolen or replayed: the session is revoked.
create table auth_session (
    id             uuid         primary key,
    account_id     uuid         not null references account (id),
    refresh_hash   bytea        not null unique,
    created_at     timestamptz  not null,
    refreshed_at   timestamptz  not null,
    expires_at     timestamptz  not null,
    revoked_at     timestamptz,
    revoked_reason varchar(200),
    client_address varchar(64),
    user_agent     varchar(300)
);
create index auth_session_account on auth_session (account_id) where revoked_at is null;

create table auth_refresh_used (
    refresh_hash bytea        primary key,
    session_id   uuid         not null references auth_session (id),
    used_at      timestamptz  not null
);
