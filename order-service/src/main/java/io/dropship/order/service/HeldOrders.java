package io.dropship.order.service;

import io.dropship.order.domain.OrderStatus;
import io.dropship.order.entity.CustomerOrder;
import io.dropship.order.entity.OrderLine;
import io.dropship.platform.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

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

    /**
     * How many held orders one catalog change (or one batch of listing or product changes) retries; the next change of
     * the same kind takes the rest.
     */
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

    /**
     * Listings changed (a poll's worth, as {@code [{"id":..,"retailerId":..,"sku":..}]}): the held orders of their
     * retailers with a line one of them maps, up to {@link #PER_CHANGE} for the batch, oldest first.
     */
    public Uni<Integer> afterListings(Mutiny.Session s, String listingsJson, int count) {
        return retry(
                s,
                s.createNativeQuery(
                                "select o.id from customer_order o where o.status = 'ON_HOLD' and exists (select 1"
                                        + " from order_line l join jsonb_to_recordset(cast(cast(:listings as text) as jsonb))"
                                        + " as x(id text, \"retailerId\" text, sku text) on x.\"retailerId\" = o.retailer_id"
                                        + " and (l.listing_id = x.id or (l.listing_id is null and l.sku = x.sku))"
                                        + " where l.order_id = o.id) order by o.placed_at limit " + PER_CHANGE,
                                UUID.class)
                        .setParameter("listings", listingsJson)
                        .getResultList(),
                count + " listings");
    }

    /**
     * Supplier products changed (a poll's worth, as the suppliers' ids and the skus side by side): held orders with a
     * line whose listing offers one of them, up to {@link #PER_CHANGE} for the batch, oldest first.
     */
    public Uni<Integer> afterOffers(Mutiny.Session s, String[] supplierIds, String[] skus) {
        return retry(
                s,
                s.createNativeQuery(
                                "select o.id from customer_order o where o.status = 'ON_HOLD' and exists ("
                                        + " select 1 from order_line l join listing_view v on v.retailer_id = o.retailer_id"
                                        + " and v.status = 'ACTIVE' and (v.listing_id = l.listing_id or (l.listing_id is null and v.sku = l.sku))"
                                        + " where l.order_id = o.id and v.offers @> any(array(select jsonb_build_array("
                                        + " jsonb_build_object('supplierId', p.s, 'sku', p.k))"
                                        + " from unnest(cast(:s as text[]), cast(:k as text[])) as p(s, k))))"
                                        + " order by o.placed_at limit " + PER_CHANGE,
                                UUID.class)
                        .setParameter("s", supplierIds)
                        .setParameter("k", skus)
                        .getResultList(),
                supplierIds.length + " supplier products");
    }

    /** A supplier changed (reinstated, say): held orders with a line whose listing offers one of its products. */
    public Uni<Integer> afterSupplier(Mutiny.Session s, String supplierId) {
        return retry(s, heldOffering(s, "[{\"supplierId\":\"" + json(supplierId) + "\"}]"), "supplier " + supplierId);
    }

    /**
     * Stock of supplier products is available again (a poll's worth, as {@code [{"supplierId":..,"sku":..}]}): the
     * refusals for want of it are forgotten for held orders whose line one of them could serve, and up to
     * {@link #PER_CHANGE} of those orders are routed again.
     */
    public Uni<Integer> afterStocks(Mutiny.Session s, String productsJson, int count) {
        return retry(
                s,
                s.createNativeQuery(
                                "delete from routing_exclusion x using customer_order o, order_line l, listing_view v,"
                                        + " jsonb_to_recordset(cast(cast(:products as text) as jsonb)) as p(\"supplierId\" text, sku text)"
                                        + " where x.order_id = o.id and o.status = 'ON_HOLD' and x.supplier_id = p.\"supplierId\""
                                        + " and x.reason = 'SHORT' and l.order_id = o.id and l.line_id = x.line_id"
                                        + " and v.retailer_id = o.retailer_id and v.status = 'ACTIVE'"
                                        + " and (v.listing_id = l.listing_id or (l.listing_id is null and v.sku = l.sku))"
                                        + " and v.offers @> jsonb_build_array(jsonb_build_object('supplierId', p.\"supplierId\", 'sku', p.sku))"
                                        + " returning x.order_id",
                                UUID.class)
                        .setParameter("products", productsJson)
                        .getResultList()
                        .map(ids -> ids.stream().distinct().limit(PER_CHANGE).toList()),
                "stock of " + count + " supplier products");
    }

    private Uni<List<UUID>> heldOffering(Mutiny.Session s, String offer) {
        return s.createNativeQuery(
                        "select o.id from customer_order o where o.status = 'ON_HOLD' and exists ("
                                + " select 1 from order_line l join listing_view v on v.retailer_id = o.retailer_id"
                                + " and v.status = 'ACTIVE' and (v.listing_id = l.listing_id or (l.listing_id is null and v.sku = l.sku))"
                                + " where l.order_id = o.id and v.offers @> cast(cast(:offer as text) as jsonb))"
                                + " order by o.placed_at limit " + PER_CHANGE,
                        UUID.class)
                .setParameter("offer", offer)
                .getResultList();
    }

    private Uni<Integer> retry(Mutiny.Session s, Uni<List<UUID>> held, String what) {
        return held.chain(ids -> ids.isEmpty()
                ? Uni.createFrom().item(0)
                : Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUniAndConcatenate(id -> retry(s, id))
                        .collect()
                        .asList()
                        .map(outcomes -> {
                            long routed = outcomes.stream()
                                    .filter(Boolean::booleanValue)
                                    .count();
                            LOG.infof("%s changed: %d held order(s) retried, %d routed", what, outcomes.size(), routed);
                            return (int) routed;
                        }));
    }

    /** Routes again the lines of the held order that no live supplier order covers; true when it is routed now. */
    public Uni<Boolean> retry(Mutiny.Session s, UUID orderId) {
        return OrderLock.of(s, orderId)
                .chain(() -> s.createSelectionQuery(
                                "from CustomerOrder o left join fetch o.lines where o.id = :id", CustomerOrder.class)
                        .setParameter("id", orderId)
                        .getSingleResultOrNull())
                .chain(order -> {
                    if (order == null || order.status != OrderStatus.ON_HOLD) {
                        return Uni.createFrom().item(false);
                    }
                    return openLines(s, order).chain(held -> {
                        if (held.open().isEmpty()) {
                            return Uni.createFrom().item(false);
                        }
                        return router.route(s, order, held.open(), held.attempt() + 1)
                                .map(v -> {
                                    boolean routed = order.status != OrderStatus.ON_HOLD;
                                    meters.counter(
                                                    "dropship.orders.held.retried",
                                                    "outcome",
                                                    routed ? "routed" : "still_held")
                                            .increment();
                                    return routed;
                                });
                    });
                });
    }

    /** Who acted by hand, as the order's record shows them. */
    public record Actor(String role, String name) {}

    /** One thing done to an order by hand. */
    public record Action(
            long id,
            String lineId,
            String action,
            String detail,
            String actorRole,
            String actor,
            String reason,
            String outcome,
            java.time.Instant at) {}

    /**
     * Routes a held order's line to a supplier product chosen by hand, with the order's other open lines as routing
     * would: checked as any routing (supplier and product active, priced in the order's currency). 422 when the chosen
     * product cannot take the line (nothing changes), 409 when the order is not held or the line is already covered.
     * Answers the order's status after it: ROUTED, or still ON_HOLD for another line.
     */
    public Uni<OrderStatus> routeByHand(
            Mutiny.Session s,
            UUID orderId,
            Optional<String> retailerScope,
            String lineId,
            OrderRouter.Pin pin,
            Actor actor,
            String reason) {
        return heldLine(s, orderId, retailerScope, lineId)
                .chain(held -> router.route(s, held.order(), held.open(), held.attempt() + 1, Map.of(lineId, pin))
                        .chain(() -> {
                            String problem = held.order().holdReason;
                            if (held.order().status == OrderStatus.ON_HOLD
                                    && problem != null
                                    && problem.contains(
                                            "the chosen supplier product " + pin.supplierId() + ":" + pin.sku())) {
                                throw new ProblemException(
                                                422,
                                                "Unprocessable Content",
                                                problem.substring(problem.indexOf("the chosen")))
                                        .type("not-routable");
                            }
                            return record(
                                    s,
                                    held.order(),
                                    lineId,
                                    "ROUTE_BY_HAND",
                                    "to " + pin.supplierId() + ":" + pin.sku(),
                                    actor,
                                    reason);
                        }));
    }

    /**
     * Points a held order's line at another of the retailer's listings (an equivalent product) and routes the open
     * lines again. 422 when the listing is not the retailer's or not active; 409 as {@link #routeByHand}.
     */
    public Uni<OrderStatus> substitute(
            Mutiny.Session s,
            UUID orderId,
            Optional<String> retailerScope,
            String lineId,
            String listingId,
            Actor actor,
            String reason) {
        return heldLine(s, orderId, retailerScope, lineId)
                .chain(held -> s.createNativeQuery(
                                "select count(*) from listing_view where listing_id = :l and retailer_id = :r and status = 'ACTIVE'",
                                Long.class)
                        .setParameter("l", listingId)
                        .setParameter("r", held.order().retailerId)
                        .getSingleResult()
                        .chain(found -> {
                            if (found == 0) {
                                throw new ProblemException(
                                                422,
                                                "Unprocessable Content",
                                                "listing " + listingId + " is not an active listing of retailer "
                                                        + held.order().retailerId)
                                        .type("not-routable");
                            }
                            OrderLine line = held.open().stream()
                                    .filter(l -> l.lineId.equals(lineId))
                                    .findFirst()
                                    .orElseThrow();
                            String before = line.listingId == null ? "SKU " + line.sku : "listing " + line.listingId;
                            line.listingId = listingId;
                            return router.route(s, held.order(), held.open(), held.attempt() + 1)
                                    .chain(() -> record(
                                            s,
                                            held.order(),
                                            lineId,
                                            "SUBSTITUTE_LISTING",
                                            before + " -> listing " + listingId,
                                            actor,
                                            reason));
                        }));
    }

    /** What was done to the order by hand, oldest first. */
    public Uni<List<Action>> actions(Mutiny.Session s, UUID orderId) {
        return s.createNativeQuery(
                        "select id, line_id, action, detail, actor_role, actor, reason, outcome, at"
                                + " from order_action where order_id = :orderId order by id",
                        Object[].class)
                .setParameter("orderId", orderId)
                .getResultList()
                .map(rows -> rows.stream()
                        .map(r -> new Action(
                                ((Number) r[0]).longValue(),
                                (String) r[1],
                                (String) r[2],
                                (String) r[3],
                                (String) r[4],
                                (String) r[5],
                                (String) r[6],
                                (String) r[7],
                                instant(r[8])))
                        .toList());
    }

    private record Held(CustomerOrder order, List<OrderLine> open, int attempt) {}

    private Uni<Held> heldLine(Mutiny.Session s, UUID orderId, Optional<String> retailerScope, String lineId) {
        return OrderLock.of(s, orderId)
                .chain(() -> s.createSelectionQuery(
                                "from CustomerOrder o left join fetch o.lines where o.id = :id", CustomerOrder.class)
                        .setParameter("id", orderId)
                        .getSingleResultOrNull())
                .chain(order -> {
                    if (order == null
                            || retailerScope
                                    .filter(r -> !r.equals(order.retailerId))
                                    .isPresent()) {
                        throw ProblemException.notFound("order " + orderId);
                    }
                    if (order.status != OrderStatus.ON_HOLD) {
                        throw ProblemException.conflict("order " + order.orderNumber + " is " + order.status
                                + ", not ON_HOLD: only a held order's lines are routed by hand");
                    }
                    if (order.lines.stream().noneMatch(l -> l.lineId.equals(lineId))) {
                        throw ProblemException.notFound("line " + lineId + " of order " + order.orderNumber);
                    }
                    return openLines(s, order).map(open -> {
                        if (open.open().stream().noneMatch(l -> l.lineId.equals(lineId))) {
                            throw ProblemException.conflict("line " + lineId + " of order " + order.orderNumber
                                    + " is already with a supplier");
                        }
                        return open;
                    });
                });
    }

    /** The order's lines no live supplier order covers, and the last attempt number. */
    private Uni<Held> openLines(Mutiny.Session s, CustomerOrder order) {
        return s.createNativeQuery(
                        "select l.line_id from supplier_order_line l join supplier_order so"
                                + " on so.id = l.supplier_order_id where so.order_id = :orderId and so.status in (:live)",
                        String.class)
                .setParameter("orderId", order.id)
                .setParameter("live", LIVE)
                .getResultList()
                .chain(covered -> s.createNativeQuery(
                                "select coalesce(max(attempt), 0) from supplier_order" + " where order_id = :orderId",
                                Integer.class)
                        .setParameter("orderId", order.id)
                        .getSingleResult()
                        .map(attempt -> {
                            Set<String> done = Set.copyOf(covered);
                            return new Held(
                                    order,
                                    order.lines.stream()
                                            .filter(l -> !done.contains(l.lineId))
                                            .collect(Collectors.toList()),
                                    attempt);
                        }));
    }

    private Uni<OrderStatus> record(
            Mutiny.Session s,
            CustomerOrder order,
            String lineId,
            String action,
            String detail,
            Actor actor,
            String reason) {
        return s.createNativeQuery(
                        "insert into order_action (order_id, line_id, action, detail, actor_role, actor, reason,"
                                + " outcome, at) values (:orderId, :l, :a, :d, :role, :who, :why, :outcome, now())")
                .setParameter("orderId", order.id)
                .setParameter("l", lineId)
                .setParameter("a", action)
                .setParameter("d", detail)
                .setParameter("role", actor.role())
                .setParameter("who", actor.name())
                .setParameter("why", reason)
                .setParameter("outcome", order.status.name())
                .executeUpdate()
                .invoke(() -> LOG.infof(
                        "order %s line %s: %s %s by %s %s (%s): %s",
                        order.orderNumber, lineId, action, detail, actor.role(), actor.name(), reason, order.status))
                .replaceWith(order.status);
    }

    private static java.time.Instant instant(Object value) {
        return value instanceof java.time.Instant i
                ? i
                : value instanceof java.time.OffsetDateTime o
                        ? o.toInstant()
                        : value instanceof java.sql.Timestamp ts ? ts.toInstant() : null;
    }

    private static String json(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
