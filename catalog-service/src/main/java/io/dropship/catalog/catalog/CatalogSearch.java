package io.dropship.catalog.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Browse and search over the whole catalog, for retailers choosing what to sell. Everything runs in PostgreSQL:
 * full-text search (a weighted tsvector with a GIN index) ranked by ts_rank_cd; when the words match nothing, a
 * typo-tolerant fallback that corrects each word to the nearest word of the catalog's titles (search_word, by
 * trigram similarity) and searches the corrected words. Pages use keyset cursors over
 * (sort key, supplier, SKU), so a page never repeats or skips a product while the catalog changes, and deep pages
 * cost what the first one does. Only products of ACTIVE suppliers that are not DISCONTINUED are shown.
 * <p>
 * Relevance comes in two tiers: products whose title holds the words come first ({@code TITLE}, through an index of
 * the titles' words alone), then those that match only with their description ({@code BODY}); each tier is ranked
 * by ts_rank_cd over title and description. Together they are exactly the full-text matches. The titles' index is
 * what makes common words cheap: three words each in 13 to 15 % of the catalog (titles and descriptions) cost the
 * combined index 40 to 60 ms to intersect at 2,000,000 products and the titles' index 11 ms, and the description
 * tier is asked only when the title tier runs out.
 * <p>
 * Each tier ranks at most {@link #RANK_CANDIDATES} matches: a word most of the catalog contains would otherwise make
 * every search read and rank every such product. Past that many matches, the ranking is among the first candidates
 * the index finds; more words or a filter narrow it.
 */
@ApplicationScoped
public class CatalogSearch {

    public enum Sort {
        RELEVANCE,
        PRICE_ASC,
        PRICE_DESC,
        NEWEST
    }

    static final int RANK_CANDIDATES = 1_000;

    /** The titles' words, as the index supplier_product_title_words holds them (V18): the same expression. */
    static final String TITLE_WORDS = "to_tsvector('english'::regconfig, p.title::text)";

    public record Query(
            String text,
            String category,
            BigDecimal minPrice,
            BigDecimal maxPrice,
            String supplierId,
            boolean inStockOnly,
            String shipsFrom,
            Sort sort,
            int limit,
            String cursor) {}

    public record Hit(Product product, String supplierName, String shipFromRegion, int handlingDays) {}

    /** A word the typo fallback takes as the same: trigram similarity at least this (mugg/mug 0.5, cofee/coffee 0.63). */
    static final double SIMILAR_WORD = 0.45;

    /**
     * matchedBy: WORDS (full text), SIMILAR (the typo fallback: the words as corrected, correctedQuery, in full text)
     * or ALL (no search words). A cursor's mode also tells the relevance tiers apart: TITLE, BODY (WORDS: all matches
     * in one, as for the price and date sorts); its words are the corrected ones when the fallback made the page.
     */
    public record Page(List<Hit> items, String nextCursor, String matchedBy, String correctedQuery) {}

    private record Cursor(String sort, String mode, String key, String supplierId, String sku, String words) {}

    private final Pool pool;
    private final SupplierProducts products;
    private final ObjectMapper mapper;

    public CatalogSearch(Pool pool, SupplierProducts products, ObjectMapper mapper) {
        this.pool = pool;
        this.products = products;
        this.mapper = mapper;
    }

    public Uni<Page> search(Query q) {
        boolean hasText = q.text() != null && !q.text().isBlank();
        Sort sort = q.sort() != null ? q.sort() : hasText ? Sort.RELEVANCE : Sort.NEWEST;
        if (sort == Sort.RELEVANCE && !hasText) {
            throw ProblemException.badRequest("sort=RELEVANCE needs search words (q)");
        }
        Cursor cursor = q.cursor() == null || q.cursor().isBlank() ? null : decode(q.cursor());
        if (cursor != null && !cursor.sort().equals(sort.name())) {
            throw ProblemException.badRequest("the cursor belongs to a search sorted by " + cursor.sort());
        }
        String mode = !hasText ? "ALL" : cursor != null ? cursor.mode() : sort == Sort.RELEVANCE ? "TITLE" : "WORDS";
        Uni<Page> page = tiers(q, cursor != null ? cursor.words() : null, sort, mode, cursor);
        if (cursor != null || "ALL".equals(mode)) {
            return page;
        }
        return page.chain(words -> words.items().isEmpty()
                ? corrected(q.text())
                        .chain(c -> c == null ? Uni.createFrom().item(words) : tiers(q, c, sort, mode, null))
                : Uni.createFrom().item(words));
    }

    /** A page of the words (corrected: the typo fallback's instead of the query's), the title tier and then the rest. */
    private Uni<Page> tiers(Query q, String corrected, Sort sort, String mode, Cursor cursor) {
        if ("WORDS".equals(mode) && (sort == Sort.PRICE_ASC || sort == Sort.PRICE_DESC)) {
            return byPriceBands(q, corrected, sort, cursor);
        }
        return run(q, corrected, sort, mode, cursor, q.limit(), null)
                .chain(page -> "TITLE".equals(mode) && page.nextCursor() == null
                        ? descriptionsAfter(q, corrected, sort, page)
                        : Uni.createFrom().item(page));
    }

    /**
     * The query's words, each replaced by the nearest word of the catalog's titles when it is not one of them, or null
     * when that changes nothing. A word with nothing near it is left out; so is an excluded one ({@code -word}).
     */
    Uni<String> corrected(String text) {
        List<String> words = new ArrayList<>();
        for (String token : text.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (token.startsWith("-")) {
                continue;
            }
            for (String w : token.split("[^\\p{L}\\p{N}]+")) {
                if (!w.isEmpty() && words.size() < 10) {
                    words.add(w);
                }
            }
        }
        if (words.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("""
                        select string_agg(coalesce(
                                 (select v.word from search_word v where v.word = t.w),
                                 (select v.word from search_word v
                                   where v.word % t.w and similarity(v.word, t.w) >= $2
                                   order by v.word <-> t.w, v.word limit 1)), ' ' order by t.n)
                        from unnest($1::text[]) with ordinality as t(w, n)
                        """)
                .execute(Tuple.of(words.toArray(String[]::new), SIMILAR_WORD))
                .map(rows -> {
                    String c = rows.iterator().next().getString(0);
                    return c == null || c.equals(String.join(" ", words)) ? null : c;
                });
    }

    /**
     * Whether web-search words exclude a word ({@code -word}, a minus at the start of a word, not inside one as in
     * "heavy-duty"). Without one, a title that holds the words is a match whatever its description says: the title's
     * words are also the combined vector's, at the same positions.
     */
    static boolean excludesWords(String text) {
        return EXCLUSION.matcher(text).find();
    }

    private static final Pattern EXCLUSION = Pattern.compile("(^|[^\\p{L}\\p{N}])-");

    /** The title tier ended on this page: the products that match with their description fill the rest of it. */
    private Uni<Page> descriptionsAfter(Query q, String corrected, Sort sort, Page titles) {
        int room = q.limit() - titles.items().size();
        return run(q, corrected, sort, "BODY", null, room, null).map(rest -> {
            List<Hit> items = new ArrayList<>(titles.items());
            items.addAll(rest.items());
            return new Page(items, rest.nextCursor(), rest.matchedBy(), rest.correctedQuery());
        });
    }

    /**
     * Words sorted by price, a few price bands at a time (price_band, V20: a factor of about 1.41 each), from the
     * cheapest (or dearest) band a match could be in: the band is a key of the words' index, so a query reads only the
     * matches in its bands. In one query words that many products hold would have every match read and sorted (the
     * planner, multiplying the words' frequencies, cannot tell "duvet cover" is 10,000 products and not 300).
     */
    private Uni<Page> byPriceBands(Query q, String corrected, Sort sort, Cursor cursor) {
        boolean asc = sort == Sort.PRICE_ASC;
        BigDecimal from = cursor != null ? new BigDecimal(cursor.key()) : asc ? q.minPrice() : q.maxPrice();
        // Not below the catalog's cheapest product (above its dearest): a maxPrice of a million would otherwise start
        // in bands nothing is in, and the widening groups would soon take in every band at once.
        return pool.preparedQuery("select price_band(" + (asc ? "greatest" : "least") + "($1::numeric, (select "
                        + (asc ? "min" : "max") + "(wholesale_price) from supplier_product)))")
                .execute(Tuple.of(from))
                .chain(rows -> {
                    Integer start = rows.iterator().next().getInteger(0);
                    if (start == null) {
                        return Uni.createFrom()
                                .item(new Page(List.of(), null, matchedBy("WORDS", corrected), corrected));
                    }
                    return bands(q, corrected, sort, cursor, start, 1, List.of());
                });
    }

    static final int MAX_PRICE_BAND = 67;

    private Uni<Page> bands(
            Query q, String corrected, Sort sort, Cursor cursor, int band, int width, List<Hit> before) {
        boolean asc = sort == Sort.PRICE_ASC;
        int lo = asc ? band : Math.max(0, band - width + 1);
        int hi = asc ? Math.min(MAX_PRICE_BAND, band + width - 1) : band;
        Integer[] group = new Integer[hi - lo + 1];
        for (int b = lo; b <= hi; b++) {
            group[b - lo] = b;
        }
        int room = q.limit() - before.size();
        return run(q, corrected, sort, "WORDS", cursor, room, group).chain(page -> {
            List<Hit> items = new ArrayList<>(before);
            items.addAll(page.items());
            boolean more = page.nextCursor() != null;
            if (more && room == 0) {
                // The page was full at the end of the last bands and these hold more: go on after its last product.
                Product last = before.get(before.size() - 1).product();
                String next = encode(new Cursor(
                        sort.name(),
                        "WORDS",
                        last.wholesalePrice().toPlainString(),
                        last.supplierId(),
                        last.sku(),
                        corrected));
                return Uni.createFrom().item(new Page(items, next, page.matchedBy(), corrected));
            }
            if (more || (asc ? hi >= MAX_PRICE_BAND : lo <= 0)) {
                return Uni.createFrom().item(new Page(items, page.nextCursor(), page.matchedBy(), corrected));
            }
            return bands(q, corrected, sort, cursor, asc ? hi + 1 : lo - 1, width * 2, items);
        });
    }

    private static String matchedBy(String mode, String corrected) {
        return "ALL".equals(mode) ? "ALL" : corrected != null ? "SIMILAR" : "WORDS";
    }

    private Uni<Page> run(
            Query q, String corrected, Sort sort, String mode, Cursor cursor, int limit, Integer[] priceBands) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" where p.status <> 'DISCONTINUED'");
        String rank = null;
        String text = corrected != null ? corrected : q.text();
        if (!"ALL".equals(mode)) {
            args.add(text);
            String words = "websearch_to_tsquery('english', $" + args.size() + ")";
            if ("TITLE".equals(mode)) {
                where.append(" and ").append(TITLE_WORDS).append(" @@ ").append(words);
                if (excludesWords(text)) {
                    // A title without the excluded word may have it in its description. Checked on the rows only
                    // (IS TRUE is no index condition): intersecting the combined index as well costs what the titles'
                    // index saves.
                    where.append(" and (p.search @@ ").append(words).append(") is true");
                }
            } else {
                where.append(" and p.search @@ ").append(words);
                if ("BODY".equals(mode)) {
                    where.append(" and not ").append(TITLE_WORDS).append(" @@ ").append(words);
                }
            }
            rank = "ts_rank_cd(p.search, " + words + ")";
        }
        if (q.category() != null && !q.category().isBlank()) {
            args.add(q.category());
            int n = args.size();
            // category_path holds the category and every parent: the filter takes sub-categories, through the GIN
            // index.
            where.append(" and p.category_path @> array[$").append(n).append("::text]");
        }
        if (q.minPrice() != null) {
            args.add(q.minPrice());
            where.append(" and p.wholesale_price >= $").append(args.size());
        }
        if (q.maxPrice() != null) {
            args.add(q.maxPrice());
            where.append(" and p.wholesale_price <= $").append(args.size());
        }
        if (q.supplierId() != null && !q.supplierId().isBlank()) {
            args.add(q.supplierId());
            where.append(" and p.supplier_id = $").append(args.size());
        }
        if (q.inStockOnly()) {
            where.append(" and p.in_stock and p.status = 'ACTIVE'");
        }
        if (q.shipsFrom() != null && !q.shipsFrom().isBlank()) {
            args.add(q.shipsFrom());
            // ship_from is the supplier's region as a path ({US, US-CA}): a region takes its sub-regions, through the
            // same GIN index as the words and the category.
            where.append(" and p.ship_from @> array[$").append(args.size()).append("::text]");
        }
        if (priceBands != null) {
            args.add(priceBands);
            // the expression of the words' index (V20), word for word
            where.append(" and array[price_band(p.wholesale_price)] && $")
                    .append(args.size())
                    .append("::int[]");
        }
        String select = "select " + SupplierProducts.COLUMNS + ", s.company_name, s.ship_from_region, s.handling_days";
        String from = " from supplier_product p join supplier s on s.id = p.supplier_id and s.status = 'ACTIVE'";
        String sql;
        String sortKey;
        switch (sort) {
            case RELEVANCE -> {
                String keyset = "";
                if (cursor != null) {
                    args.add(Float.parseFloat(cursor.key()));
                    args.add(cursor.supplierId());
                    args.add(cursor.sku());
                    int n = args.size();
                    keyset = " where (x.rank, x.supplier_id, x.sku) < ($" + (n - 2) + "::real, $" + (n - 1) + ", $" + n
                            + ")";
                }
                args.add(limit + 1);
                // Ranking every match of a common word costs a read of each; rank the first candidates the index finds.
                sql = "select * from (" + select + ", " + rank + " as rank" + from + where + " limit " + RANK_CANDIDATES
                        + ") x" + keyset + " order by x.rank desc, x.supplier_id desc, x.sku desc limit $"
                        + args.size();
                sortKey = "rank";
            }
            case PRICE_ASC, PRICE_DESC -> {
                boolean asc = sort == Sort.PRICE_ASC;
                if (cursor != null) {
                    args.add(new BigDecimal(cursor.key()));
                    args.add(cursor.supplierId());
                    args.add(cursor.sku());
                    int n = args.size();
                    where.append(" and (p.wholesale_price, p.supplier_id, p.sku) ")
                            .append(asc ? ">" : "<")
                            .append(" ($")
                            .append(n - 2)
                            .append("::numeric, $")
                            .append(n - 1)
                            .append(", $")
                            .append(n)
                            .append(")");
                }
                args.add(limit + 1);
                String dir = asc ? "" : " desc";
                sql = select + from + where + " order by p.wholesale_price" + dir + ", p.supplier_id" + dir + ", p.sku"
                        + dir + " limit $" + args.size();
                sortKey = "price";
            }
            default -> {
                if (cursor != null) {
                    args.add(OffsetDateTime.parse(cursor.key()));
                    args.add(cursor.supplierId());
                    args.add(cursor.sku());
                    int n = args.size();
                    where.append(" and (p.created_at, p.supplier_id, p.sku) < ($")
                            .append(n - 2)
                            .append("::timestamptz, $")
                            .append(n - 1)
                            .append(", $")
                            .append(n)
                            .append(")");
                }
                args.add(limit + 1);
                sql = select + from + where + " order by p.created_at desc, p.supplier_id desc, p.sku desc limit $"
                        + args.size();
                sortKey = "created";
            }
        }
        return pool.preparedQuery(sql)
                .execute(Tuple.from(args))
                .map(rows -> page(rows, limit, sort, mode, sortKey, corrected));
    }

    private Page page(RowSet<Row> rows, int limit, Sort sort, String mode, String sortKey, String corrected) {
        List<Hit> hits = new ArrayList<>();
        String next = null;
        int i = 0;
        Row last = null;
        for (Row r : rows) {
            if (i++ == limit) {
                if (last == null) {
                    // A page that had no room left for this tier: the next one starts the tier from its top.
                    next = encode(
                            new Cursor(sort.name(), mode, Float.toString(Float.POSITIVE_INFINITY), "", "", corrected));
                    break;
                }
                String key = switch (sortKey) {
                    case "rank" -> Float.toString(last.getFloat("rank"));
                    case "price" -> last.getBigDecimal(4).toPlainString();
                    default -> last.getOffsetDateTime(16).toString();
                };
                next = encode(new Cursor(sort.name(), mode, key, last.getString(0), last.getString(1), corrected));
                break;
            }
            hits.add(new Hit(products.product(r), r.getString(19), r.getString(20), r.getInteger(21)));
            last = r;
        }
        return new Page(hits, next, matchedBy(mode, corrected), corrected);
    }

    private String encode(Cursor c) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mapper.writeValueAsBytes(c));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Cursor decode(String s) {
        try {
            Cursor c = mapper.readValue(
                    new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8), Cursor.class);
            if (c.sort() == null || c.mode() == null || c.key() == null || c.supplierId() == null || c.sku() == null) {
                throw new IllegalArgumentException("incomplete");
            }
            switch (Sort.valueOf(c.sort())) {
                case RELEVANCE -> Float.parseFloat(c.key());
                case PRICE_ASC, PRICE_DESC -> new BigDecimal(c.key());
                case NEWEST -> OffsetDateTime.parse(c.key());
            }
            // SIMILAR: a cursor of the trigram fallback before search_word (V19), which pages differently.
            if (!List.of("ALL", "TITLE", "BODY", "WORDS").contains(c.mode())) {
                throw new IllegalArgumentException("mode");
            }
            return c;
        } catch (Exception e) {
            throw ProblemException.badRequest("the cursor is not valid; start again without one");
        }
    }
}
