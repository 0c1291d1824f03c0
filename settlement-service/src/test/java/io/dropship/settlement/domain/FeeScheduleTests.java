package io.dropship.settlement.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FeeScheduleTests {

    private static BigDecimal d(String v) {
        return new BigDecimal(v);
    }

    @Test
    void theFeeIsTheFixedPartPlusThePercentageOfWholesaleAndShipping() {
        assertEquals(d("0.98"), new FeeSchedule(d("0.50"), d("3")).feeFor("USD", d("12.40"), d("3.50")));
    }

    @Test
    void theFeeIsRoundedHalfUpToTheCentOnce() {
        // 2.5% of 10.10 = 0.2525 -> 0.25; 2.5% of 10.30 = 0.2575 -> 0.26
        assertEquals(d("0.25"), new FeeSchedule(d("0"), d("2.5")).feeFor("USD", d("10.10"), d("0")));
        assertEquals(d("0.26"), new FeeSchedule(d("0"), d("2.5")).feeFor("USD", d("10.30"), d("0")));
    }

    @Test
    void theRetailerPaysExactlyWhatTheSupplierGetsPlusTheFee() {
        FeeSchedule.Split split = new FeeSchedule(d("0.30"), d("2")).split("USD", d("12.40"), d("3.50"));
        assertEquals(d("15.90"), split.supplierPayout());
        assertEquals(d("0.62"), split.platformFee());
        assertEquals(split.supplierPayout().add(split.platformFee()), split.retailerCharge());
    }

    @Test
    void aNegativeFeeOrAPercentageOverAHundredIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FeeSchedule(d("-1"), d("2")));
        assertThrows(IllegalArgumentException.class, () -> new FeeSchedule(d("0"), d("101")));
        assertThrows(
                IllegalArgumentException.class, () -> new FeeSchedule(d("0"), d("2")).feeFor("USD", d("-5"), d("0")));
    }

    @Test
    void aZeroDecimalCurrencyIsChargedInWholeUnits() {
        // 2.5% of 1,210 yen = 30.25 yen: Stripe takes whole yen only
        FeeSchedule.Split split = new FeeSchedule(d("0"), d("2.5")).split("JPY", d("1200"), d("10"));
        assertEquals(d("30"), split.platformFee());
        assertEquals(d("1210"), split.supplierPayout());
        assertEquals(d("1240"), split.retailerCharge());
    }
}
