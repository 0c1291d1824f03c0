package io.dropship.order.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.order.messaging.events.CatalogEvents;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps order-service's own view of suppliers, their offers and retailer listings. Each upsert applies only
 * when the change is at least as new as what is stored, so events of one aggregate arriving late never
 * undo a newer state.
 */
@ApplicationScoped
public class CatalogProjectionConsumer {

    private final Inbox inbox;
    private final ObjectMapper mapper;
    private final io.dropship.order.service.HeldOrders held;

    public CatalogProjectionConsumer(Inbox inbox, ObjectMapper mapper, io.dropship.order.service.HeldOrders held) {
        this.inbox = inbox;
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

    @Incoming("supplier-changed")
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

    @Incoming("supplier-product-changed")
    public Uni<Void> product(ConsumerRecord<String, String> record) {
        return inbox.apply(
                "supplier-product-changed", record, CatalogEvents.SupplierProductChanged.class, (s, e, p) -> {
                    require(
                            p.supplierId() != null
                                    && p.sku() != null
                                    && p.wholesalePrice() != null
                                    && p.shippingCost() != null
                                    && p.changedAt() != null,
                            "SupplierProductChanged");
                    return s.createNativeQuery(
                                    "insert into supplier_product_view (supplier_id, sku, wholesale_price, shipping_cost,"
                                            + " currency, status, changed_at) values (:sup, :sku, :w, :ship, :cur, :status, :at)"
                                            + " on conflict (supplier_id, sku) do update set wholesale_price = excluded.wholesale_price,"
                                            + " shipping_cost = excluded.shipping_cost, currency = excluded.currency,"
                                            + " status = excluded.status, changed_at = excluded.changed_at"
                                            + " where supplier_product_view.changed_at <= excluded.changed_at")
                            .setParameter("sup", p.supplierId())
                            .setParameter("sku", p.sku())
                            .setParameter("w", p.wholesalePrice())
                            .setParameter("ship", p.shippingCost())
                            .setParameter("cur", p.currency())
                            .setParameter("status", p.status())
                            .setParameter("at", p.changedAt())
                            .executeUpdate()
                            .chain(rows -> thenIfActive(
                                    Uni.createFrom().item(rows),
                                    p.status(),
                                    () -> held.afterOffer(s, p.supplierId(), p.sku())));
                });
    }

    @Incoming("listing-changed")
    public Uni<Void> listing(ConsumerRecord<String, String> record) {
        return inbox.apply("listing-changed", record, CatalogEvents.ListingChanged.class, (s, e, p) -> {
            require(
                    p.listingId() != null
                            && p.retailerId() != null
                            && p.sku() != null
                            && p.offers() != null
                            && p.changedAt() != null,
                    "ListingChanged");
            String offers;
            try {
                offers = mapper.writeValueAsString(p.offers());
            } catch (JsonProcessingException ex) {
                throw new PoisonMessageException("ListingChanged offers are not serialisable", ex);
            }
            return s.createNativeQuery(
                            "insert into listing_view (listing_id, retailer_id, sku, status, offers, changed_at)"
                                    + " values (:id, :retailerId, :sku, :status, cast(cast(:offers as text) as jsonb), :at)"
                                    + " on conflict (listing_id) do update set retailer_id = excluded.retailer_id, sku = excluded.sku,"
                                    + " status = excluded.status, offers = excluded.offers, changed_at = excluded.changed_at"
                                    + " where listing_view.changed_at <= excluded.changed_at")
                    .setParameter("id", p.listingId())
                    .setParameter("retailerId", p.retailerId())
                    .setParameter("sku", p.sku())
                    .setParameter("status", p.status() == null ? "ACTIVE" : p.status())
                    .setParameter("offers", offers)
                    .setParameter("at", p.changedAt())
                    .executeUpdate()
                    .chain(rows -> thenIfActive(
                            Uni.createFrom().item(rows),
                            p.status() == null ? "ACTIVE" : p.status(),
                            () -> held.afterListing(s, p.listingId(), p.retailerId(), p.sku())));
        });
    }

    private static void require(boolean present, String event) {
        if (!present) {
            throw new PoisonMessageException(event + " lacks a field order-service needs");
        }
    }
}
