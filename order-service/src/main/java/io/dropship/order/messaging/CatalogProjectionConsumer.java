package io.dropship.order.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.order.messaging.events.CatalogEvents;
import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Keeps order-service's own view of suppliers, their offers and retailer listings. Each upsert applies only
 * when the change is at least as new as what is stored, so events of one aggregate arriving late never
 * undo a newer state.
 */
@ApplicationScoped
public class CatalogProjectionConsumer {

    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper mapper;
    private final io.dropship.order.service.HeldOrders held;

    public CatalogProjectionConsumer(
            Inbox inbox,
            DeadLetters deadLetters,
            Mutiny.SessionFactory sessions,
            ObjectMapper mapper,
            io.dropship.order.service.HeldOrders held) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.sessions = sessions;
        this.mapper = mapper;
        this.held = held;
    }

    /** After a projection row changed to ACTIVE, held orders it could help are routed again (HeldOrders). */
    private static Uni<Void> thenIfActive(
            Uni<Integer> updated, String status, java.util.function.Supplier<Uni<Integer>> retry) {
        return updated.chain(rows -> rows > 0 && "ACTIVE".equals(status)
                ? retry.get().replaceWithVoid()
                : Uni.createFrom().voidItem());
    }

    public Uni<Void> supplier(ConsumerRecord<String, String> record) {
        return inbox.apply("supplier-changed", record, CatalogEvents.SupplierChanged.class, (s, e, p) -> {
            require(p.supplierId() != null && p.status() != null && p.changedAt() != null, "SupplierChanged");
            return thenIfActive(
                    s.createNativeQuery(
                                    "insert into supplier_view (supplier_id, status, ship_from_region, handling_days, changed_at)"
                                            + " values (:id, :status, :region, :days, :at) on conflict (supplier_id) do update"
                                            + " set status = excluded.status, ship_from_region = excluded.ship_from_region,"
                                            + " handling_days = excluded.handling_days,"
                                            + " changed_at = excluded.changed_at where supplier_view.changed_at <= excluded.changed_at")
                            .setParameter("id", p.supplierId())
                            .setParameter("status", p.status())
                            .setParameter("days", p.handlingDays() == null ? 3 : Math.max(0, p.handlingDays()))
                            .setParameter("region", p.shipFromRegion() == null ? "" : p.shipFromRegion())
                            .setParameter("at", p.changedAt())
                            .executeUpdate(),
                    p.status(),
                    () -> held.afterSupplier(s, p.supplierId()));
        });
    }

    /**
     * Supplier products, a poll's worth in one transaction: a supplier's import publishes a million at once (in
     * SupplierProductsChanged events of up to 200), and an inbox transaction each drained them at about 1,200 a second
     * while the listings and orders waiting behind them waited. Each product's newest change in the batch is kept with
     * one statement (an older one than the view holds changes nothing, so a redelivered batch changes nothing); held
     * orders that an active one could serve are routed again.
     */
    @Incoming("supplier-product-changed")
    public Uni<Void> products(ConsumerRecords<String, String> records) {
        Map<String, CatalogEvents.SupplierProductChanged> newest = new LinkedHashMap<>();
        Uni<Void> poison = deadLetters.readEach(
                "supplier-product-changed",
                records,
                CatalogEvents.SupplierProductChanged.class,
                "SupplierProductsChanged",
                CatalogEvents.SupplierProductsChanged.class,
                CatalogEvents.SupplierProductsChanged::products,
                (record, p) -> {
                    require(
                            p.supplierId() != null
                                    && p.sku() != null
                                    && p.wholesalePrice() != null
                                    && p.shippingCost() != null
                                    && p.changedAt() != null,
                            "SupplierProductChanged");
                    newest.merge(
                            p.supplierId() + "\u0000" + p.sku(),
                            p,
                            (a, b) -> b.changedAt().isBefore(a.changedAt()) ? a : b);
                });
        if (newest.isEmpty()) {
            return poison;
        }
        // The statement's columns as arrays (unnest), not a JSON array of objects: no map per product here, and
        // PostgreSQL reads a column's elements instead of hashing each object's keys (jsonb_to_recordset).
        int n = newest.size();
        String[] suppliers = new String[n];
        String[] skus = new String[n];
        BigDecimal[] wholesale = new BigDecimal[n];
        BigDecimal[] shipping = new BigDecimal[n];
        String[] currencies = new String[n];
        String[] statuses = new String[n];
        String[] changedAt = new String[n];
        List<String> activeSuppliers = new ArrayList<>();
        List<String> activeSkus = new ArrayList<>();
        int i = 0;
        for (CatalogEvents.SupplierProductChanged p : newest.values()) {
            suppliers[i] = p.supplierId();
            skus[i] = p.sku();
            wholesale[i] = p.wholesalePrice();
            shipping[i] = p.shippingCost();
            currencies[i] = p.currency();
            statuses[i] = p.status();
            changedAt[i] = p.changedAt().toString();
            i++;
            if ("ACTIVE".equals(p.status())) {
                activeSuppliers.add(p.supplierId());
                activeSkus.add(p.sku());
            }
        }
        return poison.chain(() -> inbox.retrying(
                inbox.consumerOf("supplier-product-changed"),
                "a SupplierProductChanged batch of " + n + " products",
                () -> sessions.withTransaction(s -> s.createNativeQuery(
                                        "insert into supplier_product_view (supplier_id, sku, wholesale_price, shipping_cost,"
                                                + " currency, status, changed_at) select * from unnest(cast(:s as text[]),"
                                                + " cast(:k as text[]), cast(:w as numeric[]), cast(:ship as numeric[]),"
                                                + " cast(:cur as text[]), cast(:status as text[]), cast(cast(:at as text[]) as timestamptz[]))"
                                                + " on conflict (supplier_id, sku) do update set wholesale_price = excluded.wholesale_price,"
                                                + " shipping_cost = excluded.shipping_cost, currency = excluded.currency,"
                                                + " status = excluded.status, changed_at = excluded.changed_at"
                                                + " where supplier_product_view.changed_at <= excluded.changed_at")
                                .setParameter("s", suppliers)
                                .setParameter("k", skus)
                                .setParameter("w", wholesale)
                                .setParameter("ship", shipping)
                                .setParameter("cur", currencies)
                                .setParameter("status", statuses)
                                .setParameter("at", changedAt)
                                .executeUpdate()
                                .chain(rows -> activeSuppliers.isEmpty()
                                        ? Uni.createFrom().item(0)
                                        : held.afterOffers(
                                                s,
                                                activeSuppliers.toArray(String[]::new),
                                                activeSkus.toArray(String[]::new))))
                        .replaceWithVoid()));
    }

    /**
     * Retailer listings, a poll's worth in one transaction (a retailer's listing import publishes thousands at once):
     * each listing's newest change kept with one statement, then held orders an active one could map routed again.
     */
    @Incoming("listing-changed")
    public Uni<Void> listings(ConsumerRecords<String, String> records) {
        Map<String, CatalogEvents.ListingChanged> newest = new LinkedHashMap<>();
        Uni<Void> poison = deadLetters.readEach("listing-changed", records, CatalogEvents.ListingChanged.class, p -> {
            require(
                    p.listingId() != null
                            && p.retailerId() != null
                            && p.sku() != null
                            && p.offers() != null
                            && p.changedAt() != null,
                    "ListingChanged");
            newest.merge(p.listingId(), p, (a, b) -> b.changedAt().isBefore(a.changedAt()) ? a : b);
        });
        if (newest.isEmpty()) {
            return poison;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> active = new ArrayList<>();
        for (CatalogEvents.ListingChanged p : newest.values()) {
            String status = p.status() == null ? "ACTIVE" : p.status();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", p.listingId());
            row.put("retailerId", p.retailerId());
            row.put("sku", p.sku());
            row.put("status", status);
            row.put("offers", p.offers());
            row.put("at", p.changedAt().toString());
            rows.add(row);
            if ("ACTIVE".equals(status)) {
                active.add(Map.of("id", p.listingId(), "retailerId", p.retailerId(), "sku", p.sku()));
            }
        }
        String rowsJson = json(rows);
        String activeJson = json(active);
        return poison.chain(() -> inbox.retrying(
                inbox.consumerOf("listing-changed"),
                "a ListingChanged batch of " + rows.size() + " listings",
                () -> sessions.withTransaction(s -> s.createNativeQuery(
                                        "insert into listing_view (listing_id, retailer_id, sku, status, offers, changed_at)"
                                                + " select x.id, x.\"retailerId\", x.sku, x.status, x.offers, x.at"
                                                + " from jsonb_to_recordset(cast(cast(:rows as text) as jsonb))"
                                                + " as x(id text, \"retailerId\" text, sku text, status text, offers jsonb, at timestamptz)"
                                                + " on conflict (listing_id) do update set retailer_id = excluded.retailer_id, sku = excluded.sku,"
                                                + " status = excluded.status, offers = excluded.offers, changed_at = excluded.changed_at"
                                                + " where listing_view.changed_at <= excluded.changed_at")
                                .setParameter("rows", rowsJson)
                                .executeUpdate()
                                .chain(n -> active.isEmpty()
                                        ? Uni.createFrom().item(0)
                                        : held.afterListings(s, activeJson, active.size())))
                        .replaceWithVoid()));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void require(boolean present, String event) {
        if (!present) {
            throw new PoisonMessageException(event + " lacks a field order-service needs");
        }
    }
}
