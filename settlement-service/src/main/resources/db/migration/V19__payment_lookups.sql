-- Each order's payment looks up its supplier orders by payment (clearing, holding, settling them: three statements)
-- and the order's payments by order: both read the whole table without these, 4,500 rows per order at 1,800 orders
-- and more with every order after.
create index supplier_order_account_payment on supplier_order_account (payment_id);
create index payment_order on payment (order_id);
