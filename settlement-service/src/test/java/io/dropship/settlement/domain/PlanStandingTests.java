package io.dropship.settlement.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The plan limit: an order within its plan, past it (held or at the BASIC fee), or of a suspended subscription. */
class PlanStandingTests {

    private static final Instant NEXT_MONTH = Instant.parse("2027-01-01T00:00:00Z");
    private static final FeeSchedule BASIC = new FeeSchedule(new BigDecimal("0.30"), new BigDecimal("5"));

    private static PlanStanding.Usage usage(
            Integer limit, long before, boolean invoicedAlready, String overLimit, boolean suspended) {
        return new PlanStanding.Usage(
                "STARTER",
                limit,
                before,
                invoicedAlready,
                overLimit,
                suspended,
                "PRO (500), ENTERPRISE (unlimited)",
                NEXT_MONTH,
                BASIC);
    }

    @Test
    void withinTheLimitOrUnlimitedTheOrderIsClear() {
        assertSame(PlanStanding.CLEAR, PlanStanding.of(usage(100, 99, false, "HOLD", false)));
        assertSame(PlanStanding.CLEAR, PlanStanding.of(usage(null, 1_000_000, false, "HOLD", false)));
        assertFalse(PlanStanding.CLEAR.overLimit());
    }

    @Test
    void pastTheLimitAHoldingPlanHoldsUntilNextMonthWithAnUpgradeHint() {
        PlanStanding held = PlanStanding.of(usage(100, 100, false, "HOLD", false));
        assertEquals("PLAN_LIMIT", held.holdReason());
        assertEquals(NEXT_MONTH, held.until());
        assertNull(held.overage());
        assertTrue(held.overLimit());
        assertEquals(
                "STARTER includes 100 orders a month and this is order 101; it goes to its suppliers on 2027-01-01,"
                        + " or now with an upgrade to PRO (500), ENTERPRISE (unlimited) (PUT /api/billing/subscription)",
                held.why());
    }

    @Test
    void pastTheLimitAnOveragePlanChargesTheBasicFee() {
        PlanStanding overage = PlanStanding.of(usage(100, 150, false, "OVERAGE", false));
        assertSame(BASIC, overage.overage());
        assertNull(overage.holdReason());
        assertTrue(overage.overLimit());
    }

    @Test
    void aReRoutedOrderKeepsItsCount() {
        assertSame(PlanStanding.CLEAR, PlanStanding.of(usage(100, 100, true, "HOLD", false)));
    }

    @Test
    void aSuspendedSubscriptionHoldsEveryNewOrder() {
        PlanStanding suspended = PlanStanding.of(usage(null, 0, false, "HOLD", true));
        assertEquals("SUSPENDED", suspended.holdReason());
        assertEquals(PlanStanding.SUSPENDED, suspended.why());
        assertNull(suspended.until());
        assertFalse(suspended.overLimit());
    }
}
