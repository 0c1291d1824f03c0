package io.dropship.catalog.messaging;

import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * What sells across the platform: each routed order line (order-service's SupplierOrderRouted) counts its quantity for
 * the supplier product it went to, once per order line and product; a reship at no charge is not a sale.
 *
 * <p>A poll's worth at a time, in one statement (the channel's fetch waits up to a second for more, so a poll carries
 * many orders' routings rather than one): the sale's key (order, line, product) is the deduplication, so a redelivered
 * event or batch counts nothing twice. A record that cannot be read goes to the dead-letter topic and the rest of the
 * batch is kept; a database outage holds the batch until the database is back.
 */
@ApplicationScoped
public class SupplierOrderRoutedConsumer {

    /** Its handler's name in the projections channel: its inbox name is catalog-service.sales. */
    static final String CHANNEL = "sales";

    public record SupplierOrderRouted(
            UUID orderId, String supplierId, List<Line> lines, Instant routedAt, Boolean noCharge) {
        public record Line(String lineId, String sku, Integer quantity) {}
    }

    private final Pool pool;
    private final Inbox inbox;
    private final DeadLetters deadLetters;

    public SupplierOrderRoutedConsumer(Pool pool, Inbox inbox, DeadLetters deadLetters) {
        this.pool = pool;
        this.inbox = inbox;
        this.deadLetters = deadLetters;
    }

    public Uni<Void> routed(ConsumerRecords<String, String> records) {
        List<UUID> orders = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<String> suppliers = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        List<Integer> quantities = new ArrayList<>();
        List<OffsetDateTime> soldAt = new ArrayList<>();
        Uni<Void> deadLettered = deadLetters.readEach(CHANNEL, records, SupplierOrderRouted.class, p -> {
            if (p.orderId() == null || p.supplierId() == null || p.lines() == null) {
                throw new PoisonMessageException("SupplierOrderRouted lacks its order, supplier or lines");
            }
            if (Boolean.TRUE.equals(p.noCharge())) {
                return;
            }
            OffsetDateTime at = (p.routedAt() == null ? Instant.now() : p.routedAt()).atOffset(ZoneOffset.UTC);
            for (SupplierOrderRouted.Line l : p.lines()) {
                if (l == null || l.lineId() == null || l.sku() == null || l.quantity() == null || l.quantity() <= 0) {
                    continue;
                }
                orders.add(p.orderId());
                lines.add(l.lineId());
                suppliers.add(p.supplierId());
                skus.add(l.sku());
                quantities.add(l.quantity());
                soldAt.add(at);
            }
        });
        if (orders.isEmpty()) {
            return deadLettered;
        }
        Tuple values = Tuple.tuple()
                .addArrayOfUUID(orders.toArray(UUID[]::new))
                .addArrayOfString(lines.toArray(String[]::new))
                .addArrayOfString(suppliers.toArray(String[]::new))
                .addArrayOfString(skus.toArray(String[]::new))
                .addArrayOfInteger(quantities.toArray(Integer[]::new))
                .addArrayOfOffsetDateTime(soldAt.toArray(OffsetDateTime[]::new));
        return deadLettered.chain(() -> inbox.retrying(
                inbox.consumerOf(CHANNEL),
                "a SupplierOrderRouted batch of " + orders.size() + " sold lines",
                () -> pool.preparedQuery("insert into product_sale (order_id, line_id, supplier_id, sku, quantity,"
                                + " sold_at) select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[],"
                                + " $5::int[], $6::timestamptz[]) on conflict do nothing")
                        .execute(values)
                        .replaceWithVoid()));
    }
}
