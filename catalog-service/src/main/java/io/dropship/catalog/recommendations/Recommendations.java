package io.dropship.catalog.recommendations;

import io.dropship.catalog.listings.PricingRules;
import io.dropship.catalog.pricing.PricingRule;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Supplier products worth adding to a retailer's stores, ranked by four signals, each shown as a reason: what sells
 * across the platform (units routed to the product in the window, SupplierOrderRouted), the margin the retailer's own
 * pricing rule would give, how well the product's category fits what the retailer already sells, and its supplier's
 * reliability (the directory's score). Products the retailer lists already, discontinued ones, those of inactive
 * suppliers and those its rule cannot price are left out. No external model: a weighted sum, so every rank can be
 * explained.
 */
@ApplicationScoped
public class Recommendations {

    static final double VELOCITY = 0.35;
    static final double MARGIN = 0.30;
    static final double FIT = 0.20;
    static final double RELIABILITY = 0.15;
    /** A margin of this many percent or more counts in full. */
    static final double FULL_MARGIN = 50;
    /** How the directory's score counts before a supplier was scored. */
    static final double UNSCORED = 0.85;
    /** The candidates weighed: the best sellers and newest products, at most this many. */
    static final int CANDIDATES = 1000;

    public record Recommendation(
            String supplierProductId,
            String supplierId,
            String sku,
            String title,
            String category,
            BigDecimal wholesalePrice,
            BigDecimal shippingCost,
            String currency,
            BigDecimal price,
            BigDecimal marginPercent,
            long unitsSold,
            BigDecimal supplierRating,
            BigDecimal score,
            List<String> reasons) {}

    private final Pool pool;
    private final PricingRules rules;
    private final Duration window;

    public Recommendations(
            Pool pool,
            PricingRules rules,
            @ConfigProperty(name = "dropship.recommendations.window", defaultValue = "P30D") Duration window) {
        this.pool = pool;
        this.rules = rules;
        this.window = window;
    }

    /** The retailer's best candidates first, optionally within a category (and its sub-categories). */
    public Uni<List<Recommendation>> forRetailer(String retailerId, String categoryPath, int limit) {
        return rules.rule(retailerId)
                .chain(rule -> retailerCategories(retailerId)
                        .chain(own -> candidates(retailerId, categoryPath).map(rows -> rank(rows, rule, own, limit))));
    }

    /** The category paths of what the retailer lists (its listings' primary products), each as its segments. */
    private Uni<List<String[]>> retailerCategories(String retailerId) {
        return pool.preparedQuery(
                        "select p.category from listing l join listing_offer o on o.listing_id = l.id and o.priority = 0"
                                + " join supplier_product p on p.supplier_id = o.supplier_id and p.sku = o.sku"
                                + " where l.retailer_id = $1 and l.status = 'ACTIVE' and p.category_id is not null")
                .execute(Tuple.of(retailerId))
                .map(rows -> {
                    List<String[]> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0).split(" > ")));
                    return out;
                });
    }

    private Uni<List<Row>> candidates(String retailerId, String categoryPath) {
        return pool.preparedQuery("""
                        with sold as (
                          select supplier_id, sku, sum(quantity) as units from product_sale
                          where sold_at >= now() - make_interval(secs => $2) group by supplier_id, sku
                        )
                        select p.supplier_id, p.sku, p.title, p.category, p.wholesale_price, p.shipping_cost, p.currency,
                               p.msrp, p.map_price, coalesce(sold.units, 0), sp.rating, sp.on_time_rate, s.company_name,
                               p.category_id is not null
                        from supplier_product p
                        join supplier s on s.id = p.supplier_id and s.status = 'ACTIVE'
                        left join supplier_profile sp on sp.supplier_id = p.supplier_id
                        left join sold on sold.supplier_id = p.supplier_id and sold.sku = p.sku
                        where p.status = 'ACTIVE'
                          and ($3::text is null or p.category_path @> array[$3::text])
                          and not exists (select 1 from listing_offer o join listing l on l.id = o.listing_id
                                          where l.retailer_id = $1 and o.supplier_id = p.supplier_id and o.sku = p.sku)
                        order by coalesce(sold.units, 0) desc, p.updated_at desc
                        limit $4""")
                .execute(Tuple.of(retailerId, (double) window.toSeconds(), categoryPath, CANDIDATES))
                .map(rows -> {
                    List<Row> out = new ArrayList<>();
                    rows.forEach(out::add);
                    return out;
                });
    }

    private List<Recommendation> rank(List<Row> rows, PricingRule rule, List<String[]> own, int limit) {
        long maxUnits = rows.stream().mapToLong(r -> r.getLong(9)).max().orElse(0);
        List<Recommendation> out = new ArrayList<>();
        for (Row r : rows) {
            PricingRule.Quote quote = rule.price(new PricingRule.Cost(
                    r.getBigDecimal(4), r.getBigDecimal(5), r.getBigDecimal(7), r.getBigDecimal(8)));
            if (!quote.priced()) {
                continue;
            }
            long units = r.getLong(9);
            double velocity = maxUnits == 0 ? 0 : Math.log1p(units) / Math.log1p(maxUnits);
            double margin = Math.max(0, Math.min(1, quote.marginPercent().doubleValue() / FULL_MARGIN));
            String category = r.getString(3);
            Fit fit = fit(category, Boolean.TRUE.equals(r.getBoolean(13)), own);
            BigDecimal reliability = r.getBigDecimal(10);
            double trust = reliability == null ? UNSCORED : reliability.doubleValue();
            double score = VELOCITY * velocity + MARGIN * margin + FIT * fit.score() + RELIABILITY * trust;
            List<String> reasons = new ArrayList<>();
            reasons.add(
                    units == 0
                            ? "No sales on the platform in the last " + window.toDays() + " days yet"
                            : "Sold " + units + (units == 1 ? " unit" : " units") + " across the platform in the last "
                                    + window.toDays() + " days");
            reasons.add("At your pricing rule: " + quote.price() + " " + r.getString(6) + ", a "
                    + quote.marginPercent().stripTrailingZeros().toPlainString() + "% margin on its landed cost "
                    + quote.landedCost());
            reasons.add(fit.reason());
            reasons.add(
                    reliability == null
                            ? r.getString(12) + " is not rated yet"
                            : r.getString(12) + " is rated "
                                    + reliability
                                            .multiply(BigDecimal.valueOf(5))
                                            .setScale(1, RoundingMode.HALF_UP)
                                    + "/5"
                                    + (r.getBigDecimal(11) == null
                                            ? ""
                                            : " ("
                                                    + r.getBigDecimal(11)
                                                            .movePointRight(2)
                                                            .setScale(0, RoundingMode.HALF_UP)
                                                    + "% shipped on time)"));
            out.add(new Recommendation(
                    r.getString(0) + ":" + r.getString(1),
                    r.getString(0),
                    r.getString(1),
                    r.getString(2),
                    category,
                    r.getBigDecimal(4),
                    r.getBigDecimal(5),
                    r.getString(6),
                    quote.price(),
                    quote.marginPercent(),
                    units,
                    reliability == null
                            ? null
                            : reliability.multiply(BigDecimal.valueOf(5)).setScale(1, RoundingMode.HALF_UP),
                    BigDecimal.valueOf(score).setScale(3, RoundingMode.HALF_UP),
                    List.copyOf(reasons)));
        }
        out.sort(Comparator.comparing(Recommendation::score)
                .reversed()
                .thenComparing(Recommendation::supplierProductId));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    record Fit(double score, String reason) {}

    /**
     * How close the product's category is to what the retailer sells: the longest path it shares with one of the
     * retailer's categories, as a share of the product's own depth. A retailer that lists nothing yet fits everything
     * halfway; a product without a taxonomy category fits nothing.
     */
    static Fit fit(String category, boolean inTaxonomy, List<String[]> own) {
        if (own.isEmpty()) {
            return new Fit(0.5, "You list nothing yet: every category is open to you");
        }
        if (category == null || !inTaxonomy) {
            return new Fit(0, "Its category is not in the platform's taxonomy");
        }
        String[] mine = category.split(" > ");
        int best = 0;
        String[] bestOwn = null;
        for (String[] o : own) {
            int common = 0;
            while (common < Math.min(o.length, mine.length) && o[common].equalsIgnoreCase(mine[common])) {
                common++;
            }
            if (common > best) {
                best = common;
                bestOwn = o;
            }
        }
        if (best == 0) {
            return new Fit(0, "A new category for you: " + mine[0]);
        }
        double score = (double) best / mine.length;
        String shared = String.join(" > ", Arrays.copyOf(mine, best));
        return new Fit(
                score,
                best == mine.length && bestOwn.length == mine.length
                        ? "You already sell in " + shared
                        : "Close to what you sell: " + shared);
    }
}
