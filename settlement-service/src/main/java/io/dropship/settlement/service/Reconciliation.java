package io.dropship.settlement.service;

import com.stripe.model.BalanceTransaction;
import com.stripe.param.BalanceTransactionListParams;
import io.dropship.settlement.domain.CurrencyUnits;
import io.dropship.settlement.stripe.StripeGateway;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A day's money three ways: the ledger (payments taken, transfers made, refunds given, by when this service recorded
 * them), Stripe's balance transactions of that day (UTC), and the supplier orders shipped that day. Every charge,
 * transfer and refund the ledger has must be in Stripe with the same amount, every one Stripe has must be known to
 * the ledger, every supplier order shipped must have been paid out, and every supplier order's entries must balance.
 * Whatever does not agree is listed, per supplier where it belongs to one.
 */
@ApplicationScoped
public class Reconciliation {

    public record Mismatch(String kind, String reference, String supplierId, BigDecimal ledgerAmount, BigDecimal stripeAmount,
                           String detail) {
    }

    public record Totals(BigDecimal charged, BigDecimal refunded, BigDecimal transferred, BigDecimal reversed,
                         BigDecimal platformFees) {
    }

    public record StripeTotals(BigDecimal charges, BigDecimal refunds, BigDecimal transfers, BigDecimal reversals,
                               BigDecimal processingFees) {
    }

    public record SupplierLine(String supplierId, int shipped, int paidOut, int waiting, BigDecimal transferred,
                               BigDecimal transferredInStripe, int mismatches) {
    }

    public record Report(LocalDate date, Totals ledger, StripeTotals stripe, int shipped, int shippedAndPaidOut,
                         List<SupplierLine> suppliers, List<Mismatch> mismatches, boolean agrees) {
    }

    private record Expected(String kind, String stripeId, String reference, String supplierId, BigDecimal amount) {
    }

    private final Mutiny.SessionFactory sessions;
    private final StripeGateway stripe;

    public Reconciliation(Mutiny.SessionFactory sessions, StripeGateway stripe) {
        this.sessions = sessions;
        this.stripe = stripe;
    }

    public Uni<Report> day(LocalDate date, String supplierFilter) {
        OffsetDateTime from = date.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime to = from.plusDays(1);
        return stripe.call(c -> {
                    List<BalanceTransaction> all = new ArrayList<>();
                    for (BalanceTransaction t : c.v1().balanceTransactions().list(BalanceTransactionListParams.builder()
                            .setCreated(BalanceTransactionListParams.Created.builder().setGte(from.toEpochSecond())
                                    .setLt(to.toEpochSecond()).build())
                            .setLimit(100L).build()).autoPagingIterable()) {
                        all.add(t);
                    }
                    return all;
                })
                .chain(txns -> sessions.withSession(s -> ledger(s, from, to)
                        .chain(ledger -> unknownElsewhere(s, txns, ledger)
                                .chain(knownElsewhere -> shipped(s, from, to)
                                        .chain(shipped -> unbalanced(s, from, to)
                                                .map(unbalanced -> report(date, supplierFilter, txns, ledger, knownElsewhere,
                                                        shipped, unbalanced)))))));
    }

    private static final class Ledger {
        final List<Expected> expected = new ArrayList<>();
        BigDecimal fees = BigDecimal.ZERO;
    }

    private Uni<Ledger> ledger(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to) {
        Ledger l = new Ledger();
        return s.createNativeQuery("select charge_id, id, amount from payment where succeeded_at >= :f and succeeded_at < :t",
                        Object[].class).setParameter("f", from).setParameter("t", to).getResultList()
                .invoke(rows -> rows.forEach(r -> l.expected.add(new Expected("charge", (String) r[0], r[1].toString(), null,
                        (BigDecimal) r[2]))))
                .chain(() -> s.createNativeQuery("select transfer_id, supplier_order_id, supplier_id, supplier_payout, platform_fee"
                                + " from supplier_order_account where transferred_at >= :f and transferred_at < :t", Object[].class)
                        .setParameter("f", from).setParameter("t", to).getResultList())
                .invoke(rows -> rows.forEach(r -> {
                    l.expected.add(new Expected("transfer", (String) r[0], r[1].toString(), (String) r[2], (BigDecimal) r[3]));
                    l.fees = l.fees.add((BigDecimal) r[4]);
                }))
                .chain(() -> s.createNativeQuery("select refund_id, supplier_order_id, supplier_id, retailer_charge"
                                + " from supplier_order_account where refunded_at >= :f and refunded_at < :t", Object[].class)
                        .setParameter("f", from).setParameter("t", to).getResultList())
                .invoke(rows -> rows.forEach(r -> l.expected.add(new Expected("refund", (String) r[0], r[1].toString(),
                        (String) r[2], (BigDecimal) r[3]))))
                .chain(() -> s.createNativeQuery("select refund_id, reversal_id, supplier_order_id, supplier_id, amount"
                                + " from supplier_order_return where status = 'DONE' and updated_at >= :f and updated_at < :t",
                                Object[].class).setParameter("f", from).setParameter("t", to).getResultList())
                .invoke(rows -> rows.forEach(r -> {
                    if (r[0] != null) {
                        l.expected.add(new Expected("refund", (String) r[0], r[2].toString(), (String) r[3], (BigDecimal) r[4]));
                    }
                    if (r[1] != null) {
                        l.expected.add(new Expected("reversal", (String) r[1], r[2].toString(), (String) r[3], (BigDecimal) r[4]));
                    }
                }))
                .replaceWith(l);
    }

    /** Stripe ids of the day the ledger has on another day (a call just before midnight): not a mismatch. */
    private Uni<Set<String>> unknownElsewhere(Mutiny.Session s, List<BalanceTransaction> txns, Ledger ledger) {
        Set<String> known = new HashSet<>();
        ledger.expected.forEach(e -> known.add(e.stripeId()));
        List<String> other = txns.stream().map(BalanceTransaction::getSource).filter(id -> id != null && !known.contains(id)).toList();
        if (other.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return s.createNativeQuery("select charge_id from payment where charge_id in (:ids) union select transfer_id"
                        + " from supplier_order_account where transfer_id in (:ids) union select refund_id from supplier_order_account"
                        + " where refund_id in (:ids) union select refund_id from supplier_order_return where refund_id in (:ids)"
                        + " union select reversal_id from supplier_order_return where reversal_id in (:ids)", String.class).setParameter("ids", other).getResultList()
                .map(HashSet::new);
    }

    private Uni<List<Object[]>> shipped(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to) {
        return s.createNativeQuery("select supplier_order_id, supplier_id, status, money_error, supplier_payout"
                        + " from supplier_order_account where shipped_at >= :f and shipped_at < :t", Object[].class)
                .setParameter("f", from).setParameter("t", to).getResultList();
    }

    private Uni<List<Object[]>> unbalanced(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to) {
        return s.createNativeQuery("select e.supplier_order_id, a.supplier_id, sum(e.debit) - sum(e.credit) from ledger_entry e"
                        + " join supplier_order_account a on a.supplier_order_id = e.supplier_order_id"
                        + " where e.supplier_order_id in (select supplier_order_id from ledger_entry where created_at >= :f"
                        + " and created_at < :t) group by e.supplier_order_id, a.supplier_id having sum(e.debit) <> sum(e.credit)",
                        Object[].class).setParameter("f", from).setParameter("t", to).getResultList();
    }

    private static Report report(LocalDate date, String supplierFilter, List<BalanceTransaction> txns, Ledger ledger,
                                 Set<String> knownElsewhere, List<Object[]> shipped, List<Object[]> unbalanced) {
        Map<String, BalanceTransaction> bySource = new HashMap<>();
        BigDecimal charges = BigDecimal.ZERO;
        BigDecimal refunds = BigDecimal.ZERO;
        BigDecimal transfers = BigDecimal.ZERO;
        BigDecimal reversals = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        for (BalanceTransaction t : txns) {
            if (t.getSource() != null) {
                bySource.put(t.getSource(), t);
            }
            BigDecimal amount = money(t, t.getAmount());
            fees = fees.add(money(t, t.getFee() == null ? 0 : t.getFee()));
            switch (String.valueOf(t.getType())) {
                case "charge", "payment" -> charges = charges.add(amount);
                case "refund" -> refunds = refunds.add(amount.negate());
                case "transfer" -> transfers = transfers.add(amount.negate());
                case "transfer_cancel", "transfer_refund" -> reversals = reversals.add(amount);
                default -> { }
            }
        }
        List<Mismatch> mismatches = new ArrayList<>();
        Map<String, BigDecimal[]> totals = new HashMap<>();   // kind -> {ledger}
        Map<String, BigDecimal> transferredBySupplier = new HashMap<>();
        Map<String, BigDecimal> transferredInStripeBySupplier = new HashMap<>();
        Set<String> expectedIds = new HashSet<>();
        for (Expected e : ledger.expected) {
            totals.computeIfAbsent(e.kind(), k -> new BigDecimal[] {BigDecimal.ZERO})[0] =
                    totals.get(e.kind())[0].add(e.amount());
            expectedIds.add(e.stripeId());
            BalanceTransaction t = e.stripeId() == null ? null : bySource.get(e.stripeId());
            if (e.kind().equals("transfer")) {
                transferredBySupplier.merge(e.supplierId(), e.amount(), BigDecimal::add);
            }
            if (t == null) {
                mismatches.add(new Mismatch("MISSING_IN_STRIPE", e.reference(), e.supplierId(), e.amount(), null,
                        "the ledger has " + e.kind() + " " + e.stripeId() + "; Stripe has no balance transaction for it this day"));
                continue;
            }
            BigDecimal inStripe = money(t, Math.abs(t.getAmount()));
            if (e.kind().equals("transfer")) {
                transferredInStripeBySupplier.merge(e.supplierId(), inStripe, BigDecimal::add);
            }
            if (inStripe.compareTo(e.amount()) != 0) {
                mismatches.add(new Mismatch("AMOUNT_DIFFERS", e.reference(), e.supplierId(), e.amount(), inStripe,
                        e.kind() + " " + e.stripeId() + ": the ledger says " + e.amount() + ", Stripe " + inStripe));
            }
        }
        for (BalanceTransaction t : txns) {
            String type = String.valueOf(t.getType());
            boolean ours = type.equals("charge") || type.equals("payment") || type.equals("refund") || type.equals("transfer")
                    || type.equals("transfer_cancel");
            if (ours && t.getSource() != null && !expectedIds.contains(t.getSource()) && !knownElsewhere.contains(t.getSource())) {
                mismatches.add(new Mismatch("UNKNOWN_TO_LEDGER", t.getSource(), null, null, money(t, Math.abs(t.getAmount())),
                        "Stripe has a " + type + " (" + t.getId() + ") the ledger does not know: made outside the platform?"));
            }
        }
        Map<String, int[]> bySupplier = new TreeMap<>();   // shipped, paid out, waiting
        int paidOut = 0;
        for (Object[] r : shipped) {
            String supplier = (String) r[1];
            int[] counts = bySupplier.computeIfAbsent(supplier, k -> new int[3]);
            counts[0]++;
            if ("SETTLED".equals(r[2])) {
                counts[1]++;
                paidOut++;
            } else {
                counts[2]++;
                mismatches.add(new Mismatch("SHIPPED_NOT_PAID_OUT", r[0].toString(), supplier, (BigDecimal) r[4], null,
                        "shipped this day and " + r[2] + (r[3] == null ? "" : ": " + r[3])));
            }
        }
        for (Object[] r : unbalanced) {
            mismatches.add(new Mismatch("LEDGER_UNBALANCED", r[0].toString(), (String) r[1], (BigDecimal) r[2], null,
                    "the supplier order's debits and credits differ by " + r[2]));
        }
        transferredBySupplier.keySet().forEach(s -> bySupplier.computeIfAbsent(s, k -> new int[3]));
        List<Mismatch> shown = supplierFilter == null ? mismatches
                : mismatches.stream().filter(m -> supplierFilter.equals(m.supplierId())).toList();
        List<SupplierLine> suppliers = new ArrayList<>();
        bySupplier.forEach((supplier, c) -> {
            if (supplierFilter == null || supplierFilter.equals(supplier)) {
                suppliers.add(new SupplierLine(supplier, c[0], c[1], c[2],
                        transferredBySupplier.getOrDefault(supplier, BigDecimal.ZERO),
                        transferredInStripeBySupplier.getOrDefault(supplier, BigDecimal.ZERO),
                        (int) mismatches.stream().filter(m -> supplier.equals(m.supplierId())).count()));
            }
        });
        Totals ledgerTotals = new Totals(sum(totals, "charge"), sum(totals, "refund"), sum(totals, "transfer"),
                sum(totals, "reversal"), ledger.fees);
        return new Report(date, ledgerTotals, new StripeTotals(charges, refunds, transfers, reversals, fees), shipped.size(),
                paidOut, suppliers, shown, shown.isEmpty());
    }

    private static BigDecimal sum(Map<String, BigDecimal[]> totals, String kind) {
        return totals.containsKey(kind) ? totals.get(kind)[0] : BigDecimal.ZERO;
    }

    /** A balance transaction's amount, from the minor units of its currency. */
    private static BigDecimal money(BalanceTransaction t, long minor) {
        return CurrencyUnits.fromMinor(t.getCurrency() == null ? "usd" : t.getCurrency(), minor);
    }
}
