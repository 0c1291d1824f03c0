package io.dropship.catalog.listings;

import io.dropship.catalog.pricing.PricingRule;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** Each retailer's pricing rule; a retailer that has set none is priced by {@link PricingRule#DEFAULT}. */
@ApplicationScoped
public class PricingRules {

    private final Mutiny.SessionFactory sessions;

    public PricingRules(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Uni<PricingRule> rule(String retailerId) {
        return sessions.withSession(s -> rule(s, retailerId));
    }

    Uni<PricingRule> rule(Mutiny.Session s, String retailerId) {
        return s.createNativeQuery(
                        "select method, amount, min_margin_percent, cap_at_msrp, respect_map, price_ending,"
                                + " tolerance_percent from pricing_rule where retailer_id = :retailerId",
                        Object[].class)
                .setParameter("retailerId", retailerId)
                .getResultList()
                .map(rows -> rows.isEmpty() ? PricingRule.DEFAULT : of(rows.get(0)));
    }

    /** Sets the retailer's rule. It prices new listings and the next re-price; live prices change only on those. */
    public Uni<PricingRule> put(String retailerId, PricingRule rule) {
        List<String> problems = rule.problems();
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(String.join("; ", problems));
        }
        return sessions.withTransaction(
                        s -> s.createNativeQuery("insert into pricing_rule (retailer_id, method, amount,"
                                        + " min_margin_percent, cap_at_msrp, respect_map, price_ending, tolerance_percent, updated_at)"
                                        + " values (:retailerId, :m, :a, :mm, :cap, :map, :end, :tol, now()) on conflict (retailer_id) do update"
                                        + " set method = excluded.method, amount = excluded.amount, min_margin_percent = excluded.min_margin_percent,"
                                        + " cap_at_msrp = excluded.cap_at_msrp, respect_map = excluded.respect_map,"
                                        + " price_ending = excluded.price_ending, tolerance_percent = excluded.tolerance_percent,"
                                        + " updated_at = excluded.updated_at")
                                .setParameter("retailerId", retailerId)
                                .setParameter("m", rule.method().name())
                                .setParameter("a", rule.amount())
                                .setParameter("mm", rule.minMarginPercent())
                                .setParameter("cap", rule.capAtMsrp())
                                .setParameter("map", rule.respectMap())
                                .setParameter("end", rule.priceEnding())
                                .setParameter("tol", rule.tolerancePercent())
                                .executeUpdate())
                .replaceWith(rule);
    }

    private static PricingRule of(Object[] r) {
        return new PricingRule(
                PricingRule.Method.valueOf((String) r[0]),
                (BigDecimal) r[1],
                (BigDecimal) r[2],
                (Boolean) r[3],
                (Boolean) r[4],
                (BigDecimal) r[5],
                (BigDecimal) r[6]);
    }
}
