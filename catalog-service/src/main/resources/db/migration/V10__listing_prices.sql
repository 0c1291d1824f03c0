-- A retailer's own price for one listing, over its general pricing rule: a fixed price, or a rule of the listing's own
-- (the pricing_rule fields as JSON). At most one of them; neither: the retailer's general rule prices it.
alter table listing add column fixed_price numeric(12,2) check (fixed_price > 0);
alter table listing add column own_rule jsonb;
alter table listing add constraint listing_one_own_price check (fixed_price is null or own_rule is null);
