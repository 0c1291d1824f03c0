package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** A supplier's payout statement: what it was paid for which supplier orders, what is still owed and why, its payouts. */
@Path("/api/billing/statement")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class StatementResource {

    public record Paid(UUID supplierOrderId, UUID orderId, String orderNumber, Instant shippedAt, BigDecimal wholesaleTotal,
                       BigDecimal shippingCost, BigDecimal payout, BigDecimal reversed, String transferId,
                       Instant transferredAt) {
    }

    public record Owed(UUID supplierOrderId, UUID orderId, String orderNumber, Instant shippedAt, BigDecimal payout,
                       String reason) {
    }

    public record Payout(String payoutId, BigDecimal amount, String currency, String status, LocalDate arrivalDate,
                         String failure) {
    }

    public record Statement(String supplierId, String accountId, String accountStatus, LocalDate from, LocalDate to,
                            List<Paid> paid, BigDecimal totalPaid, List<Owed> owed, BigDecimal totalOwed,
                            List<Payout> payouts) {
    }

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;

    public StatementResource(Mutiny.SessionFactory sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.SUPPLIER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "The supplier's payout statement for [from, to) (UTC days; the current month if absent)",
            description = "paid: transfers to its Stripe connected account, per supplier order, less what was reversed;"
                    + " owed: shipped supplier orders whose transfer has not gone yet, and why; payouts: from its Stripe"
                    + " balance to its bank. A supplier sees its own; staff pass supplierId.")
    public Uni<Statement> statement(@QueryParam("from") String from, @QueryParam("to") String to,
                                    @QueryParam("supplierId") String supplierId) {
        String supplier = caller.isStaff() ? supplierId : caller.supplierId();
        if (supplier == null || supplier.isBlank()) {
            throw ProblemException.badRequest("supplierId is required for staff");
        }
        LocalDate start = from == null || from.isBlank() ? LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1)
                : ReconciliationResource.Dates.day(from);
        LocalDate end = to == null || to.isBlank() ? start.plusMonths(1) : ReconciliationResource.Dates.day(to);
        if (!end.isAfter(start) || end.isAfter(start.plusDays(366))) {
            throw ProblemException.badRequest("to must be after from, and at most a year later");
        }
        OffsetDateTime f = start.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime t = end.atStartOfDay().atOffset(ZoneOffset.UTC);
        return sessions.withSession(s -> s.createNativeQuery("select account_id, status from stripe_account where supplier_id = :supplierId",
                        Object[].class).setParameter("supplierId", supplier).getResultList()
                .chain(account -> s.createNativeQuery("select supplier_order_id, order_id, order_number, shipped_at, wholesale_total,"
                                + " shipping_cost, supplier_payout, transfer_reversed, transfer_id, transferred_at"
                                + " from supplier_order_account where supplier_id = :supplierId and transferred_at >= :f and transferred_at < :t"
                                + " order by transferred_at", Object[].class)
                        .setParameter("supplierId", supplier).setParameter("f", f).setParameter("t", t).getResultList()
                        .chain(paid -> s.createNativeQuery("select supplier_order_id, order_id, order_number, shipped_at,"
                                        + " supplier_payout, coalesce(money_error, 'the payment for the order is not taken yet')"
                                        + " from supplier_order_account where supplier_id = :supplierId and shipped_at is not null"
                                        + " and status = 'INVOICED' and transfer_id is null order by shipped_at", Object[].class)
                                .setParameter("supplierId", supplier).getResultList()
                                .chain(owed -> s.createNativeQuery("select id, amount, currency, status, arrival_date, failure"
                                                + " from payout where account_id = :a and updated_at >= :f and updated_at < :t"
                                                + " order by arrival_date", Object[].class)
                                        .setParameter("a", account.isEmpty() ? "" : account.get(0)[0])
                                        .setParameter("f", f).setParameter("t", t).getResultList()
                                        .map(payouts -> statement(supplier, account, start, end, paid, owed, payouts))))));
    }

    private static Statement statement(String supplier, List<Object[]> account, LocalDate from, LocalDate to,
                                       List<Object[]> paidRows, List<Object[]> owedRows, List<Object[]> payoutRows) {
        List<Paid> paid = paidRows.stream().map(r -> new Paid((UUID) r[0], (UUID) r[1], (String) r[2],
                PaymentResource.instant(r[3]), (BigDecimal) r[4], (BigDecimal) r[5], (BigDecimal) r[6], (BigDecimal) r[7],
                (String) r[8], PaymentResource.instant(r[9]))).toList();
        List<Owed> owed = owedRows.stream().map(r -> new Owed((UUID) r[0], (UUID) r[1], (String) r[2],
                PaymentResource.instant(r[3]), (BigDecimal) r[4], (String) r[5])).toList();
        List<Payout> payouts = payoutRows.stream().map(r -> new Payout((String) r[0], (BigDecimal) r[1], (String) r[2],
                (String) r[3], r[4] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[4], (String) r[5])).toList();
        BigDecimal totalPaid = paid.stream().map(p -> p.payout().subtract(p.reversed())).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal totalOwed = owed.stream().map(o -> o.payout() == null ? BigDecimal.ZERO : o.payout())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Statement(supplier, account.isEmpty() ? null : (String) account.get(0)[0],
                account.isEmpty() ? null : (String) account.get(0)[1], from, to, paid, totalPaid, owed, totalOwed, payouts);
    }
}
