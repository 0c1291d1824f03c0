package io.dropship.order.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.order.domain.OrderStatus;
import io.dropship.order.domain.RoutingPolicy;
import io.dropship.order.entity.CustomerOrder;
import io.dropship.order.entity.OrderLine;
import io.dropship.order.entity.SupplierOrder;
import io.dropship.order.entity.SupplierOrderLine;
import io.dropship.order.messaging.events.CatalogEvents;
import io.dropship.order.messaging.events.OrderStatusChanged;
import io.dropship.order.messaging.events.SupplierOrderRouted;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.TimeOrderedIds;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Routes an order's lines to suppliers from this service's own projection of the catalog, with
 * {@link RoutingPolicy}, and publishes one SupplierOrderRouted per supplier, all in the caller's
 * transaction. A line that maps to no listing, or whose offers all belong to suppliers that cannot take
 * it, puts the order ON_HOLD with a reason, and nothing of it is routed.
 *
 * <p>Only offers priced in the order's currency are candidates: the retailer is charged the suppliers' wholesale
 * amounts in the currency they are priced in, so an INR order must never be charged rupees for dollar prices, and
 * landed costs are only compared within one currency. A line with offers in other currencies only is held, and the
 * reason names them.
 */
@ApplicationScoped
public class OrderRouter {

    private static final TypeReference<List<CatalogEvents.ListingChanged.Offer>> OFFERS = new TypeReference<>() {};

    private record ListingRow(String listingId, String sku, List<CatalogEvents.ListingChanged.Offer> offers) {}

    private record SupplierRow(String status, String region, double reliability) {}

    private record OfferRow(BigDecimal wholesale, BigDecimal shipping, String status, String currency) {}

    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final Timeline timeline;

    public OrderRouter(Outbox outbox, ObjectMapper mapper, Timeline timeline) {
        this.outbox = outbox;
        this.mapper = mapper;
        this.timeline = timeline;
    }

    /** A supplier product chosen by hand for a line (support or the retailer routing a held line). */
    public record Pin(String supplierId, String sku) {}

    /** Routes the given lines of the order (all of them for a new order, the refused ones on a re-route). */
    public Uni<Void> route(Mutiny.Session s, CustomerOrder order, List<OrderLine> lines, int attempt) {
        return route(s, order, lines, attempt, Map.of());
    }

    /**
     * As {@link #route(Mutiny.Session, CustomerOrder, List, int)}, with some lines pinned to a supplier product chosen
     * by hand: a pinned line has that one candidate, checked as any (supplier and product active, priced in the order's
     * currency), whatever its listing offers and whatever refused it before.
     */
    public Uni<Void> route(
            Mutiny.Session s, CustomerOrder order, List<OrderLine> lines, int attempt, Map<String, Pin> pins) {
        return route(s, order, lines, attempt, pins, false);
    }

    /**
     * Routes a new order, not stored yet, and stores it once routing has decided its status: it is inserted ROUTED or
     * ON_HOLD, before anything that refers to it, rather than inserted PENDING and updated in the same transaction.
     */
    public Uni<Void> routeNew(Mutiny.Session s, CustomerOrder order) {
        return route(s, order, order.lines, 1, Map.of(), true);
    }

    private Uni<Void> route(
            Mutiny.Session s,
            CustomerOrder order,
            List<OrderLine> lines,
            int attempt,
            Map<String, Pin> pins,
            boolean store) {
        return listings(s, order, lines).chain(found -> {
            Map<String, ListingRow> listings = new HashMap<>(found);
            for (OrderLine l : lines) {
                if (pins.containsKey(l.lineId) && !listings.containsKey(l.lineId)) {
                    listings.put(l.lineId, new ListingRow(l.listingId, l.sku, List.of()));
                }
            }
            Set<String> supplierIds = new HashSet<>();
            listings.values().forEach(l -> l.offers().forEach(o -> supplierIds.add(o.supplierId())));
            Set<String> offerSkus = new HashSet<>();
            listings.values().forEach(l -> l.offers().forEach(o -> offerSkus.add(o.sku())));
            pins.values().forEach(p -> {
                supplierIds.add(p.supplierId());
                offerSkus.add(p.sku());
            });
            return catalog(s, supplierIds, offerSkus)
                    .chain(catalog -> exclusions(s, order.id, attempt).chain(excluded -> {
                        Map<String, SupplierRow> suppliers = catalog.suppliers();
                        Map<String, OfferRow> offers = catalog.offers();
                        Map<String, String> problems = new HashMap<>();
                        List<Map<String, Object>> passedOver = new ArrayList<>();
                        List<RoutingPolicy.Line> requests = new ArrayList<>();
                        for (OrderLine line : lines) {
                            ListingRow listing = listings.get(line.lineId);
                            List<RoutingPolicy.Candidate> candidates = new ArrayList<>();
                            Set<String> otherCurrencies = new java.util.TreeSet<>();
                            Pin pin = pins.get(line.lineId);
                            if (pin != null) {
                                SupplierRow sup = suppliers.get(pin.supplierId());
                                OfferRow offer = offers.get(pin.supplierId() + ":" + pin.sku());
                                String why = sup == null || offer == null
                                        ? "is not in the catalog"
                                        : !"ACTIVE".equals(sup.status())
                                                ? "belongs to a supplier that is " + sup.status()
                                                : !"ACTIVE".equals(offer.status())
                                                        ? "is " + offer.status()
                                                        : !offer.currency().equals(order.currency)
                                                                ? "is priced in " + offer.currency()
                                                                        + ", not in " + order.currency
                                                                        + ", the order's currency"
                                                                : null;
                                if (why == null) {
                                    candidates.add(new RoutingPolicy.Candidate(
                                            pin.supplierId(),
                                            pin.sku(),
                                            offer.wholesale(),
                                            offer.shipping(),
                                            sup.reliability(),
                                            sup.region(),
                                            0));
                                } else {
                                    problems.put(
                                            line.lineId,
                                            "line " + line.lineId + ": the chosen supplier product " + pin.supplierId()
                                                    + ":" + pin.sku() + " " + why);
                                }
                            } else if (listing == null) {
                                problems.put(
                                        line.lineId,
                                        "line " + line.lineId + " (SKU " + line.sku + ") maps to no listing");
                            } else {
                                for (CatalogEvents.ListingChanged.Offer o : listing.offers()) {
                                    SupplierRow sup = suppliers.get(o.supplierId());
                                    OfferRow offer = offers.get(o.supplierId() + ":" + o.sku());
                                    boolean routable = sup != null
                                            && "ACTIVE".equals(sup.status())
                                            && offer != null
                                            && "ACTIVE".equals(offer.status())
                                            && !excluded.contains(line.lineId + "|" + o.supplierId());
                                    String passed = sup == null
                                            ? "the supplier is not in the catalog"
                                            : !"ACTIVE".equals(sup.status())
                                                    ? "the supplier is " + sup.status()
                                                    : offer == null
                                                            ? "the supplier product is not in the catalog"
                                                            : !"ACTIVE".equals(offer.status())
                                                                    ? "the supplier product is " + offer.status()
                                                                    : excluded.contains(
                                                                                    line.lineId + "|" + o.supplierId())
                                                                            ? "the supplier refused or rejected this line before"
                                                                            : !offer.currency()
                                                                                            .equals(order.currency)
                                                                                    ? "priced in "
                                                                                            + offer.currency()
                                                                                            + ", not in the order's "
                                                                                            + order.currency
                                                                                    : null;
                                    if (passed != null) {
                                        passedOver.add(Map.of(
                                                "lineId",
                                                line.lineId,
                                                "supplierId",
                                                o.supplierId(),
                                                "sku",
                                                o.sku(),
                                                "why",
                                                passed));
                                    }
                                    if (routable && !offer.currency().equals(order.currency)) {
                                        otherCurrencies.add(offer.currency());
                                    } else if (routable) {
                                        candidates.add(new RoutingPolicy.Candidate(
                                                o.supplierId(),
                                                o.sku(),
                                                offer.wholesale(),
                                                offer.shipping(),
                                                sup.reliability(),
                                                sup.region(),
                                                o.priority()));
                                    }
                                }
                                if (candidates.isEmpty() && !otherCurrencies.isEmpty()) {
                                    problems.put(
                                            line.lineId,
                                            "line " + line.lineId + " (SKU " + line.sku + ") has no supplier"
                                                    + " offer priced in " + order.currency
                                                    + ", the order's currency (only in "
                                                    + String.join(", ", otherCurrencies)
                                                    + "); an order is charged in the currency"
                                                    + " its supplier products are priced in, never converted silently");
                                } else if (candidates.isEmpty()) {
                                    problems.put(
                                            line.lineId,
                                            "line " + line.lineId + " (SKU " + line.sku
                                                    + ") has no active supplier offer left"
                                                    + (excluded.isEmpty() ? "" : " with stock"));
                                }
                            }
                            requests.add(new RoutingPolicy.Line(line.lineId, line.quantity, candidates));
                        }
                        RoutingPolicy.Decision decision = RoutingPolicy.route(
                                requests, order.shippingAddress == null ? null : order.shippingAddress.country());
                        OrderStatus previous = order.status;
                        Uni<Void> noted = (store
                                        ? s.persist(order)
                                        : Uni.createFrom().voidItem())
                                .chain(() ->
                                        decided(s, order, attempt, requests, decision, problems, passedOver, pins));
                        if (!decision.routed()) {
                            order.status = OrderStatus.ON_HOLD;
                            order.holdReason = String.join(
                                    "; ",
                                    decision.unroutableLines().stream()
                                            .map(problems::get)
                                            .toList());
                            order.updatedAt = Instant.now();
                            if (previous == OrderStatus.ON_HOLD) {
                                return noted;
                            }
                            order.heldAt = order.updatedAt;
                            return noted.chain(() -> statusChanged(s, order, previous, order.holdReason));
                        }
                        order.status = OrderStatus.ROUTED;
                        order.holdReason = null;
                        order.heldAt = null;
                        order.updatedAt = Instant.now();
                        Uni<Void> released = previous == OrderStatus.ON_HOLD
                                ? statusChanged(s, order, previous, "routed after being held")
                                : Uni.createFrom().voidItem();
                        Map<String, OrderLine> byId = new HashMap<>();
                        lines.forEach(l -> byId.put(l.lineId, l));
                        int together = decision.bySupplier().size();
                        return noted.chain(() -> released)
                                .chain(() -> Multi.createFrom()
                                        .iterable(decision.bySupplier().entrySet())
                                        .onItem()
                                        .transformToUniAndConcatenate(e -> createSupplierOrder(
                                                s, order, e.getKey(), e.getValue(), byId, listings, attempt, together))
                                        .collect()
                                        .last()
                                        .replaceWithVoid());
                    }));
        });
    }

    /**
     * The decision in the order's timeline: per line, every candidate with its landed cost and why it won or lost, the
     * offers passed over and why, or why the order is held.
     */
    private Uni<Void> decided(
            Mutiny.Session s,
            CustomerOrder order,
            int attempt,
            List<RoutingPolicy.Line> requests,
            RoutingPolicy.Decision decision,
            Map<String, String> problems,
            List<Map<String, Object>> passedOver,
            Map<String, Pin> pins) {
        List<Map<String, Object>> verdicts = new ArrayList<>();
        for (RoutingPolicy.Verdict v : RoutingPolicy.explain(
                requests, order.shippingAddress == null ? null : order.shippingAddress.country(), decision)) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("lineId", v.lineId());
            m.put("supplierId", v.candidate().supplierId());
            m.put("sku", v.candidate().sku());
            m.put("landedCost", v.landedCost());
            m.put("reliability", v.candidate().reliability());
            m.put("shipFrom", v.candidate().shipFromRegion());
            m.put("outcome", v.chosen() ? "CHOSEN" : "LOST");
            m.put("why", v.why());
            verdicts.add(m);
        }
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("attempt", attempt);
        detail.put("candidates", verdicts);
        detail.put("passedOver", passedOver);
        if (!pins.isEmpty()) {
            detail.put("chosenByHand", pins.keySet());
        }
        String summary;
        if (decision.routed()) {
            List<String> parts = new ArrayList<>();
            decision.bySupplier()
                    .forEach((supplier, as) ->
                            parts.add(String.join(
                                            ", ",
                                            as.stream()
                                                    .map(RoutingPolicy.Assignment::lineId)
                                                    .toList()) + " to " + supplier));
            summary = "Routing attempt " + attempt + ": " + String.join("; ", parts);
        } else {
            detail.put(
                    "held",
                    decision.unroutableLines().stream().map(problems::get).toList());
            summary = "Routing attempt " + attempt + ": held, "
                    + String.join(
                            "; ",
                            decision.unroutableLines().stream()
                                    .map(problems::get)
                                    .toList());
        }
        return timeline.record(s, order.id, Instant.now(), "order-service", "ROUTING_DECISION", summary, detail, null);
    }

    private Uni<Void> statusChanged(Mutiny.Session s, CustomerOrder order, OrderStatus previous, String reason) {
        return outbox.publish(
                        s,
                        OrderStatusChanged.TOPIC,
                        order.id.toString(),
                        OrderStatusChanged.of(order, previous, reason, "ROUTING", false, null))
                .replaceWithVoid();
    }

    private Uni<Void> createSupplierOrder(
            Mutiny.Session s,
            CustomerOrder order,
            String supplierId,
            List<RoutingPolicy.Assignment> assignments,
            Map<String, OrderLine> byId,
            Map<String, ListingRow> listings,
            int attempt,
            int together) {
        Instant now = Instant.now();
        SupplierOrder so = new SupplierOrder();
        so.id = TimeOrderedIds.next();
        so.orderId = order.id;
        so.supplierId = supplierId;
        so.attempt = attempt;
        so.status = SupplierOrder.Status.ROUTED;
        so.createdAt = now;
        so.updatedAt = now;
        BigDecimal wholesale = BigDecimal.ZERO;
        BigDecimal shipping = BigDecimal.ZERO;
        List<SupplierOrderRouted.Line> eventLines = new ArrayList<>();
        for (RoutingPolicy.Assignment a : assignments) {
            OrderLine ol = byId.get(a.lineId());
            RoutingPolicy.Candidate c = a.candidate();
            SupplierOrderLine line = new SupplierOrderLine();
            line.key = new SupplierOrderLine.Key(so.id, a.lineId());
            line.supplierOrder = so;
            line.listingId = listings.get(a.lineId()).listingId();
            line.sku = c.sku();
            line.quantity = a.quantity();
            line.wholesalePrice = c.wholesalePrice();
            line.shippingCost = c.shippingCost();
            line.retailPrice = ol.retailPrice;
            so.lines.add(line);
            BigDecimal qty = BigDecimal.valueOf(a.quantity());
            wholesale = wholesale.add(c.wholesalePrice().multiply(qty));
            shipping = shipping.add(c.shippingCost().multiply(qty));
            eventLines.add(new SupplierOrderRouted.Line(
                    a.lineId(),
                    line.listingId,
                    supplierId + ":" + c.sku(),
                    c.sku(),
                    ol.title,
                    a.quantity(),
                    c.wholesalePrice(),
                    ol.retailPrice));
        }
        so.wholesaleTotal = wholesale;
        so.shippingCost = shipping;
        SupplierOrderRouted event = new SupplierOrderRouted(
                so.id,
                order.id,
                order.orderNumber,
                order.retailerId,
                supplierId,
                order.storeOrderId,
                order.currency,
                eventLines,
                order.shippingAddress,
                wholesale,
                shipping,
                attempt,
                together,
                now);
        return s.persist(so)
                .chain(() -> outbox.publish(s, SupplierOrderRouted.TOPIC, order.id.toString(), event))
                .replaceWithVoid();
    }

    /** The listing each line maps to: by the listing id the store line carries, else by the retailer's SKU. */
    private Uni<Map<String, ListingRow>> listings(Mutiny.Session s, CustomerOrder order, List<OrderLine> lines) {
        List<String> ids =
                lines.stream().map(l -> l.listingId).filter(id -> id != null).toList();
        List<String> skus = lines.stream().map(l -> l.sku).toList();
        return s.createNativeQuery(
                        "select listing_id, sku, cast(offers as text) from listing_view"
                                + " where status = 'ACTIVE' and retailer_id = :retailerId and (listing_id in (:ids) or sku in (:skus))",
                        Object[].class)
                .setParameter("retailerId", order.retailerId)
                .setParameter("ids", ids.isEmpty() ? List.of("") : ids)
                .setParameter("skus", skus)
                .getResultList()
                .map(rows -> {
                    Map<String, ListingRow> byId = new HashMap<>();
                    Map<String, ListingRow> bySku = new HashMap<>();
                    for (Object[] r : rows) {
                        ListingRow row = new ListingRow((String) r[0], (String) r[1], readOffers((String) r[2]));
                        byId.put(row.listingId(), row);
                        bySku.put(row.sku(), row);
                    }
                    Map<String, ListingRow> byLine = new HashMap<>();
                    for (OrderLine l : lines) {
                        ListingRow row = l.listingId != null ? byId.get(l.listingId) : bySku.get(l.sku);
                        if (row != null) {
                            byLine.put(l.lineId, row);
                        }
                    }
                    return byLine;
                });
    }

    private List<CatalogEvents.ListingChanged.Offer> readOffers(String json) {
        try {
            return mapper.readValue(json, OFFERS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The suppliers that offer the lines, and their offers of the SKUs in question (by "supplier:sku"). */
    private record Candidates(Map<String, SupplierRow> suppliers, Map<String, OfferRow> offers) {}

    /**
     * The suppliers and their supplier products in one statement: a row per supplier with each of its offers among
     * the SKUs (the offer's columns null where it has none).
     */
    private static Uni<Candidates> catalog(Mutiny.Session s, Set<String> supplierIds, Set<String> skus) {
        if (supplierIds.isEmpty()) {
            return Uni.createFrom().item(new Candidates(Map.of(), Map.of()));
        }
        return s.createNativeQuery(
                        "select s.supplier_id, s.status, s.ship_from_region, cast(s.reliability as float8),"
                                + " p.sku, p.wholesale_price, p.shipping_cost, p.status, cast(p.currency as varchar)"
                                + " from supplier_view s left join supplier_product_view p"
                                + " on p.supplier_id = s.supplier_id and p.sku in (:skus)"
                                + " where s.supplier_id in (:ids)",
                        Object[].class)
                .setParameter("ids", new ArrayList<>(supplierIds))
                .setParameter("skus", new ArrayList<>(skus))
                .getResultList()
                .map(rows -> {
                    Map<String, SupplierRow> suppliers = new HashMap<>();
                    Map<String, OfferRow> offers = new HashMap<>();
                    for (Object[] r : rows) {
                        suppliers.putIfAbsent(
                                (String) r[0],
                                new SupplierRow((String) r[1], (String) r[2], ((Number) r[3]).doubleValue()));
                        if (r[4] != null) {
                            offers.put(
                                    r[0] + ":" + r[4],
                                    new OfferRow(
                                            (BigDecimal) r[5],
                                            (BigDecimal) r[6],
                                            (String) r[7],
                                            ((String) r[8]).strip()));
                        }
                    }
                    return new Candidates(suppliers, offers);
                });
    }

    /**
     * The (line, supplier) pairs refused or rejected before. None on attempt 1: exclusions are written when a supplier
     * order is refused or rejected, and attempt 1 routes an order that has no supplier order yet (a new one, or one
     * held before any was made).
     */
    private static Uni<Set<String>> exclusions(Mutiny.Session s, UUID orderId, int attempt) {
        if (attempt == 1) {
            return Uni.createFrom().item(Set.of());
        }
        return s.createNativeQuery(
                        "select line_id, supplier_id from routing_exclusion where order_id = :orderId", Object[].class)
                .setParameter("orderId", orderId)
                .getResultList()
                .map(rows -> {
                    Set<String> set = new HashSet<>();
                    rows.forEach(r -> set.add(r[0] + "|" + r[1]));
                    return set;
                });
    }
}
