create table note (id uuid primary key, text varchar(500) not null);
create table tally (key varchar(100) primary key, count integer not null);
