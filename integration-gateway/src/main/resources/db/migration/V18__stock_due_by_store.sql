-- A store's stock lane claims its own next listings as soon as it is done with the last (StockTargets.claimStore):
-- by store and then by when they became due, without walking the other stores' pending listings.
create index store_listing_stock_due_by_store on store_listing (store_id, stock_next_at) where stock_pending;
