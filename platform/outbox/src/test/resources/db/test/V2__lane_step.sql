-- PartitionLanesIT: the order in which a shared channel's lanes applied each key's steps.
create table lane_step (id bigserial primary key, topic varchar(50) not null, key varchar(100) not null,
                        seq integer not null);
