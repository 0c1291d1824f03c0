package io.dropship.catalog.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.platform.outbox.TimeOrderedIds;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads supplier products. One statement upserts a whole batch by SKU and, in the same transaction,
 * publishes the products that are new or actually changed (through the outbox: a SupplierProductChanged each from the
 * API, SupplierProductsChanged events of many from an import); a product sent again unchanged publishes nothing; the
 * words of the titles it writes join the search's word list (search_word, for the typo fallback). The API's single PUT
 * and the bulk import both come through here.
 */
@ApplicationScoped
public class SupplierProducts {

    static final String COLUMNS = "p.supplier_id, p.sku, p.title, p.description, p.wholesale_price, p.shipping_cost,"
            + " p.currency, p.status, p.msrp, p.map_price, p.images::text, p.category, p.weight_grams, p.shipping_class,"
            + " p.attributes::text, p.in_stock, p.created_at, p.updated_at, p.category_id";

    private static final String UPSERT_TEMPLATE = """
            with input as (
              -- the batch's rows, a SKU once (ProductRows keeps its last)
              select * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
                as u(sku, title, description, wholesale_price, shipping_cost, currency, status, msrp, map_price, images, category,
                     weight_grams, shipping_class, attributes)
            ), matched as materialized (
              -- each distinct category matched once: a batch names a few dozen, and a match is three look-ups
              select g.category, category_match(g.category) as id from (select distinct category from input) g
            ), owner as (
              -- the supplier, locked once for the batch (the table has no foreign key: V21); none, no row is written
              select coalesce(region_path(s.ship_from_region), '{}') as ship_from from supplier s where s.id = $1
              for key share
            ), taxonomy as (
              -- the batch's categories, locked once: a category deleted meanwhile is not found, its rows keep the text
              select c.id, c.path from category c where c.id in (select id from matched) for key share
            ), mapped as (
              -- a free-text category onto the taxonomy where it maps: the category, and its path as the text
              select u.*, c.id as category_id, coalesce(c.path, u.category) as category_text
              from input u left join matched m on m.category = u.category left join taxonomy c on c.id = m.id
            ), up as (
              insert into supplier_product as p (supplier_id, sku, title, description, wholesale_price, shipping_cost,
                  currency, status, msrp, map_price, images, category, category_id, weight_grams, shipping_class, attributes,
                  in_stock, ship_from, created_at, updated_at)
              select $1, i.sku, i.title, i.description, i.wholesale_price::numeric, i.shipping_cost::numeric, i.currency,
                     i.status, i.msrp::numeric, i.map_price::numeric, i.images::jsonb, i.category_text, i.category_id,
                     i.weight_grams::integer, i.shipping_class, i.attributes::jsonb, coalesce(st.available > 0, false),
                     o.ship_from, $16, $16
              from mapped i cross join owner o left join stock_view st on st.supplier_id = $1 and st.sku = i.sku
              on conflict (supplier_id, sku) do update set title = excluded.title, description = excluded.description,
                  wholesale_price = excluded.wholesale_price, shipping_cost = excluded.shipping_cost,
                  currency = excluded.currency, status = excluded.status, msrp = excluded.msrp,
                  map_price = excluded.map_price, images = excluded.images,
                  category = excluded.category, category_id = excluded.category_id, weight_grams = excluded.weight_grams,
                  shipping_class = excluded.shipping_class, attributes = excluded.attributes,
                  updated_at = excluded.updated_at
              where (p.title, p.description, p.wholesale_price, p.shipping_cost, p.currency, p.status, p.msrp, p.map_price, p.images,
                     p.category, p.category_id, p.weight_grams, p.shipping_class, p.attributes)
                  is distinct from (excluded.title, excluded.description, excluded.wholesale_price, excluded.shipping_cost,
                     excluded.currency, excluded.status, excluded.msrp, excluded.map_price, excluded.images, excluded.category,
                     excluded.category_id,
                     excluded.weight_grams, excluded.shipping_class, excluded.attributes)
              returning p.supplier_id, p.sku, p.title, p.wholesale_price, p.shipping_cost, p.currency, p.status, p.updated_at
            ), words as (
              -- the titles' words for the typo fallback's word list; in one order, so that two writers adding the same
              -- new words wait for each other instead of deadlocking
              insert into search_word (word)
              select distinct w from up, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, up.title::text))) w
              order by w
              on conflict do nothing
            ), events as (
%s            )
            select count(*) from up
            """;

    /** The changed products one SupplierProductsChanged carries: at most about 200 KB with 300-character titles. */
    static final int PRODUCTS_PER_EVENT = 200;

    /** The event of one product, as SupplierProductChanged and within SupplierProductsChanged. */
    private static final String PRODUCT_JSON = """
            jsonb_build_object('supplierProductId', up.supplier_id || ':' || up.sku, 'supplierId', up.supplier_id,
                         'sku', up.sku, 'title', up.title, 'wholesalePrice', up.wholesale_price::text,
                         'shippingCost', up.shipping_cost::text, 'currency', up.currency, 'status', up.status,
                         'changedAt', to_char(up.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))""";

    /** One product from the API: a SupplierProductChanged keyed by the supplier product. */
    private static final String UPSERT = UPSERT_TEMPLATE.formatted("""
              insert into outbox_event (id, aggregatetype, aggregateid, type, payload, occurredat)
              select %s, 'SupplierProductChanged', up.supplier_id || ':' || up.sku, 'SupplierProductChanged',
                     %s, $16
              from up
              returning 1
""".formatted(TimeOrderedIds.SQL, PRODUCT_JSON));

    /**
     * An import's batch: its changed products in SupplierProductsChanged events of up to {@link #PRODUCTS_PER_EVENT},
     * keyed by the supplier. One event a product made the relay, the broker and every consumer pay per product for a
     * million-row import (528 µs of the fleet's CPU a row, docs/benchmarks.md).
     */
    private static final String IMPORT_UPSERT = UPSERT_TEMPLATE.formatted(
            """
              -- the import's: one SupplierProductsChanged per %d changed products, keyed by the supplier
              insert into outbox_event (id, aggregatetype, aggregateid, type, payload, occurredat)
              select %s, 'SupplierProductChanged', $1::text, 'SupplierProductsChanged',
                     jsonb_build_object('supplierId', $1::text, 'products', jsonb_agg(c.product order by c.sku),
                         'changedAt', to_char($16::timestamptz at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
                     $16
              from (select up.sku, %s as product, (row_number() over (order by up.sku) - 1) / %d as chunk
                    from up) c
              group by c.chunk
              returning 1
""".formatted(PRODUCTS_PER_EVENT, TimeOrderedIds.SQL, PRODUCT_JSON, PRODUCTS_PER_EVENT));

    private final Pool pool;
    private final ObjectMapper mapper;

    public SupplierProducts(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /**
     * Upserts a batch of one supplier's products by SKU in one transaction, each new or changed one published as a
     * SupplierProductChanged of its own (the API's). A SKU named twice in the batch counts once, the last one winning,
     * as it would had the rows been sent one by one.
     *
     * @return how many products were created or changed (and so published)
     */
    public Uni<Integer> upsert(String supplierId, List<ProductInput> batch) {
        return write(UPSERT, supplierId, ProductRows.of(mapper, batch));
    }

    /**
     * The same for an import's batch: the new or changed products are published together, in SupplierProductsChanged
     * events of up to {@link #PRODUCTS_PER_EVENT}.
     */
    public Uni<Integer> importBatch(String supplierId, ProductRows batch) {
        return write(IMPORT_UPSERT, supplierId, batch);
    }

    /** An empty batch for {@link #importBatch}, to add rows to as they come. */
    public ProductRows rows() {
        return new ProductRows(mapper);
    }

    private Uni<Integer> write(String statement, String supplierId, ProductRows batch) {
        Tuple params = Tuple.tuple().addString(supplierId);
        for (String[] column : batch.columns()) {
            params.addArrayOfString(column);
        }
        params.addOffsetDateTime(OffsetDateTime.now(ZoneOffset.UTC));
        return pool.withTransaction(c -> c.preparedQuery(statement).execute(params))
                .map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    /** The supplier's status, or null when there is no such supplier. Safe from any thread. */
    public Uni<String> supplierStatus(String supplierId) {
        return pool.preparedQuery("select status from supplier where id = $1")
                .execute(Tuple.of(supplierId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    public Uni<Product> get(String supplierId, String sku) {
        return pool.preparedQuery(
                        "select " + COLUMNS + " from supplier_product p where p.supplier_id = $1 and p.sku = $2")
                .execute(Tuple.of(supplierId, sku))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("product " + sku);
                    }
                    return product(rows.iterator().next());
                });
    }

    /** A supplier's own products in SKU order, a page at a time. */
    public Uni<List<Product>> page(String supplierId, String afterSku, int limit) {
        return pool.preparedQuery(
                        "select " + COLUMNS + " from supplier_product p where p.supplier_id = $1 and p.sku > $2"
                                + " order by p.sku limit $3")
                .execute(Tuple.of(supplierId, afterSku == null ? "" : afterSku, limit))
                .map(rows -> {
                    List<Product> out = new ArrayList<>();
                    rows.forEach(r -> out.add(product(r)));
                    return out;
                });
    }

    Product product(Row r) {
        return new Product(
                r.getString(0) + ":" + r.getString(1),
                r.getString(0),
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getBigDecimal(4),
                r.getBigDecimal(5),
                r.getString(6),
                r.getString(7),
                r.getBigDecimal(8),
                r.getBigDecimal(9),
                parse(r.getString(10), new TypeReference<List<String>>() {}),
                r.getString(11),
                r.getInteger(12),
                r.getString(13),
                parse(r.getString(14), new TypeReference<Map<String, Object>>() {}),
                r.getBoolean(15),
                r.getOffsetDateTime(16).toInstant(),
                r.getOffsetDateTime(17).toInstant(),
                r.getLong(18));
    }

    private <T> T parse(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable", e);
        }
    }
}
