package io.dropship.order.service;

import io.smallrye.mutiny.Uni;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Every change to an order and its supplier orders first takes the order's lock: a PostgreSQL advisory lock held
 * until the transaction ends, keyed by the order id. Concurrent changes to one order (a cancellation, a rejection's
 * re-route, a reservation, a shipment) then queue one behind the other, each reading what the one before it
 * committed, instead of deadlocking on their rows in different orders or losing an optimistic race. The lock exists
 * before the order's row does, so a cancellation that races the order's own arrival is seen by whichever comes
 * second. Taken before anything of the order is read in the transaction.
 */
public final class OrderLock {

    private OrderLock() {}

    public static Uni<Void> of(Mutiny.Session s, UUID orderId) {
        return io.dropship.platform.outbox.TransactionLock.take(s, orderId.toString());
    }

    /** The lock of the order a supplier order belongs to (none when the supplier order is unknown). */
    public static Uni<Void> ofSupplierOrder(Mutiny.Session s, UUID supplierOrderId) {
        return s.createNativeQuery(
                        "select count(*) from (select pg_advisory_xact_lock(hashtextextended(cast(order_id as text), 0))"
                                + " from supplier_order where id = :supplierOrderId) locked",
                        Long.class)
                .setParameter("supplierOrderId", supplierOrderId)
                .getSingleResult()
                .replaceWithVoid();
    }
}
