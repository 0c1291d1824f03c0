-- What people did to an order by hand (route a held line to a chosen supplier product, substitute its listing), who
-- did it and why: the order's own record of decisions, shown at GET /api/orders/{id}/actions.
create table order_action (
    id          bigserial     primary key,
    order_id    uuid          not null,
    line_id     varchar(100),
    action      varchar(40)   not null,
    detail      varchar(500)  not null,
    actor_role  varchar(20)   not null,
    actor       varchar(200)  not null,
    reason      varchar(1000) not null,
    outcome     varchar(20)   not null,
    at          timestamptz   not null
);
create index order_action_order on order_action (order_id, id);
