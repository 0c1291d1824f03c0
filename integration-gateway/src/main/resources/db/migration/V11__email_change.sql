-- A change of e-mail waits for the new address to confirm it: the code's row carries the address.
alter table account_code add column new_email varchar(200);
