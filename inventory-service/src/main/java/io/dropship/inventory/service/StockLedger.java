package io.dropship.inventory.service;

import io.dropship.inventory.domain.StockLevel;
import io.dropship.inventory.messaging.StockChanged;
import io.dropship.inventory.repository.StockItem;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.List;

/** Stock per supplier product. Every change commits together with the StockChanged it causes. */
@ApplicationScoped
public class StockLedger {

    /** The outcome of a supplier's update: applied, or ignored because a newer one is already in. */
    public record Update(boolean applied, StockItem current) {
    }

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final int lowStockThreshold;

    public StockLedger(Mutiny.SessionFactory sessions, Outbox outbox,
                       @ConfigProperty(name = "dropship.inventory.low-stock-threshold") int lowStockThreshold) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.lowStockThreshold = lowStockThreshold;
    }

    /**
     * Sets the supplier's on-hand quantity. An update stamped older than the one already applied changes
     * nothing: updates may arrive out of order, and the newest the supplier sent wins.
     */
    public Uni<Update> setOnHand(String supplierId, String sku, int quantity, Instant supplierUpdatedAt) {
        Instant stamp = supplierUpdatedAt != null ? supplierUpdatedAt : Instant.now();
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "insert into stock_item (supplier_id, sku, on_hand, reserved, supplier_updated_at, updated_at)"
                                + " values (:supplier, :sku, :qty, 0, :stamp, now())"
                                + " on conflict (supplier_id, sku) do update"
                                + " set on_hand = excluded.on_hand, supplier_updated_at = excluded.supplier_updated_at,"
                                + " updated_at = now()"
                                + " where stock_item.supplier_updated_at is null"
                                + " or stock_item.supplier_updated_at <= excluded.supplier_updated_at"
                                + " returning on_hand, reserved", Object[].class)
                .setParameter("supplier", supplierId)
                .setParameter("sku", sku)
                .setParameter("qty", quantity)
                .setParameter("stamp", stamp)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return find(session, supplierId, sku).map(current -> new Update(false, current));
                    }
                    Object[] row = rows.get(0);
                    StockLevel level = new StockLevel(supplierId, sku, ((Number) row[0]).intValue(),
                            ((Number) row[1]).intValue());
                    return outbox.publish(session, StockChanged.TOPIC, level.supplierProductId(),
                                    StockChanged.of(level, lowStockThreshold, "SUPPLIER_UPDATE", null, stamp))
                            .chain(() -> find(session, supplierId, sku))
                            .map(current -> new Update(true, current));
                }));
    }

    public Uni<StockItem> get(String supplierId, String sku) {
        return sessions.withSession(s -> find(s, supplierId, sku)).map(item -> {
            if (item == null) {
                throw ProblemException.notFound("stock for SKU " + sku);
            }
            return item;
        });
    }

    public Uni<List<StockItem>> list(String supplierId, int page, int size) {
        return sessions.withSession(s -> s.createSelectionQuery(
                        "from StockItem where key.supplierId = :supplier order by key.sku", StockItem.class)
                .setParameter("supplier", supplierId)
                .setFirstResult(page * size).setMaxResults(size).getResultList());
    }

    private static Uni<StockItem> find(Mutiny.Session session, String supplierId, String sku) {
        return session.find(StockItem.class, new StockItem.Key(supplierId, sku)).call(item ->
                item == null ? Uni.createFrom().nullItem() : session.refresh(item));
    }
}
