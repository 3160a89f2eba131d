-- Example Shop 2.4 schema migration (a stand-in used by the Fieldrun example plan).
ALTER TABLE orders ADD COLUMN delivery_slot TEXT;
CREATE INDEX orders_delivery_slot ON orders (delivery_slot);
