-- Every product write computes category_path (the stored column of V8) from the category text. V8's function is a SQL
-- function whose body holds a query (array(select ... from generate_series(...))): PostgreSQL cannot inline such a body,
-- so each call set up and ran an executor for it, 9.4 us a row (20,000 of the bench's products in psql), about a
-- tenth of the import statement's time a row. The same paths built in a loop take 2.9 us. Same results for every input
-- (CategoryIT compares the two), so the rows already written keep theirs and nothing is recomputed.
create or replace function category_path(category text) returns text[]
    language plpgsql immutable parallel safe
    as $$
declare
    parts text[];
    prefix text;
    paths text[] := '{}';
begin
    if category is null or category = '' then
        return paths;
    end if;
    parts := string_to_array(category, ' > ');
    for i in 1 .. cardinality(parts) loop
        prefix := case when i = 1 then parts[1] else prefix || ' > ' || parts[i] end;
        paths := paths || prefix;
    end loop;
    return paths;
end
$$;

-- The category text's prefix index (V4) served browsing by category before category_path (V8, V11); no query reads
-- it since, and every product write paid for it.
drop index if exists supplier_product_category;
