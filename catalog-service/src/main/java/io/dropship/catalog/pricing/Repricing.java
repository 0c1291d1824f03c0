package io.dropship.catalog.pricing;

import java.math.BigDecimal;

/**
 * What a supplier's new cost does to a priced listing (the pricing tolerance decision). The listing is re-priced from
 * the product as it is now, so a late or repeated event decides the same. Within the retailer's tolerance the new
 * price goes live by itself; beyond it, when the rule can no longer price the product, or when the listing has a
 * fixed price the new cost no longer allows, the change waits for the retailer.
 */
public final class Repricing {

    private Repricing() {}

    public sealed interface Outcome permits Unchanged, Refreshed, GoesLive, Waits {}

    /** Nothing the listing shows or keeps moves. */
    public record Unchanged() implements Outcome {}

    /**
     * The price stays; its compare-at price or landed cost moved and are kept. {@code shownChanged}: the compare-at
     * price the store shows moved, so the stores are told.
     */
    public record Refreshed(PricingRule.Quote quote, boolean shownChanged) implements Outcome {}

    /** The new price is within the retailer's tolerance and goes live. */
    public record GoesLive(PricingRule.Quote quote) implements Outcome {}

    /** The change waits for the retailer: the price proposed, how far it moves the price, and why it waits. */
    public record Waits(PricingRule.Quote proposed, BigDecimal changePercent, String reason) implements Outcome {}

    /**
     * Decides for a listing priced today at {@code price} (shown with {@code compareAtPrice}, landed at
     * {@code landedCost}) what the new {@code cost} does.
     */
    public static Outcome decide(
            Pricer pricer, PricingRule.Cost cost, BigDecimal price, BigDecimal compareAtPrice, BigDecimal landedCost) {
        PricingRule.Quote quote = pricer.quote(cost);
        if (quote.priced() && sameMoney(quote.price(), price)) {
            if (sameMoney(quote.compareAtPrice(), compareAtPrice) && sameMoney(quote.landedCost(), landedCost)) {
                return new Unchanged();
            }
            return new Refreshed(quote, !sameMoney(quote.compareAtPrice(), compareAtPrice));
        }
        // A fixed price the new cost no longer allows (its margin below the minimum, or under MAP or the cost) is never
        // moved by itself: the least price the guards allow waits for the retailer.
        PricingRule.Quote proposed = pricer.fixed() != null ? pricer.general().floor(cost) : quote;
        BigDecimal change = PricingRule.changePercent(price, proposed.price());
        if (pricer.fixed() == null && quote.priced() && change.compareTo(pricer.tolerance()) <= 0) {
            return new GoesLive(quote);
        }
        String reason = pricer.fixed() != null
                ? quote.problem() + " at the new cost " + quote.landedCost()
                        + "; proposed: the least price the rule's guards allow"
                : quote.priced()
                        ? "moves the price by " + change.stripTrailingZeros().toPlainString()
                                + "%, beyond the retailer's "
                                + pricer.tolerance().stripTrailingZeros().toPlainString() + "% tolerance"
                        : quote.problem();
        return new Waits(proposed, change, reason);
    }

    /** Two amounts of money are the same whatever their scale; null is the same only as null. */
    public static boolean sameMoney(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }
}
