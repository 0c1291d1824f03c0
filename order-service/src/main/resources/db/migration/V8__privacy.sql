-- When the order's customer data was erased (a customer's or a store's privacy request): the e-mail is gone and the
-- shipping address keeps only its country, which fees and routing statistics still read.
alter table customer_order add column redacted_at timestamptz;
