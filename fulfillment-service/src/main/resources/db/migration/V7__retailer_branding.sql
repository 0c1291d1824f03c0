-- The retailers' branding as settlement-service announces it (RetailerBrandingChanged), for the packing slips printed
-- in their name; the newest change counts.
create table retailer_branding (
    retailer_id    varchar(100)  primary key,
    business_name  varchar(120)  not null,
    address_lines  text          not null,   -- one per line
    accent_color   varchar(7)    not null,
    footer         varchar(300),
    changed_at     timestamptz   not null
);
