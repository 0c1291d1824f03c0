package io.dropship.catalog.categories;

import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The category taxonomy admins manage: a tree whose nodes carry their full path, the Shopify Standard Product Taxonomy
 * id they map to where there is one, and aliases (the free-text names suppliers' files use). Suppliers give a product a
 * category by id or by text; a text maps onto the taxonomy by path, alias or a unique name (the database's
 * {@code category_match}). Renaming or moving a category re-writes its subtree's paths and its products' category text
 * in one transaction, so search by path keeps finding them.
 */
@ApplicationScoped
public class Categories {

    public record Category(
            long id, Long parentId, String name, String path, String shopifyTaxonomyId, List<String> aliases) {}

    /** What an admin gives; on a change, null keeps what the category has (parentId 0 moves it to the top). */
    public record Change(String name, Long parentId, String shopifyTaxonomyId, List<String> aliases) {}

    private static final String SELECT = "select c.id, c.parent_id, c.name, c.path, c.shopify_taxonomy_id,"
            + " coalesce((select array_agg(a.alias order by a.alias) from category_alias a where a.category_id = c.id), '{}')"
            + " from category c";

    private final Pool pool;

    public Categories(Pool pool) {
        this.pool = pool;
    }

    /** The whole taxonomy, by path (parents before their children). */
    public Uni<List<Category>> all() {
        return pool.query(SELECT + " order by lower(c.path)").execute().map(rows -> {
            List<Category> out = new ArrayList<>();
            rows.forEach(r -> out.add(category(r)));
            return out;
        });
    }

    public Uni<Category> get(long id) {
        return pool.preparedQuery(SELECT + " where c.id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("category " + id);
                    }
                    return category(rows.iterator().next());
                });
    }

    /** The category's path, for a product given by category id; 400 when there is no such category. */
    public Uni<String> pathOf(long id) {
        return pool.preparedQuery("select path from category where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.badRequest("no category " + id + " (GET /api/categories lists them)");
                    }
                    return rows.iterator().next().getString(0);
                });
    }

    /** Of the texts given, those that map onto no category. */
    public Uni<List<String>> unmapped(List<String> texts) {
        if (texts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("select t from unnest($1::text[]) t where category_match(t) is null order by t")
                .execute(Tuple.of(texts.toArray(String[]::new)))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    public Uni<Category> create(Change c) {
        String name = name(c.name());
        return pool.withTransaction(conn -> parentPath(conn, c.parentId())
                        .chain(parent -> conn.preparedQuery(
                                        "insert into category (parent_id, name, path, shopify_taxonomy_id)"
                                                + " values ($1, $2, $3, $4) returning id")
                                .execute(Tuple.of(
                                        c.parentId() == null || c.parentId() == 0 ? null : c.parentId(),
                                        name,
                                        parent == null ? name : parent + " > " + name,
                                        blankToNull(c.shopifyTaxonomyId())))
                                .onFailure(this::duplicate)
                                .transform(e -> pathTaken(parent == null ? name : parent + " > " + name))
                                .map(rows -> rows.iterator().next().getLong(0))
                                .call(id -> aliases(conn, id, c.aliases()))))
                .chain(this::get);
    }

    /**
     * Renames, moves (not under itself or its own sub-categories), re-maps or re-aliases a category. A new path is
     * written to the category, its sub-categories and every product in them.
     */
    public Uni<Category> change(long id, Change c) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "select name, parent_id, path, shopify_taxonomy_id from category"
                                        + " where id = $1 for update")
                        .execute(Tuple.of(id))
                        .chain(rows -> {
                            if (rows.size() == 0) {
                                throw ProblemException.notFound("category " + id);
                            }
                            Row old = rows.iterator().next();
                            String name = c.name() == null ? old.getString(0) : name(c.name());
                            Long parent =
                                    c.parentId() == null ? old.getLong(1) : c.parentId() == 0 ? null : c.parentId();
                            String oldPath = old.getString(2);
                            return parentPath(conn, parent).chain(parentPath -> {
                                String path = parentPath == null ? name : parentPath + " > " + name;
                                if (parentPath != null
                                        && (parentPath.equalsIgnoreCase(oldPath)
                                                || parentPath
                                                        .toLowerCase(Locale.ROOT)
                                                        .startsWith(oldPath.toLowerCase(Locale.ROOT) + " > "))) {
                                    throw ProblemException.conflict(
                                            "category " + id + " cannot move under itself or its own sub-category");
                                }
                                String taxonomy = c.shopifyTaxonomyId() == null
                                        ? old.getString(3)
                                        : blankToNull(c.shopifyTaxonomyId());
                                return conn.preparedQuery(
                                                "update category set name = $2, parent_id = $3, shopify_taxonomy_id = $4,"
                                                        + " updated_at = now() where id = $1")
                                        .execute(Tuple.of(id, name, parent, taxonomy))
                                        .chain(() -> path.equals(oldPath)
                                                ? Uni.createFrom().voidItem()
                                                : repath(conn, oldPath, path))
                                        .onFailure(this::duplicate)
                                        .transform(e -> pathTaken(path))
                                        .call(() -> c.aliases() == null
                                                ? Uni.createFrom().voidItem()
                                                : conn.preparedQuery(
                                                                "delete from category_alias where category_id = $1")
                                                        .execute(Tuple.of(id))
                                                        .chain(() -> aliases(conn, id, c.aliases())));
                            });
                        }))
                .chain(() -> get(id));
    }

    /**
     * Removes a category that has no sub-categories and no products (409 otherwise). The category is locked before its
     * products are counted: an import's batch holds a share lock on each category it writes rows into (supplier_product
     * has no foreign key to category), so the count waits for such a batch and sees its rows.
     */
    public Uni<Void> delete(long id) {
        return pool.withTransaction(conn -> conn.preparedQuery("select id from category where id = $1 for update")
                .execute(Tuple.of(id))
                .chain(locked -> {
                    if (locked.size() == 0) {
                        throw ProblemException.notFound("category " + id);
                    }
                    return conn.preparedQuery("select (select count(*) from category where parent_id = $1),"
                                    + " (select count(*) from supplier_product where category_id = $1)")
                            .execute(Tuple.of(id));
                })
                .chain(rows -> {
                    Row r = rows.iterator().next();
                    if (r.getLong(0) > 0 || r.getLong(1) > 0) {
                        throw ProblemException.conflict("category " + id + " has " + r.getLong(0)
                                + " sub-categories and " + r.getLong(1) + " products; move them first");
                    }
                    return conn.preparedQuery("delete from category where id = $1")
                            .execute(Tuple.of(id))
                            .replaceWithVoid();
                }));
    }

    /** The subtree's paths and its products' category text, from the old path to the new. */
    private static Uni<Void> repath(SqlConnection conn, String oldPath, String newPath) {
        Tuple t = Tuple.of(oldPath, newPath, oldPath.length() + 1);
        return conn.preparedQuery("update category set path = $2::text || substr(path, $3::int), updated_at = now()"
                        + " where lower(path) = lower($1::text) or lower(path) like lower($1::text) || ' > %'")
                .execute(t)
                .chain(() -> conn.preparedQuery(
                                "update supplier_product set category = $2::text || substr(category, $3::int),"
                                        + " updated_at = now() where category_id in (select id from category where lower(path) = lower($2::text)"
                                        + " or lower(path) like lower($2::text) || ' > %') and $1::text is not null")
                        .execute(t))
                .replaceWithVoid();
    }

    private static Uni<String> parentPath(SqlConnection conn, Long parentId) {
        if (parentId == null || parentId == 0) {
            return Uni.createFrom().nullItem();
        }
        return conn.preparedQuery("select path from category where id = $1")
                .execute(Tuple.of(parentId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.badRequest("no parent category " + parentId);
                    }
                    return rows.iterator().next().getString(0);
                });
    }

    private static Uni<Void> aliases(SqlConnection conn, long id, List<String> aliases) {
        if (aliases == null || aliases.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] lower = aliases.stream()
                .map(a -> a.strip().toLowerCase(Locale.ROOT))
                .filter(a -> !a.isEmpty())
                .distinct()
                .toArray(String[]::new);
        return conn.preparedQuery("select alias from category_alias where alias = any($1) and category_id <> $2")
                .execute(Tuple.of(lower, id))
                .chain(taken -> {
                    if (taken.size() > 0) {
                        List<String> names = new ArrayList<>();
                        taken.forEach(r -> names.add(r.getString(0)));
                        throw ProblemException.conflict(
                                "aliases already name another category: " + String.join(", ", names));
                    }
                    return conn.preparedQuery(
                                    "insert into category_alias (alias, category_id) select unnest($1::text[]), $2"
                                            + " on conflict do nothing")
                            .execute(Tuple.of(lower, id))
                            .replaceWithVoid();
                });
    }

    private boolean duplicate(Throwable e) {
        return e instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState());
    }

    private static ProblemException pathTaken(String path) {
        return ProblemException.conflict("a category '" + path + "' exists already");
    }

    private static String name(String name) {
        if (name == null || name.isBlank() || name.contains(">") || name.strip().length() > 100) {
            throw ProblemException.badRequest("a category's name is 1 to 100 characters, without '>'");
        }
        return name.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Category category(Row r) {
        Object[] aliases = r.getArrayOfStrings(5);
        return new Category(
                r.getLong(0),
                r.getLong(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                aliases == null
                        ? List.of()
                        : Arrays.stream(aliases).map(String::valueOf).toList());
    }
}
