package io.dropship.settlement.service;

import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.settlement.domain.FeeSchedule;
import io.dropship.settlement.domain.Invoicing;
import io.dropship.settlement.domain.MoneyStatus;
import io.dropship.settlement.domain.PlanStanding;
import io.dropship.settlement.messaging.events.SettlementEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * What the saga's events mean for the money. StockReserved brings a supplier order's amounts; once every supplier
 * order of the order's first routing is reserved or refused, the reserved ones are invoiced at the retailer's plan
 * and charged together in one payment (a supplier order reserved later, after a re-route, in one of its own).
 * Shipped makes the supplier's transfer due; a cancellation or a rejection before shipping makes a refund due if the
 * money was taken. {@link StripeCalls} makes the Stripe calls. Events may arrive in any order: each one fills in its
 * part of the supplier order's row and the decisions are taken from the row.
 */
@ApplicationScoped
public class Ledger {

    private final PaymentClearance clearance;
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Ledger.class);
    private final io.dropship.platform.outbox.Outbox outbox;

    public Ledger(PaymentClearance clearance, io.dropship.platform.outbox.Outbox outbox) {
        this.clearance = clearance;
        this.outbox = outbox;
    }

    /**
     * When a supplier order's money is due for {@link StripeCalls}: now if its payment was taken, else not yet (the payment
     * succeeding makes its shipped and cancelled supplier orders due). Rows with nothing to do stay out of the Stripe calls job's index.
     */
    private static final String PAID_NOW = "(select case when p.status = 'SUCCEEDED' then now() end from payment p"
            + " where p.id = supplier_order_account.payment_id)";

    /**
     * Holds the supplier order's payment row (FOR SHARE) before {@link #PAID_NOW} reads it. Without it, a payment
     * succeeding at the same moment is a write skew: its transaction finds the supplier order not yet shipped, this
     * one finds the payment not yet taken, and neither makes the money due. With it, whichever comes second waits
     * for the first and sees what it did (both take the payment row first, so they never deadlock).
     */
    private static Uni<Void> holdPayment(Mutiny.Session s, UUID supplierOrderId) {
        return s.createNativeQuery(
                        "select p.status from payment p join supplier_order_account a on a.payment_id = p.id"
                                + " where a.supplier_order_id = :supplierOrderId for share of p",
                        String.class)
                .setParameter("supplierOrderId", supplierOrderId)
                .getResultList()
                .replaceWithVoid();
    }

    public Uni<Void> amounts(Mutiny.Session s, SettlementEvents.StockReserved r) {
        if (r.supplierOrderId() == null
                || r.orderId() == null
                || r.retailerId() == null
                || r.supplierId() == null
                || r.wholesaleTotal() == null
                || r.shippingCost() == null
                || r.currency() == null) {
            throw new PoisonMessageException("StockReserved lacks what settlement needs");
        }
        if (Boolean.TRUE.equals(r.noCharge())) {
            return reship(s, r);
        }
        return lines(s, r).chain(() -> account(s, r));
    }

    /** The supplier order's lines, kept for returns of some of their units: one statement for all of them. */
    private static Uni<Void> lines(Mutiny.Session s, SettlementEvents.StockReserved r) {
        List<SettlementEvents.StockReserved.Line> lines = (r.lines() == null
                        ? List.<SettlementEvents.StockReserved.Line>of()
                        : r.lines())
                .stream()
                        .filter(l -> l.lineId() != null
                                && l.sku() != null
                                && l.quantity() != null
                                && l.wholesalePrice() != null)
                        .toList();
        if (lines.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return s.createNativeQuery("insert into supplier_order_line_account (supplier_order_id, line_id, sku, quantity,"
                        + " wholesale_price) select :supplierOrderId, l, k, q, p from unnest(cast(:l as text[]),"
                        + " cast(:k as text[]), cast(:q as int[]), cast(:p as numeric[])) as t (l, k, q, p)"
                        + " on conflict do nothing")
                .setParameter("supplierOrderId", r.supplierOrderId())
                .setParameter(
                        "l",
                        lines.stream()
                                .map(SettlementEvents.StockReserved.Line::lineId)
                                .toArray(String[]::new))
                .setParameter(
                        "k",
                        lines.stream()
                                .map(SettlementEvents.StockReserved.Line::sku)
                                .toArray(String[]::new))
                .setParameter(
                        "q",
                        lines.stream()
                                .map(SettlementEvents.StockReserved.Line::quantity)
                                .toArray(Integer[]::new))
                .setParameter(
                        "p",
                        lines.stream()
                                .map(SettlementEvents.StockReserved.Line::wholesalePrice)
                                .toArray(BigDecimal[]::new))
                .executeUpdate()
                .replaceWithVoid();
    }

    private Uni<Void> account(Mutiny.Session s, SettlementEvents.StockReserved r) {
        return s.createNativeQuery(
                        "insert into supplier_order_account (supplier_order_id, order_id, order_number, retailer_id,"
                                + " supplier_id, currency, wholesale_total, shipping_cost, attempt, routed_together, reservation, updated_at)"
                                + " values (:supplierOrderId, :orderId, :n, :retailerId, :supplierId, :cur, :w, :ship, :attempt, :together, 'RESERVED', now())"
                                + " on conflict (supplier_order_id) do update set order_number = excluded.order_number,"
                                + " retailer_id = excluded.retailer_id, supplier_id = excluded.supplier_id,"
                                + " currency = excluded.currency, wholesale_total = excluded.wholesale_total,"
                                + " shipping_cost = excluded.shipping_cost, attempt = excluded.attempt,"
                                + " routed_together = excluded.routed_together, reservation = 'RESERVED', updated_at = now()")
                .setParameter("supplierOrderId", r.supplierOrderId())
                .setParameter("orderId", r.orderId())
                .setParameter("n", r.orderNumber())
                .setParameter("retailerId", r.retailerId())
                .setParameter("supplierId", r.supplierId())
                .setParameter("cur", r.currency())
                .setParameter("w", r.wholesaleTotal())
                .setParameter("ship", r.shippingCost())
                .setParameter("attempt", r.attempt() == null ? 1 : r.attempt())
                .setParameter("together", r.routedTogether() == null ? 1 : r.routedTogether())
                .executeUpdate()
                .chain(() -> invoiceIfReady(s, r.orderId()));
    }

    /**
     * A reship at no charge (a case's outcome): recorded NO_CHARGE, so it is never invoiced, charged or paid out, and
     * cleared at once (PaymentCleared, basis NO_CHARGE) so fulfillment sends it to the supplier.
     */
    private Uni<Void> reship(Mutiny.Session s, SettlementEvents.StockReserved r) {
        return s.createNativeQuery(
                        "insert into supplier_order_account (supplier_order_id, order_id, order_number, retailer_id,"
                                + " supplier_id, currency, wholesale_total, shipping_cost, attempt, routed_together, reservation, status,"
                                + " updated_at) values (:supplierOrderId, :orderId, :n, :retailerId, :supplierId, :cur, :w, :ship, :attempt, 1, 'RESERVED', 'NO_CHARGE', now())"
                                + " on conflict (supplier_order_id) do nothing")
                .setParameter("supplierOrderId", r.supplierOrderId())
                .setParameter("orderId", r.orderId())
                .setParameter("n", r.orderNumber())
                .setParameter("retailerId", r.retailerId())
                .setParameter("supplierId", r.supplierId())
                .setParameter("cur", r.currency())
                .setParameter("w", r.wholesaleTotal())
                .setParameter("ship", r.shippingCost())
                .setParameter("attempt", r.attempt() == null ? 1 : r.attempt())
                .executeUpdate()
                .chain(inserted -> inserted == 0
                        ? Uni.createFrom().voidItem()
                        : outbox.publish(
                                        s,
                                        SettlementEvents.PaymentCleared.TOPIC,
                                        r.orderId().toString(),
                                        new SettlementEvents.PaymentCleared(
                                                r.supplierOrderId(),
                                                r.orderId(),
                                                r.orderNumber(),
                                                r.retailerId(),
                                                List.of(r.supplierOrderId()),
                                                "NO_CHARGE",
                                                r.currency(),
                                                BigDecimal.ZERO.setScale(2),
                                                Instant.now()))
                                .replaceWithVoid());
    }

    /**
     * A case resolved with a REFUND: the amount is given back as a return is (StripeCalls reverses it from the supplier's
     * transfer, then refunds the retailer; or refunds at the platform's cost), once per case.
     */
    public Uni<Void> caseResolved(Mutiny.Session s, SettlementEvents.CaseUpdated c) {
        if (!"RESOLVED".equals(c.event()) || !"REFUND".equals(c.outcome())) {
            return Uni.createFrom().voidItem();
        }
        if (c.caseId() == null || c.supplierOrderId() == null || c.refundAmount() == null) {
            throw new PoisonMessageException("a REFUND case without its case, supplier order or amount");
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(c.refundAmount());
        } catch (NumberFormatException e) {
            throw new PoisonMessageException("a REFUND case whose amount is not a number: " + c.refundAmount());
        }
        boolean supplierPays = !"PLATFORM".equals(c.chargeTo());
        return s.createNativeQuery(
                        "select order_id, retailer_id, supplier_id, currency from supplier_order_account"
                                + " where supplier_order_id = :supplierOrderId and payment_id is not null",
                        Object[].class)
                .setParameter("supplierOrderId", c.supplierOrderId())
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        throw new PoisonMessageException("case " + c.caseId() + " refunds supplier order "
                                + c.supplierOrderId() + ", which was never charged");
                    }
                    Object[] a = rows.get(0);
                    String currency = ((String) a[3]).strip();
                    return GiveBacks.record(
                                    s,
                                    UUID.randomUUID(),
                                    new GiveBacks.GiveBack(
                                            c.supplierOrderId(),
                                            (UUID) a[0],
                                            (String) a[1],
                                            (String) a[2],
                                            "case " + c.caseId() + " (" + c.kind() + ") resolved with a refund",
                                            currency,
                                            BigDecimal.ZERO,
                                            amount,
                                            "case " + c.caseId(),
                                            c.caseId(),
                                            null,
                                            supplierPays))
                            .replaceWithVoid();
                });
    }

    public Uni<Void> refused(Mutiny.Session s, SettlementEvents.ReservationRefused r) {
        if (r.supplierOrderId() == null || r.orderId() == null) {
            throw new PoisonMessageException("ReservationRefused lacks its supplier order");
        }
        return s.createNativeQuery(
                        "insert into supplier_order_account (supplier_order_id, order_id, retailer_id, supplier_id,"
                                + " attempt, routed_together, reservation, status, updated_at)"
                                + " values (:supplierOrderId, :orderId, '', :supplierId, :attempt, :together, 'REFUSED', 'REFUSED', now())"
                                + " on conflict (supplier_order_id) do update set reservation = 'REFUSED', status = 'REFUSED',"
                                + " attempt = excluded.attempt, routed_together = excluded.routed_together, updated_at = now()"
                                + " where supplier_order_account.status = 'OPEN'")
                .setParameter("supplierOrderId", r.supplierOrderId())
                .setParameter("orderId", r.orderId())
                .setParameter("supplierId", r.supplierId() == null ? "" : r.supplierId())
                .setParameter("attempt", r.attempt() == null ? 1 : r.attempt())
                .setParameter("together", r.routedTogether() == null ? 1 : r.routedTogether())
                .executeUpdate()
                .chain(() -> invoiceIfReady(s, r.orderId()));
    }

    public Uni<Void> shipped(Mutiny.Session s, SettlementEvents.Shipped e) {
        if (e.supplierOrderId() == null || e.orderId() == null || e.shipmentId() == null) {
            throw new PoisonMessageException("Shipped lacks what settlement needs");
        }
        return holdPayment(s, e.supplierOrderId())
                .chain(() -> s.createNativeQuery("insert into supplier_order_account"
                                + " (supplier_order_id, order_id, retailer_id, supplier_id,"
                                + " shipment_id, shipped_at, updated_at) values (:supplierOrderId, :orderId, :retailerId, :supplierId, :sh, :at, now())"
                                + " on conflict (supplier_order_id) do update set shipment_id = excluded.shipment_id,"
                                + " shipped_at = excluded.shipped_at, money_next_at = " + PAID_NOW
                                + ", updated_at = now()")
                        .setParameter("supplierOrderId", e.supplierOrderId())
                        .setParameter("orderId", e.orderId())
                        .setParameter("retailerId", e.retailerId() == null ? "" : e.retailerId())
                        .setParameter("supplierId", e.supplierId() == null ? "" : e.supplierId())
                        .setParameter("sh", e.shipmentId())
                        .setParameter("at", e.shippedAt() == null ? Instant.now() : e.shippedAt())
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * A supplier order that will never ship (the order was cancelled, or the supplier rejected it). Not invoiced yet:
     * it never will be. Invoiced: its invoice entries are reversed and, if its payment went through, StripeCalls refunds
     * its share; a payment still to be taken whose supplier orders all ended is not taken at all. A supplier order
     * that has shipped keeps its money.
     */
    public Uni<Void> ended(Mutiny.Session s, SettlementEvents.SupplierOrderEnded e) {
        if (e.supplierOrderId() == null || e.orderId() == null) {
            throw new PoisonMessageException("the event lacks its supplier order");
        }
        String reason = e.reason() == null
                ? "cancelled"
                : e.reason().substring(0, Math.min(300, e.reason().length()));
        return s.createNativeQuery(
                        "insert into supplier_order_account (supplier_order_id, order_id, retailer_id, supplier_id,"
                                + " status, cancelled_at, cancel_reason, updated_at) values (:supplierOrderId, :orderId, '', :supplierId, 'CANCELLED', now(), :why, now())"
                                + " on conflict (supplier_order_id) do nothing")
                .setParameter("supplierOrderId", e.supplierOrderId())
                .setParameter("orderId", e.orderId())
                .setParameter("supplierId", e.supplierId() == null ? "" : e.supplierId())
                .setParameter("why", reason)
                .executeUpdate()
                .chain(inserted -> inserted > 0
                        ? invoiceIfReady(s, e.orderId())
                        : holdPayment(s, e.supplierOrderId())
                                .chain(() -> s.createNativeQuery(
                                                "select status, retailer_id,"
                                                        + " supplier_id, currency, retailer_charge,"
                                                        + " supplier_payout, platform_fee, payment_id from supplier_order_account"
                                                        + " where supplier_order_id = :supplierOrderId and shipped_at is null for update",
                                                Object[].class)
                                        .setParameter("supplierOrderId", e.supplierOrderId())
                                        .getResultList())
                                .chain(rows ->
                                        rows.isEmpty() ? Uni.createFrom().voidItem() : end(s, e, reason, rows.get(0))));
    }

    private Uni<Void> end(Mutiny.Session s, SettlementEvents.SupplierOrderEnded e, String reason, Object[] row) {
        MoneyStatus status = MoneyStatus.valueOf((String) row[0]);
        if (!status.ends()) {
            return Uni.createFrom().voidItem();
        }
        // The payment row is held already (ended), so PAID_NOW reads it as it stands.
        Uni<Integer> cancel = s.createNativeQuery(
                        "update supplier_order_account set status = 'CANCELLED', cancelled_at = now(),"
                                + " cancel_reason = :why, money_next_at = " + PAID_NOW
                                + ", updated_at = now() where supplier_order_id = :supplierOrderId")
                .setParameter("why", reason)
                .setParameter("supplierOrderId", e.supplierOrderId())
                .executeUpdate();
        if (status == MoneyStatus.OPEN) {
            return cancel.chain(() -> invoiceIfReady(s, e.orderId()));
        }
        String retailer = (String) row[1];
        String supplier = (String) row[2];
        String currency = (String) row[3];
        BigDecimal charge = (BigDecimal) row[4];
        BigDecimal payout = (BigDecimal) row[5];
        BigDecimal fee = (BigDecimal) row[6];
        UUID payment = (UUID) row[7];
        return cancel.chain(() -> entries(
                        s,
                        e.supplierOrderId(),
                        currency,
                        List.of(
                                new Entry("RETAILER_RECEIVABLE", retailer, BigDecimal.ZERO, charge),
                                new Entry("SUPPLIER_PAYABLE", supplier, payout, BigDecimal.ZERO),
                                new Entry("PLATFORM_REVENUE", "platform", fee, BigDecimal.ZERO))))
                .chain(() -> s.createNativeQuery(
                                "update payment set status = 'CANCELLED', next_attempt_at = null, updated_at = now()"
                                        + " where id = :p and status in ('DUE', 'ON_HOLD') and not exists (select 1 from supplier_order_account"
                                        + " where payment_id = :p and status <> 'CANCELLED')")
                        .setParameter("p", payment)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Once every supplier order of the order's first routing is reserved or refused (or ended), the reserved ones not
     * yet invoiced are invoiced and put in one payment: the order's own (id = the order id) the first time, one keyed
     * by the first of them after that.
     */
    Uni<Void> invoiceIfReady(Mutiny.Session s, UUID orderId) {
        return s.createNativeQuery(
                        "select a.supplier_order_id, a.attempt, a.routed_together, a.reservation, a.status,"
                                + " a.order_number, a.retailer_id, a.supplier_id, a.currency, a.wholesale_total,"
                                + " a.shipping_cost,"
                                + " coalesce(p.plan, 'BASIC'), coalesce(x.fixed_fee, 0), f.percent,"
                                // The featured listing fee's percentage while the supplier is featured; 0 otherwise.
                                + " coalesce((select l.percent from listing_fee_rule l where l.kind = 'FEATURED' and exists (select 1"
                                + " from supplier_feature sf where sf.supplier_id = a.supplier_id and sf.featured_until > now())), 0)"
                                + " from supplier_order_account a"
                                + " left join retailer_plan p on p.retailer_id = a.retailer_id"
                                + " join fee_rule f on f.plan = coalesce(p.plan, 'BASIC')"
                                // The fixed fee in the order's own currency; none configured for it: none charged.
                                + " left join fee_rule_fixed_fee x on x.plan = f.plan and x.currency = a.currency"
                                + " where a.order_id = :orderId order by a.supplier_order_id for update of a",
                        Object[].class)
                .setParameter("orderId", orderId)
                .getResultList()
                .chain(rows -> {
                    List<Object[]> toInvoice = Invoicing.due(rows.stream()
                                    .map(r -> new Invoicing.Account(
                                            (Integer) r[1], (Integer) r[2], (String) r[3], MoneyStatus.valueOf((String)
                                                    r[4])))
                                    .toList())
                            .stream()
                            .map(rows::get)
                            .toList();
                    if (toInvoice.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    // Read after the rows are locked: a statement of its own sees what the lock's holder committed.
                    return standing(s, orderId, toInvoice.get(0))
                            .chain(standing -> invoice(
                                    s,
                                    orderId,
                                    standing.earlierPayments() == 0
                                            ? orderId
                                            : (UUID) toInvoice.get(0)[0],
                                    toInvoice,
                                    standing.standing()));
                });
    }

    /** The retailer's standing for the order, and how many payments the order has had before this one. */
    private record Standing(PlanStanding standing, long earlierPayments) {}

    /** What a retailer is told of an order held while its subscription is suspended. */
    public static final String SUSPENDED = PlanStanding.SUSPENDED;

    /**
     * The facts {@link PlanStanding} decides from (the plan's limit, the month's orders, the subscription) and the
     * order's earlier payments, in one statement; no fee rule for the plan or for BASIC leaves the retailer clear.
     */
    private Uni<Standing> standing(Mutiny.Session s, UUID orderId, Object[] row) {
        String plan = (String) row[11];
        return s.createNativeQuery(
                        "select f.monthly_order_limit, coalesce((select x.fixed_fee from fee_rule_fixed_fee x"
                                + " where x.plan = 'BASIC' and x.currency = :cur), 0), b.percent,"
                                // The month's orders so far, only for a plan with a limit: the count reads every
                                // invoice line of the retailer's month, so counting for an unlimited plan made each
                                // order of a big retailer's month cost more than the one before.
                                + " case when f.monthly_order_limit is null then 0 else"
                                + " (select count(distinct order_id) from invoice_line where retailer_id = :retailerId and order_id <> :orderId"
                                + " and created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC') end,"
                                + " (select count(*) from invoice_line where order_id = :orderId), f.over_limit,"
                                + " (select grace_until from subscription x where x.retailer_id = :retailerId and x.grace_until < now()),"
                                + " (select string_agg(u.plan || ' (' || coalesce(u.monthly_order_limit::text, 'unlimited') || ')', ', '"
                                + " order by u.monthly_price) from fee_rule u where u.monthly_price > coalesce(f.monthly_price, 0)),"
                                + " date_trunc('month', now() at time zone 'UTC') at time zone 'UTC' + interval '1 month',"
                                + " (select count(*) from payment where order_id = :orderId), f.plan is not null and b.plan is not null"
                                + " from (select 1) one left join fee_rule f on f.plan = :plan left join fee_rule b on b.plan = 'BASIC'",
                        Object[].class)
                .setParameter("retailerId", row[6])
                .setParameter("orderId", orderId)
                .setParameter("plan", plan)
                .setParameter("cur", row[8])
                .getSingleResult()
                .map(r -> new Standing(
                        !((Boolean) r[10])
                                ? PlanStanding.CLEAR
                                : PlanStanding.of(new PlanStanding.Usage(
                                        plan,
                                        (Integer) r[0],
                                        ((Number) r[3]).longValue(),
                                        ((Number) r[4]).longValue() > 0,
                                        (String) r[5],
                                        r[6] != null,
                                        (String) r[7],
                                        io.dropship.platform.sql.SqlValues.instant(r[8]),
                                        new FeeSchedule((BigDecimal) r[1], (BigDecimal) r[2]))),
                        ((Number) r[9]).longValue()));
    }

    private Uni<Void> invoice(
            Mutiny.Session s, UUID orderId, UUID paymentId, List<Object[]> rows, PlanStanding standing) {
        FeeSchedule overage = standing.overage();
        boolean overLimit = standing.overLimit();
        Instant now = Instant.now();
        Object[] first = rows.get(0);
        String orderNumber = (String) first[5];
        String retailer = (String) first[6];
        String currency = (String) first[8];
        BigDecimal total = BigDecimal.ZERO;
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Object[] r : rows) {
            UUID so = (UUID) r[0];
            String supplier = (String) r[7];
            BigDecimal wholesale = (BigDecimal) r[9];
            BigDecimal shipping = (BigDecimal) r[10];
            String plan = overage == null ? (String) r[11] : "BASIC";
            FeeSchedule.Split split = (overage == null
                            ? new FeeSchedule((BigDecimal) r[12], (BigDecimal) r[13])
                            : overage)
                    .split(currency, wholesale, shipping);
            total = total.add(split.retailerCharge());
            // A featured supplier's listing fee comes out of its payout into the platform's revenue; the retailer's
            // charge and the fee its invoice shows stay as they are.
            BigDecimal percent = r[14] == null ? BigDecimal.ZERO : (BigDecimal) r[14];
            BigDecimal listingFee = percent.signum() == 0
                    ? BigDecimal.ZERO
                    : io.dropship.settlement.domain.CurrencyUnits.round(
                            currency, wholesale.add(shipping).multiply(percent).movePointLeft(2));
            BigDecimal payout = split.supplierPayout().subtract(listingFee);
            BigDecimal revenue = split.platformFee().add(listingFee);
            // The account invoiced and its invoice line in one statement.
            chain = chain.chain(() -> s.createNativeQuery(
                                    "with invoiced as (update supplier_order_account set"
                                            + " status = 'INVOICED', plan = :plan, platform_fee = :revenue, retailer_charge = :charge,"
                                            + " supplier_payout = :payout, payment_id = :p, listing_fee = :lf, updated_at = now()"
                                            + " where supplier_order_id = :supplierOrderId)"
                                            + " insert into invoice_line (supplier_order_id, order_id, order_number,"
                                            + " retailer_id, supplier_id, plan, currency, wholesale_total, shipping_cost, platform_fee,"
                                            + " retailer_charge, supplier_payout, created_at, over_limit, listing_fee)"
                                            + " values (:supplierOrderId, :orderId, :n, :retailerId, :supplierId, :plan, :cur, :w, :ship, :fee, :charge, :payout, :now, :over, :lf)")
                            .setParameter("plan", plan)
                            .setParameter("revenue", revenue)
                            .setParameter("p", paymentId)
                            .setParameter("supplierOrderId", so)
                            .setParameter("orderId", orderId)
                            .setParameter("n", orderNumber)
                            .setParameter("retailerId", retailer)
                            .setParameter("supplierId", supplier)
                            .setParameter("cur", currency)
                            .setParameter("w", wholesale)
                            .setParameter("ship", shipping)
                            .setParameter("fee", split.platformFee())
                            .setParameter("charge", split.retailerCharge())
                            .setParameter("payout", payout)
                            .setParameter("now", now)
                            .setParameter("over", overLimit)
                            .setParameter("lf", listingFee)
                            .executeUpdate())
                    .chain(() -> entries(
                            s,
                            so,
                            currency,
                            List.of(
                                    new Entry("RETAILER_RECEIVABLE", retailer, split.retailerCharge(), BigDecimal.ZERO),
                                    new Entry("SUPPLIER_PAYABLE", supplier, BigDecimal.ZERO, payout),
                                    new Entry("PLATFORM_REVENUE", "platform", BigDecimal.ZERO, revenue))));
        }
        BigDecimal amount = total;
        if (standing.holdReason() != null) {
            // Held by the platform (the plan's limit, a suspension): the retailer is told why, as for a decline.
            Instant now2 = Instant.now();
            return chain.chain(() -> s.createNativeQuery(
                                    "insert into payment (id, order_id, order_number, retailer_id, currency,"
                                            + " amount, status, next_attempt_at, last_error, hold_reason, created_at, updated_at)"
                                            + " values (:p, :orderId, :n, :retailerId, :cur, :amount, 'ON_HOLD', :next, :why, :reason, now(), now())")
                            .setParameter("p", paymentId)
                            .setParameter("orderId", orderId)
                            .setParameter("n", orderNumber)
                            .setParameter("retailerId", retailer)
                            .setParameter("cur", currency)
                            .setParameter("amount", amount)
                            .setParameter(
                                    "next",
                                    standing.until() == null
                                            ? null
                                            : standing.until().atOffset(java.time.ZoneOffset.UTC))
                            .setParameter("why", standing.why())
                            .setParameter("reason", standing.holdReason())
                            .executeUpdate())
                    .chain(() -> PaymentClearance.supplierOrders(s, paymentId))
                    .chain(ids -> outbox.publish(
                            s,
                            SettlementEvents.PaymentFailed.TOPIC,
                            orderId.toString(),
                            new SettlementEvents.PaymentFailed(
                                    paymentId,
                                    orderId,
                                    orderNumber,
                                    retailer,
                                    ids,
                                    currency,
                                    amount,
                                    standing.why(),
                                    null,
                                    standing.holdReason(),
                                    1,
                                    standing.until(),
                                    now2)))
                    .invoke(() ->
                            LOG.infof("payment %s held (%s): %s", paymentId, standing.holdReason(), standing.why()))
                    .replaceWithVoid();
        }
        return chain.chain(() -> s.createNativeQuery(
                                "insert into payment (id, order_id, order_number, retailer_id, currency,"
                                        + " amount, status, next_attempt_at, created_at, updated_at)"
                                        + " values (:p, :orderId, :n, :retailerId, :cur, :amount, 'DUE', now(), now(), now())")
                        .setParameter("p", paymentId)
                        .setParameter("orderId", orderId)
                        .setParameter("n", orderNumber)
                        .setParameter("retailerId", retailer)
                        .setParameter("cur", currency)
                        .setParameter("amount", amount)
                        .executeUpdate())
                .chain(() -> clearance.onCredit(s, paymentId, retailer, currency, amount));
    }

    /** One side of a double entry: an account of a party, debited or credited. */
    public record Entry(String account, String party, BigDecimal debit, BigDecimal credit) {}

    /** Writes entries that balance: their debits equal their credits. */
    public static Uni<Void> entries(Mutiny.Session s, UUID supplierOrderId, String currency, List<Entry> entries) {
        return entries(s, supplierOrderId, null, currency, entries);
    }

    /** The same, for money of no supplier order (a subscription invoice): {@code reference} names what it is. */
    public static Uni<Void> entries(
            Mutiny.Session s, UUID supplierOrderId, String reference, String currency, List<Entry> entries) {
        BigDecimal balance =
                entries.stream().map(e -> e.debit().subtract(e.credit())).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (balance.signum() != 0) {
            throw new IllegalStateException("unbalanced ledger entries for " + supplierOrderId + ": " + entries);
        }
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // One statement for all of them (an invoice writes three): their order in the arrays is their order of ids.
        return s.createNativeQuery("insert into ledger_entry (supplier_order_id, reference, account, party_id, debit,"
                        + " credit, currency, created_at) select cast(:supplierOrderId as uuid), cast(:ref as text), a, p, d, c,"
                        + " cast(:cur as text), now()"
                        + " from unnest(cast(:a as text[]), cast(:p as text[]), cast(:d as numeric[]),"
                        + " cast(:c as numeric[])) with ordinality as t (a, p, d, c, n) order by n")
                .setParameter("supplierOrderId", supplierOrderId)
                .setParameter("ref", reference)
                .setParameter("a", entries.stream().map(Entry::account).toArray(String[]::new))
                .setParameter("p", entries.stream().map(Entry::party).toArray(String[]::new))
                .setParameter("d", entries.stream().map(Entry::debit).toArray(BigDecimal[]::new))
                .setParameter("c", entries.stream().map(Entry::credit).toArray(BigDecimal[]::new))
                .setParameter("cur", currency)
                .executeUpdate()
                .replaceWithVoid();
    }
}
