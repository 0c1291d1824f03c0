-- The StockChanged projection has one name in every service that keeps one: stock_view (docs/glossary.md).
alter table product_stock rename to stock_view;
