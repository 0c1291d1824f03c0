-- A plan's fixed fee per supplier order is an amount in one currency: 0.50 USD is not 0.50 JPY. Each currency has
-- its own; an order in a currency with none configured pays the percentage alone (never a number meant for another
-- currency). fee_rule.fixed_fee stays the amount in the rule's own currency, mirrored here.
create table fee_rule_fixed_fee (
    plan      varchar(20)   not null references fee_rule (plan),
    currency  char(3)       not null,
    fixed_fee numeric(14,4) not null check (fixed_fee >= 0),
    primary key (plan, currency)
);
insert into fee_rule_fixed_fee (plan, currency, fixed_fee) select plan, currency, fixed_fee from fee_rule;
