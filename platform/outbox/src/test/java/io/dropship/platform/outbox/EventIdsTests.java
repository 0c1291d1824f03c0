package io.dropship.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event ids are version 7 UUIDs: the clock's milliseconds first, each greater than the last. */
class EventIdsTests {

    @Test
    void idsAreVersionSevenCarryTheClockAndGrowWithinAMillisecondToo() {
        long before = System.currentTimeMillis();
        UUID previous = EventIds.next();
        for (int i = 0; i < 100_000; i++) {
            UUID id = EventIds.next();
            assertEquals(7, id.version(), id::toString);
            assertEquals(2, id.variant(), id::toString);
            // Unsigned, as the bytes compare in PostgreSQL's uuid and text order.
            assertTrue(
                    Long.compareUnsigned(id.getMostSignificantBits(), previous.getMostSignificantBits()) > 0
                            || (id.getMostSignificantBits() == previous.getMostSignificantBits()
                                    && Long.compareUnsigned(
                                                    id.getLeastSignificantBits(), previous.getLeastSignificantBits())
                                            > 0),
                    previous + " then " + id);
            assertTrue(id.toString().compareTo(previous.toString()) > 0, previous + " then " + id);
            previous = id;
        }
        long millis = previous.getMostSignificantBits() >>> 16;
        assertTrue(millis >= before && millis <= System.currentTimeMillis(), "the id's time " + millis);
    }
}
