package io.dropship.settlement.service;

import io.dropship.platform.outbox.Outbox;
import io.dropship.settlement.domain.ReturnPolicy;
import io.dropship.settlement.messaging.events.SettlementEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import org.hibernate.reactive.mutiny.Mutiny;

/** Suppliers' return policies ({@code supplier_return_policy}); a change is announced (ReturnPolicyChanged). */
@ApplicationScoped
public class ReturnPolicies {

    private final Outbox outbox;

    public ReturnPolicies(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The supplier's policy, or {@link ReturnPolicy#DEFAULT} until it sets one. */
    public static Uni<ReturnPolicy> of(Mutiny.Session s, String supplierId) {
        return s.createNativeQuery(
                        "select accepts_returns, window_days, refund_shipping, restocking_fee_percent,"
                                + " return_shipping_paid_by from supplier_return_policy where supplier_id = :supplierId",
                        Object[].class)
                .setParameter("supplierId", supplierId)
                .getResultList()
                .map(rows -> rows.isEmpty()
                        ? ReturnPolicy.DEFAULT
                        : new ReturnPolicy(
                                (Boolean) rows.get(0)[0],
                                (Integer) rows.get(0)[1],
                                (Boolean) rows.get(0)[2],
                                (BigDecimal) rows.get(0)[3],
                                (String) rows.get(0)[4]));
    }

    /** Sets the supplier's policy and announces it for the supplier directory (catalog-service shows its summary). */
    public Uni<Void> save(Mutiny.Session s, String supplierId, ReturnPolicy p) {
        return s.createNativeQuery("insert into supplier_return_policy (supplier_id, accepts_returns,"
                        + " window_days, refund_shipping, restocking_fee_percent, return_shipping_paid_by, updated_at)"
                        + " values (:supplierId, :accepts, :window, :refundShipping, :fee, :paidBy, now())"
                        + " on conflict (supplier_id) do update set accepts_returns = excluded.accepts_returns,"
                        + " window_days = excluded.window_days, refund_shipping = excluded.refund_shipping,"
                        + " restocking_fee_percent = excluded.restocking_fee_percent,"
                        + " return_shipping_paid_by = excluded.return_shipping_paid_by, updated_at = now()")
                .setParameter("supplierId", supplierId)
                .setParameter("accepts", p.acceptsReturns())
                .setParameter("window", p.windowDays())
                .setParameter("refundShipping", p.refundShipping())
                .setParameter("fee", p.restockingFeePercent())
                .setParameter("paidBy", p.returnShippingPaidBy())
                .executeUpdate()
                .chain(() -> outbox.publish(
                        s,
                        SettlementEvents.ReturnPolicyChanged.TOPIC,
                        supplierId,
                        new SettlementEvents.ReturnPolicyChanged(
                                supplierId,
                                p.acceptsReturns(),
                                p.windowDays(),
                                p.refundShipping(),
                                p.restockingFeePercent(),
                                p.returnShippingPaidBy(),
                                Instant.now())))
                .replaceWithVoid();
    }
}
