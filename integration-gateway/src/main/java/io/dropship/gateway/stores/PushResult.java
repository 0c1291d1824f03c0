package io.dropship.gateway.stores;

import java.time.Duration;

/** What came of a call to a store: done, worth retrying (after a wait the store may have named), or failed for good. */
public sealed interface PushResult {

    record Done(String reference, String detail) implements PushResult {}

    record Retry(Duration after, String error) implements PushResult {}

    record Failed(String error) implements PushResult {}

    /** A product the store created or updated for a listing, with the store's own ids for it. */
    record Listed(String productId, String variantId, String inventoryItemId) implements PushResult {}

    /**
     * The store refused to create the product because it already holds one for the listing's SKU (a create whose
     * answer was lost, or the retailer's own product): its id is kept, and the listing is pushed again as an update.
     */
    record Found(String productId) implements PushResult {}

    /** The store's quantity was not the one the call expected (compare-and-set): nothing was changed. */
    record Stale(String error) implements PushResult {}

    static PushResult retry(String error) {
        return new Retry(null, error);
    }
}
