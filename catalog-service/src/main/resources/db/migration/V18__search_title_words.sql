-- Relevance search asks the titles first: products whose title holds the words rank above those that match only with
-- their description (CatalogSearch's TITLE and BODY tiers). The combined index (supplier_product_search_facets) holds
-- every word of every description too, so a common word's list there is four times its titles' list; three such words
-- took that index 40 to 60 ms to intersect at 2,000,000 products and an index of the titles' words 11 ms. The category
-- and region paths are in it as in the combined one, so that a search with them intersects inside the one index.
-- The expression is CatalogSearch.TITLE_WORDS, word for word.
set local maintenance_work_mem = '256MB';

create index if not exists supplier_product_title_words on supplier_product
    using gin (to_tsvector('english'::regconfig, title::text), category_path, ship_from);
