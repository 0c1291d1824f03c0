package io.dropship.settlement.billing;

import static io.dropship.platform.sql.SqlValues.instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.net.RequestOptions;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.InvoicePayParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.SubscriptionUpdateParams;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.TransactionLock;
import io.dropship.platform.web.ProblemException;
import io.dropship.settlement.domain.CurrencyUnits;
import io.dropship.settlement.domain.Plan;
import io.dropship.settlement.messaging.events.SettlementEvents.SubscriptionChanged;
import io.dropship.settlement.service.Ledger;
import io.dropship.settlement.stripe.StripeGateway;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * A retailer's subscription to a plan, kept in Stripe Billing: subscribe (with the plan's free trial the first time),
 * change plan (an upgrade is prorated and charged at once, a downgrade is credited on the next invoice), cancel at the
 * period's end. Stripe is the record: every customer.subscription.* event makes this service fetch the subscription
 * again and keep what it says, so events may come late, twice or out of order. The plan a retailer's orders are
 * invoiced at follows the subscription (retailer_plan); a cancelled one falls back to BASIC's pay-as-you-go terms.
 *
 * <p>A renewal that fails ({@code invoice.payment_failed}) starts a grace period ({@code dropship.billing.grace-period});
 * past it the retailer is suspended: its new orders are held (never one already paid for) until the subscription's
 * open invoices are paid, by Stripe's own retries or when the retailer saves a new payment method, which pays them at
 * once. {@code invoice.paid} lifts the suspension and releases the held orders, and books the subscription revenue.
 */
@ApplicationScoped
public class Subscriptions {

    private static final Logger LOG = Logger.getLogger(Subscriptions.class);
    /** Stripe's statuses under which the plan's terms apply. */
    static final Set<String> LIVE = Set.of("trialing", "active", "past_due");

    public record InvoiceView(
            String id,
            String billingReason,
            String status,
            BigDecimal total,
            BigDecimal amountPaid,
            String currency,
            Instant periodStart,
            Instant periodEnd,
            int attempts,
            Instant nextAttemptAt,
            Instant paidAt,
            String hostedInvoiceUrl) {}

    /**
     * suspended: the grace period after a failed renewal is over and new orders are held; invoices: the newest first.
     */
    public record View(
            String retailerId,
            String subscriptionId,
            String plan,
            String status,
            Instant trialEnd,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            Instant paymentFailedAt,
            Instant graceUntil,
            boolean suspended,
            List<InvoiceView> invoices) {}

    private final Mutiny.SessionFactory sessions;
    private final StripeGateway stripe;
    private final PlanPrices prices;
    private final Outbox outbox;
    private final Duration grace;

    public Subscriptions(
            Mutiny.SessionFactory sessions,
            StripeGateway stripe,
            PlanPrices prices,
            Outbox outbox,
            @ConfigProperty(name = "dropship.billing.grace-period", defaultValue = "P7D") Duration grace) {
        this.sessions = sessions;
        this.stripe = stripe;
        this.prices = prices;
        this.outbox = outbox;
        this.grace = grace;
    }

    // ---- what the retailer does ------------------------------------------------------------------------------

    public Uni<View> view(String retailerId) {
        return sessions.withSession(s -> view(s, retailerId));
    }

    /** Subscribes the retailer to the plan, charged to the payment method it saved; the first time with a trial. */
    public Uni<View> subscribe(String retailerId, Plan plan) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select c.customer_id, c.default_payment_method,"
                                        + " (select status from subscription x where x.retailer_id = :retailerId),"
                                        + " (select subscription_id from subscription x where x.retailer_id = :retailerId),"
                                        + " (select trial_days from fee_rule f where f.plan = :plan)"
                                        + " from (select 1) one left join stripe_customer c on c.retailer_id = :retailerId",
                                Object[].class)
                        .setParameter("retailerId", retailerId)
                        .setParameter("plan", plan.name())
                        .getSingleResult())
                .chain(r -> {
                    if (r[0] == null || r[1] == null) {
                        throw ProblemException.conflict("save a payment method first (PUT /api/billing/payment-method):"
                                + " the subscription is charged to it");
                    }
                    if (r[2] != null && LIVE.contains((String) r[2])) {
                        throw ProblemException.conflict("already subscribed (" + r[2] + "); change the plan with"
                                + " PUT /api/billing/subscription");
                    }
                    String customer = (String) r[0];
                    // The free trial is for a retailer's first subscription only.
                    long trial = r[3] == null && r[4] != null ? ((Number) r[4]).longValue() : 0;
                    String previous = r[3] == null ? "first" : (String) r[3];
                    return prices.price(plan)
                            .chain(price -> stripe.call(c -> {
                                SubscriptionCreateParams.Builder p = SubscriptionCreateParams.builder()
                                        .setCustomer(customer)
                                        .addItem(SubscriptionCreateParams.Item.builder()
                                                .setPrice(price.priceId())
                                                .build())
                                        .setPaymentBehavior(
                                                SubscriptionCreateParams.PaymentBehavior.ERROR_IF_INCOMPLETE)
                                        .putMetadata("retailerId", retailerId)
                                        .putMetadata("plan", plan.name());
                                if (trial > 0) {
                                    p.setTrialPeriodDays(trial);
                                }
                                return c.v1().subscriptions()
                                        .create(
                                                p.build(),
                                                RequestOptions.builder()
                                                        .setIdempotencyKey(
                                                                "subscribe-" + retailerId + "-" + plan + "-" + previous)
                                                        .build());
                            }));
                })
                .chain(sub -> sessions.withTransaction(s -> refresh(s, sub.getId())))
                .chain(() -> view(retailerId));
    }

    /**
     * Moves the retailer to another plan. An upgrade is charged now for the rest of the period (Stripe's proration,
     * invoiced at once; a declined card changes nothing and is a 402); a downgrade is credited on the next invoice and
     * refused while the retailer lists more suppliers than the smaller plan allows. Choosing the plan it is on undoes
     * a cancellation at the period's end.
     */
    public Uni<View> change(String retailerId, Plan plan) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select x.subscription_id, x.plan, x.status, x.cancel_at_period_end,"
                                        + " f.supplier_limit, (select count(distinct u) from retailer_listing l, unnest(l.supplier_ids) u"
                                        + " where l.retailer_id = :retailerId and l.active), g.monthly_price, f.monthly_price"
                                        + " from subscription x join fee_rule f on f.plan = :plan join fee_rule g on g.plan = x.plan"
                                        + " where x.retailer_id = :retailerId",
                                Object[].class)
                        .setParameter("retailerId", retailerId)
                        .setParameter("plan", plan.name())
                        .getResultList())
                .chain(rows -> {
                    if (rows.isEmpty() || !LIVE.contains((String) rows.get(0)[2])) {
                        throw ProblemException.conflict(
                                "no subscription to change; subscribe with POST /api/billing/subscription");
                    }
                    Object[] r = rows.get(0);
                    String id = (String) r[0];
                    boolean same = plan.name().equals(r[1]);
                    if (same && !(Boolean) r[3]) {
                        return Uni.createFrom().item((Subscription) null);
                    }
                    long suppliers = ((Number) r[5]).longValue();
                    if (r[4] != null && suppliers > ((Number) r[4]).longValue()) {
                        throw ProblemException.conflict("you list products of " + suppliers + " suppliers and " + plan
                                + " allows " + r[4] + "; archive listings of "
                                + (suppliers - ((Number) r[4]).longValue())
                                + " of them first");
                    }
                    if (same) {
                        return stripe.call(c -> c.v1().subscriptions()
                                .update(
                                        id,
                                        SubscriptionUpdateParams.builder()
                                                .setCancelAtPeriodEnd(false)
                                                .build()));
                    }
                    boolean upgrade =
                            r[6] == null || r[7] == null || ((BigDecimal) r[7]).compareTo((BigDecimal) r[6]) > 0;
                    return prices.price(plan)
                            .chain(price -> stripe.call(c -> {
                                Subscription now = c.v1().subscriptions().retrieve(id);
                                SubscriptionItem item = now.getItems().getData().get(0);
                                return c.v1().subscriptions()
                                        .update(
                                                id,
                                                SubscriptionUpdateParams.builder()
                                                        .addItem(SubscriptionUpdateParams.Item.builder()
                                                                .setId(item.getId())
                                                                .setPrice(price.priceId())
                                                                .build())
                                                        .setProrationBehavior(
                                                                upgrade
                                                                        ? SubscriptionUpdateParams.ProrationBehavior
                                                                                .ALWAYS_INVOICE
                                                                        : SubscriptionUpdateParams.ProrationBehavior
                                                                                .CREATE_PRORATIONS)
                                                        .setPaymentBehavior(
                                                                upgrade
                                                                        ? SubscriptionUpdateParams.PaymentBehavior
                                                                                .ERROR_IF_INCOMPLETE
                                                                        : SubscriptionUpdateParams.PaymentBehavior
                                                                                .ALLOW_INCOMPLETE)
                                                        .setCancelAtPeriodEnd(false)
                                                        .putMetadata("plan", plan.name())
                                                        .build());
                            }));
                })
                .chain(sub -> sub == null
                        ? Uni.createFrom().voidItem()
                        : sessions.withTransaction(s -> refresh(s, sub.getId())))
                .chain(() -> view(retailerId));
    }

    /** Cancels at the end of the period paid for: the plan's terms last until then. */
    public Uni<View> cancel(String retailerId) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select subscription_id, status from subscription where retailer_id = :retailerId",
                                Object[].class)
                        .setParameter("retailerId", retailerId)
                        .getResultList())
                .chain(rows -> {
                    if (rows.isEmpty() || !LIVE.contains((String) rows.get(0)[1])) {
                        throw ProblemException.notFound("subscription");
                    }
                    String id = (String) rows.get(0)[0];
                    return stripe.call(c -> c.v1().subscriptions()
                            .update(
                                    id,
                                    SubscriptionUpdateParams.builder()
                                            .setCancelAtPeriodEnd(true)
                                            .build()));
                })
                .chain(sub -> sessions.withTransaction(s -> refresh(s, sub.getId())))
                .chain(() -> view(retailerId));
    }

    /**
     * The retailer saved a new payment method: the subscription's unpaid invoices are paid with it now (a decline
     * leaves them to Stripe's retries); invoice.paid then lifts a suspension.
     */
    public Uni<Void> payOpenInvoices(String retailerId) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select subscription_id from subscription where retailer_id = :retailerId"
                                        + " and status in ('past_due', 'unpaid', 'incomplete')",
                                String.class)
                        .setParameter("retailerId", retailerId)
                        .getResultList())
                .chain(ids -> ids.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : stripe.call(c -> {
                                    for (var invoice : c.v1().invoices()
                                            .list(InvoiceListParams.builder()
                                                    .setSubscription(ids.get(0))
                                                    .setStatus(InvoiceListParams.Status.OPEN)
                                                    .build())
                                            .getData()) {
                                        try {
                                            c.v1().invoices()
                                                    .pay(
                                                            invoice.getId(),
                                                            InvoicePayParams.builder()
                                                                    .build());
                                        } catch (com.stripe.exception.CardException declined) {
                                            LOG.infof(
                                                    "subscription invoice %s of %s declined again: %s",
                                                    invoice.getId(), retailerId, declined.getMessage());
                                        }
                                    }
                                    return null;
                                })
                                .replaceWithVoid());
    }

    // ---- what Stripe says ------------------------------------------------------------------------------------

    /** customer.subscription.*: the subscription as Stripe has it now, kept. */
    public Uni<Void> refresh(Mutiny.Session s, String subscriptionId) {
        // Under the subscription's lock, fetched and kept: two events handled at once cannot keep an older state last.
        return TransactionLock.take(s, "subscription:" + subscriptionId)
                .chain(() -> stripe.call(c -> c.v1().subscriptions().retrieve(subscriptionId)))
                .chain(sub -> apply(s, sub, null));
    }

    /**
     * invoice.*: the invoice kept (a status only moves forward); a failed payment starts the grace period, a paid
     * invoice ends it once none is left unpaid, releases the orders a suspension held and books the revenue.
     */
    public Uni<Void> invoice(Mutiny.Session s, String type, JsonNode inv) {
        String subscriptionId = inv.path("parent")
                .path("subscription_details")
                .path("subscription")
                .asText(null);
        if (subscriptionId == null) {
            return Uni.createFrom().voidItem();
        }
        String currency = inv.path("currency").asText("usd").toUpperCase(Locale.ROOT);
        String charge = null;
        for (JsonNode payment : inv.path("payments").path("data")) {
            if ("paid".equals(payment.path("status").asText())
                    && payment.path("payment").hasNonNull("charge")) {
                charge = payment.path("payment").path("charge").asText();
            }
        }
        String chargeId = charge;
        String status = inv.path("status").asText();
        String metadataRetailer = inv.path("parent")
                .path("subscription_details")
                .path("metadata")
                .path("retailerId")
                .asText(null);
        // Under the subscription's lock, as refresh: Stripe sends an invoice's events and the subscription's at once,
        // and two of them writing the invoice's row and the subscription's in opposite orders deadlocked (the loser
        // was answered 503 and its invoice.paid, retried by Stripe only much later, was missing meanwhile).
        return TransactionLock.take(s, "subscription:" + subscriptionId)
                .chain(() -> retailerOf(s, subscriptionId))
                // An invoice can arrive before the subscription is kept (the first month's, charged while the subscribe
                // call is still answering): the subscription is fetched and kept first, so the invoice has its
                // retailer.
                .chain(found -> found != null || metadataRetailer == null
                        ? Uni.createFrom().item(found)
                        : refresh(s, subscriptionId).chain(() -> retailerOf(s, subscriptionId)))
                .chain(retailer -> {
                    if (retailer == null) {
                        LOG.infof(
                                "invoice %s of subscription %s: not a retailer's subscription",
                                inv.path("id").asText(), subscriptionId);
                        return Uni.createFrom().voidItem();
                    }
                    return s.createNativeQuery(
                                    "insert into subscription_invoice as i (id, retailer_id, subscription_id,"
                                            + " billing_reason, status, currency, total, amount_due, amount_paid, period_start, period_end,"
                                            + " attempt_count, next_payment_attempt, charge_id, paid_at, recorded_paid_at, hosted_invoice_url,"
                                            + " created, updated_at)"
                                            + " values (:id, :retailerId, :sub, :reason, :status, :cur, :total, :due, :paid, :ps, :pe, :attempts, :next,"
                                            + " :charge, :paidAt, case when :status = 'paid' then now() end, :url, :created, now())"
                                            + " on conflict (id) do update set status = case when i.status = 'open' or i.status = 'draft'"
                                            + " then excluded.status else i.status end,"
                                            + " amount_paid = greatest(i.amount_paid, excluded.amount_paid),"
                                            + " attempt_count = greatest(i.attempt_count, excluded.attempt_count),"
                                            + " next_payment_attempt = case when excluded.attempt_count >= i.attempt_count"
                                            + " then excluded.next_payment_attempt else i.next_payment_attempt end,"
                                            + " charge_id = coalesce(i.charge_id, excluded.charge_id), paid_at = coalesce(i.paid_at, excluded.paid_at),"
                                            + " recorded_paid_at = coalesce(i.recorded_paid_at, excluded.recorded_paid_at),"
                                            + " updated_at = now()")
                            .setParameter("id", inv.path("id").asText())
                            .setParameter("retailerId", retailer)
                            .setParameter("sub", subscriptionId)
                            .setParameter("reason", inv.path("billing_reason").asText(null))
                            .setParameter("status", status)
                            .setParameter("cur", currency)
                            .setParameter("total", money(inv, "total"))
                            .setParameter("due", money(inv, "amount_due"))
                            .setParameter("paid", money(inv, "amount_paid"))
                            .setParameter("ps", time(inv.path("period_start")))
                            .setParameter("pe", time(inv.path("period_end")))
                            .setParameter("attempts", inv.path("attempt_count").asInt())
                            .setParameter("next", time(inv.path("next_payment_attempt")))
                            .setParameter("charge", chargeId)
                            .setParameter(
                                    "paidAt",
                                    time(inv.path("status_transitions").path("paid_at")))
                            .setParameter("url", inv.path("hosted_invoice_url").asText(null))
                            .setParameter("created", time(inv.path("created")))
                            .executeUpdate()
                            .chain(() -> switch (type) {
                                case "invoice.payment_failed" -> failed(s, retailer);
                                case "invoice.paid" -> paid(s, retailer, subscriptionId, inv, currency, chargeId);
                                default -> Uni.createFrom().voidItem();
                            });
                });
    }

    /** The retailer whose subscription this is, as kept here; null when it is not kept (yet). */
    private static Uni<String> retailerOf(Mutiny.Session s, String subscriptionId) {
        return s.createNativeQuery("select retailer_id from subscription where subscription_id = :id", String.class)
                .setParameter("id", subscriptionId)
                .getResultList()
                .map(l -> l.isEmpty() ? null : l.get(0));
    }

    private Uni<Void> failed(Mutiny.Session s, String retailer) {
        return s.createNativeQuery("update subscription set payment_failed_at = coalesce(payment_failed_at, now()),"
                        + " grace_until = coalesce(grace_until, now() + make_interval(secs => :grace)), updated_at = now()"
                        + " where retailer_id = :retailerId")
                .setParameter("grace", (double) grace.toSeconds())
                .setParameter("retailerId", retailer)
                .executeUpdate()
                .invoke(() -> LOG.infof(
                        "subscription of %s: a renewal failed; new orders are held after %s unless it is paid",
                        retailer, grace))
                .chain(() -> announce(s, retailer, null));
    }

    private Uni<Void> paid(
            Mutiny.Session s, String retailer, String subscriptionId, JsonNode inv, String currency, String chargeId) {
        BigDecimal amount = money(inv, "amount_paid");
        String invoiceId = inv.path("id").asText();
        Uni<Void> revenue = amount.signum() == 0
                ? Uni.createFrom().voidItem()
                : s.createNativeQuery("select count(*) from ledger_entry where reference = :ref", Long.class)
                        .setParameter("ref", invoiceId)
                        .getSingleResult()
                        .chain(n -> n > 0
                                ? Uni.createFrom().voidItem()
                                : Ledger.entries(
                                        s,
                                        null,
                                        invoiceId,
                                        currency,
                                        List.of(
                                                new Ledger.Entry("STRIPE_BALANCE", "platform", amount, BigDecimal.ZERO),
                                                new Ledger.Entry(
                                                        "SUBSCRIPTION_REVENUE", retailer, BigDecimal.ZERO, amount))));
        return revenue.chain(() -> s.createNativeQuery(
                                "update subscription set payment_failed_at = null, grace_until = null,"
                                        + " updated_at = now() where retailer_id = :retailerId and not exists (select 1 from subscription_invoice i"
                                        + " where i.subscription_id = :sub and i.status = 'open')")
                        .setParameter("retailerId", retailer)
                        .setParameter("sub", subscriptionId)
                        .executeUpdate())
                .chain(cleared -> cleared == 0
                        ? Uni.createFrom().voidItem()
                        : s.createNativeQuery(
                                        "update payment set next_attempt_at = now(), updated_at = now()"
                                                + " where retailer_id = :retailerId and status = 'ON_HOLD' and hold_reason = 'SUSPENDED'")
                                .setParameter("retailerId", retailer)
                                .executeUpdate()
                                .invoke(n -> {
                                    if (n > 0) {
                                        LOG.infof("subscription of %s paid up: %d held orders released", retailer, n);
                                    }
                                })
                                .replaceWithVoid())
                .chain(() -> announce(
                        s,
                        retailer,
                        new SubscriptionChanged.InvoicePaid(
                                invoiceId,
                                inv.path("billing_reason").asText(null),
                                amount,
                                currency,
                                Instant.ofEpochSecond(inv.path("status_transitions")
                                        .path("paid_at")
                                        .asLong(inv.path("created").asLong())))));
    }

    /**
     * Keeps the subscription as Stripe has it. A retailer's row is replaced by a newer subscription, never by an old
     * one ending (a cancelled subscription's late event after the retailer subscribed again).
     */
    Uni<Void> apply(Mutiny.Session s, Subscription sub, SubscriptionChanged.InvoicePaid invoicePaid) {
        SubscriptionItem item =
                sub.getItems() == null || sub.getItems().getData().isEmpty()
                        ? null
                        : sub.getItems().getData().get(0);
        String planName =
                item != null && item.getPrice() != null && item.getPrice().getMetadata() != null
                        ? item.getPrice().getMetadata().get("plan")
                        : null;
        if (planName == null && sub.getMetadata() != null) {
            planName = sub.getMetadata().get("plan");
        }
        String retailer = sub.getMetadata() == null ? null : sub.getMetadata().get("retailerId");
        if (retailer == null || planName == null) {
            LOG.infof("subscription %s is not a retailer's plan; left alone", sub.getId());
            return Uni.createFrom().voidItem();
        }
        String plan = planName;
        String status = sub.getStatus();
        return s.createNativeQuery(
                        "insert into subscription as x (retailer_id, subscription_id, customer_id, plan, status,"
                                + " trial_end, current_period_start, current_period_end, cancel_at_period_end, created_at, updated_at)"
                                + " values (:retailerId, :id, :cus, :plan, :status, :trial, :ps, :pe, :cancel, now(), now())"
                                + " on conflict (retailer_id) do update set subscription_id = excluded.subscription_id,"
                                + " customer_id = excluded.customer_id, plan = excluded.plan, status = excluded.status,"
                                + " trial_end = excluded.trial_end, current_period_start = excluded.current_period_start,"
                                + " current_period_end = excluded.current_period_end, cancel_at_period_end = excluded.cancel_at_period_end,"
                                + " payment_failed_at = case when excluded.subscription_id = x.subscription_id then x.payment_failed_at end,"
                                + " grace_until = case when excluded.subscription_id = x.subscription_id then x.grace_until end,"
                                + " updated_at = now()"
                                + " where x.subscription_id = excluded.subscription_id or x.status not in ('trialing', 'active', 'past_due')")
                .setParameter("retailerId", retailer)
                .setParameter("id", sub.getId())
                .setParameter("cus", sub.getCustomer())
                .setParameter("plan", plan)
                .setParameter("status", status)
                .setParameter("trial", time(sub.getTrialEnd()))
                .setParameter("ps", item == null ? null : time(item.getCurrentPeriodStart()))
                .setParameter("pe", item == null ? null : time(item.getCurrentPeriodEnd()))
                .setParameter("cancel", Boolean.TRUE.equals(sub.getCancelAtPeriodEnd()))
                .executeUpdate()
                .chain(changed -> changed == 0
                        ? Uni.createFrom().voidItem()
                        : terms(s, retailer, LIVE.contains(status) ? plan : null)
                                .chain(() -> announce(s, retailer, invoicePaid)));
    }

    /**
     * The plan the retailer's orders are invoiced at: the subscription's while it lives, BASIC's pay-as-you-go terms
     * after. A plan with room for more orders releases the orders its limit held.
     */
    private Uni<Void> terms(Mutiny.Session s, String retailer, String plan) {
        Uni<Integer> set = plan == null
                ? s.createNativeQuery("delete from retailer_plan where retailer_id = :retailerId")
                        .setParameter("retailerId", retailer)
                        .executeUpdate()
                : s.createNativeQuery(
                                "insert into retailer_plan (retailer_id, plan, updated_at) values (:retailerId, :plan, now())"
                                        + " on conflict (retailer_id) do update set plan = excluded.plan, updated_at = now()")
                        .setParameter("retailerId", retailer)
                        .setParameter("plan", plan)
                        .executeUpdate();
        return set.chain(() -> s.createNativeQuery(
                                "update payment set next_attempt_at = now(), updated_at = now()"
                                        + " where retailer_id = :retailerId and status = 'ON_HOLD' and hold_reason = 'PLAN_LIMIT'")
                        .setParameter("retailerId", retailer)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** SubscriptionChanged: the subscription, its plan's limits and the retailer's standing, for other services. */
    private Uni<Void> announce(Mutiny.Session s, String retailer, SubscriptionChanged.InvoicePaid invoicePaid) {
        return s.createNativeQuery(
                        "select x.subscription_id, x.plan, x.status, x.grace_until, x.grace_until < now(),"
                                + " f.monthly_order_limit, f.supplier_limit, x.current_period_end, x.cancel_at_period_end"
                                + " from subscription x join fee_rule f on f.plan = case when x.status in ('trialing', 'active', 'past_due')"
                                + " then x.plan else 'BASIC' end where x.retailer_id = :retailerId",
                        Object[].class)
                .setParameter("retailerId", retailer)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Object[] r = rows.get(0);
                    return outbox.publish(
                                    s,
                                    SubscriptionChanged.TOPIC,
                                    retailer,
                                    new SubscriptionChanged(
                                            retailer,
                                            (String) r[0],
                                            (String) r[1],
                                            ((String) r[2]).toUpperCase(Locale.ROOT),
                                            Boolean.TRUE.equals(r[4]),
                                            instant(r[3]),
                                            (Integer) r[5],
                                            (Integer) r[6],
                                            instant(r[7]),
                                            (Boolean) r[8],
                                            invoicePaid,
                                            Instant.now()))
                            .replaceWithVoid();
                });
    }

    private Uni<View> view(Mutiny.Session s, String retailerId) {
        return s.createNativeQuery(
                        "select subscription_id, plan, status, trial_end, current_period_start, current_period_end,"
                                + " cancel_at_period_end, payment_failed_at, grace_until, grace_until < now()"
                                + " from subscription where retailer_id = :retailerId",
                        Object[].class)
                .setParameter("retailerId", retailerId)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("subscription; subscribe with POST /api/billing/subscription");
                    }
                    Object[] r = rows.get(0);
                    return s.createNativeQuery(
                                    "select id, billing_reason, status, total, amount_paid, currency, period_start,"
                                            + " period_end, attempt_count, next_payment_attempt, paid_at, hosted_invoice_url"
                                            + " from subscription_invoice where retailer_id = :retailerId order by created desc, id desc limit 24",
                                    Object[].class)
                            .setParameter("retailerId", retailerId)
                            .getResultList()
                            .map(invoices -> {
                                List<InvoiceView> list = new ArrayList<>();
                                for (Object[] i : invoices) {
                                    list.add(new InvoiceView(
                                            (String) i[0],
                                            (String) i[1],
                                            (String) i[2],
                                            (BigDecimal) i[3],
                                            (BigDecimal) i[4],
                                            ((String) i[5]).trim(),
                                            instant(i[6]),
                                            instant(i[7]),
                                            (Integer) i[8],
                                            instant(i[9]),
                                            instant(i[10]),
                                            (String) i[11]));
                                }
                                return new View(
                                        retailerId,
                                        (String) r[0],
                                        (String) r[1],
                                        ((String) r[2]).toUpperCase(Locale.ROOT),
                                        instant(r[3]),
                                        instant(r[4]),
                                        instant(r[5]),
                                        (Boolean) r[6],
                                        instant(r[7]),
                                        instant(r[8]),
                                        Boolean.TRUE.equals(r[9]),
                                        list);
                            });
                });
    }

    private static BigDecimal money(JsonNode o, String field) {
        return CurrencyUnits.fromMinor(
                o.path("currency").asText("usd"), o.path(field).asLong());
    }

    private static OffsetDateTime time(JsonNode epoch) {
        return epoch == null || !epoch.canConvertToLong()
                ? null
                : Instant.ofEpochSecond(epoch.asLong()).atOffset(ZoneOffset.UTC);
    }

    private static OffsetDateTime time(Long epoch) {
        return epoch == null ? null : Instant.ofEpochSecond(epoch).atOffset(ZoneOffset.UTC);
    }
}
