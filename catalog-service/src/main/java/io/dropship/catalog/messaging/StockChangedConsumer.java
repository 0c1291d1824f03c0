package io.dropship.catalog.messaging;

import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Keeps the catalog's view of which products are in stock, for the retailer's in-stock filter. The available
 * quantity goes to its own table (a later change never loses to an earlier one); the product row changes only
 * when the product runs out or comes back.
 *
 * <p>A poll's worth at a time, in one statement: a supplier's bulk update publishes thousands of changes at once,
 * and a transaction each competed for the cores with the stores' own stock path. Only each product's newest change
 * in the batch counts; a redelivered batch changes nothing. A record that cannot be read goes to the dead-letter
 * topic and the rest of the batch is kept.
 */
@ApplicationScoped
public class StockChangedConsumer {

    static final String CHANNEL = "stock-changed";

    public record StockChanged(String supplierId, String sku, Integer available, Instant changedAt) {}

    private final Pool pool;
    private final Inbox inbox;
    private final DeadLetters deadLetters;

    public StockChangedConsumer(Pool pool, Inbox inbox, DeadLetters deadLetters) {
        this.pool = pool;
        this.inbox = inbox;
        this.deadLetters = deadLetters;
    }

    public Uni<Void> stockChanged(ConsumerRecords<String, String> records) {
        Map<String, StockChanged> newest = new LinkedHashMap<>();
        Uni<Void> poison = deadLetters.readEach(CHANNEL, records, StockChanged.class, p -> {
            if (p.supplierId() == null || p.sku() == null || p.available() == null || p.changedAt() == null) {
                throw new PoisonMessageException("StockChanged lacks a field catalog-service needs");
            }
            newest.merge(
                    p.supplierId() + "\u0000" + p.sku(),
                    p,
                    (a, b) -> b.changedAt().isBefore(a.changedAt()) ? a : b);
        });
        if (newest.isEmpty()) {
            return poison;
        }
        List<String> suppliers = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        List<Integer> available = new ArrayList<>();
        List<java.time.OffsetDateTime> at = new ArrayList<>();
        newest.values().forEach(p -> {
            suppliers.add(p.supplierId());
            skus.add(p.sku());
            available.add(p.available());
            at.add(p.changedAt().atOffset(java.time.ZoneOffset.UTC));
        });
        return poison.chain(() -> inbox.retrying(
                inbox.consumerOf(CHANNEL),
                "a StockChanged batch of " + newest.size() + " products",
                () -> pool.preparedQuery("""
                                with st as (
                                  insert into stock_view (supplier_id, sku, available, changed_at)
                                  select * from unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[])
                                  on conflict (supplier_id, sku) do update set available = excluded.available,
                                      changed_at = excluded.changed_at
                                  where stock_view.changed_at <= excluded.changed_at
                                  returning supplier_id, sku, available
                                )
                                update supplier_product p set in_stock = (st.available > 0) from st
                                where p.supplier_id = st.supplier_id and p.sku = st.sku
                                  and p.in_stock <> (st.available > 0)""")
                        .execute(Tuple.tuple()
                                .addArrayOfString(suppliers.toArray(String[]::new))
                                .addArrayOfString(skus.toArray(String[]::new))
                                .addArrayOfInteger(available.toArray(Integer[]::new))
                                .addArrayOfOffsetDateTime(at.toArray(java.time.OffsetDateTime[]::new)))
                        .replaceWithVoid()));
    }
}
