package io.dropship.gateway.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Retailers as records: an admin lists, suspends (with a reason) and reinstates them. A suspended retailer's sessions
 * end, it cannot sign in or refresh, its calls to the gateway are refused with the reason, and its stores' new orders
 * are not taken in. A retailer known only from tokens (before accounts existed, or a development token) has no record
 * and is active.
 */
@ApplicationScoped
public class Retailers {

    private static final Logger LOG = Logger.getLogger(Retailers.class);

    public record RetailerView(
            String retailerId,
            String company,
            String contactEmail,
            String status,
            String statusReason,
            long accounts,
            Instant createdAt,
            Instant updatedAt) {}

    /** Why each retailer is suspended (empty: active), as read at most a few seconds ago. */
    private final Cache<String, Optional<String>> suspension = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(5))
            .build();

    private final Mutiny.SessionFactory sessions;
    private final io.vertx.mutiny.sqlclient.Pool pool;

    public Retailers(Mutiny.SessionFactory sessions, io.vertx.mutiny.sqlclient.Pool pool) {
        this.sessions = sessions;
        this.pool = pool;
    }

    public Uni<List<RetailerView>> list(String status, String after, int limit) {
        return sessions.withSession(s -> s.createNativeQuery(
                        select() + " where (cast(:status as text) is null or r.status ="
                                + " cast(:status as text)) and (cast(:after as text) is null or r.id > cast(:after as text))"
                                + " order by r.id limit " + limit,
                        Object[].class)
                .setParameter("status", status)
                .setParameter("after", after)
                .getResultList()
                .map(rows -> rows.stream().map(Retailers::view).toList()));
    }

    public Uni<RetailerView> get(String retailerId) {
        return sessions.withSession(s -> s.createNativeQuery(select() + " where r.id = :id", Object[].class)
                .setParameter("id", retailerId)
                .getSingleResultOrNull()
                .map(r -> {
                    if (r == null) {
                        throw ProblemException.notFound("retailer " + retailerId);
                    }
                    return view(r);
                }));
    }

    /** Suspends the retailer and ends every session of its accounts. */
    public Uni<RetailerView> suspend(String retailerId, String reason, String by) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update retailer set status = 'SUSPENDED', status_reason = :why,"
                                        + " updated_at = now() where id = :id")
                        .setParameter("why", reason)
                        .setParameter("id", retailerId)
                        .executeUpdate()
                        .chain(n -> {
                            if (n == 0) {
                                throw ProblemException.notFound("retailer " + retailerId);
                            }
                            return s.createNativeQuery(
                                            "update auth_session set revoked_at = now(), revoked_reason = 'retailer suspended'"
                                                    + " where revoked_at is null and account_id in (select id from account where kind = 'RETAILER'"
                                                    + " and tenant_id = :id)")
                                    .setParameter("id", retailerId)
                                    .executeUpdate();
                        }))
                .invoke(() -> {
                    suspension.invalidate(retailerId);
                    LOG.infof("retailer %s suspended by %s: %s", retailerId, by, reason);
                })
                .chain(() -> get(retailerId));
    }

    public Uni<RetailerView> reinstate(String retailerId, String by) {
        return sessions.withTransaction(
                        s -> s.createNativeQuery("update retailer set status = 'ACTIVE', status_reason = null,"
                                        + " updated_at = now() where id = :id")
                                .setParameter("id", retailerId)
                                .executeUpdate())
                .invoke(n -> {
                    if (n == 0) {
                        throw ProblemException.notFound("retailer " + retailerId);
                    }
                    suspension.invalidate(retailerId);
                    LOG.infof("retailer %s reinstated by %s", retailerId, by);
                })
                .chain(() -> get(retailerId));
    }

    /** Why the retailer is suspended, or empty while it is active (or has no record). */
    public Uni<Optional<String>> suspended(String retailerId) {
        // The SQL client, not a Hibernate session: the request filter that asks may run on a worker thread.
        return cached(
                retailerId,
                () -> pool.preparedQuery(SUSPENSION)
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(retailerId))
                        .map(rows -> rows.size() == 0
                                ? Optional.<String>empty()
                                : Optional.of(rows.iterator().next().getString(0))));
    }

    /**
     * The same, read in the caller's transaction. Code that holds a connection must not ask the pool for a second one:
     * twenty webhooks at once, each holding one and waiting for another, emptied the pool and waited out its 30 s
     * timeout together (every time the cached answers expired).
     */
    public Uni<Optional<String>> suspended(Mutiny.Session s, String retailerId) {
        return cached(
                retailerId,
                () -> s.createNativeQuery(SUSPENSION.replace("$1", ":id"), String.class)
                        .setParameter("id", retailerId)
                        .getResultList()
                        .map(rows -> rows.isEmpty() ? Optional.<String>empty() : Optional.of(rows.get(0))));
    }

    /** Why the retailer is suspended, if so: {@code $1} is its id. */
    private static final String SUSPENSION =
            "select coalesce(status_reason, 'no reason given') from retailer where id = $1 and status = 'SUSPENDED'";

    /** The answer read at most a few seconds ago, or {@code read}'s, kept for the next few seconds. */
    private Uni<Optional<String>> cached(String retailerId, java.util.function.Supplier<Uni<Optional<String>>> read) {
        Optional<String> known = suspension.getIfPresent(retailerId);
        return known != null ? Uni.createFrom().item(known) : read.get().invoke(why -> suspension.put(retailerId, why));
    }

    private static String select() {
        return "select r.id, r.company, r.contact_email, r.status, r.status_reason,"
                + " (select count(*) from account a where a.kind = 'RETAILER' and a.tenant_id = r.id), r.created_at, r.updated_at"
                + " from retailer r";
    }

    private static RetailerView view(Object[] r) {
        return new RetailerView(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                ((Number) r[5]).longValue(),
                SqlValues.instant(r[6]),
                SqlValues.instant(r[7]));
    }

    /** logoUrl: an https image; color: #RRGGBB. Null fields fall back to the company name and the platform's look. */
    public record Branding(
            @Size(max = 200) String name,

            @Size(max = 500) @Pattern(regexp = "https://[^\\s\"'<>]+", message = "is an https URL")
            String logoUrl,

            @Pattern(regexp = "#[0-9a-fA-F]{6}", message = "is a colour as #RRGGBB")
            String color) {}

    /** Sets the retailer's branding for the e-mails to its team; 404 if there is no such retailer. */
    public Uni<Branding> brand(String retailerId, Branding branding) {
        return sessions.withTransaction(
                        s -> s.createNativeQuery("update retailer set brand_name = :n, brand_logo_url = :l,"
                                        + " brand_color = :c, updated_at = now() where id = :retailerId")
                                .setParameter("n", blankToNull(branding.name()))
                                .setParameter("l", branding.logoUrl())
                                .setParameter(
                                        "c",
                                        branding.color() == null
                                                ? null
                                                : branding.color().toLowerCase())
                                .setParameter("retailerId", retailerId)
                                .executeUpdate())
                .chain(n -> {
                    if (n == 0) {
                        throw ProblemException.notFound("retailer " + retailerId);
                    }
                    return branding(retailerId);
                });
    }

    /** The retailer's branding (its company name until it sets one); 404 if there is no such retailer. */
    public Uni<Branding> branding(String retailerId) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select coalesce(brand_name, company), brand_logo_url, brand_color"
                                        + " from retailer where id = :retailerId",
                                Object[].class)
                        .setParameter("retailerId", retailerId)
                        .getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("retailer " + retailerId);
                    }
                    Object[] r = rows.get(0);
                    return new Branding((String) r[0], (String) r[1], (String) r[2]);
                });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
