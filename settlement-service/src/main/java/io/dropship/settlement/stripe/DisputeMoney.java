package io.dropship.settlement.stripe;

import com.stripe.net.RequestOptions;
import com.stripe.param.TransferCreateParams;
import com.stripe.param.TransferReversalCreateParams;
import io.dropship.platform.outbox.OrderActivity;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.Retrying;
import io.dropship.platform.work.Backoff;
import io.dropship.platform.work.WorkQueue;
import io.dropship.settlement.domain.CurrencyUnits;
import io.dropship.settlement.service.Disputes;
import io.dropship.settlement.service.Ledger;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * The Stripe calls of a dispute's policy ({@link Disputes}): the supplier's share reversed from its transfer while the
 * dispute is open (or once the transfer is paid, when it was lost first), and paid again by a new transfer when the
 * dispute is won. Claimed from {@code dispute_reversal} with SKIP LOCKED and a lease like every other call of the
 * {@link StripeCalls}, under idempotency keys of the dispute and supplier order, so a crash or a timeout never moves the
 * money twice. What the reversal's outcome means is read when it is recorded: a dispute decided while the call was out
 * is applied then.
 */
@ApplicationScoped
public class DisputeMoney {

    private static final Logger LOG = Logger.getLogger(DisputeMoney.class);
    private static final int BATCH = 20;
    /** Reversals and repayments to make, claimed for two minutes (the calls of a round). */
    private static final WorkQueue QUEUE =
            WorkQueue.of("dispute_reversal", "dispute_id, supplier_order_id", java.time.Duration.ofMinutes(2), null, 0);

    private record Due(
            String disputeId,
            UUID supplierOrderId,
            String supplierId,
            UUID orderId,
            String currency,
            BigDecimal amount,
            String status,
            int attempts,
            int keyGen,
            String transferId,
            String accountId,
            String accountStatus) {}

    private final Mutiny.SessionFactory sessions;
    private final StripeGateway stripe;
    private final Outbox outbox;
    private final MeterRegistry meters;

    public DisputeMoney(Mutiny.SessionFactory sessions, StripeGateway stripe, Outbox outbox, MeterRegistry meters) {
        this.sessions = sessions;
        this.stripe = stripe;
        this.outbox = outbox;
        this.meters = meters;
    }

    /** The reversals and repayments due; a reversal only once the transfer it reverses exists. */
    Uni<Integer> round(Backoff backoff) {
        String transfer = "(select a.transfer_id from supplier_order_account a"
                + " where a.supplier_order_id = dispute_reversal.supplier_order_id)";
        return sessions.withTransaction(s -> s.createNativeQuery(
                                QUEUE.claimSql(
                                        "status in ('REVERSE_DUE', 'REPAY_DUE')"
                                                + " and next_at <= now() and exists (select 1 from supplier_order_account a"
                                                + " where a.supplier_order_id = dispute_reversal.supplier_order_id)"
                                                + " and (status = 'REPAY_DUE' or " + transfer + " is not null)",
                                        "updated_at = now()",
                                        "next_at",
                                        String.valueOf(BATCH),
                                        "dispute_id, supplier_order_id, supplier_id, order_id, currency, amount, status,"
                                                + " attempts, key_gen, " + transfer + ","
                                                + " (select account_id from stripe_account s where s.supplier_id = dispute_reversal.supplier_id),"
                                                + " (select status from stripe_account s where s.supplier_id = dispute_reversal.supplier_id)"),
                                Object[].class)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new Due(
                                (String) r[0],
                                (UUID) r[1],
                                (String) r[2],
                                (UUID) r[3],
                                ((String) r[4]).strip(),
                                (BigDecimal) r[5],
                                (String) r[6],
                                (Integer) r[7],
                                (Integer) r[8],
                                (String) r[9],
                                (String) r[10],
                                (String) r[11]))
                        .toList())
                .chain(due -> StripeCalls.each(
                        due,
                        d -> (d.status().equals("REPAY_DUE") ? repay(d) : reverse(d))
                                .onFailure()
                                .recoverWithUni(e -> failed(d, e, backoff))));
    }

    private Uni<Void> reverse(Due d) {
        TransferReversalCreateParams params = TransferReversalCreateParams.builder()
                .setAmount(CurrencyUnits.toMinor(d.currency(), d.amount()))
                .putMetadata("disputeId", d.disputeId())
                .putMetadata("supplierOrderId", d.supplierOrderId().toString())
                .build();
        RequestOptions key = RequestOptions.builder()
                .setIdempotencyKey("dtr-" + d.disputeId() + "-" + d.supplierOrderId() + "-" + d.keyGen())
                .build();
        return stripe.call(c -> c.v1().transfers().reversals().create(d.transferId(), params, key))
                .onItemOrFailure()
                .invoke((t, failure) -> StripeCalls.counted(meters, "dispute_reversal", failure))
                .chain(t -> Retrying.whileTransient(
                        "dispute " + d.disputeId() + "'s reversal", () -> reversed(d, t.getId())));
    }

    /**
     * Recorded under the row's lock, against the dispute as it stands now: still open, REVERSED; decided meanwhile, won
     * (or let go) the amount is paid again, lost it is kept.
     */
    private Uni<Void> reversed(Due d, String reversalId) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update dispute_reversal r set reversal_id = :t, reversed_at = now(),"
                                        + " status = case when r.status = 'RELEASED' or x.outcome = 'WON' or (x.closed_at is not null and x.outcome is null)"
                                        + " then 'REPAY_DUE' when x.outcome = 'LOST' then 'KEPT' else 'REVERSED' end,"
                                        + " next_at = case when r.status = 'RELEASED' or x.outcome = 'WON' or (x.closed_at is not null and x.outcome is null)"
                                        + " then now() end, lease_until = null, last_error = null, updated_at = now()"
                                        + " from dispute x where x.id = r.dispute_id and r.dispute_id = :d and r.supplier_order_id = :supplierOrderId"
                                        + " and r.reversal_id is null returning r.status",
                                String.class)
                        .setParameter("t", reversalId)
                        .setParameter("d", d.disputeId())
                        .setParameter("supplierOrderId", d.supplierOrderId())
                        .getResultList()
                        .chain(status -> status.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : s.createNativeQuery(
                                                "update supplier_order_account set transfer_reversed = transfer_reversed + :amount,"
                                                        + " updated_at = now() where supplier_order_id = :supplierOrderId")
                                        .setParameter("amount", d.amount())
                                        .setParameter("supplierOrderId", d.supplierOrderId())
                                        .executeUpdate()
                                        .chain(() -> Ledger.entries(
                                                s,
                                                d.supplierOrderId(),
                                                d.currency(),
                                                List.of(
                                                        new Ledger.Entry(
                                                                "STRIPE_BALANCE",
                                                                "platform",
                                                                d.amount(),
                                                                BigDecimal.ZERO),
                                                        new Ledger.Entry(
                                                                "SUPPLIER_PAYABLE",
                                                                d.supplierId(),
                                                                BigDecimal.ZERO,
                                                                d.amount()))))
                                        .chain(() -> "KEPT".equals(status.get(0))
                                                ? Ledger.entries(
                                                        s,
                                                        d.supplierOrderId(),
                                                        d.currency(),
                                                        Disputes.kept(d.supplierId(), d.amount()))
                                                : Uni.createFrom().voidItem())
                                        .chain(() -> OrderActivity.publish(
                                                outbox,
                                                s,
                                                d.orderId(),
                                                "settlement-service",
                                                "DISPUTE_REVERSAL",
                                                "Took " + d.amount().toPlainString() + " " + d.currency()
                                                        + " back from " + d.supplierId()
                                                        + "'s transfer for card dispute " + d.disputeId() + " ("
                                                        + reversalId + ")",
                                                Map.of(
                                                        "disputeId",
                                                        d.disputeId(),
                                                        "reversalId",
                                                        reversalId,
                                                        "amount",
                                                        d.amount().toPlainString(),
                                                        "currency",
                                                        d.currency(),
                                                        "supplierOrderId",
                                                        d.supplierOrderId().toString())))))
                .invoke(() -> LOG.infof(
                        "dispute %s: %s %s reversed from supplier order %s's transfer (%s)",
                        d.disputeId(), d.amount(), d.currency(), d.supplierOrderId(), reversalId));
    }

    /** The dispute was won: the supplier is paid its share again, by a transfer of its own. */
    private Uni<Void> repay(Due d) {
        if (d.accountId() == null || !"ENABLED".equals(d.accountStatus())) {
            return failed(
                    d,
                    new IllegalStateException("supplier " + d.supplierId() + " has no enabled Stripe account"),
                    java.time.Duration.ofHours(1));
        }
        TransferCreateParams params = TransferCreateParams.builder()
                .setAmount(CurrencyUnits.toMinor(d.currency(), d.amount()))
                .setCurrency(d.currency().toLowerCase(Locale.ROOT))
                .setDestination(d.accountId())
                .setTransferGroup(d.orderId().toString())
                .putMetadata("disputeId", d.disputeId())
                .putMetadata("supplierOrderId", d.supplierOrderId().toString())
                .putMetadata("orderId", d.orderId().toString())
                .putMetadata("supplierId", d.supplierId())
                .build();
        RequestOptions key = RequestOptions.builder()
                .setIdempotencyKey("dtp-" + d.disputeId() + "-" + d.supplierOrderId() + "-" + d.keyGen())
                .build();
        return stripe.call(c -> c.v1().transfers().create(params, key))
                .onItemOrFailure()
                .invoke((t, failure) -> StripeCalls.counted(meters, "dispute_repay", failure))
                .chain(t -> Retrying.whileTransient(
                        "dispute " + d.disputeId() + "'s repayment",
                        () -> sessions.withTransaction(s -> s.createNativeQuery(
                                        "update dispute_reversal set status = 'REPAID', repay_transfer_id = :t, repaid_at = now(),"
                                                + " next_at = null, lease_until = null, last_error = null, updated_at = now()"
                                                + " where dispute_id = :d and supplier_order_id = :supplierOrderId"
                                                + " and status = 'REPAY_DUE'")
                                .setParameter("t", t.getId())
                                .setParameter("d", d.disputeId())
                                .setParameter("supplierOrderId", d.supplierOrderId())
                                .executeUpdate()
                                .chain(changed -> changed == 0
                                        ? Uni.createFrom().voidItem()
                                        : Ledger.entries(
                                                        s,
                                                        d.supplierOrderId(),
                                                        d.currency(),
                                                        List.of(
                                                                new Ledger.Entry(
                                                                        "SUPPLIER_PAYABLE",
                                                                        d.supplierId(),
                                                                        d.amount(),
                                                                        BigDecimal.ZERO),
                                                                new Ledger.Entry(
                                                                        "STRIPE_BALANCE",
                                                                        "platform",
                                                                        BigDecimal.ZERO,
                                                                        d.amount())))
                                                .chain(() -> OrderActivity.publish(
                                                        outbox,
                                                        s,
                                                        d.orderId(),
                                                        "settlement-service",
                                                        "DISPUTE_REPAID",
                                                        "Paid " + d.supplierId() + " its "
                                                                + d.amount().toPlainString() + " " + d.currency()
                                                                + " again: card dispute " + d.disputeId() + " was won ("
                                                                + t.getId() + ")",
                                                        Map.of(
                                                                "disputeId",
                                                                d.disputeId(),
                                                                "transferId",
                                                                t.getId(),
                                                                "amount",
                                                                d.amount().toPlainString(),
                                                                "currency",
                                                                d.currency(),
                                                                "supplierOrderId",
                                                                d.supplierOrderId()
                                                                        .toString())))))));
    }

    private Uni<Void> failed(Due d, Throwable e, Backoff backoff) {
        return failed(d, e, backoff.after(d.attempts()));
    }

    /** Tried again after the wait; a request Stripe refused is tried under the next key. */
    private Uni<Void> failed(Due d, Throwable e, java.time.Duration wait) {
        LOG.warnf("dispute %s, supplier order %s: %s", d.disputeId(), d.supplierOrderId(), e.getMessage());
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update dispute_reversal set last_error = :why, next_at = :next,"
                                        + " lease_until = null, key_gen = key_gen + :bump, updated_at = now() where dispute_id = :d and supplier_order_id = :supplierOrderId"
                                        + " and status in ('REVERSE_DUE', 'REPAY_DUE')")
                        .setParameter("why", io.dropship.platform.sql.SqlValues.fit(e.getMessage(), 500))
                        .setParameter("next", OffsetDateTime.now().plus(wait))
                        .setParameter("bump", e instanceof StripeGateway.Failure f && f.refused() ? 1 : 0)
                        .setParameter("d", d.disputeId())
                        .setParameter("supplierOrderId", d.supplierOrderId())
                        .executeUpdate())
                .replaceWithVoid();
    }
}
