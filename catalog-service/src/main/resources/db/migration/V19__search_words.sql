-- The typo fallback corrects each search word to the nearest word the catalog's titles use (CatalogSearch), then
-- searches the corrected words in full text. It used to compare the whole query with every title through a trigram
-- index of the titles (supplier_product_trgm): common trigrams made that read 1,500 index pages, 35 to 45 ms at
-- 3,000,000 products even when nothing matched, and the index cost every product write. A word list of 23,600 words
-- (the fleet's 3,000,000 bench products) answers the nearest word in about 1 ms. SupplierProducts' upsert adds the
-- words of every title it writes.
create table if not exists search_word (
    word text primary key
);

insert into search_word (word)
select distinct w
from supplier_product p, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, p.title::text))) w
on conflict do nothing;

create index if not exists search_word_trgm on search_word using gin (word gin_trgm_ops);

drop index if exists supplier_product_trgm;
