package io.dropship.catalog.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * How a retailer prices what it lists: a markup on the landed cost (wholesale + shipping), then a minimum margin,
 * a price ending, the supplier's MAP as a floor and its MSRP as a cap. See {@link #price}.
 *
 * @param method           MARKUP_PERCENT (amount is a percentage), FIXED_AMOUNT (added) or MULTIPLIER (times)
 * @param minMarginPercent the least share of the price that is the retailer's, or null for none
 * @param capAtMsrp        never price above the supplier's MSRP
 * @param respectMap       never price below the supplier's minimum advertised price
 * @param priceEnding      the cents every price ends in, rounding up (0.99, 0.95, 0.00), or null to keep cents
 * @param tolerancePercent a re-price moving the price by more than this waits for the retailer's approval
 */
public record PricingRule(
        Method method,
        BigDecimal amount,
        BigDecimal minMarginPercent,
        boolean capAtMsrp,
        boolean respectMap,
        BigDecimal priceEnding,
        BigDecimal tolerancePercent) {

    public enum Method {
        MARKUP_PERCENT,
        FIXED_AMOUNT,
        MULTIPLIER
    }

    /** What a retailer gets until it sets its own: 30% over landed cost, ending in .99, within MAP and MSRP, 10% tolerance. */
    public static final PricingRule DEFAULT = new PricingRule(
            Method.MARKUP_PERCENT,
            new BigDecimal("30"),
            null,
            true,
            true,
            new BigDecimal("0.99"),
            new BigDecimal("10"));

    private static final BigDecimal HUNDRED = new BigDecimal("100");

    /** The price a product gets, or the reason it cannot be priced by this rule. */
    public record Quote(
            BigDecimal landedCost,
            BigDecimal price,
            BigDecimal compareAtPrice,
            BigDecimal marginPercent,
            List<String> steps,
            String problem) {
        public boolean priced() {
            return problem == null;
        }
    }

    /** The inputs of a price, from the primary offer. {@code msrp} and {@code mapPrice} may be null. */
    public record Cost(BigDecimal wholesalePrice, BigDecimal shippingCost, BigDecimal msrp, BigDecimal mapPrice) {
        public BigDecimal landed() {
            return wholesalePrice.add(shippingCost).setScale(2, RoundingMode.HALF_UP);
        }
    }

    /**
     * The price, in this order: the method on the landed cost; raised to the minimum margin; rounded up to the
     * ending; raised to MAP; capped at MSRP. A price that ends at or below the landed cost, or below the minimum
     * margin because MSRP capped it, is not a price: the quote names the problem.
     */
    public Quote price(Cost cost) {
        BigDecimal landed = cost.landed();
        List<String> steps = new ArrayList<>();
        BigDecimal price = switch (method) {
            case MARKUP_PERCENT -> landed.multiply(BigDecimal.ONE.add(amount.divide(HUNDRED)));
            case FIXED_AMOUNT -> landed.add(amount);
            case MULTIPLIER -> landed.multiply(amount);
        };
        price = price.setScale(2, RoundingMode.HALF_UP);
        steps.add(method + " " + amount.stripTrailingZeros().toPlainString() + " on landed cost " + landed + ": "
                + price);
        if (minMarginPercent != null && minMarginPercent.signum() > 0) {
            BigDecimal floor =
                    landed.divide(BigDecimal.ONE.subtract(minMarginPercent.divide(HUNDRED)), 2, RoundingMode.UP);
            if (price.compareTo(floor) < 0) {
                price = floor;
                steps.add("raised to the "
                        + minMarginPercent.stripTrailingZeros().toPlainString() + "% minimum margin: " + price);
            }
        }
        price = ending(price, steps);
        if (respectMap && cost.mapPrice() != null && price.compareTo(cost.mapPrice()) < 0) {
            price = cost.mapPrice().setScale(2, RoundingMode.HALF_UP);
            steps.add("raised to the MAP: " + price);
            price = ending(price, steps);
        }
        boolean capped = false;
        if (capAtMsrp && cost.msrp() != null && cost.msrp().signum() > 0 && price.compareTo(cost.msrp()) > 0) {
            price = cost.msrp().setScale(2, RoundingMode.HALF_UP);
            capped = true;
            steps.add("capped at the MSRP: " + price);
        }
        BigDecimal margin = price.signum() == 0
                ? BigDecimal.ZERO
                : price.subtract(landed).multiply(HUNDRED).divide(price, 2, RoundingMode.HALF_DOWN);
        BigDecimal compareAt = compareAt(cost.msrp(), price);
        String problem = null;
        if (price.compareTo(landed) <= 0) {
            problem = "the price " + price + " does not cover the landed cost " + landed
                    + (capped ? " (the MSRP caps it)" : "");
        } else if (capped && minMarginPercent != null && margin.compareTo(minMarginPercent) < 0) {
            problem = "the MSRP " + price + " leaves a "
                    + margin.stripTrailingZeros().toPlainString() + "% margin, below the "
                    + minMarginPercent.stripTrailingZeros().toPlainString() + "% minimum";
        }
        return new Quote(landed, price, compareAt, margin, List.copyOf(steps), problem);
    }

    /**
     * A listing's own rule as it applies: its method, ending and tolerance, under the retailer's general guards as well
     * as its own (MAP respected if either says so, MSRP capped if either does, the higher minimum margin).
     */
    public PricingRule within(PricingRule general) {
        BigDecimal margin = minMarginPercent == null
                ? general.minMarginPercent()
                : general.minMarginPercent() == null
                        ? minMarginPercent
                        : minMarginPercent.max(general.minMarginPercent());
        return new PricingRule(
                method,
                amount,
                margin,
                capAtMsrp || general.capAtMsrp(),
                respectMap || general.respectMap(),
                priceEnding,
                tolerancePercent);
    }

    /**
     * A price the retailer fixed, checked against this (general) rule's guards: it must cover the landed cost, not go
     * below the supplier's MAP (when MAP is respected), not above its MSRP (when capped), and leave the minimum margin.
     * A fixed price that breaks one is not a price: the quote names why.
     */
    public Quote fixed(BigDecimal price, Cost cost) {
        BigDecimal landed = cost.landed();
        BigDecimal p = price.setScale(2, RoundingMode.HALF_UP);
        BigDecimal margin = p.subtract(landed).multiply(HUNDRED).divide(p, 2, RoundingMode.HALF_DOWN);
        String problem = null;
        if (p.compareTo(landed) <= 0) {
            problem = "the fixed price " + p + " does not cover the landed cost " + landed;
        } else if (respectMap && cost.mapPrice() != null && p.compareTo(cost.mapPrice()) < 0) {
            problem = "the fixed price " + p + " is below the supplier's minimum advertised price "
                    + cost.mapPrice().setScale(2, RoundingMode.HALF_UP);
        } else if (capAtMsrp && cost.msrp() != null && cost.msrp().signum() > 0 && p.compareTo(cost.msrp()) > 0) {
            problem = "the fixed price " + p + " is above the supplier's MSRP "
                    + cost.msrp().setScale(2, RoundingMode.HALF_UP);
        } else if (minMarginPercent != null && margin.compareTo(minMarginPercent) < 0) {
            problem = "the fixed price " + p + " leaves a "
                    + margin.stripTrailingZeros().toPlainString() + "% margin, below the "
                    + minMarginPercent.stripTrailingZeros().toPlainString() + "% minimum";
        }
        return new Quote(landed, p, compareAt(cost.msrp(), p), margin, List.of("fixed by the retailer: " + p), problem);
    }

    /**
     * The least price this rule's guards allow for the cost (the landed cost and the minimum margin, then the ending and
     * MAP): what a fixed price that no longer meets them is proposed to become.
     */
    public Quote floor(Cost cost) {
        return new PricingRule(
                        Method.FIXED_AMOUNT,
                        new BigDecimal("0.01"),
                        minMarginPercent,
                        capAtMsrp,
                        respectMap,
                        priceEnding,
                        tolerancePercent)
                .price(cost);
    }

    /** Rounds up to the next price that ends in the ending: 23.10 with .99 is 23.99, 23.995 is 24.99. */
    private BigDecimal ending(BigDecimal price, List<String> steps) {
        if (priceEnding == null) {
            return price;
        }
        BigDecimal ended = price.setScale(0, RoundingMode.FLOOR).add(priceEnding);
        if (ended.compareTo(price) < 0) {
            ended = ended.add(BigDecimal.ONE);
        }
        ended = ended.setScale(2, RoundingMode.UNNECESSARY);
        if (ended.compareTo(price) != 0) {
            steps.add("ending " + priceEnding + ": " + ended);
        }
        return ended;
    }

    /** The rule's own consistency; each problem is a sentence for the caller. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (method == null) {
            out.add("method is one of MARKUP_PERCENT, FIXED_AMOUNT, MULTIPLIER");
            return out;
        }
        switch (method) {
            case MARKUP_PERCENT -> {
                if (amount.signum() < 0 || amount.compareTo(new BigDecimal("1000")) > 0) {
                    out.add("a markup percent is between 0 and 1000");
                }
            }
            case FIXED_AMOUNT -> {
                if (amount.signum() < 0 || amount.compareTo(new BigDecimal("100000")) > 0) {
                    out.add("a fixed amount is between 0 and 100000");
                }
            }
            case MULTIPLIER -> {
                if (amount.compareTo(BigDecimal.ONE) < 0 || amount.compareTo(new BigDecimal("20")) > 0) {
                    out.add("a multiplier is between 1 and 20");
                }
            }
        }
        if (minMarginPercent != null
                && (minMarginPercent.signum() < 0 || minMarginPercent.compareTo(new BigDecimal("95")) > 0)) {
            out.add("minMarginPercent is between 0 and 95");
        }
        if (priceEnding != null
                && (priceEnding.signum() < 0
                        || priceEnding.compareTo(new BigDecimal("0.99")) > 0
                        || priceEnding.scale() > 2)) {
            out.add("priceEnding is the cents a price ends in, from 0.00 to 0.99");
        }
        if (tolerancePercent.signum() < 0 || tolerancePercent.compareTo(new BigDecimal("1000")) > 0) {
            out.add("tolerancePercent is between 0 and 1000");
        }
        return out;
    }

    /** The MSRP as the store's compare-at price, when it is above the price. */
    public static BigDecimal compareAt(BigDecimal msrp, BigDecimal price) {
        return msrp != null && msrp.compareTo(price) > 0 ? msrp.setScale(2, RoundingMode.HALF_UP) : null;
    }

    /** How far a price moves, as a percentage of the old price (100 when there was none). */
    public static BigDecimal changePercent(BigDecimal oldPrice, BigDecimal newPrice) {
        if (oldPrice == null || oldPrice.signum() == 0) {
            return HUNDRED;
        }
        return newPrice.subtract(oldPrice).abs().multiply(HUNDRED).divide(oldPrice, 2, RoundingMode.HALF_UP);
    }
}
