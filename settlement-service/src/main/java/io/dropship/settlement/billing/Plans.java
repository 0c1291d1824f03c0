package io.dropship.settlement.billing;

import io.dropship.settlement.domain.Plan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** The plans retailers choose from ({@code fee_rule}) and how far a retailer uses its own. */
@ApplicationScoped
public class Plans {

    /**
     * A plan as retailers see it. monthlyOrderLimit and supplierLimit null: unlimited. overLimit: what happens to an
     * order past the monthly limit, HOLD (it waits until the next month or an upgrade) or OVERAGE (invoiced at the
     * BASIC fee).
     */
    public record PlanView(
            Plan plan,
            BigDecimal monthlyPrice,
            String currency,
            Integer monthlyOrderLimit,
            Integer supplierLimit,
            BigDecimal percent,
            BigDecimal fixedFee,
            String overLimit,
            int trialDays) {}

    /**
     * plan: the plan orders are invoiced at now; subscriptionStatus: Stripe's (null without a subscription);
     * monthlyOrderLimit / supplierLimit null: unlimited; overLimit: orders this month past the limit; heldForLimit: of
     * those, the ones waiting (a HOLD plan); suppliers: the suppliers behind the retailer's active listings;
     * upgradeHint: what to move to when a limit is reached or near, else null.
     */
    public record Usage(
            String retailerId,
            String plan,
            String subscriptionStatus,
            boolean suspended,
            Integer monthlyOrderLimit,
            long ordersThisMonth,
            long overLimit,
            long heldForLimit,
            String overLimitPolicy,
            Integer supplierLimit,
            long suppliers,
            String upgradeHint) {}

    private final Mutiny.SessionFactory sessions;

    public Plans(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Every plan, cheapest first. */
    public Uni<List<PlanView>> all() {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select plan, monthly_price, currency, monthly_order_limit,"
                                        + " supplier_limit, percent, fixed_fee, over_limit, trial_days from fee_rule"
                                        + " order by monthly_price nulls first, plan",
                                Object[].class)
                        .getResultList())
                .map(rows -> {
                    List<PlanView> out = new ArrayList<>();
                    for (Object[] r : rows) {
                        out.add(new PlanView(
                                Plan.valueOf((String) r[0]),
                                (BigDecimal) r[1],
                                ((String) r[2]).trim(),
                                (Integer) r[3],
                                (Integer) r[4],
                                (BigDecimal) r[5],
                                (BigDecimal) r[6],
                                (String) r[7],
                                (Integer) r[8]));
                    }
                    return out;
                });
    }

    /** The retailer's plan, its use this month, and an upgrade hint when a limit is reached or near (80% of orders). */
    public Uni<Usage> usage(String retailer) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select f.plan, f.monthly_order_limit,"
                                        + " (select count(distinct order_id) from invoice_line where retailer_id = :retailerId"
                                        + " and created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'),"
                                        + " (select count(distinct order_id) from invoice_line where retailer_id = :retailerId and over_limit"
                                        + " and created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'),"
                                        + " (select count(*) from payment where retailer_id = :retailerId and status = 'ON_HOLD' and hold_reason = 'PLAN_LIMIT'),"
                                        + " f.over_limit, f.supplier_limit,"
                                        + " (select count(distinct u) from retailer_listing l, unnest(l.supplier_ids) u where l.retailer_id = :retailerId and l.active),"
                                        + " x.status, coalesce(x.grace_until < now(), false),"
                                        + " (select u.plan from fee_rule u where u.monthly_price > coalesce(f.monthly_price, 0)"
                                        + " order by u.monthly_price limit 1)"
                                        + " from fee_rule f left join retailer_plan p on p.retailer_id = :retailerId"
                                        + " left join subscription x on x.retailer_id = :retailerId"
                                        + " where f.plan = coalesce(p.plan, 'BASIC')",
                                Object[].class)
                        .setParameter("retailerId", retailer)
                        .getSingleResult())
                .map(r -> {
                    Integer orderLimit = (Integer) r[1];
                    long orders = ((Number) r[2]).longValue();
                    Integer supplierLimit = (Integer) r[6];
                    long suppliers = ((Number) r[7]).longValue();
                    String next = (String) r[10];
                    boolean near = (orderLimit != null && orders * 10 >= orderLimit * 8L)
                            || (supplierLimit != null && suppliers >= supplierLimit);
                    String hint = next == null || !near
                            ? null
                            : "move up to " + next + " (PUT /api/billing/subscription)" + " for more orders a month"
                                    + (supplierLimit == null ? "" : " and more suppliers");
                    return new Usage(
                            retailer,
                            (String) r[0],
                            r[8] == null ? null : ((String) r[8]).toUpperCase(java.util.Locale.ROOT),
                            Boolean.TRUE.equals(r[9]),
                            orderLimit,
                            orders,
                            ((Number) r[3]).longValue(),
                            ((Number) r[4]).longValue(),
                            (String) r[5],
                            supplierLimit,
                            suppliers,
                            hint);
                });
    }
}
