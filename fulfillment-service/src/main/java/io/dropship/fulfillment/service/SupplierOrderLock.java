package io.dropship.fulfillment.service;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.UUID;

/**
 * A supplier order's arrival (StockReserved), its payment's clearance or failure and its cancellation come on
 * different topics, read by different consumers at the same time, and each looks for what the others left. Without a
 * lock two of them can each miss the other's uncommitted row (a write skew): a clearance that finds no supplier order
 * yet and an arrival that finds no clearance yet would leave the order AWAITING_PAYMENT for ever. Each takes this
 * lock first, a PostgreSQL advisory lock held until its transaction ends and keyed by the supplier order id, so that
 * whichever comes second reads what the first committed. It exists before the supplier order's row does.
 */
final class SupplierOrderLock {

    private SupplierOrderLock() {
    }

    static Uni<Void> of(Mutiny.Session s, UUID supplierOrderId) {
        return s.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtextextended(:so, 0))) locked",
                        Long.class)
                .setParameter("so", "supplier-order:" + supplierOrderId).getSingleResult().replaceWithVoid();
    }
}
