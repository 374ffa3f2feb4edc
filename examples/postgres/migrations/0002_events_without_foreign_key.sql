-- Events are written only by the statement that writes their order,
-- from the row that statement updated or inserted, so the foreign key
-- could never refuse one; checking it cost a query and a row lock per
-- write.
ALTER TABLE events DROP CONSTRAINT events_order_id_fkey;
