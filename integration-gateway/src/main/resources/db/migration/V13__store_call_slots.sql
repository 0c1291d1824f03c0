-- When the next call to each store may go out, shared by every gateway instance (StoreRateLimiter): a store's rate
-- limit, and a Retry-After it answered, hold for the platform as a whole, however many instances call it.
create table store_call_slot (
    store_id     varchar(100) primary key,
    next_free_at timestamptz  not null
);
