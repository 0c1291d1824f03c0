-- An offer is a supplier product behind a listing (docs/glossary.md); this projection of SupplierProductChanged is
-- of supplier products, and is named for them.
alter table offer_view rename to supplier_product_view;
