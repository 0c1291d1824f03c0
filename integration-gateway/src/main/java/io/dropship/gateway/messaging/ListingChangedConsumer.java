package io.dropship.gateway.messaging;

import io.dropship.gateway.listings.StoreListings;
import io.dropship.gateway.messaging.events.ListingChanged;
import io.dropship.gateway.stock.StockTargets;
import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A listing sold in a connected store becomes the store product the gateway owes it, synced after the commit.
 *
 * <p>It takes a poll's worth at a time in one transaction: the listings (one statement), then their offers and stock
 * targets (four). A retailer's listing import publishes thousands of ListingChanged at once, and one inbox transaction
 * per event (seven statements) took them in at 25 to 35 a second, so the stores waited minutes for products imported
 * in seconds. Within a batch only each listing's newest change counts, and a change older than the one kept changes
 * nothing, so a redelivered batch changes nothing. A record that is not a valid ListingChanged goes to the channel's
 * dead-letter topic and the rest of its batch is kept; a database outage holds the batch until the database is back.
 */
@ApplicationScoped
public class ListingChangedConsumer {

    static final String CHANNEL = "listing-changed";

    private final Pool pool;
    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final StoreListings listings;
    private final StockTargets stock;

    public ListingChangedConsumer(
            Pool pool, Inbox inbox, DeadLetters deadLetters, StoreListings listings, StockTargets stock) {
        this.pool = pool;
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.listings = listings;
        this.stock = stock;
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        Map<String, ListingChanged> newest = new LinkedHashMap<>();
        Uni<Void> deadLettered = deadLetters.readEach(CHANNEL, records, ListingChanged.class, listing -> {
            check(listing);
            if (listing.storeId() != null) {
                // Of two changes at the same instant the first is kept, as a second one would change nothing.
                newest.merge(
                        listing.listingId(), listing, (a, b) -> b.changedAt().isAfter(a.changedAt()) ? b : a);
            }
        });
        List<ListingChanged> batch = new ArrayList<>(newest.values());
        if (batch.isEmpty()) {
            return deadLettered;
        }
        return deadLettered.chain(() -> inbox.retrying(
                inbox.consumerOf(CHANNEL),
                "a ListingChanged batch of " + batch.size() + " listings",
                () -> pool.withTransaction(c -> listings.recordAll(c, batch)
                                .chain(recorded -> stock.offers(c, recorded, offers(batch, recorded))))
                        .invoke(() -> {
                            listings.workCommitted();
                            stock.workCommitted();
                        })));
    }

    private static void check(ListingChanged listing) {
        if (listing.listingId() == null
                || listing.retailerId() == null
                || listing.sku() == null
                || listing.title() == null
                || listing.changedAt() == null) {
            throw new PoisonMessageException("ListingChanged without listing id, retailer, SKU, title or time");
        }
        if (listing.storeId() != null && listing.price() == null) {
            throw new PoisonMessageException("ListingChanged for store " + listing.storeId() + " without a price");
        }
    }

    /** The supplier products behind the listings recorded, as their events name them. */
    private static List<StockTargets.Offer> offers(List<ListingChanged> batch, List<String> recorded) {
        java.util.Set<String> kept = new java.util.HashSet<>(recorded);
        List<StockTargets.Offer> offers = new ArrayList<>();
        for (ListingChanged l : batch) {
            if (kept.contains(l.listingId()) && l.offers() != null) {
                for (ListingChanged.Offer o : l.offers()) {
                    if (o != null && o.supplierProductId() != null) {
                        offers.add(new StockTargets.Offer(
                                l.listingId(), o.supplierProductId(), o.priority() == null ? 0 : o.priority()));
                    }
                }
            }
        }
        return offers;
    }
}
