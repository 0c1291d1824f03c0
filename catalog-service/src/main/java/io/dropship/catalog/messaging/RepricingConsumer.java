package io.dropship.catalog.messaging;

import io.dropship.catalog.listings.ListingBook;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Re-prices retailers' listings when a supplier changes a product: catalog-service reads its own
 * SupplierProductChanged, so the re-price happens once per change, after the change is committed, and is
 * retried like any other event. The listings are priced from the product as it is now, so a repeated or late
 * event changes nothing.
 */
@ApplicationScoped
public class RepricingConsumer {

    public record SupplierProductChanged(String supplierId, String sku) {
    }

    private final Inbox inbox;
    private final ListingBook listings;

    public RepricingConsumer(Inbox inbox, ListingBook listings) {
        this.inbox = inbox;
        this.listings = listings;
    }

    @Incoming("supplier-product-changed")
    public Uni<Void> changed(ConsumerRecord<String, String> record) {
        return inbox.apply("catalog-service.repricing", record, SupplierProductChanged.class, (s, e, p) -> {
            if (p.supplierId() == null || p.sku() == null) {
                throw new PoisonMessageException("SupplierProductChanged without supplierId or sku");
            }
            return listings.reprice(s, p.supplierId(), p.sku());
        });
    }
}
