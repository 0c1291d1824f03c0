package io.dropship.gateway.listings;

import static io.dropship.platform.sql.SqlValues.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.messaging.events.ListingChanged;
import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.work.Backoff;
import io.dropship.platform.work.WorkQueue;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The listings the gateway keeps in stores: the version each store should show, the store's own product and
 * variant ids once it has created them, and the sync state. A newer ListingChanged replaces an older one and
 * makes the listing due again; an older one arriving late changes nothing. Syncs are claimed with a lease, so
 * several gateway instances share them and a crashed one's are picked up again.
 */
@ApplicationScoped
public class StoreListings {

    /** A claimed listing, as it was when claimed: a sync reports success only for the version it sent. */
    public record Claimed(
            String listingId,
            String storeId,
            String sku,
            String title,
            String description,
            List<String> images,
            BigDecimal price,
            BigDecimal compareAtPrice,
            String status,
            Instant changedAt,
            String storeProductId,
            String storeVariantId,
            int attempts,
            boolean stockHidden) {

        /** Shown in the store: an active listing that is not hidden for being sold out. */
        public boolean visible() {
            return "ACTIVE".equals(status) && !stockHidden;
        }
    }

    /** A listing's sync state as a retailer sees it. */
    public record View(
            String listingId,
            String storeId,
            String sku,
            String title,
            BigDecimal price,
            BigDecimal compareAtPrice,
            String currency,
            String status,
            String syncStatus,
            String lastError,
            String storeProductId,
            String storeVariantId,
            int attempts,
            Instant nextAttemptAt,
            Instant syncedAt,
            Instant changedAt) {}

    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper mapper;
    private final GatewayConfig.StorePush config;
    /** Syncs to make, claimed with a lease (the calls of a round take at most 20 timeouts). */
    private final WorkQueue queue;

    private final io.dropship.gateway.notifications.Notifications notifications;

    private final io.vertx.mutiny.sqlclient.Pool pool;

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

    public StoreListings(
            Mutiny.SessionFactory sessions,
            io.vertx.mutiny.sqlclient.Pool pool,
            ObjectMapper mapper,
            GatewayConfig config,
            io.dropship.gateway.notifications.Notifications notifications) {
        this.sessions = sessions;
        this.pool = pool;
        this.notifications = notifications;
        this.mapper = mapper;
        this.config = config.storePush();
        this.queue = WorkQueue.of(
                "store_listing",
                "listing_id",
                this.config.timeout().multipliedBy(20),
                new Backoff(this.config.backoffInitial(), this.config.backoffMax()),
                this.config.maxAttempts());
    }

    /**
     * Records the listings as their stores should show them, with one statement, in the transaction that takes in
     * their events (one event per listing: the caller keeps each listing's newest). A store that is not one of the
     * retailer's connected stores is recorded as ERROR, with nothing sent.
     *
     * @return the listings recorded; one whose newer version is already kept changed nothing and is not among them
     */
    public Uni<List<String>> recordAll(io.vertx.mutiny.sqlclient.SqlClient c, List<ListingChanged> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = batch.size();
        String[][] text = new String[11][n];
        java.time.OffsetDateTime[] changed = new java.time.OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ListingChanged l = batch.get(i);
            try {
                text[6][i] = mapper.writeValueAsString(l.images() == null ? List.of() : l.images());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            text[0][i] = l.listingId();
            text[1][i] = l.storeId();
            text[2][i] = l.retailerId();
            text[3][i] = l.sku();
            text[4][i] = l.title();
            text[5][i] = l.description();
            text[7][i] = l.price().toPlainString();
            text[8][i] = l.compareAtPrice() == null ? null : l.compareAtPrice().toPlainString();
            text[9][i] = l.currency();
            text[10][i] = l.status() == null ? "ACTIVE" : l.status();
            changed[i] = l.changedAt().atOffset(java.time.ZoneOffset.UTC);
        }
        io.vertx.mutiny.sqlclient.Tuple args = io.vertx.mutiny.sqlclient.Tuple.tuple();
        for (String[] column : text) {
            args.addArrayOfString(column);
        }
        args.addArrayOfOffsetDateTime(changed);
        return c.preparedQuery("""
                        insert into store_listing as sl (listing_id, store_id, retailer_id, sku, title, description,
                            images, price, compare_at_price, currency, status, changed_at, sync_status, last_error,
                            attempts, next_attempt_at, updated_at)
                        select u.id, u.store, u.retailer, u.sku, u.title, u.description, u.images::jsonb,
                            u.price::numeric, u.compare::numeric, u.currency, u.status, u.changed,
                            case when c.id is null then 'ERROR' else 'PENDING' end,
                            case when c.id is null then 'store ' || u.store || ' is not a connected store of retailer '
                                || u.retailer || '; nothing was sent' end,
                            0, case when c.id is null then null else now() end, now()
                        from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                    $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])
                            as u(id, store, retailer, sku, title, description, images, price, compare, currency, status, changed)
                        left join store_connection c on c.id = u.store and c.retailer_id = u.retailer
                        on conflict (listing_id) do update set
                            store_product_id = case when sl.store_id = excluded.store_id then sl.store_product_id end,
                            store_variant_id = case when sl.store_id = excluded.store_id then sl.store_variant_id end,
                            inventory_item_id = case when sl.store_id = excluded.store_id then sl.inventory_item_id end,
                            stock_in_store = case when sl.store_id = excluded.store_id then sl.stock_in_store end,
                            stock_hidden = sl.stock_hidden and sl.store_id = excluded.store_id,
                            store_id = excluded.store_id, retailer_id = excluded.retailer_id, sku = excluded.sku,
                            title = excluded.title, description = excluded.description, images = excluded.images,
                            price = excluded.price, compare_at_price = excluded.compare_at_price,
                            currency = excluded.currency, status = excluded.status, changed_at = excluded.changed_at,
                            sync_status = excluded.sync_status, last_error = excluded.last_error, attempts = 0,
                            next_attempt_at = excluded.next_attempt_at, updated_at = now()
                        where sl.changed_at < excluded.changed_at
                        returning sl.listing_id""").execute(args).map(rows -> {
            List<String> recorded = new ArrayList<>();
            rows.forEach(r -> recorded.add(r.getString(0)));
            return recorded;
        });
    }

    /**
     * Due listings, leased to this caller; another instance skips them until the lease runs out. None of the stores
     * still being worked on ({@code busyStores}).
     */
    @SuppressWarnings("unchecked")
    public Uni<List<Claimed>> claim(int limit, String[] busyStores) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                        queue.claimSql(
                                "next_attempt_at <= now() and store_id <> all(string_to_array(cast(:busy as text), ','))",
                                null,
                                "next_attempt_at",
                                ":n",
                                "listing_id, store_id, sku, title, description, cast(images as text), price,"
                                        + " compare_at_price, status, changed_at, store_product_id, store_variant_id, attempts, stock_hidden"),
                        Object[].class)
                .setParameter("n", limit)
                .setParameter("busy", String.join(",", busyStores))
                .getResultList()
                .map(rows -> rows.stream().map(this::claimed).toList()));
    }

    private Claimed claimed(Object[] r) {
        List<String> images;
        try {
            images = mapper.readValue((String) r[5], new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            images = List.of();
        }
        return new Claimed(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                images,
                (BigDecimal) r[6],
                (BigDecimal) r[7],
                (String) r[8],
                instant(r[9]),
                (String) r[10],
                (String) r[11],
                ((Number) r[12]).intValue(),
                Boolean.TRUE.equals(r[13]));
    }

    /**
     * The store has the claimed version: its ids are kept, and the listing is SYNCED unless a newer version arrived
     * meanwhile (then it stays due, and the next sync updates the product the store now has).
     */
    public Uni<Void> synced(Claimed c, String productId, String variantId, String inventoryItemId) {
        return sessions.withTransaction(s -> s.createNativeQuery("update store_listing set"
                                + " store_product_id = coalesce(:p, store_product_id), store_variant_id = coalesce(:v, store_variant_id),"
                                + " inventory_item_id = coalesce(:i, inventory_item_id),"
                                // A product the store now has can take its stock: due at once if the store does not
                                // show it yet.
                                + " stock_pending = stock_pending or (stock_target is not null and stock_in_store is distinct from stock_target),"
                                + " stock_next_at = case when stock_pending or (stock_target is not null"
                                + " and stock_in_store is distinct from stock_target) then coalesce(stock_next_at, now()) end,"
                                + " lease_until = null, updated_at = now(),"
                                + " sync_status = case when changed_at = :c then 'SYNCED' else sync_status end,"
                                + " last_error = case when changed_at = :c then null else last_error end,"
                                + " synced_at = case when changed_at = :c then now() else synced_at end,"
                                + " attempts = case when changed_at = :c then 0 else attempts end,"
                                + " next_attempt_at = case when changed_at = :c then null else next_attempt_at end"
                                + " where listing_id = :id")
                        .setParameter("p", productId)
                        .setParameter("v", variantId)
                        .setParameter("i", inventoryItemId)
                        .setParameter("c", c.changedAt())
                        .setParameter("id", c.listingId())
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** A listing the store took, with the ids it answered. */
    public record Synced(Claimed claimed, String productId, String variantId, String inventoryItemId) {}

    /**
     * {@link #synced} for many listings with one statement (a WooCommerce batch answers up to a hundred at once): one
     * transaction per listing made the store's answers, not its rate limit, the bound of a large import.
     */
    public Uni<Void> syncedAll(List<Synced> listed) {
        if (listed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<java.util.Map<String, Object>> rows = new ArrayList<>();
        for (Synced l : listed) {
            java.util.Map<String, Object> row = new java.util.HashMap<>();
            row.put("id", l.claimed().listingId());
            row.put("p", l.productId());
            row.put("v", l.variantId());
            row.put("i", l.inventoryItemId());
            row.put("c", l.claimed().changedAt().toString());
            rows.add(row);
        }
        String json;
        try {
            json = mapper.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Rows a batch of stock holds at this moment (its re-target, in its transaction) are skipped here and recorded
        // one at a time after it: a statement that waits holds no other row, so none of them deadlocks with the batch.
        return pool.preparedQuery("with x as materialized (select * from"
                        + " jsonb_to_recordset($1::text::jsonb) as x(id text, p text, v text, i text, c timestamptz)),"
                        + " locked as materialized (select sl.listing_id from store_listing sl join x on x.id = sl.listing_id"
                        + " for update of sl skip locked)"
                        + " update store_listing sl set"
                        + " store_product_id = coalesce(x.p, sl.store_product_id),"
                        + " store_variant_id = coalesce(x.v, sl.store_variant_id),"
                        + " inventory_item_id = coalesce(x.i, sl.inventory_item_id),"
                        + " stock_pending = sl.stock_pending or (sl.stock_target is not null"
                        + " and sl.stock_in_store is distinct from sl.stock_target),"
                        + " stock_next_at = case when sl.stock_pending or (sl.stock_target is not null"
                        + " and sl.stock_in_store is distinct from sl.stock_target) then coalesce(sl.stock_next_at, now()) end,"
                        + " lease_until = null, updated_at = now(),"
                        + " sync_status = case when sl.changed_at = x.c then 'SYNCED' else sl.sync_status end,"
                        + " last_error = case when sl.changed_at = x.c then null else sl.last_error end,"
                        + " synced_at = case when sl.changed_at = x.c then now() else sl.synced_at end,"
                        + " attempts = case when sl.changed_at = x.c then 0 else sl.attempts end,"
                        + " next_attempt_at = case when sl.changed_at = x.c then null else sl.next_attempt_at end"
                        + " from x join locked k on k.listing_id = x.id where sl.listing_id = x.id"
                        + " returning sl.listing_id")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(json))
                .chain(updated -> io.dropship.gateway.stores.StoreWork.eachNotUpdated(
                        updated,
                        listed,
                        l -> l.claimed().listingId(),
                        l -> synced(l.claimed(), l.productId(), l.variantId(), l.inventoryItemId())));
    }

    /**
     * The store already holds a product for the listing's SKU. When no other listing of the store is linked to that
     * product (the product this listing's own create made, its answer lost; or the retailer's own product with the
     * SKU), its id is kept and the listing is pushed again at once as an update.
     *
     * @return false when another listing is linked to that product: two listings share a SKU, and nothing changed
     */
    public Uni<Boolean> found(Claimed c, String productId) {
        return sessions.withTransaction(s -> s.createNativeQuery("update store_listing set store_product_id = :p,"
                                + " store_variant_id = :p, lease_until = null, next_attempt_at = now(), updated_at = now()"
                                + " where listing_id = :id and not exists (select 1 from store_listing o where o.store_id = :store"
                                + " and o.store_product_id = :p and o.listing_id <> :id)")
                        .setParameter("p", productId)
                        .setParameter("id", c.listingId())
                        .setParameter("store", c.storeId())
                        .executeUpdate())
                .map(n -> n > 0);
    }

    /**
     * The store refused or could not be reached: ERROR with its message. Worth retrying: again after the store's
     * wait or the backoff, until the attempts are used up. Not worth retrying: it waits for a new version or a
     * retailer's retry.
     */
    public Uni<Void> failed(Claimed c, String error, boolean retry, Duration after) {
        WorkQueue.Retry next = queue.afterFailure(c.attempts(), after);
        boolean again = retry && !next.giveUp();
        Duration wait = next.after();
        String message = again || !retry ? error : error + " (gave up after " + c.attempts() + " attempts)";
        return sessions.withTransaction(s -> s.createNativeQuery("update store_listing set sync_status = 'ERROR',"
                        + " last_error = :error, lease_until = null, updated_at = now(),"
                        + " next_attempt_at = case when :again then now() + make_interval(secs => :wait) end"
                        + " where listing_id = :id and changed_at = :c")
                .setParameter("error", SqlValues.fit(message, 1000))
                .setParameter("again", again)
                .setParameter("wait", wait.toMillis() / 1000.0)
                .setParameter("id", c.listingId())
                .setParameter("c", c.changedAt())
                .executeUpdate()
                .chain(n -> n > 0
                        ? (again ? Uni.createFrom().voidItem() : refused(s, c, message))
                        // A newer version arrived while this one was refused: release the lease, the new one is due.
                        : s.createNativeQuery("update store_listing set lease_until = null where listing_id = :id")
                                .setParameter("id", c.listingId())
                                .executeUpdate()
                                .replaceWithVoid()));
    }

    /** The store will not take this version of the listing without someone's help: its retailer is told, once per version. */
    private Uni<Void> refused(Mutiny.Session s, Claimed c, String message) {
        return s.createNativeQuery(
                        "select retailer_id, platform from store_connection where id = :store", Object[].class)
                .setParameter("store", c.storeId())
                .getResultList()
                .chain(rows -> rows.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : notifications.notify(
                                s,
                                new io.dropship.gateway.notifications.Notifications.Notice(
                                        io.dropship.gateway.notifications.NotificationKind.LISTING_SYNC_ERROR,
                                        (String) rows.get(0)[0],
                                        "listing:" + c.listingId() + ":"
                                                + c.changedAt().toEpochMilli(),
                                        "Your store refused listing " + c.title(),
                                        "The " + String.valueOf(rows.get(0)[1]).toLowerCase() + " store said: "
                                                + message + "\nFix it in the store or the listing, then sync it again.",
                                        "/api/stores/" + c.storeId() + "/listings?syncStatus=ERROR",
                                        c.listingId())));
    }

    @SuppressWarnings("unchecked")
    public Uni<List<View>> of(String storeId, String syncStatus, String afterListingId, int limit) {
        return sessions.withSession(s -> s.createNativeQuery(
                        "select listing_id, store_id, sku, title, price, compare_at_price,"
                                + " currency, status, sync_status, last_error, store_product_id, store_variant_id, attempts,"
                                + " next_attempt_at, synced_at, changed_at from store_listing where store_id = :store"
                                + " and (cast(:sync as text) is null or sync_status = :sync) and listing_id > :after"
                                + " order by listing_id limit :n",
                        Object[].class)
                .setParameter("store", storeId)
                .setParameter("sync", syncStatus)
                .setParameter("after", afterListingId == null ? "" : afterListingId)
                .setParameter("n", limit)
                .getResultList()
                .map(rows -> rows.stream()
                        .map(r -> new View(
                                (String) r[0],
                                (String) r[1],
                                (String) r[2],
                                (String) r[3],
                                (BigDecimal) r[4],
                                (BigDecimal) r[5],
                                r[6] == null ? null : String.valueOf(r[6]),
                                (String) r[7],
                                (String) r[8],
                                (String) r[9],
                                (String) r[10],
                                (String) r[11],
                                ((Number) r[12]).intValue(),
                                instant(r[13]),
                                instant(r[14]),
                                instant(r[15])))
                        .toList()));
    }

    /** A retailer asks for a listing to be synced again now (after fixing what the store refused). */
    public Uni<Void> retryNow(String storeId, String listingId) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update store_listing set next_attempt_at = now(),"
                                        + " attempts = 0, updated_at = now() where store_id = :store and listing_id = :id and sync_status <> 'SYNCED'")
                        .setParameter("store", storeId)
                        .setParameter("id", listingId)
                        .executeUpdate()
                        .chain(n -> n > 0
                                ? Uni.createFrom().voidItem()
                                : s.createNativeQuery(
                                                "select sync_status from store_listing where store_id = :store and listing_id = :id",
                                                String.class)
                                        .setParameter("store", storeId)
                                        .setParameter("id", listingId)
                                        .getResultList()
                                        .invoke(found -> {
                                            throw found.isEmpty()
                                                    ? ProblemException.notFound(
                                                            "listing " + listingId + " in store " + storeId)
                                                    : ProblemException.conflict(
                                                            "listing " + listingId + " is already SYNCED");
                                        })
                                        .replaceWithVoid()))
                .invoke(() -> due.run());
    }

    /** The listing SKU a store's variant is sold under, or null: for an order line that came without a SKU. */
    public Uni<String> skuOfVariant(Mutiny.Session s, String storeId, String variantId) {
        return s.createNativeQuery(
                        "select sku from store_listing where store_id = :store and store_variant_id = :v", String.class)
                .setParameter("store", storeId)
                .setParameter("v", variantId)
                .getResultList()
                .map(l -> l.isEmpty() ? null : l.get(0));
    }
}
