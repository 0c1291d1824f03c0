package io.dropship.catalog.pricing;

import java.math.BigDecimal;

/**
 * How one listing is priced: the retailer's fixed price (checked against its general rule's guards), a rule of the
 * listing's own (within those guards), or the retailer's general rule.
 *
 * @param general the retailer's pricing rule
 * @param own     the listing's own rule, or null
 * @param fixed   the retailer's fixed price for the listing, or null
 */
public record Pricer(PricingRule general, PricingRule own, BigDecimal fixed) {

    public PricingRule.Quote quote(PricingRule.Cost cost) {
        return fixed != null
                ? general.fixed(fixed, cost)
                : own != null ? own.within(general).price(cost) : general.price(cost);
    }

    /** A re-price moving the price by more than this percentage waits for the retailer. */
    public BigDecimal tolerance() {
        return (own != null ? own : general).tolerancePercent();
    }

    /** What prices the listing, as the retailer is told. */
    public String name() {
        return fixed != null ? "fixed price" : own != null ? "listing's own pricing rule" : "pricing rule";
    }
}
