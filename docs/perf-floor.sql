-- The rows that import + review + allocation of 100,000 orders must write, stored by SQLite alone (no file, no
-- rules, no driver): run with sqlite3 on a COPY of a database after `shopdesk bench orders --orders 100000`.
-- See docs/performance.md.
PRAGMA foreign_keys=ON;
.timer on
-- import: 100k orders + 200k lines
BEGIN;
INSERT INTO sales_orders (channel,shop,platform_order_no,status,platform_status,currency,goods_amount,shipping_fee,discount,tax,total,paid,refunded,payment_method,buyer,receiver,phone,province,city,district,address,postal_code,country,buyer_message,seller_note,carrier,tracking_no,ordered_at,paid_at,biz_date,priority,tags,hold_reasons,warehouse_code,import_id,row_hash,created_at,updated_at)
SELECT channel,'X'||shop,platform_order_no,'pending_review',platform_status,currency,goods_amount,shipping_fee,discount,tax,total,paid,refunded,payment_method,buyer,receiver,phone,province,city,district,address,postal_code,country,buyer_message,seller_note,carrier,tracking_no,ordered_at,paid_at,biz_date,priority,tags,hold_reasons,warehouse_code,import_id,row_hash,created_at,updated_at FROM sales_orders ORDER BY id LIMIT 100000;
INSERT INTO sales_order_lines (order_id,line_no,platform_sku,platform_item_id,product_id,title,spec,qty,unit_price,discount,amount,price_note)
SELECT order_id+100000,line_no,platform_sku,platform_item_id,product_id,title,spec,qty,unit_price,discount,amount,price_note FROM sales_order_lines ORDER BY id LIMIT 200000;
COMMIT;
-- review: 100k status updates + 100k events
BEGIN;
UPDATE sales_orders SET status='approved', hold_reasons='', updated_at='2026-12-02 15:00:00+00:00' WHERE id > 100000;
INSERT INTO order_events (order_id,at,username,kind,detail) SELECT id,'2026-12-02 15:00:00+00:00','admin','approved','{"reasons":[],"matched":[],"priority":0}' FROM sales_orders WHERE id > 100000;
COMMIT;
-- allocate: 96k parcels, 192k parcel lines, 192k reservation entries, 96k events, 96k status updates
BEGIN;
INSERT INTO parcels (parcel_no,warehouse_id,main_order_id,status,wave_id,wave_slot,priority,units,carrier,service,tracking_no,weight_grams,promised_at,packed_at,packed_by,shipped_at,shipped_by,delivered_at,last_tracking_at,exception,exception_note,resolution,claim_amount,reship_of,created_at,updated_at)
SELECT 'X'||parcel_no,warehouse_id,main_order_id+100000,status,wave_id,wave_slot,priority,units,carrier,service,tracking_no,weight_grams,promised_at,packed_at,packed_by,shipped_at,shipped_by,delivered_at,last_tracking_at,exception,exception_note,resolution,claim_amount,reship_of,created_at,updated_at FROM parcels ORDER BY id;
INSERT INTO parcel_lines (parcel_id,order_id,order_line_id,product_id,location_id,qty,checked) SELECT parcel_id+96000,order_id+100000,order_line_id+200000,product_id,location_id,qty,checked FROM parcel_lines ORDER BY id;
INSERT INTO stock_ledger (at,biz_date,product_id,warehouse_id,location_id,kind,qty,reserved,in_transit,unit_cost,value,doc_type,doc_no,doc_line,user_id,username,reverses_id,note) SELECT at,biz_date,product_id,warehouse_id,location_id,kind,qty,reserved,in_transit,unit_cost,value,doc_type,'X'||doc_no,doc_line,user_id,username,reverses_id,note FROM stock_ledger WHERE kind='reserve' ORDER BY id;
INSERT INTO order_events (order_id,at,username,kind,detail) SELECT main_order_id,'2026-12-02 15:00:00+00:00','admin','allocated','{"parcel":"P"}' FROM parcels WHERE id > 96000;
UPDATE sales_orders SET status='allocated', updated_at='2026-12-02 15:00:00+00:00' WHERE id > 100000 AND id IN (SELECT main_order_id FROM parcels WHERE id > 96000);
COMMIT;
