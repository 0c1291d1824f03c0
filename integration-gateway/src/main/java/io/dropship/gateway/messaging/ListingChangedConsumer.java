package io.dropship.gateway.messaging;

import io.dropship.gateway.listings.StoreListings;
import io.dropship.gateway.messaging.events.ListingChanged;
import io.dropship.gateway.stock.StockTargets;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A listing sold in a connected store becomes the store product the gateway owes it, synced after the commit. */
@ApplicationScoped
public class ListingChangedConsumer {

    private final Inbox inbox;
    private final StoreListings listings;
    private final StockTargets stock;

    public ListingChangedConsumer(Inbox inbox, StoreListings listings, StockTargets stock) {
        this.inbox = inbox;
        this.listings = listings;
        this.stock = stock;
    }

    @Incoming("listing-changed")
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("listing-changed", record, ListingChanged.class, (s, e, listing) -> {
            if (listing.listingId() == null
                    || listing.retailerId() == null
                    || listing.sku() == null
                    || listing.title() == null
                    || listing.changedAt() == null) {
                throw new PoisonMessageException("ListingChanged without listing id, retailer, SKU, title or time");
            }
            if (listing.storeId() == null) {
                return Uni.createFrom().voidItem();
            }
            if (listing.price() == null) {
                throw new PoisonMessageException("ListingChanged for store " + listing.storeId() + " without a price");
            }
            List<ListingChanged.Offer> offers = listing.offers() == null
                    ? List.of()
                    : listing.offers().stream()
                            .filter(o -> o != null && o.supplierProductId() != null)
                            .toList();
            return listings.record(s, listing)
                    .chain(recorded -> !recorded
                            ? Uni.createFrom().voidItem()
                            : stock.offers(
                                    s,
                                    listing.listingId(),
                                    offers.stream()
                                            .map(ListingChanged.Offer::supplierProductId)
                                            .toList(),
                                    offers.stream()
                                            .map(o -> o.priority() == null ? 0 : o.priority())
                                            .toList()));
        });
    }
}
