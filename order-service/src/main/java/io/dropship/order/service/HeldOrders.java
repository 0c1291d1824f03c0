package io.dropship.order.service;

import io.dropship.order.domain.OrderStatus;
import io.dropship.order.repository.CustomerOrder;
import io.dropship.order.repository.OrderLine;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Held orders recover by themselves when what held them changes: a listing gains an offer, a supplier product becomes
 * active or a supplier is reinstated, or stock returns at a supplier that refused a line for want of it (that refusal
 * is forgotten; a supplier's rejection is not). Each change routes again, in the transaction that applies it, the
 * held orders whose lines it could help, up to {@link #PER_CHANGE} at a time, oldest first; the lines no live
 * supplier order covers are routed as any order's are, or the order stays held with the new reason.
 */
@ApplicationScoped
public class HeldOrders {

    private static final Logger LOG = Logger.getLogger(HeldOrders.class);

    /** How many held orders one catalog change retries; the next change of the same kind takes the rest. */
    static final int PER_CHANGE = 100;

    /** The supplier orders that still cover their lines. */
    private static final Set<String> LIVE = Set.of("ROUTED", "RESERVED", "SHIPPED", "DELIVERED");

    private final OrderRouter router;
    private final MeterRegistry meters;

    public HeldOrders(OrderRouter router, MeterRegistry meters) {
        this.router = router;
        this.meters = meters;
        meters.counter("dropship.orders.held.retried", "outcome", "routed");
        meters.counter("dropship.orders.held.retried", "outcome", "still_held");
    }

    /** A listing changed: the retailer's held orders with a line it maps. */
    public Uni<Integer> afterListing(Mutiny.Session s, String listingId, String retailerId, String sku) {
        return retry(s, s.createNativeQuery("select o.id from customer_order o where o.status = 'ON_HOLD'"
                        + " and o.retailer_id = :r and exists (select 1 from order_line l where l.order_id = o.id"
                        + " and (l.listing_id = :id or (l.listing_id is null and l.sku = :sku)))"
                        + " order by o.placed_at limit " + PER_CHANGE, UUID.class)
                .setParameter("r", retailerId).setParameter("id", listingId).setParameter("sku", sku)
                .getResultList(), "listing " + listingId);
    }

    /** A supplier product changed: held orders with a line whose listing offers it. */
    public Uni<Integer> afterOffer(Mutiny.Session s, String supplierId, String sku) {
        return retry(s, heldOffering(s, "[{\"supplierId\":\"" + json(supplierId) + "\",\"sku\":\"" + json(sku) + "\"}]"),
                "supplier product " + supplierId + ":" + sku);
    }

    /** A supplier changed (reinstated, say): held orders with a line whose listing offers one of its products. */
    public Uni<Integer> afterSupplier(Mutiny.Session s, String supplierId) {
        return retry(s, heldOffering(s, "[{\"supplierId\":\"" + json(supplierId) + "\"}]"), "supplier " + supplierId);
    }

    /**
     * Stock of a supplier product is available again: the refusals for want of it are forgotten for held orders whose
     * line it could serve, and those orders are routed again.
     */
    public Uni<Integer> afterStock(Mutiny.Session s, String supplierId, String sku) {
        return retry(s, s.createNativeQuery("delete from routing_exclusion x using customer_order o, order_line l, listing_view v"
                        + " where x.order_id = o.id and o.status = 'ON_HOLD' and x.supplier_id = :sup and x.reason = 'SHORT'"
                        + " and l.order_id = o.id and l.line_id = x.line_id and v.retailer_id = o.retailer_id"
                        + " and v.status = 'ACTIVE' and (v.listing_id = l.listing_id or (l.listing_id is null and v.sku = l.sku))"
                        + " and v.offers @> cast(cast(:offer as text) as jsonb) returning x.order_id", UUID.class)
                .setParameter("sup", supplierId)
                .setParameter("offer", "[{\"supplierId\":\"" + json(supplierId) + "\",\"sku\":\"" + json(sku) + "\"}]")
                .getResultList().map(ids -> ids.stream().distinct().limit(PER_CHANGE).toList()),
                "stock of " + supplierId + ":" + sku);
    }

    private Uni<List<UUID>> heldOffering(Mutiny.Session s, String offer) {
        return s.createNativeQuery("select o.id from customer_order o where o.status = 'ON_HOLD' and exists ("
                        + " select 1 from order_line l join listing_view v on v.retailer_id = o.retailer_id"
                        + " and v.status = 'ACTIVE' and (v.listing_id = l.listing_id or (l.listing_id is null and v.sku = l.sku))"
                        + " where l.order_id = o.id and v.offers @> cast(cast(:offer as text) as jsonb))"
                        + " order by o.placed_at limit " + PER_CHANGE, UUID.class)
                .setParameter("offer", offer).getResultList();
    }

    private Uni<Integer> retry(Mutiny.Session s, Uni<List<UUID>> held, String what) {
        return held.chain(ids -> ids.isEmpty() ? Uni.createFrom().item(0) : Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> retry(s, id))
                .collect().asList()
                .map(outcomes -> {
                    long routed = outcomes.stream().filter(Boolean::booleanValue).count();
                    LOG.infof("%s changed: %d held order(s) retried, %d routed", what, outcomes.size(), routed);
                    return (int) routed;
                }));
    }

    /** Routes again the lines of the held order that no live supplier order covers; true when it is routed now. */
    public Uni<Boolean> retry(Mutiny.Session s, UUID orderId) {
        return OrderLock.of(s, orderId)
                .chain(() -> s.createSelectionQuery("from CustomerOrder o left join fetch o.lines where o.id = :id",
                        CustomerOrder.class).setParameter("id", orderId).getSingleResultOrNull())
                .chain(order -> {
                    if (order == null || order.status != OrderStatus.ON_HOLD) {
                        return Uni.createFrom().item(false);
                    }
                    return s.createNativeQuery("select l.line_id from supplier_order_line l join supplier_order so"
                                    + " on so.id = l.supplier_order_id where so.order_id = :o and so.status in (:live)",
                                    String.class)
                            .setParameter("o", orderId).setParameter("live", LIVE).getResultList()
                            .chain(covered -> s.createNativeQuery("select coalesce(max(attempt), 0) from supplier_order"
                                            + " where order_id = :o", Integer.class).setParameter("o", orderId)
                                    .getSingleResult()
                                    .chain(attempt -> {
                                        Set<String> done = Set.copyOf(covered);
                                        List<OrderLine> open = order.lines.stream().filter(l -> !done.contains(l.lineId))
                                                .collect(Collectors.toList());
                                        if (open.isEmpty()) {
                                            return Uni.createFrom().item(false);
                                        }
                                        return router.route(s, order, open, attempt + 1).map(v -> {
                                            boolean routed = order.status != OrderStatus.ON_HOLD;
                                            meters.counter("dropship.orders.held.retried", "outcome",
                                                    routed ? "routed" : "still_held").increment();
                                            return routed;
                                        });
                                    }));
                });
    }

    private static String json(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
