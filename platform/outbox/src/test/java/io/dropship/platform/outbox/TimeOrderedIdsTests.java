package io.dropship.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ids are version 7 UUIDs: the clock's milliseconds first, then random bits. */
class TimeOrderedIdsTests {

    private static long millis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    @Test
    void idsAreVersionSevenAndCarryTheClock() {
        long before = System.currentTimeMillis();
        UUID previous = TimeOrderedIds.next();
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            UUID id = TimeOrderedIds.next();
            assertEquals(7, id.version(), id::toString);
            assertEquals(2, id.variant(), id::toString);
            assertTrue(millis(id) >= millis(previous), previous + " then " + id);
            // Its text, as the inboxes keep it, sorts by the same time.
            assertTrue(
                    millis(id) == millis(previous) || id.toString().compareTo(previous.toString()) > 0,
                    previous + " then " + id);
            assertTrue(seen.add(id), "repeated " + id);
            previous = id;
        }
        assertTrue(millis(previous) >= before && millis(previous) <= System.currentTimeMillis(), previous::toString);
    }

    @Test
    void idsOfOneMillisecondDoNotCountOnFromEachOther() {
        // A counter would make the next id of a millisecond the last one plus one: guessable from one shown to a user.
        int neighbours = 0;
        UUID previous = TimeOrderedIds.next();
        for (int i = 0; i < 10_000; i++) {
            UUID id = TimeOrderedIds.next();
            if (id.getMostSignificantBits() == previous.getMostSignificantBits()
                    && id.getLeastSignificantBits() - previous.getLeastSignificantBits() == 1) {
                neighbours++;
            }
            previous = id;
        }
        assertEquals(0, neighbours);
    }

    @Test
    void theShortFormShownToPeopleIsTheRandomTailNotTheTime() {
        Set<String> heads = new HashSet<>();
        Set<String> shortForms = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            UUID id = TimeOrderedIds.next();
            heads.add(id.toString().substring(0, 8));
            shortForms.add(TimeOrderedIds.shortForm(id));
            assertTrue(id.toString().endsWith(TimeOrderedIds.shortForm(id.toString())));
        }
        // A thousand ids made within a second share their first eight digits (a minute of time), not their last.
        assertTrue(heads.size() <= 2, heads::toString);
        assertTrue(shortForms.size() >= 990, () -> shortForms.size() + " distinct");
    }
}
