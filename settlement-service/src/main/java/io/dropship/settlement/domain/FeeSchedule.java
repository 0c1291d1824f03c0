package io.dropship.settlement.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The platform fee of a plan: {@code fixed + percent% of (wholesale + shipping)}, rounded half-up to the
 * cent once, at the end, so that the retailer's charge, the supplier's payout and the fee always add up.
 */
public record FeeSchedule(BigDecimal fixedFee, BigDecimal percent) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public FeeSchedule {
        if (fixedFee.signum() < 0 || percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("a fee is a non-negative amount plus 0 to 100 percent");
        }
    }

    public BigDecimal feeFor(BigDecimal wholesale, BigDecimal shipping) {
        BigDecimal base = wholesale.add(shipping);
        if (base.signum() < 0) {
            throw new IllegalArgumentException("wholesale and shipping cannot be negative");
        }
        return fixedFee.add(base.multiply(percent).divide(HUNDRED)).setScale(2, RoundingMode.HALF_UP);
    }

    /** What each party gets from one supplier order. */
    public record Split(BigDecimal retailerCharge, BigDecimal supplierPayout, BigDecimal platformFee) {
    }

    public Split split(BigDecimal wholesale, BigDecimal shipping) {
        BigDecimal fee = feeFor(wholesale, shipping);
        BigDecimal payout = wholesale.add(shipping).setScale(2, RoundingMode.HALF_UP);
        return new Split(payout.add(fee), payout, fee);
    }
}
