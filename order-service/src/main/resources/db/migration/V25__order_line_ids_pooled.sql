-- Order lines take their ids from the sequence in blocks of 50 (Hibernate's pooled optimizer: a value v stands for
-- v - 49 .. v), instead of each insert returning the id its column default drew. An insert that still uses the
-- column's default draws a value of its own block, so the two never meet.
alter sequence order_line_id_seq increment by 50;
