package io.dropship.settlement.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.platform.outbox.Outbox;
import io.dropship.settlement.domain.CurrencyUnits;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Card disputes as Stripe reports them (charge.dispute.created, .updated, .closed), applied to the dispute's row only
 * when newer than what it holds (events arrive late and out of order). A new dispute is announced (PaymentDisputed:
 * order-service opens a DISPUTE case, the gateway tells the retailer and support) and its amount booked as disputed
 * funds; while it is open the transfers of its payment's supplier orders wait; when it closes, the outcome is booked
 * (won: the funds come back; lost: the platform bears them) and the transfers are due again.
 */
@ApplicationScoped
public class Disputes {

    private static final Logger LOG = Logger.getLogger(Disputes.class);
    public static final String TOPIC = "PaymentDisputed";

    /** PaymentDisputed (contracts/events/PaymentDisputed.schema.json). */
    public record PaymentDisputed(String disputeId, UUID orderId, String retailerId, UUID paymentId, String chargeId,
                                  BigDecimal amount, String currency, String reason, String status, String event,
                                  Instant evidenceDueBy, String outcome, Instant occurredAt) {
    }

    private final Outbox outbox;
    private final MeterRegistry meters;

    public Disputes(Outbox outbox, MeterRegistry meters) {
        this.outbox = outbox;
        this.meters = meters;
    }

    public Uni<Void> apply(Mutiny.Session s, OffsetDateTime created, JsonNode o) {
        String id = o.path("id").asText(null);
        String charge = o.path("charge").asText(null);
        if (id == null || charge == null) {
            return Uni.createFrom().voidItem();
        }
        String currency = o.path("currency").asText("usd").toUpperCase(java.util.Locale.ROOT);
        BigDecimal amount = CurrencyUnits.fromMinor(currency, o.path("amount").asLong());
        String status = o.path("status").asText("needs_response");
        long due = o.path("evidence_details").path("due_by").asLong(0);
        OffsetDateTime dueBy = due == 0 ? null : Instant.ofEpochSecond(due).atOffset(ZoneOffset.UTC);
        boolean closed = status.equals("won") || status.equals("lost") || status.equals("warning_closed");
        // The charge's lock: the payment recording this charge (MoneyDesk.succeeded) and its dispute queue, so whichever
        // comes second sees the other (a dispute reported before its charge is tied to the payment there).
        return io.dropship.platform.outbox.TransactionLock.take(s, "charge:" + charge)
                .chain(() -> s.createNativeQuery("select status, event_created, closed_at from dispute where id = :id for update", Object[].class)
                .setParameter("id", id).getResultList()
                .chain(rows -> {
                    if (!rows.isEmpty()) {
                        Object[] r = rows.get(0);
                        OffsetDateTime known = r[1] instanceof OffsetDateTime t ? t : ((Instant) r[1]).atOffset(ZoneOffset.UTC);
                        if (known.isAfter(created) || r[2] != null) {
                            return Uni.createFrom().voidItem();   // older news, or closed already: nothing changes
                        }
                        return s.createNativeQuery("update dispute set status = :st, event_created = :at,"
                                        + " evidence_due_by = coalesce(:due, evidence_due_by),"
                                        + " closed_at = case when :closed then now() end, outcome = :outcome where id = :id")
                                .setParameter("st", status).setParameter("at", created).setParameter("due", dueBy)
                                .setParameter("closed", closed).setParameter("outcome", outcome(status)).setParameter("id", id)
                                .executeUpdate()
                                .chain(() -> closed ? close(s, id, status) : announce(s, id, "UPDATED"));
                    }
                    return s.createNativeQuery("select id, order_id, retailer_id from payment where charge_id = :ch", Object[].class)
                            .setParameter("ch", charge).getResultList()
                            .chain(payments -> {
                                Object[] p = payments.isEmpty() ? null : payments.get(0);
                                if (p == null) {
                                    LOG.warnf("dispute %s is of charge %s, which no payment of the platform made", id, charge);
                                }
                                return s.createNativeQuery("insert into dispute (id, charge_id, payment_id, order_id, retailer_id,"
                                                + " amount, currency, reason, status, evidence_due_by, event_created, opened_at,"
                                                + " closed_at, outcome) values (:id, :ch, :p, :o, :r, :amount, :cur, :reason, :st, :due,"
                                                + " :at, now(), case when :closed then now() end, :outcome)")
                                        .setParameter("id", id).setParameter("ch", charge)
                                        .setParameter("p", p == null ? null : p[0]).setParameter("o", p == null ? null : p[1])
                                        .setParameter("r", p == null ? null : p[2]).setParameter("amount", amount)
                                        .setParameter("cur", currency).setParameter("reason", o.path("reason").asText(null))
                                        .setParameter("st", status).setParameter("due", dueBy).setParameter("at", created)
                                        .setParameter("closed", closed).setParameter("outcome", outcome(status)).executeUpdate()
                                        .invoke(() -> meters.counter("dropship.settlement.disputes", "event", "opened").increment())
                                        .chain(() -> p == null ? Uni.createFrom().voidItem()
                                                : book(s, (UUID) p[0], currency, List.of(
                                                new Ledger.Entry("DISPUTED_FUNDS", "platform", amount, BigDecimal.ZERO),
                                                new Ledger.Entry("STRIPE_BALANCE", "platform", BigDecimal.ZERO, amount)))
                                                .chain(() -> announce(s, id, "CREATED"))
                                                .chain(() -> closed ? close(s, id, status) : Uni.createFrom().voidItem()));
                            });
                }));
    }

    /**
     * A dispute can be reported before the platform recorded the charge it disputes (the charge's answer and the
     * dispute event race): once the payment has its charge, the disputes waiting for it are tied to it, booked and
     * announced.
     */
    public Uni<Void> charged(Mutiny.Session s, String chargeId) {
        return s.createNativeQuery("update dispute d set payment_id = p.id, order_id = p.order_id, retailer_id = p.retailer_id"
                        + " from payment p where p.charge_id = :ch and d.charge_id = :ch and d.payment_id is null"
                        + " returning d.id, d.amount, d.currency, d.status, d.closed_at, p.id", Object[].class)
                .setParameter("ch", chargeId).getResultList()
                .chain(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        String id = (String) r[0];
                        BigDecimal amount = (BigDecimal) r[1];
                        String currency = ((String) r[2]).strip();
                        chain = chain.chain(() -> book(s, (UUID) r[5], currency, List.of(
                                        new Ledger.Entry("DISPUTED_FUNDS", "platform", amount, BigDecimal.ZERO),
                                        new Ledger.Entry("STRIPE_BALANCE", "platform", BigDecimal.ZERO, amount))))
                                .chain(() -> announce(s, id, "CREATED"))
                                .chain(() -> r[4] == null ? Uni.createFrom().voidItem() : close(s, id, (String) r[3]));
                    }
                    return chain;
                });
    }

    private static String outcome(String status) {
        return status.equals("won") ? "WON" : status.equals("lost") ? "LOST" : null;
    }

    /** The outcome in the ledger, the payment's transfers due again, and the news. */
    private Uni<Void> close(Mutiny.Session s, String id, String status) {
        return s.createNativeQuery("select payment_id, amount, currency from dispute where id = :id", Object[].class)
                .setParameter("id", id).getSingleResult()
                .chain(d -> {
                    meters.counter("dropship.settlement.disputes", "event", status).increment();
                    if (d[0] == null) {
                        return Uni.createFrom().voidItem();
                    }
                    UUID payment = (UUID) d[0];
                    BigDecimal amount = (BigDecimal) d[1];
                    String currency = ((String) d[2]).strip();
                    boolean won = status.equals("won");
                    return book(s, payment, currency, List.of(
                                    new Ledger.Entry(won ? "STRIPE_BALANCE" : "PLATFORM_REVENUE", "platform", amount, BigDecimal.ZERO),
                                    new Ledger.Entry("DISPUTED_FUNDS", "platform", BigDecimal.ZERO, amount)))
                            .chain(() -> s.createNativeQuery("update supplier_order_account set money_next_at = now(), updated_at = now()"
                                            + " where payment_id = :p and status = 'INVOICED' and shipped_at is not null and transfer_id is null")
                                    .setParameter("p", payment).executeUpdate())
                            .chain(() -> announce(s, id, "CLOSED"));
                });
    }

    /** Dispute entries go with the first supplier order of the payment (the ledger is kept per supplier order). */
    private static Uni<Void> book(Mutiny.Session s, UUID payment, String currency, List<Ledger.Entry> entries) {
        return s.createNativeQuery("select supplier_order_id from supplier_order_account where payment_id = :p"
                        + " order by supplier_order_id limit 1", UUID.class)
                .setParameter("p", payment).getResultList()
                .chain(sos -> sos.isEmpty() ? Uni.createFrom().voidItem() : Ledger.entries(s, sos.get(0), currency, entries));
    }

    private Uni<Void> announce(Mutiny.Session s, String id, String event) {
        return s.createNativeQuery("select order_id, retailer_id, payment_id, charge_id, amount, currency, reason, status,"
                        + " evidence_due_by, outcome from dispute where id = :id", Object[].class)
                .setParameter("id", id).getSingleResult()
                .chain(d -> d[0] == null ? Uni.createFrom().voidItem()
                        : outbox.publish(s, TOPIC, d[0].toString(), new PaymentDisputed(id, (UUID) d[0], (String) d[1], (UUID) d[2],
                        (String) d[3], (BigDecimal) d[4], ((String) d[5]).strip(), (String) d[6], (String) d[7], event,
                        io.dropship.platform.outbox.SqlValues.instant(d[8]), (String) d[9], Instant.now())).replaceWithVoid());
    }
}
