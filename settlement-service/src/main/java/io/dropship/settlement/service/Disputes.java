package io.dropship.settlement.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.platform.outbox.Outbox;
import io.dropship.settlement.domain.CurrencyUnits;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Card disputes as Stripe reports them (charge.dispute.created, .updated, .closed), applied to the dispute's row only
 * when newer than what it holds (events arrive late and out of order). A new dispute is announced (PaymentDisputed:
 * order-service opens a DISPUTE case, the gateway tells the retailer and support) and its amount booked as disputed
 * funds; while it is open the transfers of its payment's supplier orders wait; when it closes, the outcome is booked
 * (won: the funds come back; lost: the platform bears them) and the transfers are due again.
 *
 * <p>What Stripe moved for the dispute (its balance transactions: the withdrawal with the dispute fee, the reinstatement)
 * is recorded once per balance transaction and its fee booked (DISPUTE_FEES), for the daily reconciliation. When the
 * dispute's reason is the supplier's to answer for ({@code dropship.settlement.disputes.reverse-transfers-for}), the
 * supplier's share of the disputed amount is taken back from transfers already paid ({@code dispute_reversal}, made by
 * {@link io.dropship.settlement.stripe.DisputeMoney}): paid again if the dispute is won, kept if it is lost, and taken
 * from the transfers still waiting once they are paid if it is lost.
 */
@ApplicationScoped
public class Disputes {

    private static final Logger LOG = Logger.getLogger(Disputes.class);
    public static final String TOPIC = "PaymentDisputed";

    /** PaymentDisputed (contracts/events/PaymentDisputed.schema.json). */
    public record PaymentDisputed(
            String disputeId,
            UUID orderId,
            String retailerId,
            UUID paymentId,
            String chargeId,
            BigDecimal amount,
            String currency,
            String reason,
            String status,
            String event,
            Instant evidenceDueBy,
            String outcome,
            Instant occurredAt) {}

    public record Dispute(
            String disputeId,
            UUID orderId,
            String retailerId,
            UUID paymentId,
            String chargeId,
            BigDecimal amount,
            String currency,
            String reason,
            String status,
            Instant evidenceDueBy,
            Instant evidenceSubmittedAt,
            String evidenceSubmittedBy,
            Instant openedAt,
            Instant closedAt,
            String outcome,
            List<Movement> movements,
            List<Reversal> reversals) {

        Dispute with(List<Movement> movements, List<Reversal> reversals) {
            return new Dispute(
                    disputeId,
                    orderId,
                    retailerId,
                    paymentId,
                    chargeId,
                    amount,
                    currency,
                    reason,
                    status,
                    evidenceDueBy,
                    evidenceSubmittedAt,
                    evidenceSubmittedBy,
                    openedAt,
                    closedAt,
                    outcome,
                    movements,
                    reversals);
        }
    }

    /** What Stripe's balance moved for the dispute: amount negative when withdrawn; fee negative when given back. */
    public record Movement(
            String balanceTransactionId, BigDecimal amount, BigDecimal fee, String currency, Instant at) {}

    /**
     * A supplier's share taken back by policy: HELD (its transfer waits), REVERSE_DUE, REVERSED, REPAY_DUE, REPAID (the
     * dispute was won), KEPT (lost), RELEASED (won before anything was taken back).
     */
    public record Reversal(
            UUID supplierOrderId,
            String supplierId,
            BigDecimal amount,
            String currency,
            String status,
            String reversalId,
            String repayTransferId,
            String lastError) {}

    private static final String COLUMNS =
            "id, order_id, retailer_id, payment_id, charge_id, amount, currency, reason, status,"
                    + " evidence_due_by, evidence_submitted_at, evidence_submitted_by, opened_at, closed_at, outcome";

    /** Disputes newest first (at most 200), with their movements and reversals; state open, closed or null for both. */
    public static Uni<List<Dispute>> list(Mutiny.Session s, String retailerId, String state) {
        return s.createNativeQuery(
                        "select " + COLUMNS + " from dispute where"
                                + " (cast(:retailerId as text) is null or retailer_id = :retailerId) and (cast(:state as text) is null"
                                + " or (:state = 'open' and closed_at is null) or (:state = 'closed' and closed_at is not null))"
                                + " order by opened_at desc limit 200",
                        Object[].class)
                .setParameter("retailerId", retailerId)
                .setParameter("state", state)
                .getResultList()
                .chain(rows -> details(s, rows.stream().map(Disputes::dispute).toList()));
    }

    /** One dispute with its movements and reversals; 404 if there is none or it is not the retailer's (null: staff). */
    public static Uni<Dispute> find(Mutiny.Session s, String id, String retailerScope) {
        return row(s, id, retailerScope).chain(d -> details(s, List.of(d))).map(l -> l.get(0));
    }

    /** The dispute's own row (no movements or reversals); 404 as {@link #find}. */
    public static Uni<Dispute> row(Mutiny.Session s, String id, String retailerScope) {
        return s.createNativeQuery("select " + COLUMNS + " from dispute where id = :id", Object[].class)
                .setParameter("id", id)
                .getResultList()
                .map(rows -> {
                    Dispute d = rows.isEmpty() ? null : dispute(rows.get(0));
                    if (d == null || (retailerScope != null && !retailerScope.equals(d.retailerId()))) {
                        throw io.dropship.platform.web.ProblemException.notFound("dispute " + id);
                    }
                    return d;
                });
    }

    /** The disputes with their movements and reversals: two queries for the whole page. */
    private static Uni<List<Dispute>> details(Mutiny.Session s, List<Dispute> disputes) {
        if (disputes.isEmpty()) {
            return Uni.createFrom().item(disputes);
        }
        List<String> ids = disputes.stream().map(Dispute::disputeId).toList();
        return s.createNativeQuery(
                        "select dispute_id, balance_transaction_id, amount, fee, currency, created_at"
                                + " from dispute_movement where dispute_id in (:ids) order by created_at, balance_transaction_id",
                        Object[].class)
                .setParameter("ids", ids)
                .getResultList()
                .chain(moves -> s.createNativeQuery(
                                "select dispute_id, supplier_order_id, supplier_id, amount, currency, status,"
                                        + " reversal_id, repay_transfer_id, last_error from dispute_reversal where dispute_id in (:ids)"
                                        + " order by supplier_order_id",
                                Object[].class)
                        .setParameter("ids", ids)
                        .getResultList()
                        .map(reversals -> disputes.stream()
                                .map(d -> d.with(
                                        moves.stream()
                                                .filter(m -> d.disputeId().equals(m[0]))
                                                .map(m -> new Movement(
                                                        (String) m[1],
                                                        (BigDecimal) m[2],
                                                        (BigDecimal) m[3],
                                                        ((String) m[4]).strip(),
                                                        io.dropship.platform.sql.SqlValues.instant(m[5])))
                                                .toList(),
                                        reversals.stream()
                                                .filter(r -> d.disputeId().equals(r[0]))
                                                .map(r -> new Reversal(
                                                        (UUID) r[1],
                                                        (String) r[2],
                                                        (BigDecimal) r[3],
                                                        ((String) r[4]).strip(),
                                                        (String) r[5],
                                                        (String) r[6],
                                                        (String) r[7],
                                                        (String) r[8]))
                                                .toList()))
                                .toList()));
    }

    private static Dispute dispute(Object[] r) {
        return new Dispute(
                (String) r[0],
                (UUID) r[1],
                (String) r[2],
                (UUID) r[3],
                (String) r[4],
                (BigDecimal) r[5],
                ((String) r[6]).strip(),
                (String) r[7],
                (String) r[8],
                io.dropship.platform.sql.SqlValues.instant(r[9]),
                io.dropship.platform.sql.SqlValues.instant(r[10]),
                (String) r[11],
                io.dropship.platform.sql.SqlValues.instant(r[12]),
                io.dropship.platform.sql.SqlValues.instant(r[13]),
                (String) r[14],
                List.of(),
                List.of());
    }

    private final Outbox outbox;
    private final MeterRegistry meters;
    private final java.util.Set<String> reverseFor;

    public Disputes(
            Outbox outbox,
            MeterRegistry meters,
            @ConfigProperty(name = "dropship.settlement.disputes.reverse-transfers-for") List<String> reverseFor) {
        this.outbox = outbox;
        this.meters = meters;
        this.reverseFor = java.util.Set.copyOf(reverseFor);
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
        // The charge's lock: the payment recording this charge (StripeCalls.succeeded) and its dispute queue, so
        // whichever
        // comes second sees the other (a dispute reported before its charge is tied to the payment there).
        return io.dropship.platform.outbox.TransactionLock.take(s, "charge:" + charge)
                .chain(() -> record(s, id, charge, created, o, currency, amount, status, dueBy, closed))
                .chain(() -> movements(s, id, o))
                .chain(() -> bookMovements(s, id));
    }

    private Uni<Void> record(
            Mutiny.Session s,
            String id,
            String charge,
            OffsetDateTime created,
            JsonNode o,
            String currency,
            BigDecimal amount,
            String status,
            OffsetDateTime dueBy,
            boolean closed) {
        return s.createNativeQuery(
                        "select status, event_created, closed_at from dispute where id = :id for update",
                        Object[].class)
                .setParameter("id", id)
                .getResultList()
                .chain(rows -> {
                    if (!rows.isEmpty()) {
                        Object[] r = rows.get(0);
                        OffsetDateTime known =
                                r[1] instanceof OffsetDateTime t ? t : ((Instant) r[1]).atOffset(ZoneOffset.UTC);
                        if (known.isAfter(created) || r[2] != null) {
                            return Uni.createFrom().voidItem(); // older news, or closed already: nothing changes
                        }
                        return s.createNativeQuery(
                                        "update dispute set status = :st, event_created = :at,"
                                                + " evidence_due_by = coalesce(:due, evidence_due_by),"
                                                + " closed_at = case when :closed then now() end, outcome = :outcome where id = :id")
                                .setParameter("st", status)
                                .setParameter("at", created)
                                .setParameter("due", dueBy)
                                .setParameter("closed", closed)
                                .setParameter("outcome", outcome(status))
                                .setParameter("id", id)
                                .executeUpdate()
                                .chain(() -> closed ? close(s, id, status) : announce(s, id, "UPDATED"));
                    }
                    return s.createNativeQuery(
                                    "select id, order_id, retailer_id from payment where charge_id = :ch",
                                    Object[].class)
                            .setParameter("ch", charge)
                            .getResultList()
                            .chain(payments -> {
                                Object[] p = payments.isEmpty() ? null : payments.get(0);
                                if (p == null) {
                                    LOG.warnf(
                                            "dispute %s is of charge %s, which no payment of the platform made",
                                            id, charge);
                                }
                                return s.createNativeQuery(
                                                "insert into dispute (id, charge_id, payment_id, order_id, retailer_id,"
                                                        + " amount, currency, reason, status, evidence_due_by, event_created, opened_at,"
                                                        + " closed_at, outcome) values (:id, :ch, :p, :o, :r, :amount, :cur, :reason, :st, :due,"
                                                        + " :at, now(), case when :closed then now() end, :outcome)")
                                        .setParameter("id", id)
                                        .setParameter("ch", charge)
                                        .setParameter("p", p == null ? null : p[0])
                                        .setParameter("o", p == null ? null : p[1])
                                        .setParameter("r", p == null ? null : p[2])
                                        .setParameter("amount", amount)
                                        .setParameter("cur", currency)
                                        .setParameter("reason", o.path("reason").asText(null))
                                        .setParameter("st", status)
                                        .setParameter("due", dueBy)
                                        .setParameter("at", created)
                                        .setParameter("closed", closed)
                                        .setParameter("outcome", outcome(status))
                                        .executeUpdate()
                                        .invoke(() -> meters.counter("dropship.settlement.disputes", "event", "opened")
                                                .increment())
                                        .chain(() -> p == null
                                                ? Uni.createFrom().voidItem()
                                                : opened(s, id, (UUID) p[0], currency, amount)
                                                        .chain(() -> closed
                                                                ? close(s, id, status)
                                                                : Uni.createFrom()
                                                                        .voidItem()));
                            });
                });
    }

    /** A dispute tied to its payment: the disputed funds booked, the news, and the supplier's share taken back by policy. */
    private Uni<Void> opened(Mutiny.Session s, String id, UUID payment, String currency, BigDecimal amount) {
        return book(
                        s,
                        payment,
                        currency,
                        List.of(
                                new Ledger.Entry("DISPUTED_FUNDS", "platform", amount, BigDecimal.ZERO),
                                new Ledger.Entry("STRIPE_BALANCE", "platform", BigDecimal.ZERO, amount)))
                .chain(() -> announce(s, id, "CREATED"))
                .chain(() -> takeBack(s, id, currency));
    }

    /**
     * By policy, the supplier's share of the disputed amount, per supplier order of the payment (its payout in the
     * proportion the disputed amount bears to the charge): due to be reversed where the transfer was paid, HELD where it
     * waits (its transfer waits for the dispute anyway).
     */
    private Uni<Void> takeBack(Mutiny.Session s, String id, String currency) {
        return s.createNativeQuery("select reason from dispute where id = :id", String.class)
                .setParameter("id", id)
                .getSingleResult()
                .chain(reason -> reason == null || !reverseFor.contains(reason)
                        ? Uni.createFrom().voidItem()
                        : s.createNativeQuery(
                                        "insert into dispute_reversal (dispute_id, supplier_order_id, supplier_id, order_id,"
                                                + " currency, amount, status, next_at, created_at, updated_at)"
                                                + " select d.id, a.supplier_order_id, a.supplier_id, a.order_id, a.currency, x.share,"
                                                + " case when a.transfer_id is null then 'HELD' else 'REVERSE_DUE' end,"
                                                + " case when a.transfer_id is null then null else now() end, now(), now()"
                                                + " from dispute d join payment p on p.id = d.payment_id"
                                                + " join supplier_order_account a on a.payment_id = p.id"
                                                + " cross join lateral (select least(round(a.supplier_payout * d.amount / p.amount, :scale),"
                                                + " a.supplier_payout - a.transfer_reversed) as share) x"
                                                + " where d.id = :id and a.status in ('INVOICED', 'SETTLED') and a.supplier_payout is not null"
                                                + " and p.amount > 0 and x.share > 0 on conflict do nothing")
                                .setParameter("id", id)
                                .setParameter("scale", CurrencyUnits.scale(currency))
                                .executeUpdate()
                                .invoke(n -> LOG.infof(
                                        "dispute %s (%s): the supplier's share of %d supplier order(s) is taken back",
                                        id, reason, n))
                                .replaceWithVoid());
    }

    /** Stripe's balance transactions of the dispute, as its object lists them, each recorded once. */
    private static Uni<Void> movements(Mutiny.Session s, String id, JsonNode o) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (JsonNode t : o.path("balance_transactions")) {
            String txn = t.path("id").asText(null);
            if (txn == null || !t.path("amount").canConvertToLong()) {
                continue;
            }
            String currency = t.path("currency").asText("usd").toUpperCase(java.util.Locale.ROOT);
            chain = chain.chain(() -> s.createNativeQuery(
                            "insert into dispute_movement (balance_transaction_id, dispute_id, amount,"
                                    + " fee, currency, created_at) values (:t, :d, :amount, :fee, :cur, :at) on conflict do nothing")
                    .setParameter("t", txn)
                    .setParameter("d", id)
                    .setParameter(
                            "amount",
                            CurrencyUnits.fromMinor(currency, t.path("amount").asLong()))
                    .setParameter(
                            "fee",
                            CurrencyUnits.fromMinor(currency, t.path("fee").asLong()))
                    .setParameter("cur", currency)
                    .setParameter(
                            "at",
                            Instant.ofEpochSecond(t.path("created")
                                            .asLong(Instant.now().getEpochSecond()))
                                    .atOffset(ZoneOffset.UTC))
                    .executeUpdate()
                    .replaceWithVoid());
        }
        return chain;
    }

    /** The dispute fees Stripe took (or gave back) and the ledger has not booked yet, once the payment is known. */
    private static Uni<Void> bookMovements(Mutiny.Session s, String id) {
        return s.createNativeQuery(
                        "update dispute_movement m set booked = true from dispute d where d.id = m.dispute_id"
                                + " and m.dispute_id = :id and not m.booked and d.payment_id is not null"
                                + " returning m.fee, m.currency, d.payment_id",
                        Object[].class)
                .setParameter("id", id)
                .getResultList()
                .chain(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        BigDecimal fee = (BigDecimal) r[0];
                        if (fee.signum() == 0) {
                            continue;
                        }
                        BigDecimal abs = fee.abs();
                        chain = chain.chain(() -> book(
                                s,
                                (UUID) r[2],
                                ((String) r[1]).strip(),
                                fee.signum() > 0
                                        ? List.of(
                                                new Ledger.Entry("DISPUTE_FEES", "platform", abs, BigDecimal.ZERO),
                                                new Ledger.Entry("STRIPE_BALANCE", "platform", BigDecimal.ZERO, abs))
                                        : List.of(
                                                new Ledger.Entry("STRIPE_BALANCE", "platform", abs, BigDecimal.ZERO),
                                                new Ledger.Entry("DISPUTE_FEES", "platform", BigDecimal.ZERO, abs))));
                    }
                    return chain;
                });
    }

    /**
     * A dispute can be reported before the platform recorded the charge it disputes (the charge's answer and the
     * dispute event race): once the payment has its charge, the disputes waiting for it are tied to it, booked and
     * announced.
     */
    public Uni<Void> charged(Mutiny.Session s, String chargeId) {
        return s.createNativeQuery(
                        "update dispute d set payment_id = p.id, order_id = p.order_id, retailer_id = p.retailer_id"
                                + " from payment p where p.charge_id = :ch and d.charge_id = :ch and d.payment_id is null"
                                + " returning d.id, d.amount, d.currency, d.status, d.closed_at, p.id",
                        Object[].class)
                .setParameter("ch", chargeId)
                .getResultList()
                .chain(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        String id = (String) r[0];
                        BigDecimal amount = (BigDecimal) r[1];
                        String currency = ((String) r[2]).strip();
                        chain = chain.chain(() -> opened(s, id, (UUID) r[5], currency, amount))
                                .chain(() -> bookMovements(s, id))
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
                .setParameter("id", id)
                .getSingleResult()
                .chain(d -> {
                    meters.counter("dropship.settlement.disputes", "event", status)
                            .increment();
                    if (d[0] == null) {
                        return Uni.createFrom().voidItem();
                    }
                    UUID payment = (UUID) d[0];
                    BigDecimal amount = (BigDecimal) d[1];
                    String currency = ((String) d[2]).strip();
                    boolean won = status.equals("won");
                    boolean lost = status.equals("lost");
                    return book(
                                    s,
                                    payment,
                                    currency,
                                    List.of(
                                            new Ledger.Entry(
                                                    won ? "STRIPE_BALANCE" : "PLATFORM_REVENUE",
                                                    "platform",
                                                    amount,
                                                    BigDecimal.ZERO),
                                            new Ledger.Entry("DISPUTED_FUNDS", "platform", BigDecimal.ZERO, amount)))
                            .chain(() -> settleReversals(s, id, !lost))
                            .chain(() -> s.createNativeQuery(
                                            "update supplier_order_account set money_next_at = now(), updated_at = now()"
                                                    + " where payment_id = :p and status = 'INVOICED' and shipped_at is not null and transfer_id is null")
                                    .setParameter("p", payment)
                                    .executeUpdate())
                            .chain(() -> announce(s, id, "CLOSED"));
                });
    }

    /**
     * The supplier's share once the dispute is decided. Won (or closed without a loss): what was taken back is paid
     * again (REPAY_DUE), what was not yet taken is let go (RELEASED). Lost: what was taken back is kept, the supplier
     * bearing its share of the platform's loss; what was not yet taken is taken once the transfer is paid.
     */
    private static Uni<Void> settleReversals(Mutiny.Session s, String id, boolean won) {
        return s.createNativeQuery(
                        "update dispute_reversal set status = case when :won"
                                + " then case when status = 'REVERSED' then 'REPAY_DUE' else 'RELEASED' end"
                                + " else case when status = 'REVERSED' then 'KEPT' else 'REVERSE_DUE' end end,"
                                + " next_at = case when (:won and status = 'REVERSED') or (not :won and status <> 'REVERSED') then now() end,"
                                + " updated_at = now() where dispute_id = :id and status in ('HELD', 'REVERSE_DUE', 'REVERSED')"
                                + " returning supplier_order_id, supplier_id, currency, amount, status",
                        Object[].class)
                .setParameter("won", won)
                .setParameter("id", id)
                .getResultList()
                .chain(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        if ("KEPT".equals(r[4])) {
                            chain = chain.chain(() -> Ledger.entries(
                                    s, (UUID) r[0], ((String) r[2]).strip(), kept((String) r[1], (BigDecimal) r[3])));
                        }
                    }
                    return chain;
                });
    }

    /** A lost dispute's share taken back from the supplier: what the platform owed it again pays down the platform's loss. */
    public static List<Ledger.Entry> kept(String supplierId, BigDecimal amount) {
        return List.of(
                new Ledger.Entry("SUPPLIER_PAYABLE", supplierId, amount, BigDecimal.ZERO),
                new Ledger.Entry("PLATFORM_REVENUE", "platform", BigDecimal.ZERO, amount));
    }

    /** Dispute entries go with the first supplier order of the payment (the ledger is kept per supplier order). */
    private static Uni<Void> book(Mutiny.Session s, UUID payment, String currency, List<Ledger.Entry> entries) {
        return s.createNativeQuery(
                        "select supplier_order_id from supplier_order_account where payment_id = :p"
                                + " order by supplier_order_id limit 1",
                        UUID.class)
                .setParameter("p", payment)
                .getResultList()
                .chain(sos ->
                        sos.isEmpty() ? Uni.createFrom().voidItem() : Ledger.entries(s, sos.get(0), currency, entries));
    }

    private Uni<Void> announce(Mutiny.Session s, String id, String event) {
        return s.createNativeQuery(
                        "select order_id, retailer_id, payment_id, charge_id, amount, currency, reason, status,"
                                + " evidence_due_by, outcome from dispute where id = :id",
                        Object[].class)
                .setParameter("id", id)
                .getSingleResult()
                .chain(d -> d[0] == null
                        ? Uni.createFrom().voidItem()
                        : outbox.publish(
                                        s,
                                        TOPIC,
                                        d[0].toString(),
                                        new PaymentDisputed(
                                                id,
                                                (UUID) d[0],
                                                (String) d[1],
                                                (UUID) d[2],
                                                (String) d[3],
                                                (BigDecimal) d[4],
                                                ((String) d[5]).strip(),
                                                (String) d[6],
                                                (String) d[7],
                                                event,
                                                io.dropship.platform.sql.SqlValues.instant(d[8]),
                                                (String) d[9],
                                                Instant.now()))
                                .replaceWithVoid());
    }
}
