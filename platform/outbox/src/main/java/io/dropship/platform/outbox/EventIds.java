package io.dropship.platform.outbox;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/**
 * Event ids ordered by the time they are made: UUID version 7 (RFC 9562), the milliseconds since the epoch in the first
 * 48 bits, then random bits. An event's id is the key of the outbox row, of each consumer's inbox record
 * ({@code consumed_event}) and of the order timeline's entry; a random (version 4) id lands each insert on any leaf of
 * those indexes, so every leaf a checkpoint interval touches first is written whole into the WAL again (an 8 KiB full
 * page image) and stays dirty. Ids that grow with time fill the indexes' right edge: docs/benchmarks.md measures it.
 * Consumers only compare ids for equality; nothing reads a meaning into their order.
 */
public final class EventIds {

    /** Increases within a millisecond too (JUG's generator counts on from the last id when the clock has not moved). */
    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    /**
     * The same kind of id made by PostgreSQL, for events written by a statement ({@code insert ... select}): a random
     * UUID's first six bytes replaced by the statement's clock in milliseconds, its version nibble set from 4 to 7
     * (bits 52 and 53 of the bytes). PostgreSQL 18 has {@code uuidv7()}; the servers here are older.
     */
    public static final String SQL =
            "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch"
                    + " from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid";

    private EventIds() {}

    /** A new event id, greater than every id this process made before. */
    public static UUID next() {
        return GENERATOR.generate();
    }
}
