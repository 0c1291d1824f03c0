package io.dropship.gateway.notifications;

import static io.dropship.platform.sql.SqlValues.instant;

import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Tells people what needs their attention: a notice for a retailer's team, a supplier's team or platform staff
 * becomes one row per person who has not turned its kind off, in the transaction of the event that caused it. The
 * row is the feed entry and, by the person's preference, an e-mail due now or waiting for their digest (sent by
 * {@link NotificationMailer}). Each row is unique per person and event key, so an event delivered twice tells no one
 * twice. E-mails go only to confirmed addresses.
 */
@ApplicationScoped
public class Notifications {

    /**
     * Something to tell: its kind, the retailer or supplier whose team hears it (null for staff), a key unique to the
     * event (the same event gives the same key), what it says, and where it leads in the API.
     */
    public record Notice(
            NotificationKind kind,
            String tenantId,
            String eventKey,
            String title,
            String body,
            String link,
            String subjectId,
            UUID orderId) {

        public Notice(
                NotificationKind kind,
                String tenantId,
                String eventKey,
                String title,
                String body,
                String link,
                String subjectId) {
            this(kind, tenantId, eventKey, title, body, link, subjectId, null);
        }

        /** The same notice, about this order: who was told goes into the order's timeline. */
        public Notice about(String order) {
            return new Notice(
                    kind,
                    tenantId,
                    eventKey,
                    title,
                    body,
                    link,
                    subjectId,
                    order == null ? null : UUID.fromString(order));
        }
    }

    /** A feed entry. */
    public record Entry(
            long id,
            String kind,
            String title,
            String body,
            String link,
            String subjectId,
            Instant createdAt,
            Instant readAt,
            String emailStatus) {}

    /** A person's choice for one kind, or the kind's default. */
    public record Preference(String kind, String description, String channel, String cadence, boolean isDefault) {}

    private final Mutiny.SessionFactory sessions;
    private final MeterRegistry meters;
    private final io.dropship.platform.outbox.Outbox outbox;

    public Notifications(
            Mutiny.SessionFactory sessions, MeterRegistry meters, io.dropship.platform.outbox.Outbox outbox) {
        this.outbox = outbox;
        this.sessions = sessions;
        this.meters = meters;
    }

    /** Records the notice for everyone in its audience, in the caller's transaction. */
    public Uni<Void> notify(Mutiny.Session s, Notice notice) {
        NotificationKind kind = notice.kind();
        if (kind.audience != NotificationKind.Audience.STAFF
                && (notice.tenantId() == null || notice.tenantId().isBlank())) {
            return Uni.createFrom().voidItem();
        }
        return s.createNativeQuery("""
                        insert into notification (account_id, kind, title, body, link, subject_id, event_key, created_at,
                                                  email_status, email_next_at)
                        select a.id, :kind, :title, :body, :link, :subject, :key, now(),
                               case when coalesce(p.channel, :channel) = 'EMAIL' and a.email_verified_at is not null
                                    then case when coalesce(p.cadence, :cadence) = 'DAILY' then 'DIGEST' else 'PENDING' end
                                    else 'NONE' end,
                               now()
                        from account a left join notification_preference p on p.account_id = a.id and p.kind = :kind
                        where a.kind = :audience and (cast(:tenant as text) is null or a.tenant_id = :tenant)
                          and coalesce(p.channel, :channel) <> 'OFF'
                        on conflict (account_id, event_key) do nothing""")
                .setParameter("kind", kind.name())
                .setParameter("title", SqlValues.fit(notice.title(), 300))
                .setParameter("body", SqlValues.fit(notice.body(), 4000))
                .setParameter("link", SqlValues.fit(notice.link(), 500))
                .setParameter("subject", SqlValues.fit(notice.subjectId(), 100))
                .setParameter("key", SqlValues.fit(notice.eventKey(), 200))
                .setParameter("channel", kind.defaultChannel.name())
                .setParameter("cadence", kind.defaultCadence.name())
                .setParameter("audience", kind.audience.name())
                .setParameter("tenant", notice.tenantId())
                .executeUpdate()
                .invoke(n -> meters.counter("dropship.notifications", "kind", kind.name())
                        .increment(n))
                .chain(n -> n == 0 || notice.orderId() == null
                        ? Uni.createFrom().voidItem()
                        : io.dropship.platform.outbox.OrderActivity.publish(
                                outbox,
                                s,
                                notice.orderId(),
                                "integration-gateway",
                                "NOTIFIED",
                                n + (n == 1 ? " person" : " people") + " of the "
                                        + kind.audience.name().toLowerCase()
                                        + (kind.audience == NotificationKind.Audience.STAFF ? "" : "'s team")
                                        + " told: " + notice.title(),
                                java.util.Map.of("notificationKind", kind.name(), "people", n)));
    }

    /** The account's feed, newest first; only the unread ones with {@code unreadOnly}. */
    public Uni<Page<Entry>> feed(UUID accountId, boolean unreadOnly, int limit, String cursor) {
        Long before = Cursors.after(cursor, Long::valueOf);
        return sessions.withSession(s -> s.createNativeQuery(
                                "select id, kind, title, body, link, subject_id, created_at,"
                                        + " read_at, email_status from notification where account_id = :a"
                                        + " and (:unread = false or read_at is null)"
                                        + " and (cast(:before as bigint) is null or id < cast(:before as bigint))"
                                        + " order by id desc limit :limit",
                                Object[].class)
                        .setParameter("a", accountId)
                        .setParameter("unread", unreadOnly)
                        .setParameter("before", before)
                        .setParameter("limit", limit + 1)
                        .getResultList())
                .map(rows -> Page.of(
                        rows.stream()
                                .map(r -> new Entry(
                                        ((Number) r[0]).longValue(),
                                        (String) r[1],
                                        (String) r[2],
                                        (String) r[3],
                                        (String) r[4],
                                        (String) r[5],
                                        instant(r[6]),
                                        instant(r[7]),
                                        (String) r[8]))
                                .toList(),
                        limit,
                        e -> new Object[] {e.id()}));
    }

    public Uni<Long> unread(UUID accountId) {
        return sessions.withSession(s -> s.createNativeQuery(
                        "select count(*) from notification where account_id = :a" + " and read_at is null", Long.class)
                .setParameter("a", accountId)
                .getSingleResult());
    }

    /** Marks one of the account's entries read (reading it again changes nothing); 404 for another's. */
    public Uni<Entry> markRead(UUID accountId, long id) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update notification set read_at = coalesce(read_at, now())"
                                        + " where id = :id and account_id = :a returning id, kind, title, body, link, subject_id,"
                                        + " created_at, read_at, email_status",
                                Object[].class)
                        .setParameter("id", id)
                        .setParameter("a", accountId)
                        .getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("notification " + id);
                    }
                    Object[] r = rows.get(0);
                    return new Entry(
                            ((Number) r[0]).longValue(),
                            (String) r[1],
                            (String) r[2],
                            (String) r[3],
                            (String) r[4],
                            (String) r[5],
                            instant(r[6]),
                            instant(r[7]),
                            (String) r[8]);
                });
    }

    /** Marks every unread entry read, up to {@code upTo} (the newest the person saw) when given; answers how many. */
    public Uni<Integer> markAllRead(UUID accountId, Long upTo) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "update notification set read_at = now() where account_id = :a"
                                + " and read_at is null and (cast(:upTo as bigint) is null or id <= cast(:upTo as bigint))")
                .setParameter("a", accountId)
                .setParameter("upTo", upTo)
                .executeUpdate());
    }

    /** The account's choice for every kind it can hear of. */
    public Uni<List<Preference>> preferences(UUID accountId) {
        return sessions.withSession(s -> s.createNativeQuery("select kind from account where id = :a", String.class)
                .setParameter("a", accountId)
                .getResultList()
                .chain(kinds -> {
                    if (kinds.isEmpty()) {
                        throw ProblemException.notFound("the signed-in account");
                    }
                    return s.createNativeQuery(
                                    "select kind, channel, cadence from notification_preference where account_id = :a",
                                    Object[].class)
                            .setParameter("a", accountId)
                            .getResultList()
                            .map(rows -> {
                                List<Preference> out = new ArrayList<>();
                                for (NotificationKind k : NotificationKind.forAccountKind(kinds.get(0))) {
                                    Object[] own = rows.stream()
                                            .filter(r -> k.name().equals(r[0]))
                                            .findFirst()
                                            .orElse(null);
                                    out.add(
                                            own == null
                                                    ? new Preference(
                                                            k.name(),
                                                            k.description,
                                                            k.defaultChannel.name(),
                                                            k.defaultCadence.name(),
                                                            true)
                                                    : new Preference(
                                                            k.name(),
                                                            k.description,
                                                            (String) own[1],
                                                            (String) own[2],
                                                            false));
                                }
                                return out;
                            });
                }));
    }

    /** Sets the account's choice for a kind it can hear of (400 for a kind that is not for it). */
    public Uni<List<Preference>> prefer(
            UUID accountId, NotificationKind kind, NotificationKind.Channel channel, NotificationKind.Cadence cadence) {
        return sessions.withTransaction(s -> s.createNativeQuery("select kind from account where id = :a", String.class)
                        .setParameter("a", accountId)
                        .getResultList()
                        .chain(kinds -> {
                            if (kinds.isEmpty()) {
                                throw ProblemException.notFound("the signed-in account");
                            }
                            if (!kind.audience.name().equals(kinds.get(0))) {
                                throw ProblemException.badRequest(kind + " is for "
                                        + kind.audience.name().toLowerCase() + " accounts, not this one");
                            }
                            return s.createNativeQuery(
                                            "insert into notification_preference (account_id, kind, channel, cadence,"
                                                    + " updated_at) values (:a, :k, :ch, :ca, now()) on conflict (account_id, kind) do update"
                                                    + " set channel = excluded.channel, cadence = excluded.cadence, updated_at = now()")
                                    .setParameter("a", accountId)
                                    .setParameter("k", kind.name())
                                    .setParameter("ch", channel.name())
                                    .setParameter("ca", cadence.name())
                                    .executeUpdate();
                        }))
                .chain(() -> preferences(accountId));
    }

    /**
     * The unsubscribe link of an e-mail was followed: its kinds go to the feed only for its account. Following it again
     * changes nothing. Answers the kinds, empty for an unknown token.
     */
    public Uni<List<String>> unsubscribe(UUID token) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "update notification_unsubscribe set used_at = coalesce(used_at, now())"
                                + " where token = :t returning account_id, array_to_string(kinds, ',')",
                        Object[].class)
                .setParameter("t", token)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(List.<String>of());
                    }
                    UUID account = (UUID) rows.get(0)[0];
                    List<String> kinds = List.of(((String) rows.get(0)[1]).split(","));
                    return s.createNativeQuery(
                                    "insert into notification_preference (account_id, kind, channel, cadence, updated_at)"
                                            + " select :a, k, 'FEED', coalesce((select cadence from notification_preference"
                                            + " where account_id = :a and kind = k), 'IMMEDIATE'), now() from unnest(cast(:kinds as text[])) k"
                                            + " on conflict (account_id, kind) do update set channel = 'FEED', updated_at = now()")
                            .setParameter("a", account)
                            .setParameter("kinds", kinds.toArray(String[]::new))
                            .executeUpdate()
                            .chain(() -> s.createNativeQuery(
                                            "update notification set email_status = 'NONE' where account_id = :a"
                                                    + " and email_status in ('PENDING', 'DIGEST') and kind = any(cast(:kinds as text[]))")
                                    .setParameter("a", account)
                                    .setParameter("kinds", kinds.toArray(String[]::new))
                                    .executeUpdate())
                            .replaceWith(kinds);
                }));
    }
}
