package io.dropship.settlement.service;

import static io.dropship.platform.sql.SqlValues.instant;

import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.ProblemException;
import io.dropship.settlement.domain.Plan;
import io.dropship.settlement.messaging.events.SettlementEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The retailer's invoices (an order's {@code invoice_line}s with their supplier orders' and payments' state), how they
 * look ({@code retailer_branding}), and the plan a retailer is invoiced at ({@code retailer_plan}).
 */
@ApplicationScoped
public class Invoices {

    /**
     * A line per supplier order: status INVOICED (charged or to be), SETTLED (its supplier paid) or CANCELLED; overLimit:
     * the order came past the plan's monthly order limit and carries the BASIC fee.
     */
    public record InvoiceLine(
            UUID supplierOrderId,
            String supplierId,
            String plan,
            BigDecimal wholesaleTotal,
            BigDecimal shippingCost,
            BigDecimal platformFee,
            BigDecimal tax,
            BigDecimal retailerCharge,
            String status,
            boolean refunded,
            boolean overLimit) {}

    /**
     * paymentStatus: PAID (every charge went through), DUE (not tried yet), ON_HOLD (a charge failed; see
     * /api/billing/payments), CANCELLED (nothing was taken). total counts what was charged or is to be; refunded
     * what was given back.
     */
    public record Invoice(
            UUID orderId,
            String orderNumber,
            String retailerId,
            String currency,
            List<InvoiceLine> lines,
            BigDecimal total,
            BigDecimal refunded,
            String paymentStatus,
            Branding branding,
            Instant issuedAt) {}

    /** How the retailer's invoices look. */
    public record Branding(
            String businessName, List<String> addressLines, String taxId, String accentColor, String footer) {}

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;

    public Invoices(Mutiny.SessionFactory sessions, Outbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    /** The order's invoice; 404 if there is none or it is not the retailer's ({@code retailerScope}, null for staff). */
    public Uni<Invoice> invoice(UUID orderId, String retailerScope) {
        return sessions.withSession(s -> s.createNativeQuery(
                        "select i.supplier_order_id, i.supplier_id, i.plan,"
                                + " i.wholesale_total, i.shipping_cost, i.platform_fee, i.retailer_charge, i.order_number,"
                                + " i.retailer_id, i.currency, i.created_at, a.status, a.refund_id, p.status, i.over_limit"
                                + " from invoice_line i join supplier_order_account a on a.supplier_order_id = i.supplier_order_id"
                                + " left join payment p on p.id = a.payment_id"
                                + " where i.order_id = :orderId order by i.created_at, i.supplier_order_id",
                        Object[].class)
                .setParameter("orderId", orderId)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty() || (retailerScope != null && !retailerScope.equals(rows.get(0)[8]))) {
                        throw ProblemException.notFound("an invoice for order " + orderId);
                    }
                    String retailer = (String) rows.get(0)[8];
                    return branding(s, retailer).map(b -> invoice(orderId, rows, b));
                }));
    }

    /** Sets how the retailer's invoices and packing slips look, and announces it (fulfillment prints the slips). */
    public Uni<Branding> saveBranding(String retailer, Branding saved) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "insert into retailer_branding (retailer_id, business_name,"
                                        + " address_lines, tax_id, accent_color, footer, updated_at) values (:retailerId, :n, :a, :t, :c, :f, now())"
                                        + " on conflict (retailer_id) do update set business_name = excluded.business_name,"
                                        + " address_lines = excluded.address_lines, tax_id = excluded.tax_id, accent_color = excluded.accent_color,"
                                        + " footer = excluded.footer, updated_at = now()")
                        .setParameter("retailerId", retailer)
                        .setParameter("n", saved.businessName())
                        .setParameter("a", String.join("\n", saved.addressLines()))
                        .setParameter("t", saved.taxId())
                        .setParameter("c", saved.accentColor())
                        .setParameter("f", saved.footer())
                        .executeUpdate()
                        .chain(() -> outbox.publish(
                                s,
                                SettlementEvents.RetailerBrandingChanged.TOPIC,
                                retailer,
                                new SettlementEvents.RetailerBrandingChanged(
                                        retailer,
                                        saved.businessName(),
                                        saved.addressLines(),
                                        saved.accentColor(),
                                        saved.footer(),
                                        Instant.now()))))
                .replaceWith(saved);
    }

    /** The retailer's branding, or null before it sets one. */
    public Uni<Branding> branding(String retailer) {
        return sessions.withSession(s -> branding(s, retailer));
    }

    public static Uni<Branding> branding(Mutiny.Session s, String retailer) {
        return s.createNativeQuery(
                        "select business_name, address_lines, tax_id, accent_color, footer from retailer_branding"
                                + " where retailer_id = :retailerId",
                        Object[].class)
                .setParameter("retailerId", retailer)
                .getResultList()
                .map(rows -> rows.isEmpty()
                        ? null
                        : new Branding(
                                (String) rows.get(0)[0],
                                ((String) rows.get(0)[1]).isEmpty()
                                        ? List.of()
                                        : List.of(((String) rows.get(0)[1]).split("\n")),
                                (String) rows.get(0)[2],
                                (String) rows.get(0)[3],
                                (String) rows.get(0)[4]));
    }

    private static Invoice invoice(UUID orderId, List<Object[]> rows, Branding branding) {
        List<InvoiceLine> lines = new java.util.ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal refunded = BigDecimal.ZERO;
        java.util.Set<String> payments = new java.util.HashSet<>();
        for (Object[] r : rows) {
            String status = (String) r[11];
            boolean wasRefunded = r[12] != null;
            BigDecimal charge = (BigDecimal) r[6];
            lines.add(new InvoiceLine(
                    (UUID) r[0],
                    (String) r[1],
                    (String) r[2],
                    (BigDecimal) r[3],
                    (BigDecimal) r[4],
                    (BigDecimal) r[5],
                    null,
                    charge,
                    status,
                    wasRefunded,
                    (Boolean) r[14]));
            if (!"CANCELLED".equals(status) || wasRefunded) {
                total = total.add(charge);
            }
            if (wasRefunded) {
                refunded = refunded.add(charge);
            }
            if (r[13] != null) {
                payments.add((String) r[13]);
            }
        }
        payments.remove("CANCELLED");
        String paymentStatus = payments.isEmpty()
                ? "CANCELLED"
                : payments.contains("ON_HOLD") ? "ON_HOLD" : payments.contains("DUE") ? "DUE" : "PAID";
        Object[] first = rows.get(0);
        Object issued = rows.get(rows.size() - 1)[10];
        return new Invoice(
                orderId,
                (String) first[7],
                (String) first[8],
                (String) first[9],
                lines,
                total,
                refunded,
                paymentStatus,
                branding,
                instant(issued));
    }

    /** Puts the retailer on a plan (BASIC until set). */
    public Uni<Void> putOnPlan(String retailerId, Plan plan) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "insert into retailer_plan (retailer_id, plan, updated_at)"
                                        + " values (:retailerId, :p, now()) on conflict (retailer_id) do update set plan = excluded.plan, updated_at = now()")
                        .setParameter("retailerId", retailerId)
                        .setParameter("p", plan.name())
                        .executeUpdate())
                .replaceWithVoid();
    }
}
