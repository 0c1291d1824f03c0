package io.dropship.order.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.order.messaging.events.CatalogEvents;
import io.dropship.order.service.HeldOrders;
import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Inventory's stock levels, read for one thing: a supplier product with stock available again lets the held orders a
 * refusal for want of it stopped be routed again (HeldOrders). Order-service keeps no stock of its own.
 *
 * <p>A poll's worth at a time (a supplier's bulk update publishes thousands of changes at once): the products of the
 * batch with stock free the held orders they could serve in one statement and one transaction. A record that cannot
 * be read goes to the dead-letter topic and the rest of the batch is kept.
 */
@ApplicationScoped
public class StockChangedConsumer {

    static final String CHANNEL = "stock-changed";

    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final Mutiny.SessionFactory sessions;
    private final HeldOrders held;
    private final ObjectMapper mapper;

    public StockChangedConsumer(
            Inbox inbox,
            DeadLetters deadLetters,
            Mutiny.SessionFactory sessions,
            HeldOrders held,
            ObjectMapper mapper) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.sessions = sessions;
        this.held = held;
        this.mapper = mapper;
    }

    public Uni<Void> on(ConsumerRecords<String, String> records) {
        Map<String, Map<String, String>> available = new LinkedHashMap<>();
        Uni<Void> poison = deadLetters.readEach(CHANNEL, records, CatalogEvents.StockChanged.class, p -> {
            if (p.supplierId() == null || p.sku() == null || p.available() == null) {
                throw new PoisonMessageException("StockChanged lacks a supplier, a SKU or the available quantity");
            }
            if (p.available() > 0) {
                available.put(
                        p.supplierId() + "\u0000" + p.sku(), Map.of("supplierId", p.supplierId(), "sku", p.sku()));
            }
        });
        if (available.isEmpty()) {
            return poison;
        }
        String products;
        try {
            products = mapper.writeValueAsString(available.values());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return poison.chain(() -> inbox.retrying(
                inbox.consumerOf(CHANNEL),
                "a StockChanged batch of " + available.size() + " products with stock",
                () -> sessions.withTransaction(s -> held.afterStocks(s, products, available.size()))
                        .replaceWithVoid()));
    }
}
