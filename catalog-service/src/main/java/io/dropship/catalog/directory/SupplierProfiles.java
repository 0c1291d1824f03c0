package io.dropship.catalog.directory;

import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The supplier directory: each active supplier's public profile (slug, logo, description, website, where it ships
 * from, its handling time), the categories its products are in, its rating (from order-service's reliability score,
 * which weighs on-time shipping, rejections, cancellations and cases) and a summary of its return policy (from
 * settlement-service). Retailers browse and search it, featured suppliers first; admins feature a supplier until a
 * date. A profile starts with a slug made from the company's name the first time anything touches it.
 */
@ApplicationScoped
public class SupplierProfiles {

    /** A supplier's slug until it sets one: its company's name and the end of its id (so no two are the same). */
    private static final String DEFAULT_SLUG =
            "(trim(both '-' from left(regexp_replace(lower(s.company_name), '[^a-z0-9]+', '-', 'g'), 40))"
                    + " || '-' || right(regexp_replace(lower(s.id), '[^a-z0-9]', '', 'g'), 8))";

    /** The supplier's profile row, made if missing (Hibernate Reactive native query, parameter :sup). */
    public static final String ENSURE = "insert into supplier_profile (supplier_id, slug, updated_at)"
            + " select s.id, " + DEFAULT_SLUG + ", now() from supplier s where s.id = :sup on conflict do nothing";

    /** The same for the reactive client ($1). */
    private static final String ENSURE_PG = ENSURE.replace(":sup", "$1");

    public record CategoryCount(long categoryId, String path, long products) {}

    public record ReturnPolicy(
            boolean acceptsReturns,
            int windowDays,
            boolean refundShipping,
            BigDecimal restockingFeePercent,
            String returnShippingPaidBy,
            String summary) {}

    /**
     * rating: 0 to 5 stars from the reliability score (null for a supplier not scored yet); featured: an admin places it
     * first until featuredUntil.
     */
    public record Profile(
            String supplierId,
            String slug,
            String companyName,
            String logoUrl,
            String description,
            String website,
            String shipFromRegion,
            List<String> shipFromRegions,
            int handlingDays,
            BigDecimal rating,
            BigDecimal reliability,
            BigDecimal onTimeRate,
            BigDecimal caseRate,
            Long ordersScored,
            ReturnPolicy returnPolicy,
            boolean featured,
            Instant featuredUntil,
            long products,
            List<CategoryCount> categories) {}

    public record Change(
            String slug, String logoUrl, String description, String website, List<String> shipFromRegions) {}

    private static final String SELECT =
            "select s.id, coalesce(p.slug, " + DEFAULT_SLUG + "), s.company_name, p.logo_url, p.description, p.website,"
                    + " s.ship_from_region, p.ship_from_regions, s.handling_days, p.rating, p.on_time_rate, p.case_rate, p.scored_orders,"
                    + " p.return_policy::text, p.featured_until, (p.featured_until > now()) as featured,"
                    + " (select count(*) from supplier_product sp where sp.supplier_id = s.id and sp.status <> 'DISCONTINUED')"
                    + " from supplier s left join supplier_profile p on p.supplier_id = s.id";

    private final Pool pool;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    private final io.dropship.platform.outbox.Outbox outbox;

    @jakarta.inject.Inject
    public SupplierProfiles(
            Pool pool, com.fasterxml.jackson.databind.ObjectMapper mapper, io.dropship.platform.outbox.Outbox outbox) {
        this.outbox = outbox;
        this.pool = pool;
        this.mapper = mapper;
    }

    /**
     * Active suppliers, featured ones first, then by rating (unscored last) and name: those whose name or description
     * has the words, that sell in the category (with its sub-categories), that ship from the country or region, rated
     * at least minRating stars. offset/limit page it.
     */
    public Uni<List<Profile>> browse(
            String q, String categoryPath, String shipsFrom, BigDecimal minRating, int offset, int limit) {
        return pool.preparedQuery(SELECT + " where s.status = 'ACTIVE'"
                        + " and ($1::text is null or s.company_name ilike '%' || $1 || '%'"
                        + "      or to_tsvector('simple', coalesce(p.description, '')) @@ plainto_tsquery('simple', $1))"
                        + " and ($2::text is null or exists (select 1 from supplier_product sp where sp.supplier_id = s.id"
                        + "      and sp.status <> 'DISCONTINUED' and sp.category_path @> array[$2::text]))"
                        + " and ($3::text is null or s.ship_from_region = $3 or s.ship_from_region like $3 || '-%'"
                        + "      or $3 = any(p.ship_from_regions))"
                        + " and ($4::numeric is null or p.rating * 5 >= $4)"
                        + " order by (p.featured_until > now()) is true desc, p.rating desc nulls last, lower(s.company_name), s.id"
                        + " offset $5 limit $6")
                .execute(Tuple.of(blank(q), categoryPath, shipsFrom, minRating)
                        .addInteger(offset)
                        .addInteger(limit))
                .chain(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return categories(list.stream().map(r -> r.getString(0)).toList())
                            .map(cats -> list.stream()
                                    .map(r -> profile(r, cats.getOrDefault(r.getString(0), List.of())))
                                    .toList());
                });
    }

    /** One active supplier's profile, by its slug or its id; 404 for any other. */
    public Uni<Profile> get(String slugOrId) {
        return pool.preparedQuery(SELECT + " where s.status = 'ACTIVE' and (coalesce(p.slug, " + DEFAULT_SLUG
                        + ") = $1 or s.id = $1)")
                .execute(Tuple.of(slugOrId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("supplier " + slugOrId);
                    }
                    Row r = rows.iterator().next();
                    return categories(List.of(r.getString(0)))
                            .map(c -> profile(r, c.getOrDefault(r.getString(0), List.of())));
                });
    }

    /** The supplier's own profile fields; fields left out keep their value. A slug another supplier has is 409. */
    public Uni<Profile> change(String supplierId, Change c) {
        return pool.withTransaction(conn -> conn.preparedQuery(ENSURE_PG)
                        .execute(Tuple.of(supplierId))
                        .chain(made -> conn.preparedQuery("update supplier_profile set slug = coalesce($2, slug),"
                                        + " logo_url = coalesce($3, logo_url), description = coalesce($4, description),"
                                        + " website = coalesce($5, website), ship_from_regions = coalesce($6, ship_from_regions),"
                                        + " updated_at = now() where supplier_id = $1")
                                .execute(Tuple.of(supplierId, c.slug(), c.logoUrl(), c.description(), c.website())
                                        .addArrayOfString(
                                                c.shipFromRegions() == null
                                                        ? null
                                                        : c.shipFromRegions().toArray(String[]::new)))
                                .onFailure(e -> e instanceof io.vertx.pgclient.PgException pg
                                        && "23505".equals(pg.getSqlState()))
                                .transform(e -> ProblemException.conflict("the slug '" + c.slug() + "' is taken"))
                                .invoke(rows -> {
                                    if (rows.rowCount() == 0) {
                                        throw ProblemException.notFound("supplier " + supplierId);
                                    }
                                })))
                .chain(() -> get(supplierId));
    }

    /** Places the supplier first in the directory until the date (an admin), or no more with null. */
    public Uni<Profile> feature(String supplierId, Instant until, String by) {
        return pool.withTransaction(conn -> conn.preparedQuery(ENSURE_PG)
                        .execute(Tuple.of(supplierId))
                        .chain(() -> conn.preparedQuery(
                                        "update supplier_profile set featured_until = $2, featured_by = $3,"
                                                + " updated_at = now() where supplier_id = $1")
                                .execute(Tuple.of(
                                        supplierId, until == null ? null : until.atOffset(ZoneOffset.UTC), by)))
                        .invoke(rows -> {
                            if (rows.rowCount() == 0) {
                                throw ProblemException.notFound("supplier " + supplierId);
                            }
                        })
                        // settlement-service charges the featured listing fee on its orders while it is featured.
                        .chain(() -> outbox.publishAll(
                                conn,
                                io.dropship.catalog.messaging.events.CatalogEvents.SupplierFeatured.TOPIC,
                                List.of(new io.dropship.platform.outbox.Outbox.Event(
                                        supplierId,
                                        new io.dropship.catalog.messaging.events.CatalogEvents.SupplierFeatured(
                                                supplierId, until, Instant.now()))))))
                .chain(() -> get(supplierId));
    }

    /** Each supplier's categories with its most products first (at most 10). */
    private Uni<java.util.Map<String, List<CategoryCount>>> categories(List<String> suppliers) {
        if (suppliers.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        return pool.preparedQuery(
                        "select supplier_id, category_id, path, n from (select sp.supplier_id, c.id as category_id,"
                                + " c.path, count(*) as n, row_number() over (partition by sp.supplier_id order by count(*) desc, c.path) as k"
                                + " from supplier_product sp join category c on c.id = sp.category_id where sp.supplier_id = any($1)"
                                + " and sp.status <> 'DISCONTINUED' group by sp.supplier_id, c.id, c.path) x where k <= 10"
                                + " order by supplier_id, k")
                .execute(Tuple.of(suppliers.toArray(String[]::new)))
                .map(rows -> {
                    java.util.Map<String, List<CategoryCount>> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
                            .add(new CategoryCount(r.getLong(1), r.getString(2), r.getLong(3))));
                    return out;
                });
    }

    private Profile profile(Row r, List<CategoryCount> categories) {
        BigDecimal reliability = r.getBigDecimal(9);
        OffsetDateTime until = r.getOffsetDateTime(14);
        String[] regions = r.getArrayOfStrings(7);
        return new Profile(
                r.getString(0),
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                regions == null ? List.of() : Arrays.asList(regions),
                r.getInteger(8),
                reliability == null
                        ? null
                        : reliability.multiply(BigDecimal.valueOf(5)).setScale(1, RoundingMode.HALF_UP),
                reliability,
                r.getBigDecimal(10),
                r.getBigDecimal(11),
                r.getLong(12),
                policy(r.getString(13)),
                Boolean.TRUE.equals(r.getBoolean(15)),
                until == null ? null : until.toInstant(),
                r.getLong(16),
                categories);
    }

    private ReturnPolicy policy(String json) {
        if (json == null) {
            return null;
        }
        try {
            var n = mapper.readTree(json);
            boolean accepts = n.path("acceptsReturns").asBoolean();
            int days = n.path("windowDays").asInt();
            boolean refundShipping = n.path("refundShipping").asBoolean();
            BigDecimal fee = new BigDecimal(n.path("restockingFeePercent").asText("0"));
            String paidBy = n.path("returnShippingPaidBy").asText("RETAILER");
            String summary = !accepts
                    ? "No returns"
                    : "Returns within " + days + (days == 1 ? " day" : " days") + " of shipping; "
                            + (fee.signum() == 0
                                    ? "no restocking fee"
                                    : fee.stripTrailingZeros().toPlainString() + "% restocking fee")
                            + "; return shipping paid by the " + paidBy.toLowerCase(java.util.Locale.ROOT)
                            + "; the original shipping " + (refundShipping ? "refunded" : "not refunded");
            return new ReturnPolicy(accepts, days, refundShipping, fee, paidBy, summary);
        } catch (Exception e) {
            throw new IllegalStateException("a stored return policy that is not one: " + json, e);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
