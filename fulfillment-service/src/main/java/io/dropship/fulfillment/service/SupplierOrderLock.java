package io.dropship.fulfillment.service;

import io.dropship.platform.outbox.TransactionLock;
import io.smallrye.mutiny.Uni;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A supplier order's arrival (StockReserved), its payment's clearance or failure and its cancellation come on
 * different topics, read by different consumers at once, and each looks for what the others left: a clearance that
 * found no supplier order yet and an arrival that found no clearance yet left the order AWAITING_PAYMENT for ever.
 * Each takes this lock first ({@link TransactionLock}), so whichever comes second reads what the first committed.
 */
final class SupplierOrderLock {

    private SupplierOrderLock() {}

    static Uni<Void> of(Mutiny.Session s, UUID supplierOrderId) {
        return TransactionLock.take(s, "supplier-order:" + supplierOrderId);
    }
}
