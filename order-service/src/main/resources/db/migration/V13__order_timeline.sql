-- Everything that happened to an order across the six services, in time order, for GET /api/orders/{id}/timeline: built
-- from the events on the bus (one entry per event: event_id is unique) and from order-service's own routing decisions
-- (written where they are taken). The detail never holds the customer's personal data, so erasing an order's data
-- leaves its timeline as it is.
create table order_timeline (
    id        bigserial     primary key,
    order_id  uuid          not null,
    at        timestamptz   not null,
    service   varchar(40)   not null,
    kind      varchar(60)   not null,
    summary   varchar(1000) not null,
    detail    jsonb,
    event_id  varchar(100)  unique
);
create index order_timeline_order on order_timeline (order_id, at, id);
