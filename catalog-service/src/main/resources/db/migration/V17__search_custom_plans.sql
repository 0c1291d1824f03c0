-- Search statements are prepared once per connection and run with many different words. After five runs PostgreSQL
-- may switch a prepared statement to a generic plan, planned without the words: it cannot tell a common word from a
-- rare one, and for words + region by price it chose to fetch and sort every match (81 ms for "towel" at 2,000,000
-- products) where walking the price index finds a page in 6 to 22 ms. Planning with the actual words costs well under a
-- millisecond; new connections to this database always do (measured: p50 of that search 69 ms -> 16 ms).
do $$
begin
    execute format('alter database %I set plan_cache_mode = %L', current_database(), 'force_custom_plan');
end
$$;
