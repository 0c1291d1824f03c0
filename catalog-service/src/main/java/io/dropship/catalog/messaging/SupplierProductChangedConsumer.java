package io.dropship.catalog.messaging;

import io.dropship.catalog.listings.Listings;
import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Re-prices retailers' listings when a supplier changes a product: catalog-service reads its own
 * SupplierProductChanged, so the re-price happens once per change, after the change is committed, and is
 * retried like any other event. The listings are priced from the product as it is now, so a repeated, late or
 * coalesced event changes nothing more than the newest one would.
 *
 * <p>A poll's worth at a time: a million-row import publishes a million changes (SupplierProductsChanged events of up
 * to 200 on the same topic), and almost none of them stand behind a priced listing. One statement finds the products
 * of the batch that do; each of those is re-priced in a transaction of its own, so a product that cannot be re-priced
 * sends only the records it came in to the dead-letter topic (an import's record whole: its replay re-prices its
 * products from what they are then, which changes nothing for the others). A record that cannot be read goes there
 * too, and the rest of the batch is kept.
 */
@ApplicationScoped
public class SupplierProductChangedConsumer {

    static final String CHANNEL = "supplier-product-changed";

    public record SupplierProductChanged(String supplierId, String sku) {}

    /** An import's changed products, many to an event. */
    public record SupplierProductsChanged(List<SupplierProductChanged> products) {}

    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final Listings listings;
    private final Pool pool;
    private final Mutiny.SessionFactory sessions;

    public SupplierProductChangedConsumer(
            Inbox inbox, DeadLetters deadLetters, Listings listings, Pool pool, Mutiny.SessionFactory sessions) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.listings = listings;
        this.pool = pool;
        this.sessions = sessions;
    }

    @Incoming(CHANNEL)
    public Uni<Void> changed(ConsumerRecords<String, String> records) {
        // each product with the records it came in: a product that cannot be re-priced takes them to the DLT
        Map<SupplierProductChanged, Set<ConsumerRecord<String, String>>> products = new LinkedHashMap<>();
        Uni<Void> poison = deadLetters.readEach(
                CHANNEL,
                records,
                SupplierProductChanged.class,
                "SupplierProductsChanged",
                SupplierProductsChanged.class,
                SupplierProductsChanged::products,
                (record, p) -> {
                    if (p.supplierId() == null || p.sku() == null) {
                        throw new PoisonMessageException("SupplierProductChanged without supplierId or sku");
                    }
                    products.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(record);
                });
        if (products.isEmpty()) {
            return poison;
        }
        String consumer = inbox.consumerOf(CHANNEL);
        List<String> suppliers = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        products.keySet().forEach(p -> {
            suppliers.add(p.supplierId());
            skus.add(p.sku());
        });
        List<SupplierProductChanged> priced = new ArrayList<>();
        // a batch record goes to the DLT once, however many of its products fail (one at a time: concatenated)
        Set<ConsumerRecord<String, String>> deadLettered = new HashSet<>();
        return poison.chain(() -> inbox.retrying(
                        consumer,
                        "a SupplierProductChanged batch of " + products.size() + " products",
                        () -> pool.preparedQuery("""
                                        select distinct o.supplier_id, o.sku
                                        from unnest($1::text[], $2::text[]) as b(supplier_id, sku)
                                        join listing_offer o on o.supplier_id = b.supplier_id and o.sku = b.sku
                                                            and o.priority = 0
                                        join listing l on l.id = o.listing_id and l.retail_price is not null""")
                                .execute(Tuple.of(suppliers.toArray(String[]::new), skus.toArray(String[]::new)))
                                .invoke(rows -> {
                                    priced.clear();
                                    for (Row r : rows) {
                                        priced.add(new SupplierProductChanged(r.getString(0), r.getString(1)));
                                    }
                                })
                                .replaceWithVoid()))
                .chain(() -> Multi.createFrom()
                        .iterable(priced)
                        .onItem()
                        .transformToUniAndConcatenate(
                                p -> reprice(consumer, products.getOrDefault(p, Set.of()), p, deadLettered))
                        .collect()
                        .last()
                        .replaceWithVoid());
    }

    /**
     * Re-prices one product's listings; when that fails for good, the records it came in go to the DLT, those not sent
     * there already.
     */
    private Uni<Void> reprice(
            String consumer,
            Set<ConsumerRecord<String, String>> records,
            SupplierProductChanged p,
            Set<ConsumerRecord<String, String>> deadLettered) {
        return inbox.retrying(
                        consumer,
                        "re-pricing the listings of " + p.supplierId() + ":" + p.sku(),
                        () -> sessions.withTransaction(s -> listings.reprice(s, p.supplierId(), p.sku())))
                .onFailure()
                .recoverWithUni(e -> {
                    if (records.isEmpty()) {
                        // a product the batch did not name fails the batch rather than be lost
                        return Uni.createFrom().failure(e);
                    }
                    List<Uni<Void>> dead = new ArrayList<>();
                    for (var record : records) {
                        if (deadLettered.add(record)) {
                            dead.add(deadLetters.deadLetter(CHANNEL, record, String.valueOf(e.getMessage())));
                        }
                    }
                    return dead.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : Uni.join().all(dead).andFailFast().replaceWithVoid();
                });
    }
}
