package io.dropship.gateway.stock;

import static io.dropship.platform.sql.SqlValues.instant;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.work.Backoff;
import io.dropship.platform.work.WorkQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What each store should show of each listing, and what it was last known to show. Supplier stock (StockChanged)
 * and the listing's offers (ListingChanged) give a listing its target: the sum over its supplier products of what
 * stores may be shown, under the retailer's own percentage where it set one, else under the supplier's. A listing
 * whose target moved is pending; a sync claims pending listings with a lease and sends each one's latest target, so
 * any number of changes before its turn cost one store call. What the store took is recorded per listing, only if
 * no newer target arrived meanwhile (then it stays pending).
 */
@ApplicationScoped
public class StockTargets {

    /** One supplier product's stock as StockChanged carries it. */
    public record SupplierStock(
            String supplierProductId, int available, int shown, int showPercent, boolean lowStock, Instant changedAt) {}

    /** A claimed listing: the target to send, what the store was last known to show, and the version claimed. */
    public record Due(
            String listingId,
            String storeId,
            String retailerId,
            String sku,
            String storeProductId,
            String storeVariantId,
            String inventoryItemId,
            int target,
            Integer inStore,
            boolean hidden,
            String outOfStockAction,
            long version,
            int attempts) {

        /** Whether the store should hide the product (the retailer hides sold-out products) or show it again. */
        public boolean shouldHide() {
            return "HIDE".equals(outOfStockAction) && target == 0;
        }
    }

    /**
     * The targets of the listings behind the given supplier products (or the given listings), recomputed; only a
     * target that moved makes its listing pending. A pending listing keeps its place (and any backoff it is in).
     */
    static final String AFFECTED = """
              select distinct listing_id from listing_offer where supplier_product_id = any($1::text[])
              union select unnest($2::text[])
            """;

    static final String RETARGET = """
            with affected as (""" + AFFECTED + """
            ), target as (
              select l.listing_id,
                     sum(case when r.show_percent is null then s.shown
                              else (s.available::bigint * r.show_percent / 100)::int end)::int as qty
              from affected a
              join store_listing l on l.listing_id = a.listing_id
              join listing_offer o on o.listing_id = l.listing_id
              join stock_view s on s.supplier_product_id = o.supplier_product_id
              left join retailer_stock_settings r on r.retailer_id = l.retailer_id
              group by l.listing_id
            )
            update store_listing l set stock_target = t.qty, stock_version = l.stock_version + 1, stock_changed_at = now(),
                stock_next_at = case when l.stock_pending then l.stock_next_at else now() end,
                stock_attempts = case when l.stock_pending then l.stock_attempts else 0 end,
                stock_pending = true
            from target t
            where l.listing_id = t.listing_id and l.stock_target is distinct from t.qty
            """;

    private final Pool pool;
    private final GatewayConfig.StorePush config;
    /** Stock to send, claimed with a lease of two minutes. */
    private final WorkQueue queue;

    private final MeterRegistry meters;

    /** The syncer's wake-up, run once work it should look at is committed (a no-op until the syncer starts). */
    private volatile Runnable due = () -> {};

    /** Set by the syncer at start. */
    public void whenDue(Runnable wake) {
        this.due = wake;
    }

    /** Wakes the syncer: its work was committed, here or by a caller whose transaction made it. */
    public void workCommitted() {
        due.run();
    }

    public StockTargets(Pool pool, GatewayConfig config, MeterRegistry meters) {
        this.pool = pool;
        this.meters = meters;
        this.config = config.storePush();
        this.queue = WorkQueue.of(
                        "store_listing",
                        "listing_id",
                        java.time.Duration.ofMinutes(2),
                        new Backoff(this.config.backoffInitial(), this.config.backoffMax()),
                        this.config.maxAttempts())
                .columns("stock_lease_until", "stock_attempts");
    }

    /**
     * Takes in a batch of supplier stock (the newest per product first coalesced by the caller); an older change than
     * the one kept changes nothing. Then re-targets the listings behind them. One transaction.
     */
    public Uni<Integer> supplierStock(List<SupplierStock> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = batch.size();
        String[] ids = new String[n];
        Integer[] available = new Integer[n];
        Integer[] shown = new Integer[n];
        Integer[] percent = new Integer[n];
        Boolean[] low = new Boolean[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            SupplierStock s = batch.get(i);
            ids[i] = s.supplierProductId();
            available[i] = s.available();
            shown[i] = s.shown();
            percent[i] = s.showPercent();
            low[i] = s.lowStock();
            at[i] = s.changedAt().atOffset(ZoneOffset.UTC);
        }
        // The products' locks first (as the ListingChanged transaction takes them for its offers): of a stock change
        // and a new offer for the same product committing at once, the second sees the first, so the listing's target
        // is computed by one of them (read committed alone lets each miss the other's row, and the listing never gets
        // stock until the product's next change).
        return pool.withTransaction(c -> c.preparedQuery(LOCK_PRODUCTS)
                        .execute(Tuple.of((Object) ids))
                        .chain(locked -> c.preparedQuery("""
                        insert into stock_view as s (supplier_product_id, available, shown, show_percent, low_stock, changed_at)
                        select * from unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::bool[], $6::timestamptz[])
                        on conflict (supplier_product_id) do update set available = excluded.available, shown = excluded.shown,
                            show_percent = excluded.show_percent, low_stock = excluded.low_stock, changed_at = excluded.changed_at
                        where s.changed_at <= excluded.changed_at
                        returning supplier_product_id, low_stock""")
                                .execute(Tuple.of(ids, available, shown, percent, low)
                                        .addArrayOfOffsetDateTime(at))
                                .chain(rows -> {
                                    List<String> changed = new ArrayList<>();
                                    List<String> lowNow = new ArrayList<>();
                                    rows.forEach(r -> {
                                        changed.add(r.getString(0));
                                        if (Boolean.TRUE.equals(r.getBoolean(1))) {
                                            lowNow.add(r.getString(0));
                                        }
                                    });
                                    String[] products = changed.toArray(String[]::new);
                                    // The alerts first: the listings' rows, which the stock syncers record their
                                    // calls in, stay locked only from the re-target to the commit.
                                    return lowStock(c, lowNow.toArray(String[]::new), products)
                                            .chain(() -> retarget(c, products, new String[0]));
                                })))
                .invoke(retargeted -> {
                    if (retargeted > 0) {
                        due.run();
                    }
                });
    }

    /** Each supplier product's transaction lock, in one order (the products' ids sorted), so two takers never deadlock. */
    static final String LOCK_PRODUCTS = "select count(pg_advisory_xact_lock(hashtext('supplier-stock:' || p)))"
            + " from (select distinct p from unnest($1::text[]) as p order by p) sorted";

    /**
     * The retailer is told (LOW_STOCK, a daily digest unless it chose otherwise) of each listing that this batch made
     * run low: every supplier product behind it below its supplier's threshold. Once until it is not low any more.
     * The notification rows are written here, in the batch's transaction, as {@code Notifications.notify} writes them.
     */
    static final String LOW_STOCK = """
            with affected as (
              select o.listing_id from listing_offer o where o.supplier_product_id = any($1::text[])
              union
              select o.listing_id from listing_offer o join low_stock_alert x on x.listing_id = o.listing_id
              where o.supplier_product_id = any($2::text[])
            ), state as (
              select l.listing_id, l.retailer_id, l.sku, l.title, sum(s.available)::int as available, bool_and(s.low_stock) as low
              from store_listing l join affected a on a.listing_id = l.listing_id
              join listing_offer o on o.listing_id = l.listing_id
              join stock_view s on s.supplier_product_id = o.supplier_product_id
              group by l.listing_id, l.retailer_id, l.sku, l.title
            ), cleared as (
              delete from low_stock_alert x using state st where x.listing_id = st.listing_id and not st.low
            ), fresh as (
              insert into low_stock_alert (listing_id, alerted_at) select listing_id, now() from state where low
              on conflict do nothing returning listing_id
            )
            insert into notification (account_id, kind, title, body, link, subject_id, event_key, created_at, email_status,
                                      email_next_at)
            select a.id, 'LOW_STOCK', left('Running low: ' || st.title, 300),
                   'Only ' || st.available || ' left at its suppliers for ' || st.sku
                       || '. Add a backup supplier to the listing, or expect it to sell out.',
                   '/api/stock/low', st.listing_id, 'low:' || st.listing_id || ':' || (extract(epoch from now()) * 1000)::bigint,
                   now(),
                   case when coalesce(p.channel, 'EMAIL') = 'EMAIL' and a.email_verified_at is not null
                        then case when coalesce(p.cadence, 'DAILY') = 'DAILY' then 'DIGEST' else 'PENDING' end else 'NONE' end,
                   now()
            from fresh f join state st on st.listing_id = f.listing_id
            join account a on a.kind = 'RETAILER' and a.tenant_id = st.retailer_id
            left join notification_preference p on p.account_id = a.id and p.kind = 'LOW_STOCK'
            where coalesce(p.channel, 'EMAIL') <> 'OFF'
            on conflict (account_id, event_key) do nothing""";

    /**
     * {@link #LOW_STOCK} over the listings this batch can move: a listing runs low only if a product of the batch is
     * low now (all of its products are), and stops being low only if it was told it is. The others (most of a burst)
     * are not looked at.
     */
    private Uni<Void> lowStock(SqlClient c, String[] lowNow, String[] changed) {
        if (changed.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery(LOW_STOCK)
                .execute(Tuple.of(lowNow, changed))
                .invoke(rows -> meters.counter("dropship.notifications", "kind", "LOW_STOCK")
                        .increment(rows.rowCount()))
                .replaceWithVoid();
    }

    /** A supplier product behind a listing, at its priority (0 the primary). */
    public record Offer(String listingId, String supplierProductId, int priority) {}

    /**
     * The listings' supplier products, as their newest ListingChanged names them, then their targets: in the
     * transaction that takes in the ListingChanged events. The products' locks come first, as for stock.
     */
    public Uni<Void> offers(SqlClient c, List<String> listingIds, List<Offer> offers) {
        if (listingIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] listings = new String[offers.size()];
        String[] products = new String[offers.size()];
        Integer[] priorities = new Integer[offers.size()];
        for (int i = 0; i < listings.length; i++) {
            listings[i] = offers.get(i).listingId();
            products[i] = offers.get(i).supplierProductId();
            priorities[i] = offers.get(i).priority();
        }
        String[] ids = listingIds.toArray(String[]::new);
        return c.preparedQuery(LOCK_PRODUCTS)
                .execute(Tuple.of((Object) products))
                .chain(() -> c.preparedQuery("delete from listing_offer where listing_id = any($1::text[])")
                        .execute(Tuple.of((Object) ids)))
                .chain(() -> c.preparedQuery("insert into listing_offer (listing_id, supplier_product_id, priority)"
                                + " select * from unnest($1::text[], $2::text[], $3::int[]) on conflict do nothing")
                        .execute(Tuple.of(listings, products, priorities)))
                .chain(() -> retarget(c, new String[0], ids))
                .replaceWithVoid();
    }

    /** Every listing of the retailer, re-targeted (its settings changed). */
    public Uni<Integer> retargetRetailer(SqlClient c, String retailerId) {
        return c.preparedQuery("select listing_id from store_listing where retailer_id = $1")
                .execute(Tuple.of(retailerId))
                .chain(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString(0)));
                    return retarget(c, new String[0], ids.toArray(String[]::new));
                });
    }

    Uni<Integer> retarget(SqlClient c, String[] supplierProductIds, String[] listingIds) {
        return c.preparedQuery(RETARGET)
                .execute(Tuple.of(supplierProductIds, listingIds))
                .map(r -> r.rowCount());
    }

    /**
     * Pending listings that are due and already in their store (a product not yet created has nowhere to put its
     * stock; its first sync makes it due), leased to this caller; none of the stores still being worked on.
     */
    public Uni<List<Due>> claim(int limit, String[] busyStores) {
        return claim("store_id <> all($2::text[])", limit, busyStores);
    }

    /** As {@link #claim}, one store's: its lane takes the next of its work as soon as it is done with the last. */
    public Uni<List<Due>> claimStore(int limit, String storeId) {
        return claim("store_id = $2", limit, storeId);
    }

    private Uni<List<Due>> claim(String stores, int limit, Object storeParameter) {
        return pool.preparedQuery(queue.claimSql(
                        "stock_pending and stock_next_at <= now() and store_variant_id is not null and " + stores,
                        null,
                        "stock_next_at",
                        "$1",
                        """
                        listing_id, store_id, retailer_id, sku, store_product_id, store_variant_id,
                          inventory_item_id, stock_target, stock_in_store, stock_hidden,
                          coalesce((select out_of_stock_action from retailer_stock_settings r
                            where r.retailer_id = store_listing.retailer_id), 'ZERO'),
                          stock_version, stock_attempts"""))
                .execute(Tuple.of(limit, storeParameter))
                .map(rows -> {
                    List<Due> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Due(
                                r.getString(0),
                                r.getString(1),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                r.getString(5),
                                r.getString(6),
                                r.getInteger(7),
                                r.getInteger(8),
                                r.getBoolean(9),
                                r.getString(10),
                                r.getLong(11),
                                r.getInteger(12)));
                    }
                    return out;
                });
    }

    /**
     * The store now shows {@code quantity} (and is hidden or not): recorded, and the listing is done unless its target
     * moved since the claim.
     */
    public Uni<Void> synced(Due d, int quantity, boolean hidden) {
        return pool.preparedQuery("""
                        update store_listing set stock_in_store = $2, stock_hidden = $3, stock_lease_until = null,
                            stock_error = null, stock_synced_at = now(),
                            stock_pending = stock_version <> $4, stock_attempts = case when stock_version = $4 then 0 else stock_attempts end,
                            stock_next_at = case when stock_version = $4 then null else now() end
                        where listing_id = $1""")
                .execute(Tuple.of(d.listingId(), quantity, hidden, d.version()))
                .replaceWithVoid();
    }

    /** A listing the store took: it holds the claimed target now, and hides the product or not. */
    public record Took(Due due, boolean hidden) {}

    /**
     * What one store call took, recorded with one statement (as {@link #synced} records each): a store call of 100 or
     * 250 listings costs one round trip, not one per listing, so the calls follow each other at the store's rate. Rows
     * that a batch of stock holds at that moment ({@link #RETARGET}, in its transaction) are skipped and recorded one
     * at a time after it: a statement that waits holds no other row, so the two never deadlock (one statement for
     * all of them deadlocked with the batches, 60 times in one stock bench).
     */
    public Uni<Void> syncedAll(List<Took> took) {
        if (took.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = took.size();
        String[] ids = new String[n];
        Integer[] quantities = new Integer[n];
        Boolean[] hidden = new Boolean[n];
        Long[] versions = new Long[n];
        for (int i = 0; i < n; i++) {
            Took t = took.get(i);
            ids[i] = t.due().listingId();
            quantities[i] = t.due().target();
            hidden[i] = t.hidden();
            versions[i] = t.due().version();
        }
        return pool.preparedQuery("""
                        with locked as materialized (
                          select listing_id from store_listing where listing_id = any($1::text[])
                          for update skip locked
                        )
                        update store_listing l set stock_in_store = v.quantity, stock_hidden = v.hidden,
                            stock_lease_until = null, stock_error = null, stock_synced_at = now(),
                            stock_pending = l.stock_version <> v.version,
                            stock_attempts = case when l.stock_version = v.version then 0 else l.stock_attempts end,
                            stock_next_at = case when l.stock_version = v.version then null else now() end
                        from unnest($1::text[], $2::int[], $3::bool[], $4::int8[]) as v(listing_id, quantity, hidden, version)
                        join locked k on k.listing_id = v.listing_id
                        where l.listing_id = v.listing_id
                        returning l.listing_id""")
                .execute(Tuple.of(ids, quantities, hidden, versions))
                .chain(updated -> io.dropship.gateway.stores.StoreWork.eachNotUpdated(
                        updated,
                        took,
                        t -> t.due().listingId(),
                        t -> synced(t.due(), t.due().target(), t.hidden())));
    }

    /** The store's quantity is not what was last sent (it sold some, or someone changed it): known now, due again soon. */
    public Uni<Void> inStore(Due d, Integer quantity, Duration retryIn, String why) {
        return pool.preparedQuery(
                        "update store_listing set stock_in_store = $2, stock_lease_until = null, stock_error = $3,"
                                + " stock_next_at = now() + make_interval(secs => $4) where listing_id = $1")
                .execute(Tuple.of(d.listingId(), quantity, SqlValues.fit(why, 1000), retryIn.toMillis() / 1000.0))
                .replaceWithVoid();
    }

    /**
     * The call failed: retried after the store's wait or the backoff; refused outright, it waits for the next target
     * or a reconciliation. The error is kept with the store's words either way.
     */
    public Uni<Void> failed(Due d, String error, boolean retry, Duration after) {
        WorkQueue.Retry next = queue.afterFailure(d.attempts(), after);
        boolean again = retry && !next.giveUp();
        Duration wait = next.after();
        return pool.preparedQuery("""
                        update store_listing set stock_error = $2, stock_lease_until = null,
                            stock_next_at = case when $3 then now() + make_interval(secs => $4)
                                                 when stock_version <> $5 then now() else null end,
                            stock_pending = $3 or stock_version <> $5
                        where listing_id = $1""")
                .execute(Tuple.of(
                        d.listingId(),
                        SqlValues.fit(
                                again || !retry ? error : error + " (gave up after " + d.attempts() + " attempts)",
                                1000),
                        again,
                        wait.toMillis() / 1000.0,
                        d.version()))
                .replaceWithVoid();
    }

    /** Keeps the shop's location once looked up; the syncers read it with the store's connection. */
    public Uni<Void> location(String storeId, String locationId) {
        return pool.preparedQuery("update store_connection set stock_location_id = $2 where id = $1")
                .execute(Tuple.of(storeId, locationId))
                .replaceWithVoid();
    }

    /** The next store whose stock is due to be read back, marked as being reconciled now; null when none is due. */
    public Uni<String> nextToReconcile(Duration every) {
        return pool.preparedQuery("""
                        update store_connection set stock_reconciled_at = now() where id = (
                          select id from store_connection where status = 'ACTIVE' and platform in ('SHOPIFY', 'WOOCOMMERCE')
                            and (stock_reconciled_at is null or stock_reconciled_at < now() - make_interval(secs => $1))
                          order by stock_reconciled_at nulls first limit 1 for update skip locked)
                        returning id""")
                .execute(Tuple.of(every.toMillis() / 1000.0))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** A listing as the store should hold it now: synced and not pending, so what it was last sent is what it should show. */
    public record Settled(String listingId, String storeProductId, String inventoryItemId, int inStore) {}

    public Uni<List<Settled>> settled(String storeId, String afterListingId, int limit) {
        return pool.preparedQuery(
                        "select listing_id, store_product_id, inventory_item_id, stock_in_store from store_listing"
                                + " where store_id = $1 and listing_id > $2 and store_variant_id is not null and stock_in_store is not null"
                                + " and not stock_pending order by listing_id limit $3")
                .execute(Tuple.of(storeId, afterListingId, limit))
                .map(rows -> {
                    List<Settled> out = new ArrayList<>();
                    rows.forEach(
                            r -> out.add(new Settled(r.getString(0), r.getString(1), r.getString(2), r.getInteger(3))));
                    return out;
                });
    }

    /**
     * The store shows another quantity than it was sent (a lost webhook, a hand edit): known now, and the listing is
     * due, so the next sync sets its target again. Nothing happens if the listing changed since it was read.
     */
    public Uni<Boolean> drifted(String listingId, int expected, Integer actual) {
        return pool.preparedQuery(
                        "update store_listing set stock_in_store = $3, stock_pending = true, stock_next_at = now(),"
                                + " stock_error = $4 where listing_id = $1 and not stock_pending and stock_in_store = $2")
                .execute(Tuple.of(
                        listingId,
                        expected,
                        actual,
                        "the store showed " + (actual == null ? "no stock figure" : actual) + " instead of " + expected
                                + "; corrected"))
                .map(r -> r.rowCount() > 0)
                .invoke(marked -> {
                    if (marked) {
                        due.run();
                    }
                });
    }

    /** A retailer's own stock settings; null fields mean the defaults (the supplier's share; ZERO). */
    public record Settings(Integer showPercent, String outOfStockAction) {}

    public Uni<Settings> settings(String retailerId) {
        return pool.preparedQuery(
                        "select show_percent, out_of_stock_action from retailer_stock_settings where retailer_id = $1")
                .execute(Tuple.of(retailerId))
                .map(rows -> rows.size() == 0
                        ? new Settings(null, "ZERO")
                        : new Settings(
                                rows.iterator().next().getInteger(0),
                                rows.iterator().next().getString(1)));
    }

    /** Sets the retailer's settings and re-targets all its listings; those whose quantity moved become pending. */
    public Uni<Settings> settings(String retailerId, Settings settings) {
        return pool.withTransaction(c -> c.preparedQuery(
                                "insert into retailer_stock_settings (retailer_id, show_percent,"
                                        + " out_of_stock_action, updated_at) values ($1, $2, $3, now()) on conflict (retailer_id) do update"
                                        + " set show_percent = excluded.show_percent, out_of_stock_action = excluded.out_of_stock_action,"
                                        + " updated_at = now()")
                        .execute(Tuple.of(retailerId, settings.showPercent(), settings.outOfStockAction()))
                        // Hiding or showing sold-out products is a change for every sold-out listing, whatever its
                        // target.
                        .chain(() -> c.preparedQuery("update store_listing set stock_pending = true,"
                                        + " stock_next_at = coalesce(stock_next_at, now()) where retailer_id = $1 and stock_target = 0"
                                        + " and stock_hidden <> ($2 = 'HIDE')")
                                .execute(Tuple.of(retailerId, settings.outOfStockAction())))
                        .chain(() -> retargetRetailer(c, retailerId)))
                .invoke(() -> due.run())
                .replaceWith(settings);
    }

    /** One store's stock sync, as its retailer sees it. */
    public record StoreStatus(
            String storeId,
            String platform,
            String shopDomain,
            long listings,
            long stockPending,
            long stockErrors,
            Instant lastStockSyncAt,
            long listingsPending,
            long listingErrors,
            Instant lastListingSyncAt,
            List<StoreError> errors) {}

    /** A listing whose last store call failed, with the store's words. */
    public record StoreError(String listingId, String sku, String kind, String error, Instant nextAttemptAt) {}

    public Uni<List<StoreStatus>> status(String retailerId) {
        return pool.preparedQuery("""
                        select c.id, c.platform, c.shop_domain, count(l.listing_id),
                               count(*) filter (where l.stock_pending and l.store_variant_id is not null),
                               count(*) filter (where l.stock_error is not null),
                               max(l.stock_synced_at),
                               count(*) filter (where l.sync_status = 'PENDING'),
                               count(*) filter (where l.sync_status = 'ERROR'),
                               max(l.synced_at)
                        from store_connection c left join store_listing l on l.store_id = c.id
                        where ($1::text is null or c.retailer_id = $1)
                        group by c.id, c.platform, c.shop_domain order by c.id""").execute(Tuple.of(retailerId)).chain(rows -> {
            List<StoreStatus> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new StoreStatus(
                        r.getString(0),
                        r.getString(1),
                        r.getString(2),
                        r.getLong(3),
                        r.getLong(4),
                        r.getLong(5),
                        instant(r.getOffsetDateTime(6)),
                        r.getLong(7),
                        r.getLong(8),
                        instant(r.getOffsetDateTime(9)),
                        new ArrayList<>()));
            }
            return pool.preparedQuery("""
                                    select * from (
                                      select store_id, listing_id, sku, 'STOCK' as kind, stock_error as error, stock_next_at as next_at,
                                             row_number() over (partition by store_id order by updated_at desc) as n
                                      from store_listing where stock_error is not null and ($1::text is null or retailer_id = $1)
                                      union all
                                      select store_id, listing_id, sku, 'LISTING', last_error, next_attempt_at,
                                             row_number() over (partition by store_id order by updated_at desc)
                                      from store_listing where sync_status = 'ERROR' and ($1::text is null or retailer_id = $1)
                                    ) e where n <= 20 order by store_id, kind, listing_id""").execute(Tuple.of(retailerId)).map(errors -> {
                for (Row e : errors) {
                    out.stream()
                            .filter(st -> st.storeId().equals(e.getString(0)))
                            .findFirst()
                            .ifPresent(st -> st.errors()
                                    .add(new StoreError(
                                            e.getString(1),
                                            e.getString(2),
                                            e.getString(3),
                                            e.getString(4),
                                            instant(e.getOffsetDateTime(5)))));
                }
                return out;
            });
        });
    }

    /** A listing running low: its supplier products' available stock is below their suppliers' thresholds. */
    public record LowStock(
            String listingId,
            String storeId,
            String sku,
            Integer quantity,
            int available,
            List<String> supplierProductIds) {}

    /** Lowest available first, then by listing id; after the given pair when one is given. */
    public Uni<List<LowStock>> low(String retailerId, Integer afterAvailable, String afterListing, int limit) {
        return pool.preparedQuery("""
                        select l.listing_id, l.store_id, l.sku, l.stock_target, sum(s.available)::int,
                               array_agg(s.supplier_product_id order by o.priority)
                        from store_listing l join listing_offer o on o.listing_id = l.listing_id
                        join stock_view s on s.supplier_product_id = o.supplier_product_id
                        where ($1::text is null or l.retailer_id = $1)
                        group by l.listing_id, l.store_id, l.sku, l.stock_target
                        having bool_and(s.low_stock) and ($3::int is null
                          or (sum(s.available)::int, l.listing_id) > ($3::int, $4::text))
                        order by sum(s.available), l.listing_id limit $2""")
                .execute(Tuple.of(retailerId, limit, afterAvailable, afterListing))
                .map(rows -> {
                    List<LowStock> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new LowStock(
                                r.getString(0),
                                r.getString(1),
                                r.getString(2),
                                r.getInteger(3),
                                r.getInteger(4),
                                List.of(r.getArrayOfStrings(5))));
                    }
                    return out;
                });
    }

    /** Pending stock updates and stock errors of one store, for the metrics. */
    public record StoreFigures(String storeId, String platform, long pending, long errors) {}

    public Uni<List<StoreFigures>> pendingAndFailedByStore() {
        return pool.preparedQuery("select c.id, c.platform,"
                        + " count(l.listing_id) filter (where l.stock_pending and l.store_variant_id is not null),"
                        + " count(l.listing_id) filter (where l.stock_error is not null)"
                        + " from store_connection c left join store_listing l on l.store_id = c.id where c.status = 'ACTIVE'"
                        + " group by c.id, c.platform")
                .execute()
                .map(rows -> {
                    List<StoreFigures> out = new ArrayList<>();
                    rows.forEach(
                            r -> out.add(new StoreFigures(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3))));
                    return out;
                });
    }
}
