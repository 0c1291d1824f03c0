package io.dropship.catalog.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The pricing tolerance decision: what a supplier's new cost does to a listing priced today. */
class RepricingTests {

    private static final PricingRule MARKUP_30 =
            new PricingRule(PricingRule.Method.MARKUP_PERCENT, d("30"), null, true, true, null, d("10"));

    private static BigDecimal d(String s) {
        return s == null ? null : new BigDecimal(s);
    }

    private static PricingRule.Cost cost(String wholesale, String msrp) {
        return new PricingRule.Cost(d(wholesale), d("2"), d(msrp), null);
    }

    @Test
    void theSameCostChangesNothing() {
        // Priced at 15.60 on a landed cost of 12.00 (10 + 2 shipping), 30% markup.
        assertInstanceOf(
                Repricing.Unchanged.class,
                Repricing.decide(new Pricer(MARKUP_30, null, null), cost("10", null), d("15.6"), null, d("12.00")));
    }

    @Test
    void aMoveWithinTheToleranceGoesLive() {
        Repricing.Outcome o =
                Repricing.decide(new Pricer(MARKUP_30, null, null), cost("10.50", null), d("15.60"), null, d("12.00"));
        Repricing.GoesLive live = assertInstanceOf(Repricing.GoesLive.class, o);
        assertEquals(d("16.25"), live.quote().price()); // 4.17% more: within 10%
    }

    @Test
    void aMoveBeyondTheToleranceWaitsForTheRetailer() {
        Repricing.Outcome o =
                Repricing.decide(new Pricer(MARKUP_30, null, null), cost("13", null), d("15.60"), null, d("12.00"));
        Repricing.Waits waits = assertInstanceOf(Repricing.Waits.class, o);
        assertEquals(d("19.50"), waits.proposed().price());
        assertEquals(d("25.00"), waits.changePercent());
        assertEquals("moves the price by 25%, beyond the retailer's 10% tolerance", waits.reason());
    }

    @Test
    void theListingsOwnRuleSetsItsTolerance() {
        PricingRule wide = new PricingRule(PricingRule.Method.MARKUP_PERCENT, d("30"), null, true, true, null, d("50"));
        assertInstanceOf(
                Repricing.GoesLive.class,
                Repricing.decide(new Pricer(MARKUP_30, wide, null), cost("13", null), d("15.60"), null, d("12.00")));
    }

    @Test
    void aSamePriceWithAnotherCostOrCompareAtIsKeptAndOnlyAShownChangeIsPublished() {
        PricingRule ending =
                new PricingRule(PricingRule.Method.MARKUP_PERCENT, d("30"), null, true, true, d("0.99"), d("10"));
        Pricer pricer = new Pricer(ending, null, null);
        // 12.10 landed: 15.73, ends at 15.99 as before; only the landed cost moved.
        Repricing.Refreshed kept = assertInstanceOf(
                Repricing.Refreshed.class, Repricing.decide(pricer, cost("10.10", null), d("15.99"), null, d("12.00")));
        assertFalse(kept.shownChanged());
        // The supplier's MSRP is now above the price: the store shows it as the compare-at price.
        Repricing.Refreshed shown = assertInstanceOf(
                Repricing.Refreshed.class, Repricing.decide(pricer, cost("10", "24"), d("15.99"), null, d("12.00")));
        assertTrue(shown.shownChanged());
        assertEquals(d("24.00"), shown.quote().compareAtPrice());
    }

    @Test
    void aFixedPriceTheNewCostBreaksWaitsWithTheLeastPriceTheGuardsAllow() {
        Repricing.Outcome o = Repricing.decide(
                new Pricer(MARKUP_30, null, d("13.00")), cost("12", null), d("13.00"), null, d("12.00"));
        Repricing.Waits waits = assertInstanceOf(Repricing.Waits.class, o);
        assertEquals(d("14.01"), waits.proposed().price());
        assertEquals(
                "the fixed price 13.00 does not cover the landed cost 14.00 at the new cost 14.00;"
                        + " proposed: the least price the rule's guards allow",
                waits.reason());
    }

    @Test
    void aCostTheRuleCannotPriceWaitsWithItsReason() {
        PricingRule capped =
                new PricingRule(PricingRule.Method.MARKUP_PERCENT, d("30"), d("40"), true, true, null, d("10"));
        Repricing.Outcome o =
                Repricing.decide(new Pricer(capped, null, null), cost("10", "14"), d("13.99"), null, d("12.00"));
        Repricing.Waits waits = assertInstanceOf(Repricing.Waits.class, o);
        assertEquals(waits.proposed().problem(), waits.reason());
        assertTrue(waits.reason() != null && !waits.reason().isBlank());
    }
}
