package io.dropship.gateway.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How claimed notifications become mails: one per account and kind, oldest first, at most 100 in a mail. */
class NotificationGroupsTests {

    private static Object[] row(long id, UUID account, String kind) {
        return new Object[] {id, account, kind, "title " + id, "body", "/api/x", 1};
    }

    private static List<Long> ids(List<Object[]> group) {
        return group.stream().map(r -> (Long) r[0]).toList();
    }

    @Test
    void oneMailPerAccountAndKindOldestFirst() {
        UUID ada = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        List<Object[]> claimed = List.of(
                row(7, ada, "RECONCILIATION_MISMATCH"),
                row(3, bob, "RECONCILIATION_MISMATCH"),
                row(5, ada, "DEAD_LETTER"),
                row(2, ada, "RECONCILIATION_MISMATCH"),
                row(4, bob, "RECONCILIATION_MISMATCH"));
        List<List<Object[]>> groups = NotificationMailer.groups(claimed);
        assertEquals(3, groups.size());
        assertEquals(List.of(2L, 7L), ids(groups.get(0)), "Ada's mismatches, oldest first");
        assertEquals(List.of(3L, 4L), ids(groups.get(1)), "Bob's");
        assertEquals(List.of(5L), ids(groups.get(2)), "Ada's dead letter, a mail of its own");
    }

    @Test
    void aLongRunOfOneKindGoesOutInMailsOfAHundred() {
        UUID ada = UUID.randomUUID();
        List<Object[]> claimed = new ArrayList<>();
        for (long id = 1; id <= 250; id++) {
            claimed.add(row(id, ada, "RECONCILIATION_MISMATCH"));
        }
        List<List<Object[]>> groups = NotificationMailer.groups(claimed);
        assertEquals(List.of(100, 100, 50), groups.stream().map(List::size).toList());
        assertEquals(1L, ids(groups.get(0)).get(0));
        assertEquals(201L, ids(groups.get(2)).get(0));
    }
}
