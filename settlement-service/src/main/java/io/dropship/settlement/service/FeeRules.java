package io.dropship.settlement.service;

import io.dropship.platform.web.ProblemException;
import io.dropship.settlement.domain.CurrencyUnits;
import io.dropship.settlement.domain.FeeSchedule;
import io.dropship.settlement.domain.Plan;
import io.dropship.settlement.entity.FeeRule;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.reactive.mutiny.Mutiny;

@ApplicationScoped
public class FeeRules {

    private final Mutiny.SessionFactory sessions;

    public FeeRules(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Uni<List<FeeRule>> all() {
        return sessions.withSession(s -> s.createSelectionQuery("from FeeRule order by plan", FeeRule.class)
                .getResultList()
                .call(rules -> withFixedFees(s, rules)));
    }

    public Uni<FeeRule> get(Plan plan) {
        return sessions.withSession(s -> s.find(FeeRule.class, plan)
                .map(rule -> {
                    if (rule == null) {
                        throw ProblemException.notFound("fee rule for plan " + plan);
                    }
                    return rule;
                })
                .call(rule -> withFixedFees(s, List.of(rule))));
    }

    /** A plan's subscription terms; each null keeps what the plan has (supplierLimit 0: unlimited). */
    public record PlanTerms(BigDecimal monthlyPrice, Integer supplierLimit, String overLimit, Integer trialDays) {
        public static final PlanTerms SAME = new PlanTerms(null, null, null, null);
    }

    /** The featured listing fee: the percentage of a featured supplier's payout the platform keeps (0: none). */
    public record ListingFee(BigDecimal percent, Instant updatedAt, String updatedBy) {}

    public Uni<ListingFee> listingFee() {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select percent, updated_at, updated_by from listing_fee_rule"
                                        + " where kind = 'FEATURED'",
                                Object[].class)
                        .getSingleResult())
                .map(FeeRules::listingFee);
    }

    public Uni<ListingFee> changeListingFee(BigDecimal percent, String by) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update listing_fee_rule set percent = :percent,"
                                        + " updated_at = now(), updated_by = :by where kind = 'FEATURED' returning percent, updated_at, updated_by",
                                Object[].class)
                        .setParameter("percent", percent)
                        .setParameter("by", by)
                        .getSingleResult())
                .map(FeeRules::listingFee);
    }

    private static ListingFee listingFee(Object[] r) {
        return new ListingFee((BigDecimal) r[0], io.dropship.platform.sql.SqlValues.instant(r[1]), (String) r[2]);
    }

    /**
     * Changes a plan's fee. {@code fixedFee} is the fixed fee in the rule's own currency; {@code fixedFees} sets it in
     * other currencies (0 for none), each an amount the currency can be charged in (no cents for JPY).
     */
    public Uni<FeeRule> change(
            Plan plan,
            BigDecimal fixedFee,
            BigDecimal percent,
            Integer monthlyOrderLimit,
            Map<String, BigDecimal> fixedFees,
            String by) {
        return change(plan, fixedFee, percent, monthlyOrderLimit, fixedFees, PlanTerms.SAME, by);
    }

    public Uni<FeeRule> change(
            Plan plan,
            BigDecimal fixedFee,
            BigDecimal percent,
            Integer monthlyOrderLimit,
            Map<String, BigDecimal> fixedFees,
            PlanTerms terms,
            String by) {
        new FeeSchedule(fixedFee, percent);
        Map<String, BigDecimal> others = fixedFees == null ? Map.of() : fixedFees;
        others.forEach((currency, amount) -> {
            if (amount == null || amount.signum() < 0) {
                throw ProblemException.badRequest("fixedFees." + currency + " must be 0 or more");
            }
            try {
                if (CurrencyUnits.round(currency, amount).compareTo(amount) != 0) {
                    throw ProblemException.badRequest(
                            "fixedFees." + currency + " " + amount.toPlainString() + " cannot be charged in " + currency
                                    + " (" + CurrencyUnits.scale(currency) + " decimals)");
                }
            } catch (IllegalArgumentException unknown) {
                throw ProblemException.badRequest("fixedFees: " + unknown.getMessage());
            }
        });
        return sessions.withTransaction(s -> s.find(FeeRule.class, plan).chain(rule -> {
            if (rule == null) {
                throw ProblemException.notFound("fee rule for plan " + plan);
            }
            rule.fixedFee = fixedFee;
            rule.percent = percent;
            rule.monthlyOrderLimit = monthlyOrderLimit;
            if (terms.monthlyPrice() != null) {
                rule.monthlyPrice = terms.monthlyPrice();
            }
            if (terms.supplierLimit() != null) {
                rule.supplierLimit = terms.supplierLimit() == 0 ? null : terms.supplierLimit();
            }
            if (terms.overLimit() != null) {
                rule.overLimit = terms.overLimit();
            }
            if (terms.trialDays() != null) {
                rule.trialDays = terms.trialDays();
            }
            rule.updatedAt = Instant.now();
            rule.updatedBy = by;
            Map<String, BigDecimal> all = new TreeMap<>(others);
            all.put(rule.currency, fixedFee);
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Map.Entry<String, BigDecimal> e : all.entrySet()) {
                chain = chain.chain(() -> s.createNativeQuery(
                                "insert into fee_rule_fixed_fee (plan, currency, fixed_fee)"
                                        + " values (:plan, :cur, :fee) on conflict (plan, currency) do update set fixed_fee = excluded.fixed_fee")
                        .setParameter("plan", plan.name())
                        .setParameter("cur", e.getKey())
                        .setParameter("fee", e.getValue())
                        .executeUpdate()
                        .replaceWithVoid());
            }
            return chain.chain(() -> withFixedFees(s, List.of(rule))).replaceWith(rule);
        }));
    }

    private static Uni<Void> withFixedFees(Mutiny.Session s, List<FeeRule> rules) {
        return s.createNativeQuery(
                        "select plan, currency, fixed_fee from fee_rule_fixed_fee order by plan, currency",
                        Object[].class)
                .getResultList()
                .invoke(rows -> rules.forEach(rule -> {
                    rule.fixedFees = new TreeMap<>();
                    for (Object[] r : rows) {
                        if (rule.plan.name().equals(r[0])) {
                            String currency = ((String) r[1]).trim();
                            rule.fixedFees.put(currency, CurrencyUnits.round(currency, (BigDecimal) r[2]));
                        }
                    }
                }))
                .replaceWithVoid();
    }
}
