-- The 100,000 supplier items and 100,000 prices a price-sheet import of 100,000 rows stores, written by SQLite alone:
-- run with sqlite3 on a COPY of a database after `shopdesk bench price-import --rows 100000` (supplier 1 and
-- import 1 exist there). See docs/performance.md.
PRAGMA foreign_keys=ON;
PRAGMA cache_size=-65536;
.timer on
BEGIN;
INSERT INTO supplier_items (supplier_id,item_key,supplier_sku,name,spec,unit,barcode,category,product_id,match_status,created_at,updated_at)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i<99999)
SELECT 1, 'sku:zx-'||printf('%07d',i), 'ZX-'||printf('%07d',i), '测试商品 '||i, (100+i%900)||'ml', '个', '690'||printf('%010d',i), '', NULL, 'unmatched', '2026-12-02 14:52:59.244345+00:00', '2026-12-02 14:52:59.244345+00:00' FROM n;
INSERT INTO supplier_prices (supplier_item_id,supplier_id,price,currency,price_unit,moq,lead_time_days,valid_from,import_id,source_sheet,source_row,row_hash,created_at)
SELECT id, 1, 12345, 'CNY', '', 10, 5, '2026-12-02', 1, 'Sheet1', id, lower(hex(randomblob(32))), '2026-12-02 14:52:59.244345+00:00' FROM supplier_items WHERE item_key LIKE 'sku:zx-%';
COMMIT;
