-- The plans' platform fees as sold with the subscriptions: BASIC 5%, PRO 3%, ENTERPRISE 2% of wholesale and shipping
-- (the fixed fee per supplier order stays). A rule an admin changed keeps its fee.
update fee_rule set percent = 5.000 where plan = 'BASIC' and updated_by = 'migration';
update fee_rule set percent = 3.000 where plan = 'PRO' and updated_by = 'migration';
update fee_rule set percent = 2.000 where plan = 'ENTERPRISE' and updated_by = 'migration';
