package io.dropship.settlement.service;

import static io.dropship.platform.sql.SqlValues.instant;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** A supplier's payout statement: what was transferred to it, what it is owed and why, its payouts to its bank. */
@ApplicationScoped
public class Statements {

    public record Paid(
            UUID supplierOrderId,
            UUID orderId,
            String orderNumber,
            Instant shippedAt,
            BigDecimal wholesaleTotal,
            BigDecimal shippingCost,
            BigDecimal payout,
            BigDecimal reversed,
            String transferId,
            Instant transferredAt) {}

    public record Owed(
            UUID supplierOrderId,
            UUID orderId,
            String orderNumber,
            Instant shippedAt,
            BigDecimal payout,
            String reason) {}

    public record Payout(
            String payoutId,
            BigDecimal amount,
            String currency,
            String status,
            LocalDate arrivalDate,
            String failure) {}

    public record Statement(
            String supplierId,
            String accountId,
            String accountStatus,
            LocalDate from,
            LocalDate to,
            List<Paid> paid,
            BigDecimal totalPaid,
            List<Owed> owed,
            BigDecimal totalOwed,
            List<Payout> payouts) {}

    private final Mutiny.SessionFactory sessions;

    public Statements(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** The supplier's statement for the UTC days [start, end). */
    public Uni<Statement> of(String supplier, LocalDate start, LocalDate end) {
        OffsetDateTime f = start.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime t = end.atStartOfDay().atOffset(ZoneOffset.UTC);
        return sessions.withSession(s -> s.createNativeQuery(
                        "select account_id, status from stripe_account where supplier_id = :supplierId", Object[].class)
                .setParameter("supplierId", supplier)
                .getResultList()
                .chain(account -> s.createNativeQuery(
                                "select supplier_order_id, order_id, order_number, shipped_at, wholesale_total,"
                                        + " shipping_cost, supplier_payout, transfer_reversed, transfer_id, transferred_at"
                                        + " from supplier_order_account where supplier_id = :supplierId and transferred_at >= :f and transferred_at < :t"
                                        + " order by transferred_at",
                                Object[].class)
                        .setParameter("supplierId", supplier)
                        .setParameter("f", f)
                        .setParameter("t", t)
                        .getResultList()
                        .chain(paid -> s.createNativeQuery(
                                        "select supplier_order_id, order_id, order_number, shipped_at,"
                                                + " supplier_payout, coalesce(money_error, 'the payment for the order is not taken yet')"
                                                + " from supplier_order_account where supplier_id = :supplierId and shipped_at is not null"
                                                + " and status = 'INVOICED' and transfer_id is null order by shipped_at",
                                        Object[].class)
                                .setParameter("supplierId", supplier)
                                .getResultList()
                                .chain(owed -> s.createNativeQuery(
                                                "select id, amount, currency, status, arrival_date, failure"
                                                        + " from payout where account_id = :a and updated_at >= :f and updated_at < :t"
                                                        + " order by arrival_date",
                                                Object[].class)
                                        .setParameter("a", account.isEmpty() ? "" : account.get(0)[0])
                                        .setParameter("f", f)
                                        .setParameter("t", t)
                                        .getResultList()
                                        .map(payouts ->
                                                statement(supplier, account, start, end, paid, owed, payouts))))));
    }

    private static Statement statement(
            String supplier,
            List<Object[]> account,
            LocalDate from,
            LocalDate to,
            List<Object[]> paidRows,
            List<Object[]> owedRows,
            List<Object[]> payoutRows) {
        List<Paid> paid = paidRows.stream()
                .map(r -> new Paid(
                        (UUID) r[0],
                        (UUID) r[1],
                        (String) r[2],
                        instant(r[3]),
                        (BigDecimal) r[4],
                        (BigDecimal) r[5],
                        (BigDecimal) r[6],
                        (BigDecimal) r[7],
                        (String) r[8],
                        instant(r[9])))
                .toList();
        List<Owed> owed = owedRows.stream()
                .map(r -> new Owed(
                        (UUID) r[0], (UUID) r[1], (String) r[2], instant(r[3]), (BigDecimal) r[4], (String) r[5]))
                .toList();
        List<Payout> payouts = payoutRows.stream()
                .map(r -> new Payout(
                        (String) r[0],
                        (BigDecimal) r[1],
                        (String) r[2],
                        (String) r[3],
                        r[4] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[4],
                        (String) r[5]))
                .toList();
        BigDecimal totalPaid =
                paid.stream().map(p -> p.payout().subtract(p.reversed())).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal totalOwed = owed.stream()
                .map(o -> o.payout() == null ? BigDecimal.ZERO : o.payout())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Statement(
                supplier,
                account.isEmpty() ? null : (String) account.get(0)[0],
                account.isEmpty() ? null : (String) account.get(0)[1],
                from,
                to,
                paid,
                totalPaid,
                owed,
                totalOwed,
                payouts);
    }
}
