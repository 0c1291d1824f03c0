package io.dropship.inventory.domain;

/**
 * What stores are shown of a supplier's stock: a share of what is available, rounded down, so that a few units are
 * held back against the moments between a sale in a store and its reservation here. Below the low-stock threshold a
 * product is flagged low.
 */
public record StockPolicy(int showPercent, int lowStockThreshold) {

    public StockPolicy {
        if (showPercent < 0 || showPercent > 100) {
            throw new IllegalArgumentException("showPercent is between 0 and 100");
        }
        if (lowStockThreshold < 0) {
            throw new IllegalArgumentException("lowStockThreshold is not negative");
        }
    }

    /** The quantity stores may show: {@code floor(available * showPercent / 100)}. */
    public int shown(int available) {
        return (int) ((long) Math.max(0, available) * showPercent / 100);
    }

    public boolean isLow(int available) {
        return available < lowStockThreshold;
    }
}
