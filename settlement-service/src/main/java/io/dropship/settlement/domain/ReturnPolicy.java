package io.dropship.settlement.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * A supplier's return policy and what it gives back. Returns are taken within {@code windowDays} of shipping; for
 * the goods returned the supplier gives back their wholesale less its restocking fee, plus their share of the
 * supplier order's shipping when it refunds shipping. Each amount is rounded once to what the currency is charged in.
 *
 * @param returnShippingPaidBy who pays for the parcel back: RETAILER or SUPPLIER (its instructions say how)
 */
public record ReturnPolicy(
        boolean acceptsReturns,
        int windowDays,
        boolean refundShipping,
        BigDecimal restockingFeePercent,
        String returnShippingPaidBy) {

    /** A supplier's policy until it sets one: 30 days, wholesale only, no fee, the retailer pays the parcel back. */
    public static final ReturnPolicy DEFAULT = new ReturnPolicy(true, 30, false, BigDecimal.ZERO, "RETAILER");

    public ReturnPolicy {
        if (returnShippingPaidBy == null) {
            returnShippingPaidBy = "RETAILER";
        }
    }

    /** Why this policy does not take back a supplier order shipped at {@code shipped}, asked at {@code now}; null if it does. */
    public String refusal(String supplierId, Instant shipped, Instant now) {
        if (!acceptsReturns) {
            return "supplier " + supplierId + " does not take returns";
        }
        if (shipped.plus(Duration.ofDays(windowDays)).isBefore(now)) {
            return "supplier " + supplierId + " takes returns within " + windowDays
                    + " days of shipping; this one shipped " + shipped;
        }
        return null;
    }

    /** What a return gives back: the restocking fee kept, the shipping given back, and the amount in all. */
    public record GiveBack(BigDecimal restockingFee, BigDecimal shipping, BigDecimal amount) {}

    /**
     * What the supplier gives back for goods worth {@code goods} at wholesale: {@code units} of the supplier order's
     * {@code totalUnits}, whose shipping cost {@code shippingCost} (null: none) is shared by units.
     */
    public GiveBack giveBack(String currency, BigDecimal goods, long units, long totalUnits, BigDecimal shippingCost) {
        BigDecimal fee = CurrencyUnits.round(
                currency, goods.multiply(restockingFeePercent).movePointLeft(2));
        BigDecimal shipping = BigDecimal.ZERO;
        if (refundShipping && totalUnits > 0 && shippingCost != null) {
            shipping = CurrencyUnits.round(
                    currency,
                    shippingCost
                            .multiply(BigDecimal.valueOf(units))
                            .divide(BigDecimal.valueOf(totalUnits), 6, RoundingMode.HALF_UP));
        }
        return new GiveBack(fee, shipping, goods.subtract(fee).add(shipping));
    }
}
