-- Catalog imports from Excel workbooks (.xlsx) beside CSV: the file's format; a workbook has no delimiter.
alter table product_import add column format varchar(4) not null default 'CSV';
alter table product_import alter column delimiter drop not null;
