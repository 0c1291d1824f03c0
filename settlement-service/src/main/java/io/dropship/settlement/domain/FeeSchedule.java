package io.dropship.settlement.domain;

import java.math.BigDecimal;

/**
 * The platform fee of a plan: {@code fixed + percent% of (wholesale + shipping)}, rounded half-up once, at the end,
 * to what the currency can be charged in ({@link CurrencyUnits#scale}: cents, or whole yen), so that the retailer's
 * charge, the supplier's payout and the fee always add up and each is an amount Stripe takes.
 */
public record FeeSchedule(BigDecimal fixedFee, BigDecimal percent) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public FeeSchedule {
        if (fixedFee.signum() < 0 || percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("a fee is a non-negative amount plus 0 to 100 percent");
        }
    }

    public BigDecimal feeFor(String currency, BigDecimal wholesale, BigDecimal shipping) {
        BigDecimal base = wholesale.add(shipping);
        if (base.signum() < 0) {
            throw new IllegalArgumentException("wholesale and shipping cannot be negative");
        }
        return CurrencyUnits.round(currency, fixedFee.add(base.multiply(percent).divide(HUNDRED)));
    }

    /** What each party gets from one supplier order. */
    public record Split(BigDecimal retailerCharge, BigDecimal supplierPayout, BigDecimal platformFee) {}

    public Split split(String currency, BigDecimal wholesale, BigDecimal shipping) {
        BigDecimal fee = feeFor(currency, wholesale, shipping);
        BigDecimal payout = CurrencyUnits.round(currency, wholesale.add(shipping));
        return new Split(payout.add(fee), payout, fee);
    }
}
