package io.dropship.gateway.messaging;

import io.dropship.gateway.listings.StoreListings;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A listing sold in a connected store becomes the store product the gateway owes it, synced after the commit. */
@ApplicationScoped
public class ListingChangedConsumer {

    private final Inbox inbox;
    private final StoreListings listings;

    public ListingChangedConsumer(Inbox inbox, StoreListings listings) {
        this.inbox = inbox;
        this.listings = listings;
    }

    @Incoming("listing-changed")
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("integration-gateway.listing-changed", record, ListingChanged.class, (s, e, listing) -> {
            if (listing.listingId() == null || listing.retailerId() == null || listing.sku() == null
                    || listing.title() == null || listing.changedAt() == null) {
                throw new PoisonMessageException("ListingChanged without listing id, retailer, SKU, title or time");
            }
            if (listing.storeId() == null) {
                return Uni.createFrom().voidItem();
            }
            if (listing.price() == null) {
                throw new PoisonMessageException("ListingChanged for store " + listing.storeId() + " without a price");
            }
            return listings.record(s, listing);
        });
    }
}
