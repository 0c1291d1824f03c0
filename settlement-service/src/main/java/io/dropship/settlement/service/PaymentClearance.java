package io.dropship.settlement.service;

import io.dropship.platform.outbox.Outbox;
import io.dropship.settlement.domain.CreditTerms;
import io.dropship.settlement.messaging.events.SettlementEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Decides when a payment's supplier orders may go to their suppliers, and says so (PaymentCleared): at once when the
 * retailer's credit terms cover it (basis CREDIT), and when the charge went through (basis CHARGED). Until then fulfillment-service keeps them
 * from their suppliers, so no supplier ships goods that nobody paid for; a failed charge holds them there.
 */
@ApplicationScoped
public class PaymentClearance {

    public static final String CHARGED = "CHARGED";
    public static final String CREDIT = "CREDIT";

    private final Outbox outbox;

    public PaymentClearance(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * A new payment: cleared now if the retailer has credit terms in its currency and what is outstanding on credit plus
     * this payment stays within the limit. Concurrent payments of one retailer take a lock on its credit first, so
     * two of them cannot each see room for themselves and together pass the limit.
     */
    public Uni<Void> onCredit(Mutiny.Session s, UUID paymentId, String retailerId, String currency, BigDecimal amount) {
        return s.createNativeQuery(
                        "select currency, credit_limit from retailer_credit where retailer_id = :retailerId",
                        Object[].class)
                .setParameter("retailerId", retailerId)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    CreditTerms terms = new CreditTerms(((String) rows.get(0)[0]).strip(), (BigDecimal) rows.get(0)[1]);
                    // The lock's void is counted, not returned: Hibernate 7.2 types a column of no registered type
                    // anew on every execution (and throws and drops an exception doing it); the count is a Long.
                    return s.createNativeQuery(
                                    "select count(*) from (select pg_advisory_xact_lock(hashtext('credit:' ||"
                                            + " :retailerId))) locked",
                                    Long.class)
                            .setParameter("retailerId", retailerId)
                            .getSingleResult()
                            .chain(() -> s.createNativeQuery(
                                            "select coalesce(sum(amount), 0) from payment where retailer_id = :retailerId"
                                                    + " and currency = :cur and cleared_basis = 'CREDIT' and status in ('DUE', 'ON_HOLD')"
                                                    + " and id <> :p",
                                            BigDecimal.class)
                                    .setParameter("retailerId", retailerId)
                                    .setParameter("cur", currency)
                                    .setParameter("p", paymentId)
                                    .getSingleResult())
                            .chain(outstanding -> terms.covers(currency, outstanding, amount)
                                    ? clear(s, paymentId, CREDIT)
                                    : Uni.createFrom().voidItem());
                });
    }

    /**
     * The charge went through (the caller calls this once, when the payment becomes SUCCEEDED). Said even when credit
     * cleared the payment before, so that the order shows it paid; fulfillment finds nothing left to release then.
     */
    public Uni<Void> charged(Mutiny.Session s, UUID paymentId) {
        return clear(s, paymentId, CHARGED);
    }

    /** Columns a payment's clearing returns, for {@link #announce}: its order, retailer, currency and amount. */
    public static final String CLEARED_COLUMNS = "order_id, order_number, retailer_id, currency, amount";

    /**
     * The same as {@link #charged(Mutiny.Session, UUID)} for a caller that has cleared the payment in its own update
     * ({@code cleared_at = coalesce(cleared_at, now()), cleared_basis = coalesce(cleared_basis, 'CHARGED')}, returning
     * {@link #CLEARED_COLUMNS}) and read its supplier orders still to ship: the announcement only.
     */
    public Uni<Void> charged(Mutiny.Session s, UUID paymentId, Object[] cleared, List<UUID> supplierOrders) {
        return announce(s, paymentId, CHARGED, cleared, supplierOrders);
    }

    private Uni<Void> clear(Mutiny.Session s, UUID paymentId, String basis) {
        return s.createNativeQuery(
                        "update payment set cleared_at = coalesce(cleared_at, now()),"
                                + " cleared_basis = coalesce(cleared_basis, :basis), updated_at = now()"
                                + " where id = :p and (cleared_at is null or :basis = 'CHARGED')"
                                + " returning " + CLEARED_COLUMNS,
                        Object[].class)
                .setParameter("basis", basis)
                .setParameter("p", paymentId)
                .getResultList()
                .chain(rows -> rows.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : supplierOrders(s, paymentId).chain(ids -> announce(s, paymentId, basis, rows.get(0), ids)));
    }

    /** PaymentCleared for a payment just cleared ({@code r}: its {@link #CLEARED_COLUMNS}). */
    private Uni<Void> announce(Mutiny.Session s, UUID paymentId, String basis, Object[] r, List<UUID> ids) {
        return outbox.publish(
                        s,
                        SettlementEvents.PaymentCleared.TOPIC,
                        r[0].toString(),
                        new SettlementEvents.PaymentCleared(
                                paymentId,
                                (UUID) r[0],
                                (String) r[1],
                                (String) r[2],
                                ids,
                                basis,
                                ((String) r[3]).strip(),
                                (BigDecimal) r[4],
                                Instant.now()))
                .replaceWithVoid();
    }

    /** The supplier orders a payment pays for that are still to ship (an ended one has nothing to send). */
    public static Uni<List<UUID>> supplierOrders(Mutiny.Session s, UUID paymentId) {
        return s.createNativeQuery(
                        "select supplier_order_id from supplier_order_account where payment_id = :p"
                                + " and status <> 'CANCELLED' order by supplier_order_id",
                        UUID.class)
                .setParameter("p", paymentId)
                .getResultList();
    }
}
