-- The timeline is read by order only (GET /api/orders/{id}/timeline: where order_id = ? order by at, id), yet each of
-- an order's six or seven entries wrote three B-trees: the bigserial key's, which nothing reads, the order's and the
-- event id's. The order's index becomes the primary key (id still breaks ties of one instant), one B-tree fewer.
create unique index order_timeline_by_order on order_timeline (order_id, at, id);
alter table order_timeline drop constraint order_timeline_pkey;
alter table order_timeline add constraint order_timeline_pkey primary key using index order_timeline_by_order;
drop index order_timeline_order;
