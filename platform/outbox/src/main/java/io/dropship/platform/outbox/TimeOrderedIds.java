package io.dropship.platform.outbox;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;
import java.util.UUID;

/**
 * Ids ordered by the time they are made: UUID version 7 (RFC 9562), the milliseconds since the epoch in the first 48
 * bits, then 74 random bits. Events, orders and supplier orders take them: each keys rows in several indexes of
 * several databases (the outbox, every consumer's inbox, the order timeline; the orders, lines, reservations, payments
 * and ledger entries of an order). A random (version 4) id lands each insert on any leaf of such an index, so every
 * leaf that a checkpoint interval touches first is written whole into the WAL again (an 8 KiB page image) and stays
 * dirty; ids that grow with time fill the index's right edge. docs/benchmarks.md measures it.
 *
 * <p>Ids made in the same millisecond are in no particular order among themselves (the random bits are drawn anew, not
 * counted on), so an id shown to a user tells nothing about its neighbours'; its time is no secret (the order it names
 * carries the same time). Nothing reads a meaning into the order of ids.
 */
public final class TimeOrderedIds {

    private static final TimeBasedEpochRandomGenerator GENERATOR = Generators.timeBasedEpochRandomGenerator();

    /**
     * The same kind of id made by PostgreSQL, for rows written by a statement ({@code insert ... select}): a random
     * UUID's first six bytes replaced by the clock in milliseconds, its version nibble set from 4 to 7 (bits 52 and 53
     * of the bytes). PostgreSQL 18 has {@code uuidv7()}; the servers here are older.
     */
    public static final String SQL =
            "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch"
                    + " from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid";

    private TimeOrderedIds() {}

    /**
     * The eight hex digits a person is shown for an id (a notice, a refund's description): its last ones, random. The
     * first eight of a version 7 id are its time, the same for every id of the same minute.
     */
    public static String shortForm(Object id) {
        String text = id.toString();
        return text.substring(text.length() - 8);
    }

    /** A new id: its time is this process' clock now. */
    public static UUID next() {
        return GENERATOR.generate();
    }
}
