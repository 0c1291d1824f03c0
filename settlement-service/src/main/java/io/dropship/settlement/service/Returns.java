package io.dropship.settlement.service;

import static io.dropship.platform.sql.SqlValues.instant;

import io.dropship.platform.web.ProblemException;
import io.dropship.settlement.domain.ReturnPolicy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Whole returns of shipped, paid-out supplier orders ({@code supplier_order_return} rows of no case or request): the
 * supplier's {@link ReturnPolicy} says what it gives back; {@link GiveBacks} records it for the Stripe calls.
 */
@ApplicationScoped
public class Returns {

    public record Return(
            UUID returnId,
            UUID supplierOrderId,
            UUID orderId,
            String retailerId,
            String supplierId,
            String reason,
            String currency,
            BigDecimal restockingFee,
            BigDecimal amount,
            String status,
            String reversalId,
            String refundId,
            String lastError,
            Instant createdAt) {}

    /**
     * Returns the whole supplier order: 404 if it is not the retailer's ({@code retailerScope}, null for staff), 409
     * unless its supplier was paid, its policy takes it back, and it was not returned already.
     */
    public Uni<Return> request(Mutiny.Session s, String retailerScope, String by, UUID supplierOrderId, String reason) {
        return s.createNativeQuery(
                        "select order_id, retailer_id, supplier_id, currency,"
                                + " wholesale_total, shipping_cost, status, shipped_at from supplier_order_account"
                                + " where supplier_order_id = :supplierOrderId for update",
                        Object[].class)
                .setParameter("supplierOrderId", supplierOrderId)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty() || (retailerScope != null && !retailerScope.equals(rows.get(0)[1]))) {
                        throw ProblemException.notFound("supplier order " + supplierOrderId);
                    }
                    Object[] a = rows.get(0);
                    if (!"SETTLED".equals(a[6])) {
                        throw ProblemException.conflict("supplier order " + supplierOrderId + " is " + a[6]
                                + "; a return needs a shipped supplier order whose supplier has been paid");
                    }
                    String supplier = (String) a[2];
                    return ReturnPolicies.of(s, supplier).chain(p -> {
                        String refusal = p.refusal(supplier, instant(a[7]), Instant.now());
                        if (refusal != null) {
                            throw ProblemException.conflict(refusal);
                        }
                        String currency = (String) a[3];
                        ReturnPolicy.GiveBack back = p.giveBack(currency, (BigDecimal) a[4], 1, 1, (BigDecimal) a[5]);
                        return GiveBacks.record(
                                        s,
                                        UUID.randomUUID(),
                                        new GiveBacks.GiveBack(
                                                supplierOrderId,
                                                (UUID) a[0],
                                                (String) a[1],
                                                supplier,
                                                reason,
                                                currency,
                                                back.restockingFee(),
                                                back.amount(),
                                                by,
                                                null,
                                                null,
                                                true))
                                .invoke(recorded -> {
                                    if (!recorded) {
                                        throw ProblemException.conflict(
                                                "supplier order " + supplierOrderId + " was returned already");
                                    }
                                })
                                .chain(() -> find(s, supplierOrderId));
                    });
                });
    }

    /** Returns, newest first, after the {@code after} return; null filters are no filter. */
    public Uni<List<Return>> list(
            Mutiny.Session s, String retailerId, String supplierId, UUID supplierOrderId, UUID after, int limit) {
        return s.createNativeQuery(
                        "select " + COLUMNS + " from supplier_order_return"
                                + " where case_id is null and return_request_id is null and (cast(:retailerId as text) is null or retailer_id = :retailerId)"
                                + " and (cast(:supplierId as text) is null or supplier_id = :supplierId)"
                                + " and (cast(:supplierOrderId as uuid) is null or supplier_order_id = :supplierOrderId)"
                                + " and (cast(:after as uuid) is null or (created_at, id) < (select created_at, id from supplier_order_return"
                                + " where id = cast(:after as uuid)))"
                                + " order by created_at desc, id desc limit " + limit,
                        Object[].class)
                .setParameter("retailerId", retailerId)
                .setParameter("supplierId", supplierId)
                .setParameter("supplierOrderId", supplierOrderId)
                .setParameter("after", after)
                .getResultList()
                .map(rows -> rows.stream().map(Returns::toReturn).toList());
    }

    private static final String COLUMNS = "id, supplier_order_id, order_id, retailer_id, supplier_id, reason, currency,"
            + " restocking_fee, amount, status, reversal_id, refund_id, last_error, created_at";

    private static Uni<Return> find(Mutiny.Session s, UUID supplierOrderId) {
        return s.createNativeQuery(
                        "select " + COLUMNS + " from supplier_order_return where supplier_order_id = :supplierOrderId"
                                + " and case_id is null and return_request_id is null",
                        Object[].class)
                .setParameter("supplierOrderId", supplierOrderId)
                .getSingleResult()
                .map(Returns::toReturn);
    }

    private static Return toReturn(Object[] r) {
        return new Return(
                (UUID) r[0],
                (UUID) r[1],
                (UUID) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                (String) r[6],
                (BigDecimal) r[7],
                (BigDecimal) r[8],
                (String) r[9],
                (String) r[10],
                (String) r[11],
                (String) r[12],
                instant(r[13]));
    }
}
