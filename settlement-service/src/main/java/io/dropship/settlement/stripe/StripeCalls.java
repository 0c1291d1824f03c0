package io.dropship.settlement.stripe;

import com.stripe.model.Refund;
import com.stripe.model.Transfer;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.TransferCreateParams;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.Retrying;
import io.dropship.platform.outbox.TimeOrderedIds;
import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.work.Backoff;
import io.dropship.platform.work.OwnContext;
import io.dropship.platform.work.PeriodicJob;
import io.dropship.platform.work.WorkQueue;
import io.dropship.settlement.domain.CurrencyUnits;
import io.dropship.settlement.messaging.events.SettlementEvents;
import io.dropship.settlement.service.Ledger;
import io.dropship.settlement.service.PaymentClearance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Makes the Stripe calls the ledger has made due, from the database, so that nothing is lost to a crash or an outage:
 * the order's charge (a PaymentIntent, off-session, on the retailer's saved method), each shipped supplier order's
 * transfer to its supplier's connected account (source_transaction = the charge, transfer_group = the order) and each
 * cancelled supplier order's refund. Every call carries an idempotency key made from the payment or supplier order, so
 * a call repeated after a crash or a timeout is answered by Stripe with the first result and never charges or pays
 * twice. Rows are claimed with SKIP LOCKED and a lease, so instances do not trip over each other.
 */
@ApplicationScoped
public class StripeCalls {

    private static final Logger LOG = Logger.getLogger(StripeCalls.class);
    private static final int BATCH = 20;
    /** Payments to charge, claimed for two minutes (the calls of a round); retried on the payment's own schedule. */
    private static final WorkQueue CHARGES = WorkQueue.of("payment", "id", Duration.ofMinutes(2), null, 0);
    /** Transfers and refunds of supplier orders (money_* columns: a supplier order's own work, beside its status). */
    private static final WorkQueue MONEY = WorkQueue.of(
                    "supplier_order_account", "supplier_order_id", Duration.ofMinutes(2), null, 0)
            .columns("money_lease_until", "money_attempts");
    /** Give-backs: a return's or a case's reversal from the supplier's transfer and refund to the retailer. */
    private static final WorkQueue RETURNS =
            WorkQueue.of("supplier_order_return", "id", Duration.ofMinutes(2), null, 0);

    private final Mutiny.SessionFactory sessions;
    private final StripeGateway stripe;
    private final Outbox outbox;
    private final io.dropship.settlement.service.Disputes disputes;
    private final io.dropship.settlement.service.ReturnRequests returnRequests;
    private final DisputeMoney disputeMoney;
    private final PaymentClearance clearance;
    private final Vertx vertx;
    private final Duration every;
    private final int chargeConcurrency;
    /** Payments claimed by the transaction that made them due, waiting for their charge (chargeClaimed). */
    private final java.util.concurrent.ConcurrentLinkedQueue<Claimed> claimedQueue =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Charges of claimedQueue in flight, at most chargeConcurrency. */
    private final AtomicLong claimedInFlight = new AtomicLong();

    private final Duration idleEvery;
    private final List<Duration> paymentRetries;
    private final Backoff backoff;
    private final MeterRegistry meters;
    private final Duration gaugesEvery;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private volatile PeriodicJob job;
    private volatile PeriodicJob gaugeJob;

    public StripeCalls(
            Mutiny.SessionFactory sessions,
            StripeGateway stripe,
            Outbox outbox,
            PaymentClearance clearance,
            Vertx vertx,
            @ConfigProperty(name = "dropship.settlement.money-every") Duration every,
            @ConfigProperty(name = "dropship.settlement.money-idle-every", defaultValue = "PT5S") Duration idleEvery,
            @ConfigProperty(name = "dropship.settlement.charge-concurrency", defaultValue = "4") int chargeConcurrency,
            @ConfigProperty(name = "dropship.settlement.payment-retries") List<Duration> paymentRetries,
            @ConfigProperty(name = "dropship.settlement.stripe-backoff-initial") Duration backoffInitial,
            @ConfigProperty(name = "dropship.settlement.stripe-backoff-max") Duration backoffMax,
            @ConfigProperty(name = "dropship.settlement.gauges-every", defaultValue = "PT15S") Duration gaugesEvery,
            MeterRegistry meters,
            io.dropship.settlement.service.Disputes disputes,
            io.dropship.settlement.service.ReturnRequests returnRequests,
            DisputeMoney disputeMoney) {
        this.disputes = disputes;
        this.returnRequests = returnRequests;
        this.disputeMoney = disputeMoney;
        this.sessions = sessions;
        this.stripe = stripe;
        this.outbox = outbox;
        this.clearance = clearance;
        this.vertx = vertx;
        this.every = every;
        this.chargeConcurrency = Math.max(1, chargeConcurrency);
        this.idleEvery = idleEvery;
        this.paymentRetries = paymentRetries;
        this.backoff = new Backoff(backoffInitial, backoffMax);
        this.meters = meters;
        this.gaugesEvery = gaugesEvery;
        for (String[] g : new String[][] {
            {"payments", "status", "DUE"},
            {"payments", "status", "ON_HOLD"},
            {"transfers.waiting", null, null},
            {"refunds.waiting", null, null},
            {"returns.due", null, null}
        }) {
            AtomicLong value = new AtomicLong();
            gauges.put(g[0] + (g[2] == null ? "" : ":" + g[2]), value);
            meters.gauge("dropship.settlement." + g[0], g[1] == null ? Tags.empty() : Tags.of(g[1], g[2]), value);
        }
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.startWakeable(vertx.getDelegate(), every, idleEvery, "Stripe calls", this::makeDueCalls);
        gaugeJob = PeriodicJob.start(vertx.getDelegate(), gaugesEvery, "money gauges", this::measure);
    }

    /** What ops watch: payments due and on hold, shipped supplier orders whose supplier is not paid yet, refunds and returns waiting. */
    private Uni<Void> measure() {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select"
                                        + " (select count(*) from payment where status = 'DUE'),"
                                        + " (select count(*) from payment where status = 'ON_HOLD'),"
                                        + " (select count(*) from supplier_order_account where status = 'INVOICED' and shipped_at is not null"
                                        + " and transfer_id is null),"
                                        + " (select count(*) from supplier_order_account a join payment p on p.id = a.payment_id"
                                        + " where a.status = 'CANCELLED' and a.refund_id is null and p.status = 'SUCCEEDED'),"
                                        + " (select count(*) from supplier_order_return where status = 'DUE')",
                                Object[].class)
                        .getSingleResult())
                .invoke(r -> {
                    gauges.get("payments:DUE").set(((Number) r[0]).longValue());
                    gauges.get("payments:ON_HOLD").set(((Number) r[1]).longValue());
                    gauges.get("transfers.waiting").set(((Number) r[2]).longValue());
                    gauges.get("refunds.waiting").set(((Number) r[3]).longValue());
                    gauges.get("returns.due").set(((Number) r[4]).longValue());
                })
                .replaceWithVoid();
    }

    /** Every Stripe call the job makes, by kind and outcome: ok, declined, refused (4xx), retry (429, 5xx, no answer). */
    private void counted(String kind, Throwable failure) {
        counted(meters, kind, failure);
    }

    static void counted(MeterRegistry meters, String kind, Throwable failure) {
        String outcome = failure == null
                ? "ok"
                : failure instanceof StripeGateway.Failure f
                        ? (f.declined() ? "declined" : f.refused() ? "refused" : f.retryable() ? "retry" : "error")
                        : "error";
        meters.counter("dropship.stripe.calls", "kind", kind, "outcome", outcome)
                .increment();
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
            gaugeJob.stop();
        }
    }

    /**
     * One round: the charges that are due, then the transfers, the refunds, the returns, the disputes' reversals;
     * whether there were any.
     */
    public Uni<Boolean> makeDueCalls() {
        int[] calls = new int[1];
        return charges()
                .invoke(n -> calls[0] += n)
                .chain(this::transfers)
                .invoke(n -> calls[0] += n)
                .chain(this::refunds)
                .invoke(n -> calls[0] += n)
                .chain(this::returns)
                .invoke(n -> calls[0] += n)
                .chain(() -> disputeMoney.round(backoff))
                .map(n -> calls[0] + n > 0);
    }

    /**
     * Money became due in a transaction that has committed (a charge, a transfer, a refund): the next round runs now
     * rather than after the idle wait. Money that comes due by time (a payment retry) waits at most the idle wait.
     */
    public void wake() {
        PeriodicJob j = job;
        if (j != null) {
            j.wake();
        }
    }

    // ---- charges ----------------------------------------------------------------------------------------------

    /** claimed: the payment's updated_at as the claim set it; a release after the claim changes it. */
    public record Due(
            UUID id,
            UUID orderId,
            String orderNumber,
            String retailerId,
            String currency,
            BigDecimal amount,
            int declines,
            int attempts,
            Object claimed) {}

    private static final String CLAIMED =
            "id, order_id, order_number, retailer_id, currency, amount, declines, attempts, updated_at";

    private Uni<Integer> charges() {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                CHARGES.claimSql(
                                        "status in ('DUE', 'ON_HOLD') and next_attempt_at <= now()",
                                        "updated_at = now()",
                                        "next_attempt_at",
                                        String.valueOf(BATCH),
                                        CLAIMED),
                                Object[].class)
                        .getResultList())
                .map(StripeCalls::dues)
                .chain(due -> due.isEmpty()
                        ? Uni.createFrom().item(0)
                        : sessions.withSession(s -> checks(s, due))
                                .chain(checks -> concurrently(due, p -> charge(p, checks.get(p.id())))));
    }

    private static List<Due> dues(List<Object[]> rows) {
        return rows.stream()
                .map(r -> new Due(
                        (UUID) r[0],
                        (UUID) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        (BigDecimal) r[5],
                        (Integer) r[6],
                        (Integer) r[7],
                        r[8]))
                .toList();
    }

    /** A payment claimed in the transaction that made it due, with what its charge needs to know. */
    public record Claimed(Due due, Check check) {}

    /**
     * Claims the order's due payment in the caller's transaction, the one that made it due (the order's last
     * reservation), with its retailer's saved method; {@link #chargeClaimed} charges it once that transaction has
     * committed. The order's charge then costs no transaction of its own before Stripe's answer, and waits for no
     * round of the job (which after a busy round starts a second later). The same transaction has just found the
     * retailer clear to be charged (a suspension or a plan's limit makes the payment ON_HOLD, not DUE), so the round's
     * hold checks are not read again. If the process stops before the charge, the claim lapses and the job's round
     * takes the payment, as it takes any claimed payment whose charge was cut short.
     */
    public Uni<List<Claimed>> claimFor(Mutiny.Session s, UUID orderId) {
        return s.createNativeQuery(
                        CHARGES.claimSql(
                                "status = 'DUE' and next_attempt_at <= now() and order_id = :o",
                                "updated_at = now()",
                                "next_attempt_at",
                                String.valueOf(BATCH),
                                CLAIMED
                                        + ", (select c.customer_id from stripe_customer c where c.retailer_id = payment.retailer_id),"
                                        + " (select c.default_payment_method from stripe_customer c"
                                        + " where c.retailer_id = payment.retailer_id)"),
                        Object[].class)
                .setParameter("o", orderId)
                .getResultList()
                .map(rows -> {
                    List<Due> due = dues(rows);
                    List<Claimed> claimed = new ArrayList<>(due.size());
                    for (int i = 0; i < due.size(); i++) {
                        Object[] r = rows.get(i);
                        claimed.add(new Claimed(due.get(i), Check.clear((String) r[9], (String) r[10])));
                    }
                    return claimed;
                });
    }

    /** Charges payments claimed by a transaction that has committed, at most chargeConcurrency at a time. */
    public void chargeClaimed(List<Claimed> claimed) {
        if (!claimed.isEmpty()) {
            claimedQueue.addAll(claimed);
            drainClaimed();
        }
    }

    private void drainClaimed() {
        while (!claimedQueue.isEmpty()) {
            long n = claimedInFlight.get();
            if (n >= chargeConcurrency) {
                return;
            }
            if (!claimedInFlight.compareAndSet(n, n + 1)) {
                continue;
            }
            Claimed c = claimedQueue.poll();
            if (c == null) {
                claimedInFlight.decrementAndGet();
                continue;
            }
            OwnContext.run(vertx.getDelegate(), () -> charge(c.due(), c.check()))
                    .subscribe()
                    .with(
                            done -> {
                                claimedInFlight.decrementAndGet();
                                drainClaimed();
                            },
                            e -> {
                                claimedInFlight.decrementAndGet();
                                LOG.warnf(
                                        e,
                                        "payment %s's charge failed; the Stripe calls job tries again when its claim lapses",
                                        c.due().id());
                                drainClaimed();
                            });
        }
    }

    /**
     * What the platform and Stripe's customer say about a claimed payment (a round reads them for all its payments in
     * one statement): the hold it carries, whether its retailer's subscription is suspended, its plan's monthly order
     * limit and how many orders of the month came before it (only for an order held for that limit), whether the month
     * has turned since, and the retailer's Stripe customer with its saved payment method.
     */
    public record Check(
            String held,
            boolean suspended,
            String overLimit,
            Number monthlyLimit,
            Number ordersBefore,
            boolean newMonth,
            Object nextMonth,
            String customer,
            String method) {

        /** A payment found clear to be charged by the transaction that made it: only the saved method to go on. */
        static Check clear(String customer, String method) {
            return new Check(null, false, null, null, 0, false, null, customer, method);
        }
    }

    private static Uni<Map<UUID, Check>> checks(Mutiny.Session s, List<Due> due) {
        return s.createNativeQuery(
                        "select p.id, p.hold_reason,"
                                + " exists (select 1 from subscription x where x.retailer_id = p.retailer_id and x.grace_until < now()),"
                                + " f.over_limit, f.monthly_order_limit,"
                                // Counted only for an order held for its plan's limit (the count reads the
                                // retailer's month of invoice lines).
                                + " case when p.hold_reason = 'PLAN_LIMIT' and f.monthly_order_limit is not null then"
                                + " (select count(distinct l.order_id) from invoice_line l where l.retailer_id = p.retailer_id"
                                + " and l.created_at >= date_trunc('month', i.first at time zone 'UTC') at time zone 'UTC'"
                                + " and l.created_at < i.first and l.order_id <> p.order_id) else 0 end,"
                                + " coalesce(i.first < date_trunc('month', now() at time zone 'UTC') at time zone 'UTC', true),"
                                + " date_trunc('month', now() at time zone 'UTC') at time zone 'UTC' + interval '1 month',"
                                + " c.customer_id, c.default_payment_method"
                                + " from payment p cross join lateral (select min(created_at) as first from invoice_line"
                                + " where order_id = p.order_id) i"
                                + " left join retailer_plan rp on rp.retailer_id = p.retailer_id"
                                + " left join fee_rule f on f.plan = coalesce(rp.plan, 'BASIC')"
                                + " left join stripe_customer c on c.retailer_id = p.retailer_id"
                                + " where p.id = any(cast(:ids as uuid[]))",
                        Object[].class)
                .setParameter("ids", due.stream().map(Due::id).toArray(UUID[]::new))
                .getResultList()
                .map(rows -> {
                    Map<UUID, Check> checks = new java.util.HashMap<>();
                    for (Object[] r : rows) {
                        checks.put(
                                (UUID) r[0],
                                new Check(
                                        (String) r[1],
                                        Boolean.TRUE.equals(r[2]),
                                        (String) r[3],
                                        (Number) r[4],
                                        (Number) r[5],
                                        Boolean.TRUE.equals(r[6]),
                                        r[7],
                                        (String) r[8],
                                        (String) r[9]));
                    }
                    return checks;
                });
    }

    /**
     * The platform's own reasons not to charge now, before Stripe's: the retailer's subscription is suspended (its
     * renewal unpaid past the grace period), or the order was held past its plan's monthly limit and still is (same
     * month, same plan). Otherwise the charge goes ahead.
     */
    private Uni<Void> charge(Due p, Check check) {
        if (check == null) {
            // Gone since the claim (a cancelled order's payment is kept, so this does not happen): nothing to charge.
            return Uni.createFrom().voidItem();
        }
        if (check.suspended()) {
            return "SUSPENDED".equals(check.held())
                    ? heldStill(p, null)
                    : platformHold(p, "SUSPENDED", Ledger.SUSPENDED, null);
        }
        if ("PLAN_LIMIT".equals(check.held())
                && !check.newMonth()
                && "HOLD".equals(check.overLimit())
                && check.monthlyLimit() != null
                && check.ordersBefore().longValue() >= check.monthlyLimit().longValue()) {
            return heldStill(p, SqlValues.instant(check.nextMonth()));
        }
        return stripeCharge(p, check.customer(), check.method());
    }

    /** Held by the platform (PLAN_LIMIT, SUSPENDED): ON_HOLD with the reason, and the retailer told (PaymentFailed). */
    private Uni<Void> platformHold(Due p, String reason, String why, Instant next) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "update payment set status = 'ON_HOLD', hold_reason = :reason,"
                                + " last_error = :why, decline_code = null, next_attempt_at = :next, lease_until = null, updated_at = now()"
                                + " where id = :p and status in ('DUE', 'ON_HOLD') and updated_at = :claimed")
                .setParameter("claimed", p.claimed())
                .setParameter("reason", reason)
                .setParameter("why", why)
                .setParameter("next", next == null ? null : next.atOffset(java.time.ZoneOffset.UTC))
                .setParameter("p", p.id())
                .executeUpdate()
                .chain(changed -> changed == 0
                        ? released(s, p)
                        : told(s, p, why, null, reason, next)
                                .invoke(() -> LOG.infof("payment %s held (%s): %s", p.id(), reason, why))));
    }

    /**
     * The payment was released since this round claimed it (a paid subscription, an upgrade, a new card): the release
     * stands, and the round gives back its lease so the next round takes the payment (not the lease's end, minutes on).
     */
    private static Uni<Void> released(Mutiny.Session s, Due p) {
        return s.createNativeQuery(
                        "update payment set lease_until = null where id = :p and status in ('DUE', 'ON_HOLD')"
                                + " and updated_at <> :claimed")
                .setParameter("p", p.id())
                .setParameter("claimed", p.claimed())
                .executeUpdate()
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("payment %s released while its round checked it: taken again", p.id());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Still held for the same reason: waits again, quietly (the retailer was told when it was first held). Unless it
     * was released since this round claimed it (a paid subscription, an upgrade): then the release stands.
     */
    private Uni<Void> heldStill(Due p, Instant next) {
        return sessions.withTransaction(s -> s.createNativeQuery("update payment set next_attempt_at = :next,"
                        + " lease_until = null where id = :p and status = 'ON_HOLD' and updated_at = :claimed")
                .setParameter("next", next == null ? null : next.atOffset(java.time.ZoneOffset.UTC))
                .setParameter("p", p.id())
                .setParameter("claimed", p.claimed())
                .executeUpdate()
                .chain(changed -> {
                    if (changed == 0) {
                        return released(s, p);
                    }
                    LOG.infof("payment %s still held, until %s", p.id(), next == null ? "released" : next);
                    return Uni.createFrom().voidItem();
                }));
    }

    private Uni<Void> stripeCharge(Due p, String customer, String method) {
        if (customer == null || method == null) {
            return hold(
                    p,
                    "the retailer has no payment method saved (PUT /api/billing/payment-method)",
                    null,
                    false,
                    false,
                    null);
        }
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(CurrencyUnits.toMinor(p.currency(), p.amount()))
                .setCurrency(p.currency().toLowerCase(Locale.ROOT))
                .setCustomer(customer)
                .setPaymentMethod(method)
                .setOffSession(true)
                .setConfirm(true)
                .setTransferGroup(p.orderId().toString())
                .setDescription("Dropship order " + (p.orderNumber() == null ? p.orderId() : p.orderNumber()))
                .putMetadata("paymentId", p.id().toString())
                .putMetadata("orderId", p.orderId().toString())
                .putMetadata("retailerId", p.retailerId())
                .build();
        // A new key after each decline (a declined PaymentIntent is spent); the same key for every retry of
        // one attempt, so a timeout followed by a retry charges once.
        RequestOptions key = RequestOptions.builder()
                .setIdempotencyKey("pi-" + p.id() + "-" + p.declines())
                .build();
        return stripe.call(c -> c.v1().paymentIntents().create(params, key))
                .onItemOrFailure()
                .invoke((pi, failure) -> counted("charge", failure))
                .onItemOrFailure()
                .transformToUni((pi, failure) ->
                        Retrying.whileTransient("payment " + p.id() + "'s charge outcome", () -> {
                            if (failure == null) {
                                return "succeeded".equals(pi.getStatus())
                                        ? succeeded(p.id(), pi.getId(), pi.getLatestCharge())
                                        : hold(
                                                p,
                                                "the payment is " + pi.getStatus()
                                                        + " (the bank wants the customer to"
                                                        + " authenticate it)",
                                                null,
                                                true,
                                                true,
                                                pi.getId());
                            }
                            if (failure instanceof StripeGateway.Failure f && f.declined()) {
                                return hold(p, f.getMessage(), f.declineCode(), true, true, paymentIntentOf(f));
                            }
                            if (failure instanceof StripeGateway.Failure f && f.retryable()) {
                                return retryLater(p, f.getMessage());
                            }
                            return hold(
                                    p,
                                    failure.getMessage(),
                                    null,
                                    false,
                                    failure instanceof StripeGateway.Failure f && f.refused(),
                                    null);
                        }));
    }

    private static String paymentIntentOf(StripeGateway.Failure f) {
        return f.stripe().getStripeError() != null
                        && f.stripe().getStripeError().getPaymentIntent() != null
                ? f.stripe().getStripeError().getPaymentIntent().getId()
                : null;
    }

    /** The charge went through: the payment is SUCCEEDED, the money is in the platform's balance. Safe to repeat. */
    public Uni<Void> succeeded(UUID paymentId, String paymentIntentId, String chargeId) {
        return sessions.withTransaction(s -> succeeded(s, paymentId, paymentIntentId, chargeId));
    }

    /** The same, in the caller's transaction (the webhook's). */
    public Uni<Void> succeeded(Mutiny.Session s, UUID paymentId, String paymentIntentId, String chargeId) {
        Uni<Void> charge = chargeId == null
                ? Uni.createFrom().voidItem()
                : io.dropship.platform.outbox.TransactionLock.take(s, "charge:" + chargeId);
        // The payment SUCCEEDED and cleared in one update (it was two: the charge's outcome, then its clearance);
        // its supplier orders read, and those already shipped or cancelled made due for their money, in one more.
        return charge.chain(() -> s.createNativeQuery(
                        "update payment set status = 'SUCCEEDED', payment_intent_id = :pi,"
                                + " charge_id = :ch, succeeded_at = now(), hold_reason = null, next_attempt_at = null, lease_until = null, last_error = null,"
                                + " decline_code = null, cleared_at = coalesce(cleared_at, now()),"
                                + " cleared_basis = coalesce(cleared_basis, 'CHARGED'),"
                                + " updated_at = now() where id = :p and status <> 'SUCCEEDED'"
                                + " returning " + PaymentClearance.CLEARED_COLUMNS,
                        Object[].class)
                .setParameter("pi", paymentIntentId)
                .setParameter("ch", chargeId)
                .setParameter("p", paymentId)
                .getResultList()
                .chain(changed -> changed.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : s.createNativeQuery(
                                        "with due as (update supplier_order_account set money_next_at = now()"
                                                + " where payment_id = :p and (shipped_at is not null or status = 'CANCELLED')"
                                                + " returning supplier_order_id)"
                                                + " select supplier_order_id, retailer_id, currency, retailer_charge,"
                                                + " status <> 'CANCELLED' from supplier_order_account where payment_id = :p"
                                                + " order by supplier_order_id",
                                        Object[].class)
                                .setParameter("p", paymentId)
                                .getResultList()
                                .chain(rows -> {
                                    Uni<Void> chain = Uni.createFrom().voidItem();
                                    for (Object[] r : rows) {
                                        chain = chain.chain(() -> Ledger.entries(
                                                s,
                                                (UUID) r[0],
                                                (String) r[2],
                                                List.of(
                                                        new Ledger.Entry(
                                                                "STRIPE_BALANCE",
                                                                "platform",
                                                                (BigDecimal) r[3],
                                                                BigDecimal.ZERO),
                                                        new Ledger.Entry(
                                                                "RETAILER_RECEIVABLE",
                                                                (String) r[1],
                                                                BigDecimal.ZERO,
                                                                (BigDecimal) r[3]))));
                                    }
                                    // PaymentCleared names the supplier orders still to ship, as
                                    // PaymentClearance.supplierOrders reads them.
                                    List<UUID> toShip = rows.stream()
                                            .filter(r -> (Boolean) r[4])
                                            .map(r -> (UUID) r[0])
                                            .toList();
                                    return chain.chain(() -> clearance.charged(s, paymentId, changed.get(0), toShip));
                                })
                                .chain(() ->
                                        chargeId == null ? Uni.createFrom().voidItem() : disputes.charged(s, chargeId))
                                .invoke(() -> LOG.infof(
                                        "payment %s succeeded: %s, charge %s", paymentId, paymentIntentId, chargeId))
                                .replaceWithVoid()));
    }

    /**
     * The payment could not be taken: ON_HOLD with the reason, the retailer told (PaymentFailed), and tried again on the
     * schedule after a decline; with no schedule left, no method saved, or a request Stripe refused, it waits for the
     * retailer (a new method, or a retry).
     */
    private Uni<Void> hold(
            Due p, String reason, String declineCode, boolean declined, boolean refused, String paymentIntentId) {
        // Stripe keeps a refusal as the answer for its key: the next try goes under the next key.
        int declines = p.declines() + (refused ? 1 : 0);
        Instant next = declined && declines <= paymentRetries.size()
                ? Instant.now().plus(paymentRetries.get(declines - 1))
                : null;
        String why = reason.length() > 500 ? reason.substring(0, 500) : reason;
        return sessions.withTransaction(s -> s.createNativeQuery("update payment set status = 'ON_HOLD', declines = :d,"
                                + " hold_reason = null, last_error = :why, decline_code = :code, next_attempt_at = :next, lease_until = null,"
                                + " payment_intent_id = coalesce(:pi, payment_intent_id), updated_at = now()"
                                + " where id = :p and status in ('DUE', 'ON_HOLD')")
                        .setParameter("d", declines)
                        .setParameter("why", why)
                        .setParameter("code", declineCode)
                        .setParameter("next", next == null ? null : next.atOffset(java.time.ZoneOffset.UTC))
                        .setParameter("pi", paymentIntentId)
                        .setParameter("p", p.id())
                        .executeUpdate()
                        .chain(changed ->
                                changed == 0 ? Uni.createFrom().voidItem() : told(s, p, why, declineCode, null, next)))
                .invoke(() -> LOG.infof("payment %s on hold: %s", p.id(), why));
    }

    /** PaymentFailed for a payment just put on hold: the retailer told why, and its waiting supplier orders held. */
    private Uni<Void> told(Mutiny.Session s, Due p, String why, String declineCode, String holdReason, Instant next) {
        return PaymentClearance.supplierOrders(s, p.id())
                .chain(ids -> outbox.publish(
                        s,
                        SettlementEvents.PaymentFailed.TOPIC,
                        p.orderId().toString(),
                        new SettlementEvents.PaymentFailed(
                                p.id(),
                                p.orderId(),
                                p.orderNumber(),
                                p.retailerId(),
                                ids,
                                p.currency(),
                                p.amount(),
                                why,
                                declineCode,
                                holdReason,
                                Math.max(1, p.attempts()),
                                next,
                                Instant.now())))
                .replaceWithVoid();
    }

    /** Stripe could not answer: the same call, with the same key, after a backoff. */
    private Uni<Void> retryLater(Due p, String reason) {
        Instant next = Instant.now().plus(backoff.after(p.attempts()));
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update payment set next_attempt_at = :next, last_error = :why,"
                                        + " lease_until = null, updated_at = now() where id = :p and status in ('DUE', 'ON_HOLD')")
                        .setParameter("next", next.atOffset(java.time.ZoneOffset.UTC))
                        .setParameter("why", SqlValues.fit(reason, 500))
                        .setParameter("p", p.id())
                        .executeUpdate())
                .replaceWithVoid();
    }

    // ---- transfers and refunds ------------------------------------------------------------------------------------

    private record Owed(
            UUID supplierOrderId,
            UUID orderId,
            String supplierId,
            String retailerId,
            String currency,
            BigDecimal wholesale,
            BigDecimal shipping,
            BigDecimal fee,
            BigDecimal charge,
            BigDecimal payout,
            UUID paymentId,
            int attempts,
            String chargeId,
            String paymentIntentId,
            String accountId,
            String accountStatus,
            int keyGen,
            BigDecimal listingFee) {}

    /** Transfers and refunds of supplier orders whose payment went through. */
    private Uni<List<Owed>> claim(String which) {
        String payment = "(select %s from payment p where p.id = supplier_order_account.payment_id)";
        return sessions.withTransaction(s -> s.createNativeQuery(
                                MONEY.claimSql(
                                        which + " and money_next_at <= now()" + " and " + payment.formatted("p.status")
                                                + " = 'SUCCEEDED'",
                                        "updated_at = now()",
                                        "money_next_at",
                                        String.valueOf(BATCH),
                                        "supplier_order_id, order_id, supplier_id, retailer_id, currency, wholesale_total,"
                                                + " shipping_cost, platform_fee, retailer_charge, supplier_payout, payment_id, money_attempts, "
                                                + payment.formatted("p.charge_id") + ", "
                                                + payment.formatted("p.payment_intent_id") + ","
                                                + " (select account_id from stripe_account s where s.supplier_id = supplier_order_account.supplier_id),"
                                                + " (select status from stripe_account s where s.supplier_id = supplier_order_account.supplier_id),"
                                                + " money_key_gen, listing_fee"),
                                Object[].class)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new Owed(
                                (UUID) r[0],
                                (UUID) r[1],
                                (String) r[2],
                                (String) r[3],
                                (String) r[4],
                                (BigDecimal) r[5],
                                (BigDecimal) r[6],
                                (BigDecimal) r[7],
                                (BigDecimal) r[8],
                                (BigDecimal) r[9],
                                (UUID) r[10],
                                (Integer) r[11],
                                (String) r[12],
                                (String) r[13],
                                (String) r[14],
                                (String) r[15],
                                (Integer) r[16],
                                (BigDecimal) r[17]))
                        .toList());
    }

    private Uni<Integer> transfers() {
        // A payment under an open card dispute pays no supplier until the dispute closes (Disputes makes them due
        // then).
        return claim(
                        "supplier_order_account.status = 'INVOICED' and supplier_order_account.shipped_at is not null and supplier_order_account.transfer_id is null"
                                + " and not exists (select 1 from dispute d where d.payment_id = supplier_order_account.payment_id and d.closed_at is null)")
                .chain(owed -> each(owed, this::transfer));
    }

    private Uni<Void> transfer(Owed o) {
        if (o.accountId() == null || !"ENABLED".equals(o.accountStatus())) {
            // Woken by account.updated when the supplier finishes onboarding; looked at hourly otherwise.
            return failed(
                    o,
                    "supplier " + o.supplierId() + " has "
                            + (o.accountId() == null
                                    ? "no Stripe connected account yet (POST /api/billing/connect)"
                                    : "not finished Stripe onboarding (" + o.accountStatus() + ")"),
                    Duration.ofHours(1),
                    false);
        }
        TransferCreateParams params = TransferCreateParams.builder()
                .setAmount(CurrencyUnits.toMinor(o.currency(), o.payout()))
                .setCurrency(o.currency().toLowerCase(Locale.ROOT))
                .setDestination(o.accountId())
                .setSourceTransaction(o.chargeId())
                .setTransferGroup(o.orderId().toString())
                .putMetadata("supplierOrderId", o.supplierOrderId().toString())
                .putMetadata("orderId", o.orderId().toString())
                .putMetadata("supplierId", o.supplierId())
                .build();
        RequestOptions key = RequestOptions.builder()
                .setIdempotencyKey("tr-" + o.supplierOrderId() + "-" + o.keyGen())
                .build();
        return stripe.call(c -> c.v1().transfers().create(params, key))
                .onItemOrFailure()
                .invoke((t, failure) -> counted("transfer", failure))
                .onItemOrFailure()
                .transformToUni((t, failure) -> Retrying.whileTransient(
                        "transfer of " + o.supplierOrderId() + "'s outcome",
                        () -> failure == null ? transferred(o, t) : failed(o, failure, backoff.after(o.attempts()))));
    }

    private Uni<Void> transferred(Owed o, Transfer t) {
        SettlementEvents.Settled settled = new SettlementEvents.Settled(
                UUID.randomUUID(),
                o.supplierOrderId(),
                o.orderId(),
                o.supplierId(),
                o.retailerId(),
                o.currency(),
                o.wholesale(),
                o.shipping(),
                o.fee(),
                o.charge(),
                o.payout(),
                o.paymentIntentId(),
                o.chargeId(),
                t.getId(),
                Instant.now(),
                o.listingFee());
        return sessions.withTransaction(s -> s.createNativeQuery("update supplier_order_account set status = 'SETTLED',"
                        + " transfer_id = :t, transferred_at = now(), money_next_at = null, money_lease_until = null, money_error = null,"
                        + " updated_at = now()"
                        + " where supplier_order_id = :supplierOrderId and transfer_id is null")
                .setParameter("t", t.getId())
                .setParameter("supplierOrderId", o.supplierOrderId())
                .executeUpdate()
                .chain(changed -> changed == 0
                        ? Uni.createFrom().voidItem()
                        : Ledger.entries(
                                        s,
                                        o.supplierOrderId(),
                                        o.currency(),
                                        List.of(
                                                new Ledger.Entry(
                                                        "SUPPLIER_PAYABLE",
                                                        o.supplierId(),
                                                        o.payout(),
                                                        BigDecimal.ZERO),
                                                new Ledger.Entry(
                                                        "STRIPE_BALANCE", "platform", BigDecimal.ZERO, o.payout())))
                                .chain(() -> outbox.publish(
                                        s,
                                        SettlementEvents.Settled.TOPIC,
                                        o.orderId().toString(),
                                        settled))
                                .replaceWithVoid()));
    }

    private Uni<Integer> refunds() {
        return claim(
                        "supplier_order_account.status = 'CANCELLED' and supplier_order_account.refund_id is null and supplier_order_account.retailer_charge is not null")
                .chain(owed -> each(owed, this::refund));
    }

    private Uni<Void> refund(Owed o) {
        RefundCreateParams params = RefundCreateParams.builder()
                .setCharge(o.chargeId())
                .setAmount(CurrencyUnits.toMinor(o.currency(), o.charge()))
                .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
                .putMetadata("supplierOrderId", o.supplierOrderId().toString())
                .putMetadata("orderId", o.orderId().toString())
                .build();
        RequestOptions key = RequestOptions.builder()
                .setIdempotencyKey("re-" + o.supplierOrderId() + "-" + o.keyGen())
                .build();
        return stripe.call(c -> c.v1().refunds().create(params, key))
                .onItemOrFailure()
                .invoke((r, failure) -> counted("refund", failure))
                .onItemOrFailure()
                .transformToUni((r, failure) -> Retrying.whileTransient(
                        "refund of " + o.supplierOrderId() + "'s outcome",
                        () -> failure == null ? refunded(o, r) : failed(o, failure, backoff.after(o.attempts()))));
    }

    private Uni<Void> refunded(Owed o, Refund r) {
        return sessions.withTransaction(s -> s.createNativeQuery("update supplier_order_account set refund_id = :r,"
                        + " refunded_at = now(), money_next_at = null, money_lease_until = null, money_error = null, updated_at = now()"
                        + " where supplier_order_id = :supplierOrderId and refund_id is null")
                .setParameter("r", r.getId())
                .setParameter("supplierOrderId", o.supplierOrderId())
                .executeUpdate()
                .chain(changed -> changed == 0
                        ? Uni.createFrom().voidItem()
                        : s.createNativeQuery(REFUNDED)
                                .setParameter("p", o.paymentId())
                                .executeUpdate()
                                .chain(() -> Ledger.entries(
                                        s,
                                        o.supplierOrderId(),
                                        o.currency(),
                                        List.of(
                                                new Ledger.Entry(
                                                        "RETAILER_RECEIVABLE",
                                                        o.retailerId(),
                                                        o.charge(),
                                                        BigDecimal.ZERO),
                                                new Ledger.Entry(
                                                        "STRIPE_BALANCE", "platform", BigDecimal.ZERO, o.charge()))))
                                .chain(() -> io.dropship.platform.outbox.OrderActivity.publish(
                                        outbox,
                                        s,
                                        o.orderId(),
                                        "settlement-service",
                                        "REFUND",
                                        "Refunded " + o.charge().toPlainString() + " " + o.currency()
                                                + " to the retailer for cancelled supplier order "
                                                + TimeOrderedIds.shortForm(o.supplierOrderId()) + " (" + r.getId()
                                                + ")",
                                        java.util.Map.of(
                                                "refundId",
                                                r.getId(),
                                                "amount",
                                                o.charge().toPlainString(),
                                                "currency",
                                                o.currency(),
                                                "supplierOrderId",
                                                o.supplierOrderId().toString())))));
    }

    // ---- returns: reverse the supplier's transfer, then refund the retailer -----------------------------------

    private record Returned(
            UUID id,
            UUID supplierOrderId,
            UUID orderId,
            String retailerId,
            String supplierId,
            String currency,
            BigDecimal amount,
            String reversalId,
            int attempts,
            String transferId,
            String chargeId,
            UUID paymentId,
            int keyGen,
            boolean reverseTransfer) {}

    private Uni<Integer> returns() {
        String account =
                "(select %s from supplier_order_account a where a.supplier_order_id = supplier_order_return.supplier_order_id)";
        String payment = "(select %s from supplier_order_account a join payment p on p.id = a.payment_id"
                + " where a.supplier_order_id = supplier_order_return.supplier_order_id)";
        return sessions.withTransaction(s -> s.createNativeQuery(
                                RETURNS.claimSql(
                                        "status = 'DUE' and next_at <= now()"
                                                + " and " + payment.formatted("p.id") + " is not null"
                                                // A reversal waits for the transfer it reverses (a case refund can come
                                                // before the supplier is paid).
                                                + " and (not reverse_transfer or " + account.formatted("a.transfer_id")
                                                + " is not null)",
                                        "updated_at = now()",
                                        "next_at",
                                        String.valueOf(BATCH),
                                        "id, supplier_order_id, order_id, retailer_id,"
                                                + " supplier_id, currency, amount, reversal_id, attempts, "
                                                + account.formatted("a.transfer_id") + ", "
                                                + payment.formatted("p.charge_id") + ", " + payment.formatted("p.id")
                                                + ", key_gen, reverse_transfer"),
                                Object[].class)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new Returned(
                                (UUID) r[0],
                                (UUID) r[1],
                                (UUID) r[2],
                                (String) r[3],
                                (String) r[4],
                                (String) r[5],
                                (BigDecimal) r[6],
                                (String) r[7],
                                (Integer) r[8],
                                (String) r[9],
                                (String) r[10],
                                (UUID) r[11],
                                (Integer) r[12],
                                (Boolean) r[13]))
                        .toList())
                .chain(due -> each(due, this::giveBack));
    }

    private Uni<Void> giveBack(Returned r) {
        if (r.amount().signum() == 0) {
            return returnDone(r, null);
        }
        Uni<String> reversal = r.reversalId() != null || !r.reverseTransfer()
                ? Uni.createFrom().item(String.valueOf(r.reversalId()))
                : stripe.call(c -> c.v1().transfers()
                                .reversals()
                                .create(
                                        r.transferId(),
                                        com.stripe.param.TransferReversalCreateParams.builder()
                                                .setAmount(CurrencyUnits.toMinor(r.currency(), r.amount()))
                                                .putMetadata("returnId", r.id().toString())
                                                .putMetadata(
                                                        "supplierOrderId",
                                                        r.supplierOrderId().toString())
                                                .build(),
                                        RequestOptions.builder()
                                                .setIdempotencyKey("rtr-" + r.id() + "-" + r.keyGen())
                                                .build()))
                        .onItemOrFailure()
                        .invoke((t, failure) -> counted("reversal", failure))
                        .call(t -> Retrying.whileTransient(
                                "return " + r.id() + "'s reversal",
                                () -> sessions.withTransaction(s -> s.createNativeQuery(
                                                "update supplier_order_return"
                                                        + " set reversal_id = :t, updated_at = now() where id = :id and reversal_id is null")
                                        .setParameter("t", t.getId())
                                        .setParameter("id", r.id())
                                        .executeUpdate()
                                        .chain(changed -> changed == 0
                                                ? Uni.createFrom().voidItem()
                                                : s.createNativeQuery(
                                                                "update supplier_order_account set transfer_reversed ="
                                                                        + " transfer_reversed + :amount where supplier_order_id = :supplierOrderId")
                                                        .setParameter("amount", r.amount())
                                                        .setParameter("supplierOrderId", r.supplierOrderId())
                                                        .executeUpdate()
                                                        .chain(() -> Ledger.entries(
                                                                s,
                                                                r.supplierOrderId(),
                                                                r.currency(),
                                                                List.of(
                                                                        new Ledger.Entry(
                                                                                "STRIPE_BALANCE",
                                                                                "platform",
                                                                                r.amount(),
                                                                                BigDecimal.ZERO),
                                                                        new Ledger.Entry(
                                                                                "SUPPLIER_PAYABLE",
                                                                                r.supplierId(),
                                                                                BigDecimal.ZERO,
                                                                                r.amount()))))))))
                        .map(com.stripe.model.TransferReversal::getId);
        return reversal.chain(() -> stripe.call(c -> c.v1().refunds()
                                .create(
                                        RefundCreateParams.builder()
                                                .setCharge(r.chargeId())
                                                .setAmount(CurrencyUnits.toMinor(r.currency(), r.amount()))
                                                .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
                                                .putMetadata("returnId", r.id().toString())
                                                .putMetadata(
                                                        "supplierOrderId",
                                                        r.supplierOrderId().toString())
                                                .build(),
                                        RequestOptions.builder()
                                                .setIdempotencyKey("rre-" + r.id() + "-" + r.keyGen())
                                                .build()))
                        .onItemOrFailure()
                        .invoke((x, failure) -> counted("return_refund", failure)))
                .chain(refund ->
                        Retrying.whileTransient("return " + r.id() + "'s refund", () -> returnDone(r, refund.getId())))
                .onFailure()
                .recoverWithUni(e -> sessions.withTransaction(s -> s.createNativeQuery("update supplier_order_return"
                                        + " set last_error = :why, next_at = :next, lease_until = null, key_gen = key_gen + :bump, updated_at = now()"
                                        + " where id = :id")
                                .setParameter("why", SqlValues.fit(e.getMessage(), 500))
                                .setParameter("bump", e instanceof StripeGateway.Failure f && f.refused() ? 1 : 0)
                                .setParameter("next", OffsetDateTime.now().plus(backoff.after(r.attempts())))
                                .setParameter("id", r.id())
                                .executeUpdate())
                        .replaceWithVoid());
    }

    private Uni<Void> returnDone(Returned r, String refundId) {
        return sessions.withTransaction(s -> s.createNativeQuery("update supplier_order_return set status = 'DONE',"
                        + " refund_id = :re, next_at = null, lease_until = null, last_error = null, updated_at = now()"
                        + " where id = :id and status = 'DUE'")
                .setParameter("re", refundId)
                .setParameter("id", r.id())
                .executeUpdate()
                .call(changed -> changed == 0 ? Uni.createFrom().voidItem() : returnRequests.refunded(s, r.id()))
                .chain(changed -> changed == 0 || refundId == null
                        ? Uni.createFrom().voidItem()
                        : s.createNativeQuery(REFUNDED)
                                .setParameter("p", r.paymentId())
                                .executeUpdate()
                                .chain(() -> Ledger.entries(
                                        s,
                                        r.supplierOrderId(),
                                        r.currency(),
                                        List.of(
                                                new Ledger.Entry(
                                                        "RETAILER_RECEIVABLE",
                                                        r.retailerId(),
                                                        r.amount(),
                                                        BigDecimal.ZERO),
                                                new Ledger.Entry(
                                                        "STRIPE_BALANCE", "platform", BigDecimal.ZERO, r.amount()))))
                                .chain(() -> io.dropship.platform.outbox.OrderActivity.publish(
                                        outbox,
                                        s,
                                        r.orderId(),
                                        "settlement-service",
                                        "RETURN_REFUND",
                                        "Gave back " + r.amount().toPlainString() + " "
                                                + r.currency() + " to the retailer for supplier order "
                                                + TimeOrderedIds.shortForm(r.supplierOrderId()) + " (refund "
                                                + refundId + "), "
                                                + (r.reverseTransfer()
                                                        ? "reversed from " + r.supplierId() + "'s transfer"
                                                        : "at the platform's cost"),
                                        java.util.Map.of(
                                                "refundId",
                                                refundId,
                                                "amount",
                                                r.amount().toPlainString(),
                                                "currency",
                                                r.currency(),
                                                "supplierOrderId",
                                                r.supplierOrderId().toString())))));
    }

    /**
     * A payment's refunded amount: all the refunds made for it so far, or what charge.refunded said if that is more.
     * Both are running totals, so whichever comes second does not count a refund twice.
     */
    private static final String REFUNDED = "update payment set refunded = greatest(refunded,"
            + " (select coalesce(sum(retailer_charge), 0) from supplier_order_account where payment_id = :p and refund_id is not null)"
            + " + (select coalesce(sum(r.amount), 0) from supplier_order_return r join supplier_order_account a"
            + " on a.supplier_order_id = r.supplier_order_id where a.payment_id = :p and r.refund_id is not null)),"
            + " updated_at = now() where id = :p";

    private Uni<Void> failed(Owed o, Throwable failure, Duration wait) {
        return failed(o, failure.getMessage(), wait, failure instanceof StripeGateway.Failure f && f.refused());
    }

    private Uni<Void> failed(Owed o, String reason, Duration wait, boolean refused) {
        return sessions.withTransaction(s -> s.createNativeQuery("update supplier_order_account set money_error = :why,"
                                + " money_next_at = :next, money_lease_until = null, money_key_gen = money_key_gen + :bump,"
                                + " updated_at = now()"
                                + " where supplier_order_id = :supplierOrderId")
                        .setParameter("why", SqlValues.fit(reason, 500))
                        .setParameter("next", OffsetDateTime.now().plus(wait))
                        .setParameter("bump", refused ? 1 : 0)
                        .setParameter("supplierOrderId", o.supplierOrderId())
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Makes the calls at most {@code chargeConcurrency} at a time, each on a Vert.x context of its own (a Hibernate
     * Reactive session belongs to one context), and continues on the caller's context; how many there were. Each call
     * is its own claimed payment under its own idempotency key, so they do not depend on each other: made one after
     * the other, a round of twenty charges took a second or more and every order waited behind the ones before it.
     */
    private <T> Uni<Integer> concurrently(List<T> items, java.util.function.Function<T, Uni<Void>> call) {
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        Uni<Integer> made = Multi.createFrom()
                .iterable(items)
                .onItem()
                .transformToUni(item -> OwnContext.run(vertx.getDelegate(), () -> call.apply(item))
                        .onFailure()
                        .recoverWithUni(e -> {
                            // The others go on; this one's claim lapses and the next round after it tries again.
                            LOG.warnf(e, "a charge failed; it is tried again when its claim lapses");
                            return Uni.createFrom().voidItem();
                        }))
                .merge(chargeConcurrency)
                .collect()
                .last()
                .replaceWith(items.size());
        return caller == null ? made : made.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** Makes the calls one after the other (a round's transfers, refunds and returns); how many there were. */
    static <T> Uni<Integer> each(List<T> items, java.util.function.Function<T, Uni<Void>> call) {
        return Multi.createFrom()
                .iterable(items)
                .onItem()
                .transformToUniAndConcatenate(item -> call.apply(item))
                .collect()
                .last()
                .replaceWith(items.size());
    }
}
