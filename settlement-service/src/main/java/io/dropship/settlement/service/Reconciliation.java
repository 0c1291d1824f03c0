package io.dropship.settlement.service;

import com.stripe.model.BalanceTransaction;
import com.stripe.param.BalanceTransactionListParams;
import io.dropship.settlement.domain.CurrencyUnits;
import io.dropship.settlement.stripe.StripeGateway;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A day's money three ways: the ledger (payments taken, transfers made, refunds given, by when this service recorded
 * them), Stripe's balance transactions of that day (UTC), and the supplier orders shipped that day. Every charge,
 * transfer and refund the ledger has must be in Stripe with the same amount, every one Stripe has must be known to
 * the ledger, every supplier order shipped must have been paid out, and every supplier order's entries must balance.
 * Whatever does not agree is listed, per supplier where it belongs to one.
 *
 * <p>The ledger counts in each movement's own currency; Stripe's balance counts in the platform's settlement currency,
 * converting a movement in another currency at a rate its balance transaction names. Such a movement agrees when the
 * ledger amount at that rate is Stripe's within one minor unit (Stripe rounds once); totals are kept per currency.
 */
@ApplicationScoped
public class Reconciliation {

    public record Mismatch(
            String kind,
            String reference,
            String supplierId,
            BigDecimal ledgerAmount,
            BigDecimal stripeAmount,
            String detail) {}

    /** disputed: what disputes took out of the balance, less what came back; disputeFees: their fees, less those given back. */
    public record Totals(
            BigDecimal charged,
            BigDecimal refunded,
            BigDecimal transferred,
            BigDecimal reversed,
            BigDecimal platformFees,
            BigDecimal disputed,
            BigDecimal disputeFees) {}

    /** processingFees: every fee of the day's balance transactions, dispute fees included. */
    public record StripeTotals(
            BigDecimal charges,
            BigDecimal refunds,
            BigDecimal transfers,
            BigDecimal reversals,
            BigDecimal processingFees,
            BigDecimal disputes) {}

    public record SupplierLine(
            String supplierId,
            int shipped,
            int paidOut,
            int waiting,
            BigDecimal transferred,
            BigDecimal transferredInStripe,
            int mismatches) {}

    /** ledger: totals per currency of the movements; stripe: per currency of Stripe's balance. */
    public record Report(
            LocalDate date,
            Map<String, Totals> ledger,
            Map<String, StripeTotals> stripe,
            int shipped,
            int shippedAndPaidOut,
            List<SupplierLine> suppliers,
            List<Mismatch> mismatches,
            boolean agrees) {}

    /** stripeId: the id of the balance transaction's source, or of the balance transaction itself for a dispute's movement. */
    private record Expected(
            String kind, String stripeId, String reference, String supplierId, BigDecimal amount, String currency) {}

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
                    for (BalanceTransaction t : c.v1().balanceTransactions()
                            .list(BalanceTransactionListParams.builder()
                                    .setCreated(BalanceTransactionListParams.Created.builder()
                                            .setGte(from.toEpochSecond())
                                            .setLt(to.toEpochSecond())
                                            .build())
                                    .setLimit(100L)
                                    .build())
                            .autoPagingIterable()) {
                        all.add(t);
                    }
                    return all;
                })
                .chain(txns -> sessions.withSession(s -> ledger(s, from, to)
                        .chain(ledger -> unknownElsewhere(s, txns, ledger)
                                .chain(knownElsewhere -> shipped(s, from, to)
                                        .chain(shipped -> unbalanced(s, from, to)
                                                .map(unbalanced -> report(
                                                        date,
                                                        supplierFilter,
                                                        txns,
                                                        ledger,
                                                        knownElsewhere,
                                                        shipped,
                                                        unbalanced)))))));
    }

    private static final class Ledger {
        final List<Expected> expected = new ArrayList<>();
        final Map<String, BigDecimal> fees = new TreeMap<>();
        final Map<String, BigDecimal[]> disputes = new TreeMap<>(); // currency -> disputed, dispute fees
    }

    private static String code(Object currency) {
        return currency == null ? "USD" : currency.toString().trim().toUpperCase(java.util.Locale.ROOT);
    }

    private Uni<Ledger> ledger(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to) {
        Ledger l = new Ledger();
        return s.createNativeQuery(
                        "select charge_id, id, amount, currency from payment where succeeded_at >= :f"
                                + " and succeeded_at < :t",
                        Object[].class)
                .setParameter("f", from)
                .setParameter("t", to)
                .getResultList()
                .invoke(rows -> rows.forEach(r -> l.expected.add(
                        new Expected("charge", (String) r[0], r[1].toString(), null, (BigDecimal) r[2], code(r[3])))))
                // Subscription invoices Stripe charged (their revenue is in the ledger by the invoice's id).
                .chain(() -> s.createNativeQuery(
                                "select charge_id, id, amount_paid, currency from subscription_invoice"
                                        + " where recorded_paid_at >= :f and recorded_paid_at < :t and charge_id is not null",
                                Object[].class)
                        .setParameter("f", from)
                        .setParameter("t", to)
                        .getResultList())
                .invoke(rows -> rows.forEach(r -> l.expected.add(
                        new Expected("charge", (String) r[0], (String) r[1], null, (BigDecimal) r[2], code(r[3])))))
                .chain(() -> s.createNativeQuery(
                                "select transfer_id, supplier_order_id, supplier_id, supplier_payout, platform_fee,"
                                        + " currency from supplier_order_account where transferred_at >= :f and transferred_at < :t",
                                Object[].class)
                        .setParameter("f", from)
                        .setParameter("t", to)
                        .getResultList())
                .invoke(rows -> rows.forEach(r -> {
                    l.expected.add(new Expected(
                            "transfer", (String) r[0], r[1].toString(), (String) r[2], (BigDecimal) r[3], code(r[5])));
                    l.fees.merge(code(r[5]), (BigDecimal) r[4], BigDecimal::add);
                }))
                .chain(() -> s.createNativeQuery(
                                "select refund_id, supplier_order_id, supplier_id, retailer_charge, currency"
                                        + " from supplier_order_account where refunded_at >= :f and refunded_at < :t",
                                Object[].class)
                        .setParameter("f", from)
                        .setParameter("t", to)
                        .getResultList())
                .invoke(rows -> rows.forEach(r -> l.expected.add(new Expected(
                        "refund", (String) r[0], r[1].toString(), (String) r[2], (BigDecimal) r[3], code(r[4])))))
                .chain(() -> s.createNativeQuery(
                                "select r.refund_id, r.reversal_id, r.supplier_order_id, r.supplier_id, r.amount,"
                                        + " a.currency from supplier_order_return r join supplier_order_account a"
                                        + " on a.supplier_order_id = r.supplier_order_id"
                                        + " where r.status = 'DONE' and r.updated_at >= :f and r.updated_at < :t",
                                Object[].class)
                        .setParameter("f", from)
                        .setParameter("t", to)
                        .getResultList())
                .invoke(rows -> rows.forEach(r -> {
                    if (r[0] != null) {
                        l.expected.add(new Expected(
                                "refund",
                                (String) r[0],
                                r[2].toString(),
                                (String) r[3],
                                (BigDecimal) r[4],
                                code(r[5])));
                    }
                    if (r[1] != null) {
                        l.expected.add(new Expected(
                                "reversal",
                                (String) r[1],
                                r[2].toString(),
                                (String) r[3],
                                (BigDecimal) r[4],
                                code(r[5])));
                    }
                }))
                .chain(() -> s.createNativeQuery(
                                "select balance_transaction_id, dispute_id, amount, fee, currency"
                                        + " from dispute_movement where created_at >= :f and created_at < :t",
                                Object[].class)
                        .setParameter("f", from)
                        .setParameter("t", to)
                        .getResultList())
                .invoke(rows -> rows.forEach(r -> {
                    BigDecimal amount = (BigDecimal) r[2];
                    l.expected.add(
                            new Expected("dispute", (String) r[0], (String) r[1], null, amount.abs(), code(r[4])));
                    BigDecimal[] sums = l.disputes.computeIfAbsent(
                            code(r[4]), c -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    sums[0] = sums[0].subtract(amount);
                    sums[1] = sums[1].add((BigDecimal) r[3]);
                }))
                .chain(() -> s.createNativeQuery(
                                "select reversal_id, supplier_order_id, supplier_id, amount, currency, reversed_at,"
                                        + " repay_transfer_id, repaid_at from dispute_reversal where (reversed_at >= :f and reversed_at < :t)"
                                        + " or (repaid_at >= :f and repaid_at < :t)",
                                Object[].class)
                        .setParameter("f", from)
                        .setParameter("t", to)
                        .getResultList())
                .invoke(rows -> rows.forEach(r -> {
                    if (within(r[5], from, to)) {
                        l.expected.add(new Expected(
                                "reversal",
                                (String) r[0],
                                r[1].toString(),
                                (String) r[2],
                                (BigDecimal) r[3],
                                code(r[4])));
                    }
                    if (within(r[7], from, to)) {
                        l.expected.add(new Expected(
                                "transfer",
                                (String) r[6],
                                r[1].toString(),
                                (String) r[2],
                                (BigDecimal) r[3],
                                code(r[4])));
                    }
                }))
                .replaceWith(l);
    }

    private static boolean within(Object at, OffsetDateTime from, OffsetDateTime to) {
        java.time.Instant t = io.dropship.platform.sql.SqlValues.instant(at);
        return t != null && !t.isBefore(from.toInstant()) && t.isBefore(to.toInstant());
    }

    /** A balance transaction of a dispute: Stripe's adjustment withdrawing the disputed amount, or reinstating it. */
    private static boolean ofDispute(BalanceTransaction t) {
        return "dispute".equals(t.getReportingCategory())
                || "dispute_reversal".equals(t.getReportingCategory())
                || ("adjustment".equals(t.getType())
                        && t.getSource() != null
                        && (t.getSource().startsWith("du_") || t.getSource().startsWith("dp_")));
    }

    /** Stripe ids of the day the ledger has on another day (a call just before midnight): not a mismatch. */
    private Uni<Set<String>> unknownElsewhere(Mutiny.Session s, List<BalanceTransaction> txns, Ledger ledger) {
        Set<String> known = new HashSet<>();
        ledger.expected.forEach(e -> known.add(e.stripeId()));
        // A dispute's movements are known by their own ids (a dispute has several), everything else by its source.
        List<String> other = txns.stream()
                .map(t -> ofDispute(t) ? t.getId() : t.getSource())
                .filter(id -> id != null && !known.contains(id))
                .toList();
        if (other.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return s.createNativeQuery(
                        "select charge_id from payment where charge_id in (:ids)"
                                + " union select charge_id from subscription_invoice where charge_id in (:ids) union select transfer_id"
                                + " from supplier_order_account where transfer_id in (:ids) union select refund_id from supplier_order_account"
                                + " where refund_id in (:ids) union select refund_id from supplier_order_return where refund_id in (:ids)"
                                + " union select reversal_id from supplier_order_return where reversal_id in (:ids)"
                                + " union select reversal_id from dispute_reversal where reversal_id in (:ids)"
                                + " union select repay_transfer_id from dispute_reversal where repay_transfer_id in (:ids)"
                                + " union select balance_transaction_id from dispute_movement where balance_transaction_id in (:ids)",
                        String.class)
                .setParameter("ids", other)
                .getResultList()
                .map(HashSet::new);
    }

    private Uni<List<Object[]>> shipped(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to) {
        return s.createNativeQuery(
                        "select supplier_order_id, supplier_id, status, money_error, supplier_payout"
                                + " from supplier_order_account where shipped_at >= :f and shipped_at < :t",
                        Object[].class)
                .setParameter("f", from)
                .setParameter("t", to)
                .getResultList();
    }

    private Uni<List<Object[]>> unbalanced(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to) {
        return s.createNativeQuery(
                        "select e.supplier_order_id, a.supplier_id, sum(e.debit) - sum(e.credit) from ledger_entry e"
                                + " join supplier_order_account a on a.supplier_order_id = e.supplier_order_id"
                                + " where e.supplier_order_id in (select supplier_order_id from ledger_entry where created_at >= :f"
                                + " and created_at < :t) group by e.supplier_order_id, a.supplier_id having sum(e.debit) <> sum(e.credit)",
                        Object[].class)
                .setParameter("f", from)
                .setParameter("t", to)
                .getResultList();
    }

    private static Report report(
            LocalDate date,
            String supplierFilter,
            List<BalanceTransaction> txns,
            Ledger ledger,
            Set<String> knownElsewhere,
            List<Object[]> shipped,
            List<Object[]> unbalanced) {
        Map<String, BalanceTransaction> bySource = new HashMap<>();
        Map<String, BigDecimal[]> stripeTotals =
                new TreeMap<>(); // currency -> charges, refunds, transfers, reversals, fees, disputes
        for (BalanceTransaction t : txns) {
            if (ofDispute(t)) {
                bySource.put(t.getId(), t); // a dispute has several: each is matched by its own id
            } else if (t.getSource() != null) {
                bySource.put(t.getSource(), t);
            }
            BigDecimal[] sums = stripeTotals.computeIfAbsent(code(t.getCurrency()), c -> new BigDecimal[] {
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO
            });
            BigDecimal amount = money(t, t.getAmount());
            sums[4] = sums[4].add(money(t, t.getFee() == null ? 0 : t.getFee()));
            if (ofDispute(t)) {
                sums[5] = sums[5].add(amount.negate());
            }
            switch (String.valueOf(t.getType())) {
                case "charge", "payment" -> sums[0] = sums[0].add(amount);
                case "refund" -> sums[1] = sums[1].add(amount.negate());
                case "transfer" -> sums[2] = sums[2].add(amount.negate());
                case "transfer_cancel", "transfer_refund" -> sums[3] = sums[3].add(amount);
                default -> {}
            }
        }
        List<Mismatch> mismatches = new ArrayList<>();
        Map<String, Map<String, BigDecimal>> totals = new TreeMap<>(); // currency -> kind -> ledger amount
        Map<String, BigDecimal> transferredBySupplier = new HashMap<>();
        Map<String, BigDecimal> transferredInStripeBySupplier = new HashMap<>();
        Set<String> expectedIds = new HashSet<>();
        for (Expected e : ledger.expected) {
            totals.computeIfAbsent(e.currency(), c -> new HashMap<>()).merge(e.kind(), e.amount(), BigDecimal::add);
            expectedIds.add(e.stripeId());
            BalanceTransaction t = e.stripeId() == null ? null : bySource.get(e.stripeId());
            if (e.kind().equals("transfer")) {
                transferredBySupplier.merge(e.supplierId(), e.amount(), BigDecimal::add);
            }
            if (t == null) {
                mismatches.add(new Mismatch(
                        "MISSING_IN_STRIPE",
                        e.reference(),
                        e.supplierId(),
                        e.amount(),
                        null,
                        "the ledger has " + e.kind() + " " + e.stripeId()
                                + "; Stripe has no balance transaction for it this day"));
                continue;
            }
            BigDecimal inStripe = money(t, Math.abs(t.getAmount()));
            if (e.kind().equals("transfer")) {
                transferredInStripeBySupplier.merge(e.supplierId(), inStripe, BigDecimal::add);
            }
            String differs = differs(e, t, inStripe);
            if (differs != null) {
                mismatches.add(new Mismatch(
                        "AMOUNT_DIFFERS",
                        e.reference(),
                        e.supplierId(),
                        e.amount(),
                        inStripe,
                        e.kind() + " " + e.stripeId() + ": " + differs));
            }
        }
        for (BalanceTransaction t : txns) {
            String type = String.valueOf(t.getType());
            boolean ours = type.equals("charge")
                    || type.equals("payment")
                    || type.equals("refund")
                    || type.equals("transfer")
                    || type.equals("transfer_cancel");
            if (ours
                    && t.getSource() != null
                    && !expectedIds.contains(t.getSource())
                    && !knownElsewhere.contains(t.getSource())) {
                mismatches.add(new Mismatch(
                        "UNKNOWN_TO_LEDGER",
                        t.getSource(),
                        null,
                        null,
                        money(t, Math.abs(t.getAmount())),
                        "Stripe has a " + type + " (" + t.getId()
                                + ") the ledger does not know: made outside the platform?"));
            }
            if (ofDispute(t) && !expectedIds.contains(t.getId()) && !knownElsewhere.contains(t.getId())) {
                mismatches.add(new Mismatch(
                        "UNKNOWN_TO_LEDGER",
                        t.getSource(),
                        null,
                        null,
                        money(t, Math.abs(t.getAmount())),
                        "Stripe moved the balance for dispute " + t.getSource() + " (" + t.getId()
                                + ") and the ledger does" + " not know it: a dispute event not received?"));
            }
        }
        Map<String, int[]> bySupplier = new TreeMap<>(); // shipped, paid out, waiting
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
                mismatches.add(new Mismatch(
                        "SHIPPED_NOT_PAID_OUT",
                        r[0].toString(),
                        supplier,
                        (BigDecimal) r[4],
                        null,
                        "shipped this day and " + r[2] + (r[3] == null ? "" : ": " + r[3])));
            }
        }
        for (Object[] r : unbalanced) {
            mismatches.add(new Mismatch(
                    "LEDGER_UNBALANCED",
                    r[0].toString(),
                    (String) r[1],
                    (BigDecimal) r[2],
                    null,
                    "the supplier order's debits and credits differ by " + r[2]));
        }
        transferredBySupplier.keySet().forEach(s -> bySupplier.computeIfAbsent(s, k -> new int[3]));
        List<Mismatch> shown = supplierFilter == null
                ? mismatches
                : mismatches.stream()
                        .filter(m -> supplierFilter.equals(m.supplierId()))
                        .toList();
        List<SupplierLine> suppliers = new ArrayList<>();
        bySupplier.forEach((supplier, c) -> {
            if (supplierFilter == null || supplierFilter.equals(supplier)) {
                suppliers.add(new SupplierLine(
                        supplier,
                        c[0],
                        c[1],
                        c[2],
                        transferredBySupplier.getOrDefault(supplier, BigDecimal.ZERO),
                        transferredInStripeBySupplier.getOrDefault(supplier, BigDecimal.ZERO),
                        (int) mismatches.stream()
                                .filter(m -> supplier.equals(m.supplierId()))
                                .count()));
            }
        });
        ledger.fees.keySet().forEach(c -> totals.computeIfAbsent(c, k -> new HashMap<>()));
        ledger.disputes.keySet().forEach(c -> totals.computeIfAbsent(c, k -> new HashMap<>()));
        Map<String, Totals> ledgerTotals = new TreeMap<>();
        totals.forEach((currency, byKind) -> ledgerTotals.put(
                currency,
                new Totals(
                        byKind.getOrDefault("charge", BigDecimal.ZERO),
                        byKind.getOrDefault("refund", BigDecimal.ZERO),
                        byKind.getOrDefault("transfer", BigDecimal.ZERO),
                        byKind.getOrDefault("reversal", BigDecimal.ZERO),
                        ledger.fees.getOrDefault(currency, BigDecimal.ZERO),
                        ledger.disputes.getOrDefault(currency, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO})[0],
                        ledger.disputes
                                .getOrDefault(currency, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO})[1])));
        Map<String, StripeTotals> inStripe = new TreeMap<>();
        stripeTotals.forEach(
                (currency, v) -> inStripe.put(currency, new StripeTotals(v[0], v[1], v[2], v[3], v[4], v[5])));
        return new Report(date, ledgerTotals, inStripe, shipped.size(), paidOut, suppliers, shown, shown.isEmpty());
    }

    /**
     * Why the ledger's amount and Stripe's differ, or null when they agree: equal in the same currency, or, converted
     * by Stripe into its balance's currency, equal at the rate it names within one minor unit of that currency.
     */
    static String differs(Expected e, BalanceTransaction t, BigDecimal inStripe) {
        String balance = code(t.getCurrency());
        if (balance.equals(e.currency())) {
            return inStripe.compareTo(e.amount()) == 0
                    ? null
                    : "the ledger says " + e.amount() + " " + e.currency() + ", Stripe " + inStripe + " " + balance;
        }
        BigDecimal rate = t.getExchangeRate();
        if (rate == null) {
            return "the ledger says " + e.amount() + " " + e.currency() + ", Stripe " + inStripe + " " + balance
                    + " and names no exchange rate";
        }
        BigDecimal converted = CurrencyUnits.round(balance, e.amount().multiply(rate));
        BigDecimal oneUnit = BigDecimal.ONE.movePointLeft(CurrencyUnits.scale(balance));
        return converted.subtract(inStripe).abs().compareTo(oneUnit) <= 0
                ? null
                : "the ledger says " + e.amount() + " " + e.currency() + ", " + converted + " " + balance
                        + " at Stripe's rate " + rate.toPlainString() + "; Stripe " + inStripe + " " + balance;
    }

    /** A balance transaction's amount, from the minor units of its currency. */
    private static BigDecimal money(BalanceTransaction t, long minor) {
        return CurrencyUnits.fromMinor(t.getCurrency() == null ? "usd" : t.getCurrency(), minor);
    }
}
