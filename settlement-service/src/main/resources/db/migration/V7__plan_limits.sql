-- Past its plan's monthly order limit a retailer's orders are invoiced at the pay-as-you-go (BASIC) fee until the
-- month ends; the invoice line says so.
alter table invoice_line add column over_limit boolean not null default false;
create index invoice_line_retailer_month on invoice_line (retailer_id, created_at, order_id);
