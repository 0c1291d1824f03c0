-- What a supplier lets stores show of its stock, and when it counts as low. A supplier without a row has the
-- defaults (dropship.inventory.show-percent, dropship.inventory.low-stock-threshold).
create table stock_policy (
    supplier_id         varchar(40) primary key,
    show_percent        integer check (show_percent between 0 and 100),
    low_stock_threshold integer check (low_stock_threshold between 0 and 1000000),
    updated_at          timestamptz not null
);

-- A supplier's stock feed: a CSV or JSON file over HTTP that the platform fetches on the supplier's interval.
create table stock_feed (
    supplier_id       varchar(40)   primary key,
    url               varchar(2000) not null,
    format            varchar(10)   not null check (format in ('CSV', 'JSON')),
    interval_minutes  integer       not null check (interval_minutes between 1 and 1440),
    enabled           boolean       not null,
    next_run_at       timestamptz   not null,
    lease_until       timestamptz,
    last_attempt_at   timestamptz,
    last_success_at   timestamptz,
    last_error        varchar(1000),
    last_rows         integer,
    last_applied      integer,
    last_rejected     integer,
    updated_at        timestamptz   not null
);
create index stock_feed_due on stock_feed (next_run_at) where enabled;
