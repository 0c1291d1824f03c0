package io.dropship.settlement.service;

import io.smallrye.mutiny.Uni;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Money given back to a retailer for a supplier order (a whole-order return, a line return's parcel received, a case
 * resolved with a refund): a {@code supplier_order_return} row that {@code StripeCalls} carries out (reversed from the
 * supplier's transfer, or at the platform's cost, then refunded from the order's charge), and what it owes booked now:
 * the supplier (or the platform) owes back what the retailer is owed. One per supplier order for a return, one per
 * case, one per return request: a second is not recorded.
 */
public final class GiveBacks {

    /** requestedBy: who asked for it; caseId or returnRequestId: what it belongs to, when not a whole-order return. */
    public record GiveBack(
            UUID supplierOrderId,
            UUID orderId,
            String retailerId,
            String supplierId,
            String reason,
            String currency,
            BigDecimal restockingFee,
            BigDecimal amount,
            String requestedBy,
            UUID caseId,
            UUID returnRequestId,
            boolean supplierPays) {}

    private GiveBacks() {}

    /** Records it in the caller's transaction; false when one like it exists (nothing recorded, nothing booked). */
    public static Uni<Boolean> record(Mutiny.Session s, UUID id, GiveBack g) {
        return s.createNativeQuery(
                        "insert into supplier_order_return (id, supplier_order_id, order_id, retailer_id, supplier_id,"
                                + " reason, currency, restocking_fee, amount, status, next_at, requested_by, created_at, updated_at, case_id,"
                                + " return_request_id, reverse_transfer) values (:id, :supplierOrderId, :orderId, :retailerId, :supplierId, left(:why, 300), :cur, :fee, :amount,"
                                + " 'DUE', now(), :by, now(), now(), :case, :request, :reverse) on conflict do nothing")
                .setParameter("id", id)
                .setParameter("supplierOrderId", g.supplierOrderId())
                .setParameter("orderId", g.orderId())
                .setParameter("retailerId", g.retailerId())
                .setParameter("supplierId", g.supplierId())
                .setParameter("why", g.reason())
                .setParameter("cur", g.currency())
                .setParameter("fee", g.restockingFee())
                .setParameter("amount", g.amount())
                .setParameter("by", g.requestedBy())
                .setParameter("case", g.caseId())
                .setParameter("request", g.returnRequestId())
                .setParameter("reverse", g.supplierPays())
                .executeUpdate()
                .chain(inserted -> inserted == 0
                        ? Uni.createFrom().item(false)
                        : Ledger.entries(
                                        s,
                                        g.supplierOrderId(),
                                        g.currency(),
                                        List.of(
                                                new Ledger.Entry(
                                                        g.supplierPays() ? "SUPPLIER_PAYABLE" : "PLATFORM_REVENUE",
                                                        g.supplierPays() ? g.supplierId() : "platform",
                                                        g.amount(),
                                                        BigDecimal.ZERO),
                                                new Ledger.Entry(
                                                        "RETAILER_RECEIVABLE",
                                                        g.retailerId(),
                                                        BigDecimal.ZERO,
                                                        g.amount())))
                                .replaceWith(true));
    }
}
