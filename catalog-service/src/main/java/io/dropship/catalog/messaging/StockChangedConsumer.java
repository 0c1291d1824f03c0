package io.dropship.catalog.messaging;

import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the catalog's view of which products are in stock, for the retailer's in-stock filter. The available
 * quantity goes to its own table (a later change never loses to an earlier one); the product row changes only
 * when the product runs out or comes back.
 */
@ApplicationScoped
public class StockChangedConsumer {

    public record StockChanged(String supplierId, String sku, Integer available, Instant changedAt) {}

    private final Inbox inbox;

    public StockChangedConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    @Incoming("stock-changed")
    public Uni<Void> stockChanged(ConsumerRecord<String, String> record) {
        return inbox.apply("stock-changed", record, StockChanged.class, (s, e, p) -> {
            if (p.supplierId() == null || p.sku() == null || p.available() == null || p.changedAt() == null) {
                throw new PoisonMessageException("StockChanged lacks a field catalog-service needs");
            }
            return s.createNativeQuery("""
                            with st as (
                              insert into stock_view (supplier_id, sku, available, changed_at) values (:sup, :sku, :a, :at)
                              on conflict (supplier_id, sku) do update set available = excluded.available,
                                  changed_at = excluded.changed_at
                              where stock_view.changed_at <= excluded.changed_at
                              returning available
                            )
                            update supplier_product p set in_stock = (st.available > 0) from st
                            where p.supplier_id = :sup and p.sku = :sku and p.in_stock <> (st.available > 0)""")
                    .setParameter("sup", p.supplierId())
                    .setParameter("sku", p.sku())
                    .setParameter("a", p.available())
                    .setParameter("at", p.changedAt())
                    .executeUpdate();
        });
    }
}
