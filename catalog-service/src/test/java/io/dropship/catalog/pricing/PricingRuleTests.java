package io.dropship.catalog.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PricingRuleTests {

    private static BigDecimal d(String s) {
        return s == null ? null : new BigDecimal(s);
    }

    private static PricingRule rule(PricingRule.Method m, String amount, String minMargin, String ending) {
        return new PricingRule(m, d(amount), d(minMargin), true, true, d(ending), d("10"));
    }

    private static PricingRule.Cost cost(String wholesale, String shipping, String msrp, String map) {
        return new PricingRule.Cost(d(wholesale), d(shipping), d(msrp), d(map));
    }

    @Test
    void eachMethodWorksOnTheLandedCost() {
        // landed 10.00 + 2.00 = 12.00
        assertEquals(
                d("15.60"),
                rule(PricingRule.Method.MARKUP_PERCENT, "30", null, null)
                        .price(cost("10", "2", null, null))
                        .price());
        assertEquals(
                d("17.00"),
                rule(PricingRule.Method.FIXED_AMOUNT, "5", null, null)
                        .price(cost("10", "2", null, null))
                        .price());
        assertEquals(
                d("30.00"),
                rule(PricingRule.Method.MULTIPLIER, "2.5", null, null)
                        .price(cost("10", "2", null, null))
                        .price());
        assertEquals(
                d("12.00"),
                rule(PricingRule.Method.MARKUP_PERCENT, "30", null, null)
                        .price(cost("10", "2", null, null))
                        .landedCost());
    }

    @Test
    void endingsRoundUpToTheNextPriceEndingThatWay() {
        assertEquals(
                d("15.99"),
                rule(PricingRule.Method.MARKUP_PERCENT, "30", null, "0.99")
                        .price(cost("10", "2", null, null))
                        .price());
        assertEquals(
                d("16.95"),
                rule(PricingRule.Method.FIXED_AMOUNT, "4.90", null, "0.95")
                        .price(cost("10", "2", null, null))
                        .price());
        assertEquals(
                d("16.00"),
                rule(PricingRule.Method.FIXED_AMOUNT, "3.01", null, "0.00")
                        .price(cost("10", "2", null, null))
                        .price());
        // Already on the ending: unchanged.
        assertEquals(
                d("15.99"),
                rule(PricingRule.Method.FIXED_AMOUNT, "3.99", null, "0.99")
                        .price(cost("10", "2", null, null))
                        .price());
    }

    @Test
    void theMinimumMarginRaisesALowMarkup() {
        PricingRule.Quote q =
                rule(PricingRule.Method.FIXED_AMOUNT, "1", "25", null).price(cost("10", "2", null, null));
        assertEquals(d("16.00"), q.price()); // 12 / (1 - 0.25)
        assertEquals(d("25.00"), q.marginPercent());
        assertTrue(q.steps().stream().anyMatch(s -> s.contains("minimum margin")));
    }

    @Test
    void mapIsAFloorAndMsrpACapWhichAlsoBecomesTheCompareAtPrice() {
        PricingRule markup = rule(PricingRule.Method.MARKUP_PERCENT, "30", null, "0.99");
        PricingRule.Quote floor = markup.price(cost("10", "2", "30", "19.95"));
        assertEquals(d("19.99"), floor.price());
        assertEquals(d("30.00"), floor.compareAtPrice());
        PricingRule.Quote capped =
                rule(PricingRule.Method.MULTIPLIER, "3", null, "0.99").price(cost("10", "2", "29.50", null));
        assertEquals(d("29.50"), capped.price());
        assertNull(capped.compareAtPrice());
        assertTrue(capped.priced());
        // A rule that ignores MAP and MSRP prices by its method alone.
        PricingRule free = new PricingRule(PricingRule.Method.MULTIPLIER, d("3"), null, false, false, null, d("10"));
        assertEquals(d("36.00"), free.price(cost("10", "2", "29.50", "40")).price());
    }

    @Test
    void aPriceTheRuleCannotSetIsNotAPrice() {
        PricingRule.Quote belowMargin =
                rule(PricingRule.Method.MARKUP_PERCENT, "30", "25", "0.99").price(cost("10", "2", "14.00", null));
        assertFalse(belowMargin.priced());
        assertTrue(belowMargin.problem().contains("below the 25% minimum"), belowMargin.problem());
        PricingRule.Quote loss =
                rule(PricingRule.Method.MARKUP_PERCENT, "30", null, null).price(cost("10", "2", "11.00", null));
        assertFalse(loss.priced());
        assertTrue(loss.problem().contains("does not cover the landed cost 12.00"), loss.problem());
        PricingRule.Quote zero =
                rule(PricingRule.Method.MARKUP_PERCENT, "0", null, null).price(cost("10", "2", null, null));
        assertFalse(zero.priced());
    }

    @Test
    void aRuleNamesWhatIsWrongWithIt() {
        assertEquals(
                1,
                new PricingRule(PricingRule.Method.MULTIPLIER, d("0.5"), null, true, true, null, d("10"))
                        .problems()
                        .size());
        assertEquals(
                2,
                new PricingRule(PricingRule.Method.MARKUP_PERCENT, d("30"), d("99"), true, true, d("1.50"), d("10"))
                        .problems()
                        .size());
        assertTrue(PricingRule.DEFAULT.problems().isEmpty());
        assertEquals(d("10.00"), PricingRule.changePercent(d("20.00"), d("22.00")));
        assertEquals(d("100"), PricingRule.changePercent(null, d("22.00")));
    }
}
