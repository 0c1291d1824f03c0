package io.dropship.gateway.domain;

import static io.dropship.gateway.domain.StoreOrderState.Kind.CANCEL;
import static io.dropship.gateway.domain.StoreOrderState.Kind.OTHER;
import static io.dropship.gateway.domain.StoreOrderState.Kind.PLACE;
import static io.dropship.gateway.domain.StoreOrderState.Verdict.ALREADY_CANCELLED;
import static io.dropship.gateway.domain.StoreOrderState.Verdict.APPLY;
import static io.dropship.gateway.domain.StoreOrderState.Verdict.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoreOrderStateTests {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Instant T2 = T0.plusSeconds(120);

    @Test
    void aCancellationThatArrivesBeforeThePaymentItFollowsKeepsTheOrderFromEverBeingPlaced() {
        StoreOrderState cancelled = StoreOrderState.UNKNOWN.decide(CANCEL, T1).next();
        assertEquals(STALE, cancelled.decide(PLACE, T0).verdict(), "the payment is older than the cancellation");
        assertEquals(ALREADY_CANCELLED, cancelled.decide(PLACE, T1).verdict(), "a tie goes to the cancellation");
        assertEquals(
                ALREADY_CANCELLED,
                cancelled.decide(PLACE, null).verdict(),
                "a placement without a time cannot undo it");
    }

    @Test
    void anOlderDeliveryNeverOverwritesANewerOne() {
        StoreOrderState placed = StoreOrderState.UNKNOWN.decide(PLACE, T1).next();
        assertEquals(STALE, placed.decide(OTHER, T0).verdict());
        assertEquals(STALE, placed.decide(CANCEL, T0).verdict());
        assertEquals(placed, placed.decide(CANCEL, T0).next());
    }

    @Test
    void aNewerCancellationWinsAndAReopeningAfterItPlacesTheOrderAgain() {
        StoreOrderState placed = StoreOrderState.UNKNOWN.decide(PLACE, T0).next();
        StoreOrderState.Decision cancel = placed.decide(CANCEL, T1);
        assertEquals(APPLY, cancel.verdict());
        assertTrue(cancel.next().cancelled());
        StoreOrderState.Decision reopened = cancel.next().decide(PLACE, T2);
        assertEquals(
                APPLY, reopened.verdict(), "WooCommerce lets a shop owner move a cancelled order back to processing");
        assertEquals(new StoreOrderState(T2, false), reopened.next());
    }

    @Test
    void deliveriesWithoutATimeAreAppliedAndKeepTheKnownTime() {
        StoreOrderState.Decision first = StoreOrderState.UNKNOWN.decide(PLACE, null);
        assertEquals(APPLY, first.verdict());
        assertEquals(APPLY, new StoreOrderState(T1, false).decide(OTHER, null).verdict());
        assertEquals(
                T1, new StoreOrderState(T1, false).decide(CANCEL, null).next().stateAt());
    }
}
