package io.dropship.settlement.domain;

import java.time.Instant;

/**
 * Where one order stands against its retailer's plan and subscription when it is invoiced (the plan limit rule).
 * A retailer whose subscription's grace period ran out has its new orders held until the subscription is paid. Past
 * the plan's monthly order limit (orders invoiced since the start of the month, this one not counted), the plan's
 * over-limit policy decides: OVERAGE invoices the order at the BASIC fee; HOLD keeps its payment on hold, with an
 * upgrade hint, until the next month or a bigger plan. An order invoiced before (a re-route) keeps its count.
 *
 * @param overage    the fee the order is invoiced at instead of its plan's (OVERAGE), or null
 * @param holdReason why its payment is held (PLAN_LIMIT, SUSPENDED), or null
 * @param why        what the retailer is told of the hold
 * @param until      when a PLAN_LIMIT hold ends by itself (the next month)
 */
public record PlanStanding(FeeSchedule overage, String holdReason, String why, Instant until) {

    public static final PlanStanding CLEAR = new PlanStanding(null, null, null, null);

    /** What a retailer is told of an order held while its subscription is suspended. */
    public static final String SUSPENDED =
            "new orders are on hold: the subscription's renewal was not paid and its grace"
                    + " period ended; paying it (PUT /api/billing/payment-method with a working card) releases them";

    /**
     * The facts of one order's invoicing.
     *
     * @param monthlyOrderLimit null: unlimited
     * @param ordersBefore      orders invoiced this month before this one
     * @param invoicedAlready   this order was invoiced before (re-routed lines)
     * @param overLimit         the plan's policy past its limit: HOLD or OVERAGE
     * @param suspended         the subscription's grace period ran out
     * @param upgrades          the bigger plans and their limits, for the hint, or null
     * @param nextMonth         the start of the next month (UTC)
     * @param basic             the BASIC plan's fee in the order's currency
     */
    public record Usage(
            String plan,
            Integer monthlyOrderLimit,
            long ordersBefore,
            boolean invoicedAlready,
            String overLimit,
            boolean suspended,
            String upgrades,
            Instant nextMonth,
            FeeSchedule basic) {}

    public static PlanStanding of(Usage u) {
        if (u.suspended()) {
            return new PlanStanding(null, "SUSPENDED", SUSPENDED, null);
        }
        if (u.monthlyOrderLimit() == null || u.invoicedAlready() || u.ordersBefore() < u.monthlyOrderLimit()) {
            return CLEAR;
        }
        if ("HOLD".equals(u.overLimit())) {
            return new PlanStanding(
                    null,
                    "PLAN_LIMIT",
                    u.plan() + " includes " + u.monthlyOrderLimit() + " orders a month"
                            + " and this is order " + (u.ordersBefore() + 1) + "; it goes to its suppliers on "
                            + (u.nextMonth() == null
                                    ? "the 1st"
                                    : u.nextMonth().toString().substring(0, 10)) + ", or now with an upgrade"
                            + (u.upgrades() == null ? "" : " to " + u.upgrades()) + " (PUT /api/billing/subscription)",
                    u.nextMonth());
        }
        return new PlanStanding(u.basic(), null, null, null);
    }

    /** Invoiced past the plan's limit (at the BASIC fee, or held for it). */
    public boolean overLimit() {
        return overage != null || "PLAN_LIMIT".equals(holdReason);
    }
}
