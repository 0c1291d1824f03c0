-- The supplier limit of each retailer's plan, from settlement-service's SubscriptionChanged (the newest kept). A
-- retailer not listed is on BASIC's pay-as-you-go terms: dropship.plans.default-supplier-limit.
create table retailer_plan_limit (
    retailer_id    varchar(100) primary key,
    plan           varchar(20)  not null,
    supplier_limit integer,
    changed_at     timestamptz  not null
);
