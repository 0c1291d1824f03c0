-- One lease style for every work queue (platform/work WorkQueue): a claimed row is leased in a column of its own
-- and is free when the lease is null or past. Before, the Stripe calls leased a row by pushing its due time two
-- minutes ahead, so a "try again now" during a call could start a second one.
alter table payment add column lease_until timestamptz;
alter table supplier_order_account add column money_lease_until timestamptz;
alter table supplier_order_return add column lease_until timestamptz;
alter table dispute_reversal add column lease_until timestamptz;
