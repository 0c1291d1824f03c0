-- How a retailer's invoices look for its own records: its name, address, tax id, colour and a footer line.
create table retailer_branding (
    retailer_id   varchar(100) primary key,
    business_name varchar(120) not null,
    address_lines text         not null default '',  -- newline-separated, up to five
    tax_id        varchar(40),
    accent_color  char(7)      not null default '#1F4E79',
    footer        varchar(300),
    updated_at    timestamptz  not null
);
