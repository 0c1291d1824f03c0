package io.dropship.fulfillment.entity;

import static io.dropship.fulfillment.domain.SupplierOrderStatus.ACCEPTED;
import static io.dropship.fulfillment.domain.SupplierOrderStatus.AWAITING_PAYMENT;
import static io.dropship.fulfillment.domain.SupplierOrderStatus.CANCELLED;
import static io.dropship.fulfillment.domain.SupplierOrderStatus.CANCEL_REQUESTED;
import static io.dropship.fulfillment.domain.SupplierOrderStatus.DELIVERED;
import static io.dropship.fulfillment.domain.SupplierOrderStatus.PAYMENT_HELD;
import static io.dropship.fulfillment.domain.SupplierOrderStatus.RECEIVED;
import static io.dropship.fulfillment.domain.SupplierOrderStatus.REJECTED;
import static io.dropship.fulfillment.domain.SupplierOrderStatus.SHIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.fulfillment.domain.SupplierOrderStatus;
import io.dropship.fulfillment.domain.TransitionRefused;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The supplier order's transitions: every command from every state. */
class SupplierOrderTests {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private static SupplierOrder in(SupplierOrderStatus status) {
        SupplierOrder so = new SupplierOrder();
        so.id = UUID.randomUUID();
        so.status = status;
        so.updatedAt = NOW.minusSeconds(60);
        return so;
    }

    /** Runs a command from {@code from}: moved and where to, unchanged, or refused. */
    private static void check(
            SupplierOrderStatus from,
            Set<SupplierOrderStatus> allowed,
            SupplierOrderStatus to,
            java.util.function.Predicate<SupplierOrder> command) {
        SupplierOrder so = in(from);
        if (from == to) {
            assertFalse(command.test(so), "again from " + from);
            assertEquals(to, so.status);
            assertEquals(NOW.minusSeconds(60), so.updatedAt);
        } else if (allowed.contains(from)) {
            assertTrue(command.test(so), "from " + from);
            assertEquals(to, so.status);
            assertEquals(NOW, so.updatedAt);
        } else {
            TransitionRefused refused = assertThrows(TransitionRefused.class, () -> command.test(so), "from " + from);
            assertTrue(refused.getMessage().contains(from.name()), refused.getMessage());
            assertEquals(from, so.status);
        }
    }

    @ParameterizedTest
    @EnumSource(SupplierOrderStatus.class)
    void acceptedOnlyFromReceived(SupplierOrderStatus from) {
        check(from, EnumSet.of(RECEIVED), ACCEPTED, so -> so.accept(NOW));
    }

    @ParameterizedTest
    @EnumSource(SupplierOrderStatus.class)
    void rejectedFromReceivedOrAccepted(SupplierOrderStatus from) {
        check(from, EnumSet.of(RECEIVED, ACCEPTED), REJECTED, so -> so.reject("out of stock", NOW));
    }

    @ParameterizedTest
    @EnumSource(SupplierOrderStatus.class)
    void deliveredOnlyFromShipped(SupplierOrderStatus from) {
        check(from, EnumSet.of(SHIPPED), DELIVERED, so -> so.deliver(NOW));
    }

    @ParameterizedTest
    @EnumSource(SupplierOrderStatus.class)
    void aCancellationIsConfirmedOnlyWhenAsked(SupplierOrderStatus from) {
        check(from, EnumSet.of(CANCEL_REQUESTED), CANCELLED, so -> so.confirmCancellation(NOW));
    }

    @ParameterizedTest
    @EnumSource(SupplierOrderStatus.class)
    void shippedFromReceivedAcceptedOrAskedToCancel(SupplierOrderStatus from) {
        SupplierOrder so = in(from);
        if (EnumSet.of(RECEIVED, ACCEPTED, CANCEL_REQUESTED).contains(from)) {
            so.ship(NOW);
            assertEquals(SHIPPED, so.status);
        } else {
            assertThrows(TransitionRefused.class, () -> so.ship(NOW));
            assertEquals(from, so.status);
        }
    }

    @Test
    void aRejectionKeepsItsReasonAndADeliveryItsTime() {
        SupplierOrder rejected = in(RECEIVED);
        rejected.reject("discontinued", NOW);
        assertEquals("discontinued", rejected.reason);
        SupplierOrder delivered = in(SHIPPED);
        delivered.deliver(NOW);
        assertEquals(NOW, delivered.deliveredAt);
    }

    @ParameterizedTest
    @EnumSource(SupplierOrderStatus.class)
    void aCancellationWithdrawsWhatTheSupplierHasNotTakenOnAndAsksForTheRest(SupplierOrderStatus from) {
        SupplierOrder so = in(from);
        SupplierOrder.Cancellation done = so.cancel("the retailer cancelled", NOW);
        switch (from) {
            case AWAITING_PAYMENT, PAYMENT_HELD -> assertEquals(SupplierOrder.Cancellation.WITHDRAWN_UNSEEN, done);
            case RECEIVED -> assertEquals(SupplierOrder.Cancellation.WITHDRAWN, done);
            case ACCEPTED -> assertEquals(SupplierOrder.Cancellation.ASKED, done);
            default -> assertEquals(SupplierOrder.Cancellation.NONE, done);
        }
        SupplierOrderStatus expected = switch (done) {
            case WITHDRAWN_UNSEEN, WITHDRAWN -> CANCELLED;
            case ASKED -> CANCEL_REQUESTED;
            case NONE -> from;
        };
        assertEquals(expected, so.status);
        assertEquals(done == SupplierOrder.Cancellation.NONE ? null : "the retailer cancelled", so.reason);
    }

    @ParameterizedTest
    @EnumSource(SupplierOrderStatus.class)
    void aClearedPaymentReleasesOnlyAnOrderWaitingForIt(SupplierOrderStatus from) {
        SupplierOrder so = in(from);
        so.reason = "the retailer's payment failed: card declined";
        boolean waiting = from == AWAITING_PAYMENT || from == PAYMENT_HELD;
        assertEquals(waiting, so.release(NOW));
        assertEquals(waiting ? RECEIVED : from, so.status);
        if (waiting) {
            assertEquals(NOW, so.releasedAt);
            assertNull(so.reason);
        }
    }

    @ParameterizedTest
    @EnumSource(SupplierOrderStatus.class)
    void aFailedPaymentHoldsOnlyAnOrderWaitingForIt(SupplierOrderStatus from) {
        SupplierOrder so = in(from);
        boolean waiting = from == AWAITING_PAYMENT || from == PAYMENT_HELD;
        assertEquals(waiting, so.holdForPayment("x".repeat(600), NOW));
        assertEquals(waiting ? PAYMENT_HELD : from, so.status);
        if (waiting) {
            assertEquals(500, so.reason.length());
        }
    }
}
