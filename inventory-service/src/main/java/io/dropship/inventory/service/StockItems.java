package io.dropship.inventory.service;

import io.dropship.inventory.domain.StockLevel;
import io.dropship.inventory.domain.StockPolicy;
import io.dropship.inventory.entity.StockItem;
import io.dropship.inventory.messaging.events.StockChanged;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/** Stock per supplier product. Every change commits together with the StockChanged it causes. */
@ApplicationScoped
public class StockItems {

    /** The outcome of a supplier's update: applied, or ignored because a newer one is already in. */
    public record Update(boolean applied, StockItem current) {}

    /** One SKU's absolute quantity, stamped with the supplier's time of count (now when it gives none). */
    public record Quantity(String sku, int quantity, Instant updatedAt) {}

    /**
     * What a bulk update did: how many quantities were applied (of which how many changed the stock, and so were
     * published), and which SKUs were left alone because a newer update is already in.
     */
    public record BulkOutcome(int applied, int changed, List<String> stale) {}

    /**
     * Sets many SKUs' on-hand quantities at once. An update stamped older than the one applied is left out; a newer
     * one is applied even when the quantity is the same (so its time counts against later, older arrivals), but only
     * a quantity that moved is published. {@code old} is read in the statement's own snapshot.
     */
    private static final String BULK = """
            with input as (
              select * from unnest($2::text[], $3::int[], $4::timestamptz[]) as u(sku, qty, stamp)
            ), old as (
              select s.sku, s.on_hand from stock_item s join input i on i.sku = s.sku where s.supplier_id = $1
            ), up as (
              insert into stock_item as s (supplier_id, sku, on_hand, reserved, supplier_updated_at, updated_at)
              select $1, sku, qty, 0, stamp, now() from input
              on conflict (supplier_id, sku) do update
                set on_hand = excluded.on_hand, supplier_updated_at = excluded.supplier_updated_at, updated_at = now()
                where s.supplier_updated_at is null or s.supplier_updated_at <= excluded.supplier_updated_at
              returning s.sku, s.on_hand, s.reserved, s.supplier_updated_at
            )
            select up.sku, up.on_hand, up.reserved, up.supplier_updated_at, old.on_hand is distinct from up.on_hand
            from up left join old on old.sku = up.sku
            """;

    private final Mutiny.SessionFactory sessions;
    private final Pool pool;
    private final Outbox outbox;
    private final StockPolicies policies;

    public StockItems(Mutiny.SessionFactory sessions, Pool pool, Outbox outbox, StockPolicies policies) {
        this.sessions = sessions;
        this.pool = pool;
        this.outbox = outbox;
        this.policies = policies;
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
                                + " returning on_hand, reserved",
                        Object[].class)
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
                    StockLevel level =
                            new StockLevel(supplierId, sku, ((Number) row[0]).intValue(), ((Number) row[1]).intValue());
                    return policies.of(session, supplierId)
                            .chain(policy -> outbox.publish(
                                    session,
                                    StockChanged.TOPIC,
                                    level.supplierProductId(),
                                    StockChanged.of(level, policy, "SUPPLIER_UPDATE", null, stamp)))
                            .chain(() -> find(session, supplierId, sku))
                            .map(current -> new Update(true, current));
                }));
    }

    /**
     * Quantities a bulk update commits at a time. A call of 5,000 used to commit at its end, 2 to 3 s after it began
     * on a busy machine, and its 5,000 events then reached the stores as one lump; in transactions of 500 the first
     * ones are on their way while the rest are written.
     */
    static final int COMMIT_EVERY = 500;

    /**
     * Sets many quantities, {@link #COMMIT_EVERY} at a time, each run in one statement and one transaction with a
     * StockChanged for each quantity that moved. A SKU named twice keeps its newest update (the later one when stamped
     * alike). A failure leaves the runs before it applied: sending the same update again is safe (what is applied
     * already changes nothing and publishes nothing).
     */
    public Uni<BulkOutcome> setMany(String supplierId, List<Quantity> quantities) {
        Map<String, Quantity> bySku = new LinkedHashMap<>();
        Instant now = Instant.now();
        for (Quantity q : quantities) {
            Quantity stamped = q.updatedAt() == null ? new Quantity(q.sku(), q.quantity(), now) : q;
            bySku.merge(q.sku(), stamped, (a, b) -> b.updatedAt().isBefore(a.updatedAt()) ? a : b);
        }
        List<Quantity> all = new ArrayList<>(bySku.values());
        Uni<BulkOutcome> done = Uni.createFrom().item(new BulkOutcome(0, 0, List.of()));
        for (int from = 0; from < all.size(); from += COMMIT_EVERY) {
            List<Quantity> run = all.subList(from, Math.min(all.size(), from + COMMIT_EVERY));
            done = done.chain(sum -> setRun(supplierId, run)
                    .map(o -> new BulkOutcome(
                            sum.applied() + o.applied(),
                            sum.changed() + o.changed(),
                            sum.stale().isEmpty()
                                    ? o.stale()
                                    : java.util.stream.Stream.concat(sum.stale().stream(), o.stale().stream())
                                            .toList())));
        }
        return done;
    }

    /** One run of a bulk update (SKUs distinct): one statement and one transaction. */
    private Uni<BulkOutcome> setRun(String supplierId, List<Quantity> run) {
        int n = run.size();
        String[] skus = new String[n];
        Integer[] qty = new Integer[n];
        OffsetDateTime[] stamps = new OffsetDateTime[n];
        int i = 0;
        for (Quantity q : run) {
            skus[i] = q.sku();
            qty[i] = q.quantity();
            stamps[i] = q.updatedAt().atOffset(ZoneOffset.UTC);
            i++;
        }
        return pool.withTransaction(c -> policies.of(c, supplierId)
                .chain(policy -> c.preparedQuery(BULK)
                        .execute(Tuple.of(supplierId, skus, qty, stamps))
                        .chain(rows -> {
                            List<Outbox.Event> events = new ArrayList<>();
                            java.util.Set<String> applied = new java.util.HashSet<>();
                            for (Row r : rows) {
                                applied.add(r.getString(0));
                                if (Boolean.TRUE.equals(r.getBoolean(4))) {
                                    StockLevel level = new StockLevel(
                                            supplierId, r.getString(0), r.getInteger(1), r.getInteger(2));
                                    events.add(new Outbox.Event(
                                            level.supplierProductId(),
                                            StockChanged.of(
                                                    level,
                                                    policy,
                                                    "SUPPLIER_UPDATE",
                                                    null,
                                                    r.getOffsetDateTime(3).toInstant())));
                                }
                            }
                            List<String> stale = run.stream()
                                    .map(Quantity::sku)
                                    .filter(sku -> !applied.contains(sku))
                                    .toList();
                            return outbox.publishAll(c, StockChanged.TOPIC, events)
                                    .map(published -> new BulkOutcome(applied.size(), published, stale));
                        })));
    }

    /** The supplier's policy as it applies now, defaults filled in. */
    public Uni<StockPolicy> policy(String supplierId) {
        return policies.of(pool, supplierId);
    }

    /**
     * Changes a supplier's policy (a null keeps the default) and re-publishes the stock of every one of its products
     * under it, so the stores show the new share at once.
     */
    public Uni<StockPolicy> setPolicy(String supplierId, Integer showPercent, Integer lowStockThreshold) {
        return pool.withTransaction(c -> c.preparedQuery("insert into stock_policy (supplier_id, show_percent,"
                        + " low_stock_threshold, updated_at) values ($1, $2, $3, now()) on conflict (supplier_id) do update"
                        + " set show_percent = excluded.show_percent, low_stock_threshold = excluded.low_stock_threshold,"
                        + " updated_at = now()")
                .execute(Tuple.of(supplierId, showPercent, lowStockThreshold))
                .chain(() -> policies.of(c, supplierId))
                .chain(policy -> republish(c, supplierId, policy).replaceWith(policy)));
    }

    private Uni<Integer> republish(SqlConnection c, String supplierId, StockPolicy policy) {
        return c.preparedQuery(
                        "select sku, on_hand, reserved, supplier_updated_at from stock_item where supplier_id = $1")
                .execute(Tuple.of(supplierId))
                .chain(rows -> {
                    List<Outbox.Event> events = new ArrayList<>();
                    for (Row r : rows) {
                        StockLevel level = new StockLevel(supplierId, r.getString(0), r.getInteger(1), r.getInteger(2));
                        OffsetDateTime stamp = r.getOffsetDateTime(3);
                        events.add(new Outbox.Event(
                                level.supplierProductId(),
                                StockChanged.of(
                                        level, policy, "POLICY", null, stamp == null ? null : stamp.toInstant())));
                    }
                    return outbox.publishAll(c, StockChanged.TOPIC, events);
                });
    }

    /** The supplier's products below its low-stock threshold, the lowest available first. */
    /** Lowest available first, then by SKU; {@code cursor} continues after the page that answered it. */
    public Uni<Page<StockItem>> low(String supplierId, int limit, String cursor) {
        String[] after = Cursors.decode(cursor, 2);
        return policies.of(pool, supplierId)
                .chain(policy -> sessions.withSession(s -> {
                    var query = s.createSelectionQuery(
                                    "from StockItem where key.supplierId = :supplier"
                                            + " and greatest(onHand - reserved, 0) < :threshold"
                                            + (after == null
                                                    ? ""
                                                    : " and (greatest(onHand - reserved, 0) > :available"
                                                            + " or (greatest(onHand - reserved, 0) = :available and key.sku > :sku))")
                                            + " order by greatest(onHand - reserved, 0), key.sku",
                                    StockItem.class)
                            .setParameter("supplier", supplierId)
                            .setParameter("threshold", policy.lowStockThreshold());
                    if (after != null) {
                        query.setParameter("available", Cursors.part(after[0], Integer::valueOf))
                                .setParameter("sku", after[1]);
                    }
                    return query.setMaxResults(limit + 1).getResultList();
                }))
                .map(rows -> Page.of(rows, limit, i -> new Object[] {Math.max(i.onHand - i.reserved, 0), i.key.sku()}));
    }

    public Uni<StockItem> get(String supplierId, String sku) {
        return sessions.withSession(s -> find(s, supplierId, sku)).map(item -> {
            if (item == null) {
                throw ProblemException.notFound("stock for SKU " + sku);
            }
            return item;
        });
    }

    /** By SKU; {@code cursor} continues after the page that answered it. */
    public Uni<Page<StockItem>> list(String supplierId, int limit, String cursor) {
        String after = Cursors.after(cursor);
        return sessions.withSession(s -> s.createSelectionQuery(
                                "from StockItem where key.supplierId = :supplier"
                                        + " and key.sku > :after order by key.sku",
                                StockItem.class)
                        .setParameter("supplier", supplierId)
                        .setParameter("after", after == null ? "" : after)
                        .setMaxResults(limit + 1)
                        .getResultList())
                .map(rows -> Page.of(rows, limit, i -> new Object[] {i.key.sku()}));
    }

    private static Uni<StockItem> find(Mutiny.Session session, String supplierId, String sku) {
        return session.find(StockItem.class, new StockItem.Key(supplierId, sku))
                .call(item -> item == null ? Uni.createFrom().nullItem() : session.refresh(item));
    }
}
