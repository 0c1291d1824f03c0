-- An invitation to join a retailer's or supplier's team, or the platform's staff: the code is mailed, kept only as its
-- SHA-256, and accepting it makes the account (its e-mail confirmed by the code having reached it).
create table invitation (
    code_hash   bytea        primary key,
    email       varchar(200) not null,
    kind        varchar(20)  not null,   -- RETAILER | SUPPLIER | STAFF
    tenant_id   varchar(100),
    role        varchar(20)  not null,   -- OWNER | MEMBER | ADMIN | SUPPORT
    invited_by  varchar(200) not null,
    created_at  timestamptz  not null,
    expires_at  timestamptz  not null,
    accepted_at timestamptz
);
