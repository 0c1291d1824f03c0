-- A listing's row is updated several times for each quantity sent to its store: re-targeted by each stock batch,
-- claimed (its lease and attempts) and settled. An update that changes no indexed column can stay on its page
-- without touching the table's six indexes (a HOT update), but only where the page has room: with full pages 11 % of
-- the updates of a stock bench were. New pages keep a third free for them.
alter table store_listing set (fillfactor = 70);
