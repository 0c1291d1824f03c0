package io.dropship.catalog.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.catalog.listings.Listings;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
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
public class SupplierProductChangedConsumer {

    public record SupplierProductChanged(String supplierId, String sku) {}

    private final Inbox inbox;
    private final Listings listings;
    private final Pool pool;
    private final ObjectMapper mapper;

    public SupplierProductChangedConsumer(Inbox inbox, Listings listings, Pool pool, ObjectMapper mapper) {
        this.inbox = inbox;
        this.listings = listings;
        this.pool = pool;
        this.mapper = mapper;
    }

    /**
     * Most product changes (a bulk import) stand behind no priced listing: one indexed look-up answers that, and the
     * event is done without an inbox row. Re-pricing reads the product as it is, so skipping is always safe.
     */
    @Incoming("supplier-product-changed")
    public Uni<Void> changed(ConsumerRecord<String, String> record) {
        SupplierProductChanged p;
        try {
            p = mapper.readValue(record.value(), SupplierProductChanged.class);
        } catch (Exception e) {
            p = null;
        }
        if (p == null || p.supplierId() == null || p.sku() == null) {
            return reprice(record);
        }
        return pool.preparedQuery("select exists (select 1 from listing_offer o join listing l on l.id = o.listing_id"
                        + " where o.supplier_id = $1 and o.sku = $2 and o.priority = 0 and l.retail_price is not null)")
                .execute(Tuple.of(p.supplierId(), p.sku()))
                .chain(rows -> rows.iterator().next().getBoolean(0)
                        ? reprice(record)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> reprice(ConsumerRecord<String, String> record) {
        return inbox.apply("supplier-product-changed", record, SupplierProductChanged.class, (s, e, p) -> {
            if (p.supplierId() == null || p.sku() == null) {
                throw new PoisonMessageException("SupplierProductChanged without supplierId or sku");
            }
            return listings.reprice(s, p.supplierId(), p.sku());
        });
    }
}
