-- Bulk imports of a supplier's catalog from CSV: progress while it runs, the report after.
create table product_import (
    id            varchar(40)  primary key,
    supplier_id   varchar(40)  not null references supplier (id),
    state         varchar(20)  not null,
    file_name     varchar(300),
    mapping       jsonb        not null,
    delimiter     varchar(4)   not null,
    rows_read     bigint       not null default 0,
    rows_changed  bigint       not null default 0,
    rows_unchanged bigint      not null default 0,
    rows_rejected bigint       not null default 0,
    failure       varchar(1000),
    started_at    timestamptz  not null,
    finished_at   timestamptz
);
create index product_import_supplier on product_import (supplier_id, started_at desc);

-- The rejected rows, each with its line number and reason (the first 10,000 of an import).
create table product_import_error (
    import_id varchar(40)  not null references product_import (id),
    line      bigint       not null,
    sku       varchar(100),
    reason    varchar(500) not null,
    primary key (import_id, line)
);
