package io.dropship.catalog.messaging;

import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * What sells across the platform: each routed order line (order-service's SupplierOrderRouted) counts its quantity for
 * the supplier product it went to, once per order line and product; a reship at no charge is not a sale.
 */
@ApplicationScoped
public class SupplierOrderRoutedConsumer {

    public record SupplierOrderRouted(
            UUID orderId, String supplierId, List<Line> lines, Instant routedAt, Boolean noCharge) {
        public record Line(String lineId, String sku, Integer quantity) {}
    }

    private final Inbox inbox;

    public SupplierOrderRoutedConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    @Incoming("supplier-order-routed")
    public Uni<Void> routed(ConsumerRecord<String, String> record) {
        return inbox.apply("supplier-order-routed", record, SupplierOrderRouted.class, (s, e, p) -> {
            if (p.orderId() == null || p.supplierId() == null || p.lines() == null) {
                throw new PoisonMessageException("SupplierOrderRouted lacks its order, supplier or lines");
            }
            if (Boolean.TRUE.equals(p.noCharge())) {
                return Uni.createFrom().voidItem();
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (SupplierOrderRouted.Line l : p.lines()) {
                if (l.lineId() == null || l.sku() == null || l.quantity() == null || l.quantity() <= 0) {
                    continue;
                }
                chain = chain.chain(() -> s.createNativeQuery(
                                "insert into product_sale (order_id, line_id, supplier_id, sku,"
                                        + " quantity, sold_at) values (:orderId, :line, :supplierId, :sku, :q, :at) on conflict do nothing")
                        .setParameter("orderId", p.orderId())
                        .setParameter("line", l.lineId())
                        .setParameter("supplierId", p.supplierId())
                        .setParameter("sku", l.sku())
                        .setParameter("q", l.quantity())
                        .setParameter(
                                "at", (p.routedAt() == null ? Instant.now() : p.routedAt()).atOffset(ZoneOffset.UTC))
                        .executeUpdate()
                        .replaceWithVoid());
            }
            return chain;
        });
    }
}
