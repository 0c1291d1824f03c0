-- A DISPUTE case follows one card dispute.
alter table order_case add column dispute_id varchar(100) unique;
