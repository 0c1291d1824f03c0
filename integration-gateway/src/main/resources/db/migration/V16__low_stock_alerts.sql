-- Listings whose retailer was told they run low (every supplier product behind them below its threshold): told once
-- until the listing is not low any more, then again the next time it runs low.
create table low_stock_alert (
    listing_id  varchar(40)   primary key,
    alerted_at  timestamptz   not null
);
