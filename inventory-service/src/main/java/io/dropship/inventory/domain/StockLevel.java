package io.dropship.inventory.domain;

/** The stock of one supplier product, and what follows from it. */
public record StockLevel(String supplierId, String sku, int onHand, int reserved) {

    /** The supplier product's id across the fleet: the supplier and its SKU. */
    public String supplierProductId() {
        return supplierId + ":" + sku;
    }

    /** What can still be sold; never negative, even when a supplier reports less than is reserved. */
    public int available() {
        return Math.max(0, onHand - reserved);
    }
}
