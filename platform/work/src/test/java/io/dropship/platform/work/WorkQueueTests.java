package io.dropship.platform.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a work queue does after a failed attempt, and the claim it writes. */
class WorkQueueTests {

    private final WorkQueue queue = WorkQueue.of(
            "store_push", "id", Duration.ofSeconds(90), new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1)), 5);

    @Test
    void aFailedAttemptWaitsForTheBackoffOrWhatTheOutsidePartyAskedUntilTheAttemptsAreUsedUp() {
        assertEquals(new WorkQueue.Retry(false, Duration.ofSeconds(2)), queue.afterFailure(1, null));
        assertEquals(new WorkQueue.Retry(false, Duration.ofSeconds(16)), queue.afterFailure(4, null));
        assertEquals(new WorkQueue.Retry(false, Duration.ofSeconds(30)), queue.afterFailure(4, Duration.ofSeconds(30)));
        assertTrue(queue.afterFailure(5, null).giveUp());
        assertTrue(queue.afterFailure(9, Duration.ofSeconds(1)).giveUp());
    }

    @Test
    void aQueueWithoutALimitNeverGivesUp() {
        WorkQueue endless = WorkQueue.of(
                "t", "id", Duration.ofMinutes(1), new Backoff(Duration.ofSeconds(1), Duration.ofHours(1)), 0);
        assertFalse(endless.afterFailure(10_000, null).giveUp());
    }

    @Test
    void theClaimLeasesDueFreeRowsSkippingLockedOnesAndCountsTheAttempt() {
        String sql = queue.claimSql(
                "status = 'PENDING' and next_attempt_at <= now()",
                "status = 'IN_FLIGHT'",
                "next_attempt_at",
                ":n",
                "id, attempts");
        assertEquals(
                "update store_push set lease_until = now() + make_interval(secs => 90.0), attempts = attempts + 1,"
                        + " status = 'IN_FLIGHT' where id in (select id from store_push where (status = 'PENDING' and next_attempt_at"
                        + " <= now()) and (lease_until is null or lease_until < now()) order by next_attempt_at limit :n for update"
                        + " skip locked) returning id, attempts",
                sql);
    }

    @Test
    void otherColumnsAndAKeyOfSeveralColumns() {
        String sql = WorkQueue.of("dispute_reversal", "dispute_id, supplier_order_id", Duration.ofMinutes(2), null, 0)
                .columns("money_lease_until", null)
                .claimSql("true", null, "next_at", "20", "dispute_id");
        assertEquals(
                "update dispute_reversal set money_lease_until = now() + make_interval(secs => 120.0)"
                        + " where (dispute_id, supplier_order_id) in (select dispute_id, supplier_order_id from dispute_reversal"
                        + " where (true) and (money_lease_until is null or money_lease_until < now()) order by next_at limit 20"
                        + " for update skip locked) returning dispute_id",
                sql);
        assertEquals(
                "money_lease_until = null",
                WorkQueue.of("t", "id", Duration.ofMinutes(1), null, 0)
                        .columns("money_lease_until", null)
                        .release());
    }

    @Test
    void aLeaseIsPositive() {
        assertThrows(IllegalArgumentException.class, () -> WorkQueue.of("t", "id", Duration.ZERO, null, 0));
    }
}
