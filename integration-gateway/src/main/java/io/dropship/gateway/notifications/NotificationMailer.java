package io.dropship.gateway.notifications;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.work.Backoff;
import io.dropship.platform.work.PeriodicJob;
import io.dropship.platform.work.WorkQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Sends the e-mails notifications owe: those due at once in an e-mail per account and kind (one notification, or all
 * of that kind due together), claimed with a lease (so a
 * crashed instance's are picked up again and instances share the work) and retried with backoff when the SMTP server
 * fails; and, for people who chose DAILY, one digest per period of everything that waited. Mails to a retailer's team
 * carry the retailer's name, logo and colour. Every mail has an unsubscribe link (and the one-click List-Unsubscribe
 * headers) that sends its kinds to the feed only, and a Message-ID made from the notification, so a mail resent after a
 * crash between the SMTP answer and the commit is recognised as the same mail.
 */
@ApplicationScoped
public class NotificationMailer {

    private static final Logger LOG = Logger.getLogger(NotificationMailer.class);
    private static final String PLATFORM_NAME = "Dropship";
    private static final String PLATFORM_COLOR = "#1f4f8f";

    /** One mail to write: its recipient, branding, kinds and items. */
    record Outgoing(
            UUID accountId,
            String email,
            String brandName,
            String logoUrl,
            String color,
            List<Map<String, Object>> items,
            List<String> kinds) {}

    private final Vertx vertx;
    private final Mutiny.SessionFactory sessions;
    private final ReactiveMailer mailer;
    private final GatewayConfig config;
    private final GatewayConfig.Notifications settings;
    /** E-mails to send, claimed with a lease of two minutes. */
    private final WorkQueue queue;

    private final Template html;
    private final Template text;
    private final MeterRegistry meters;
    private volatile PeriodicJob sending;
    private volatile PeriodicJob digests;

    public NotificationMailer(
            Vertx vertx,
            Mutiny.SessionFactory sessions,
            ReactiveMailer mailer,
            GatewayConfig config,
            @Location("notification.html") Template html,
            @Location("notification.txt") Template text,
            MeterRegistry meters) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.mailer = mailer;
        this.config = config;
        this.settings = config.notifications();
        this.queue = WorkQueue.of(
                        "notification",
                        "id",
                        Duration.ofMinutes(2),
                        new Backoff(settings.backoffInitial(), settings.backoffMax()),
                        settings.maxAttempts())
                .columns("email_lease_until", "email_attempts");
        this.html = html;
        this.text = text;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        // Every mailPoll while there are e-mails to send, the wait doubling up to mailIdlePoll once there are none; the
        // consumers that make notifications wake it after their commit.
        sending = PeriodicJob.startWakeable(
                vertx.getDelegate(), settings.mailPoll(), settings.mailIdlePoll(), "notification mail", this::sendDue);
        digests =
                PeriodicJob.start(vertx.getDelegate(), settings.digestPoll(), "notification digest", this::sendDigests);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sending != null) {
            sending.stop();
        }
        if (digests != null) {
            digests.stop();
        }
    }

    /** At most this many notifications in one mail: a longer run of the same kind goes out in several. */
    static final int GROUP_LIMIT = 100;

    /**
     * One poll: the e-mails due now. Each account's notifications of one kind that are due together go out in one mail
     * (a reconciliation that finds 600 mismatches is one mail to each member of staff, not 600): the poll claims the
     * oldest due ones, then in the same transaction the others due of the same accounts and kinds.
     */
    Uni<Boolean> sendDue() {
        String returning = "id, account_id, kind, title, body, link, email_attempts";
        return sessions.withTransaction(s -> s.createNativeQuery(
                                queue.claimSql(
                                        "email_status = 'PENDING' and email_next_at <= now()",
                                        null,
                                        "email_next_at",
                                        ":n",
                                        returning),
                                Object[].class)
                        .setParameter("n", settings.mailBatch())
                        .getResultList()
                        .chain(first -> {
                            if (first.isEmpty()) {
                                return Uni.createFrom().item(first);
                            }
                            List<UUID> accounts = new ArrayList<>();
                            List<String> kinds = new ArrayList<>();
                            first.stream()
                                    .map(r -> java.util.List.of(r[1], r[2]))
                                    .distinct()
                                    .forEach(pair -> {
                                        accounts.add((UUID) pair.get(0));
                                        kinds.add((String) pair.get(1));
                                    });
                            return s.createNativeQuery(
                                            queue.claimSql(
                                                    "email_status = 'PENDING' and email_next_at <= now()"
                                                            + " and (account_id, kind) in (select * from unnest("
                                                            + "cast(:a as uuid[]), cast(:k as varchar(40)[])))",
                                                    null,
                                                    "id",
                                                    ":m",
                                                    returning),
                                            Object[].class)
                                    .setParameter("a", accounts.toArray(UUID[]::new))
                                    .setParameter("k", kinds.toArray(String[]::new))
                                    .setParameter("m", accounts.size() * GROUP_LIMIT)
                                    .getResultList()
                                    .map(more -> {
                                        List<Object[]> all = new ArrayList<>(first);
                                        all.addAll(more);
                                        return all;
                                    });
                        }))
                .chain(rows -> Multi.createFrom()
                        .iterable(groups(rows))
                        .onItem()
                        .transformToUniAndConcatenate(this::sendGroup)
                        .collect()
                        .last()
                        .replaceWith(!rows.isEmpty()));
    }

    /** Notifications were committed that may be e-mailed now: look at once rather than at the next idle round. */
    public void wake() {
        PeriodicJob job = sending;
        if (job != null) {
            job.wake();
        }
    }

    /** The claimed rows by account and kind, oldest first, in runs of at most {@link #GROUP_LIMIT}. */
    static List<List<Object[]>> groups(List<Object[]> rows) {
        Map<List<Object>, List<Object[]>> byAccountAndKind = new LinkedHashMap<>();
        rows.stream()
                .sorted(java.util.Comparator.comparingLong(r -> ((Number) r[0]).longValue()))
                .forEach(r -> byAccountAndKind
                        .computeIfAbsent(List.of(r[1], r[2]), k -> new ArrayList<>())
                        .add(r));
        List<List<Object[]>> out = new ArrayList<>();
        byAccountAndKind.values().forEach(group -> {
            for (int i = 0; i < group.size(); i += GROUP_LIMIT) {
                out.add(group.subList(i, Math.min(group.size(), i + GROUP_LIMIT)));
            }
        });
        return out;
    }

    /** One mail for an account's notifications of one kind: the notification itself when it is one. */
    private Uni<Void> sendGroup(List<Object[]> group) {
        Object[] firstRow = group.get(0);
        UUID account = (UUID) firstRow[1];
        String kind = (String) firstRow[2];
        long first = ((Number) firstRow[0]).longValue();
        long last = ((Number) group.get(group.size() - 1)[0]).longValue();
        return recipient(account).chain(r -> {
            if (r == null) {
                return settleAll(group, "NONE", "the account has no confirmed e-mail");
            }
            List<Map<String, Object>> items = new ArrayList<>();
            group.forEach(row -> items.add(item((String) row[3], (String) row[4], (String) row[5])));
            Outgoing mail = new Outgoing(account, r[0], r[1], r[2], r[3], items, List.of(kind));
            String subject =
                    group.size() == 1 ? (String) firstRow[3] : group.size() + " notifications: " + describe(kind);
            String messageId = group.size() == 1
                    ? "<notification-" + first + "@dropship>"
                    : "<notifications-" + first + "-" + last + "@dropship>";
            return deliver(mail, subject, messageId)
                    .chain(() -> settleAll(group, "SENT", null))
                    .invoke(() -> meters.counter("dropship.notifications.emails", "outcome", "sent")
                            .increment())
                    .onFailure()
                    .recoverWithUni(e -> {
                        LOG.warnf(
                                "notifications %d to %d (%d): the mail could not be sent: %s",
                                first, last, group.size(), e.getMessage());
                        meters.counter("dropship.notifications.emails", "outcome", "failed")
                                .increment();
                        return io.dropship.gateway.stores.StoreWork.each(group, row -> {
                            long id = ((Number) row[0]).longValue();
                            int attempts = ((Number) row[6]).intValue();
                            WorkQueue.Retry next = queue.afterFailure(attempts, null);
                            return next.giveUp()
                                    ? settle(
                                            id,
                                            "FAILED",
                                            null,
                                            "gave up after " + attempts + " attempts: " + e.getMessage())
                                    : settle(id, "PENDING", next.after(), String.valueOf(e.getMessage()));
                        });
                    });
        });
    }

    private static String describe(String kind) {
        try {
            return NotificationKind.valueOf(kind).description;
        } catch (IllegalArgumentException e) {
            return kind;
        }
    }

    /** Settles a mail's notifications with one statement. */
    private Uni<Void> settleAll(List<Object[]> group, String status, String error) {
        Long[] ids = group.stream().map(r -> ((Number) r[0]).longValue()).toArray(Long[]::new);
        return sessions.withTransaction(s -> s.createNativeQuery("update notification set email_status = :status,"
                                + " email_lease_until = null, email_error = :error,"
                                + " email_sent_at = case when :status = 'SENT' then now() else email_sent_at end"
                                + " where id = any(cast(:ids as bigint[])) and email_status = 'PENDING'")
                        .setParameter("status", status)
                        .setParameter("error", io.dropship.platform.sql.SqlValues.fit(error, 1000))
                        .setParameter("ids", ids)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** The account's confirmed address and the branding its mails carry; null when it has no confirmed address. */
    private Uni<String[]> recipient(UUID account) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select a.email, coalesce(r.brand_name, r.company),"
                                        + " r.brand_logo_url, r.brand_color from account a left join retailer r"
                                        + " on a.kind = 'RETAILER' and r.id = a.tenant_id where a.id = :a and a.email_verified_at is not null",
                                Object[].class)
                        .setParameter("a", account)
                        .getResultList())
                .map(rows -> rows.isEmpty()
                        ? null
                        : new String[] {
                            (String) rows.get(0)[0],
                            rows.get(0)[1] == null ? PLATFORM_NAME : (String) rows.get(0)[1],
                            (String) rows.get(0)[2],
                            rows.get(0)[3] == null ? PLATFORM_COLOR : (String) rows.get(0)[3]
                        });
    }

    private Uni<Void> settle(long id, String status, Duration retryAfter, String error) {
        return sessions.withTransaction(s -> s.createNativeQuery("update notification set email_status = :status,"
                                + " email_lease_until = null, email_error = :error,"
                                + " email_sent_at = case when :status = 'SENT' then now() else email_sent_at end,"
                                + " email_next_at = case when cast(:wait as double precision) is null then email_next_at"
                                + " else now() + make_interval(secs => cast(:wait as double precision)) end"
                                + " where id = :id and email_status = 'PENDING'")
                        .setParameter("status", status)
                        .setParameter("error", io.dropship.platform.sql.SqlValues.fit(error, 1000))
                        .setParameter("wait", retryAfter == null ? null : retryAfter.toMillis() / 1000.0)
                        .setParameter("id", id)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * One poll of digests: every account whose digest is due (something waits, and a period has passed since its last
     * digest, or since the oldest waiting notification when it never had one) gets one mail of everything waiting. The
     * account's digest row is locked while its mail goes out and the rows are marked in the same transaction, so a
     * failed send leaves them waiting for the next poll and two instances send it once.
     */
    Uni<Void> sendDigests() {
        double period = settings.digestEvery().toMillis() / 1000.0;
        return sessions.withSession(s -> s.createNativeQuery(
                                "select n.account_id from notification n"
                                        + " left join notification_digest d on d.account_id = n.account_id where n.email_status = 'DIGEST'"
                                        + " group by n.account_id, d.last_sent_at"
                                        + " having coalesce(d.last_sent_at, min(n.created_at)) <= now() - make_interval(secs => :p)"
                                        + " limit 100",
                                UUID.class)
                        .setParameter("p", period)
                        .getResultList())
                .onItem()
                .transformToMulti(accounts -> Multi.createFrom().iterable(accounts))
                .onItem()
                .transformToUniAndConcatenate(account -> digest(account, period)
                        .onFailure()
                        .recoverWithUni(e -> {
                            LOG.warnf(
                                    "the digest of account %s could not be sent: %s; it waits for the next poll",
                                    account, e.getMessage());
                            meters.counter("dropship.notifications.emails", "outcome", "failed")
                                    .increment();
                            return Uni.createFrom().voidItem();
                        }))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> digest(UUID account, double period) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "insert into notification_digest (account_id, last_sent_at)"
                                + " values (:a, now()) on conflict (account_id) do update set last_sent_at = now()"
                                + " where notification_digest.last_sent_at <= now() - make_interval(secs => :p) returning account_id",
                        UUID.class)
                .setParameter("a", account)
                .setParameter("p", period)
                .getResultList()
                .chain(claimed -> claimed.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : s.createNativeQuery(
                                        "select id, kind, title, body, link from notification where account_id = :a"
                                                + " and email_status = 'DIGEST' order by id limit 200 for update skip locked",
                                        Object[].class)
                                .setParameter("a", account)
                                .getResultList()
                                .chain(rows -> rows.isEmpty()
                                        ? Uni.createFrom().voidItem()
                                        : recipient(account).chain(r -> {
                                            if (r == null) {
                                                return markDigest(s, rows, "NONE");
                                            }
                                            List<Map<String, Object>> items = new ArrayList<>();
                                            LinkedHashSet<String> kinds = new LinkedHashSet<>();
                                            for (Object[] row : rows) {
                                                items.add(item((String) row[2], (String) row[3], (String) row[4]));
                                                kinds.add((String) row[1]);
                                            }
                                            Outgoing mail = new Outgoing(
                                                    account, r[0], r[1], r[2], r[3], items, List.copyOf(kinds));
                                            String subject = "Your digest: " + rows.size()
                                                    + (rows.size() == 1 ? " thing" : " things") + " to know";
                                            return deliver(
                                                            mail,
                                                            subject,
                                                            "<digest-" + account + "-"
                                                                    + ((Number) rows.get(rows.size() - 1)[0])
                                                                            .longValue()
                                                                    + "@dropship>")
                                                    .chain(() -> markDigest(s, rows, "SENT"))
                                                    .invoke(() -> meters.counter(
                                                                    "dropship.notifications.emails",
                                                                    "outcome",
                                                                    "digest")
                                                            .increment());
                                        }))));
    }

    private static Uni<Void> markDigest(Mutiny.Session s, List<Object[]> rows, String status) {
        Long[] ids = rows.stream().map(r -> ((Number) r[0]).longValue()).toArray(Long[]::new);
        return s.createNativeQuery("update notification set email_status = :status, email_sent_at = now()"
                        + " where id = any(cast(:ids as bigint[]))")
                .setParameter("status", status)
                .setParameter("ids", ids)
                .executeUpdate()
                .replaceWithVoid();
    }

    private Map<String, Object> item(String title, String body, String link) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("title", title);
        item.put("body", body);
        item.put("url", link == null ? null : config.accounts().appUrl() + link.replaceFirst("^/api", ""));
        return item;
    }

    private static String render(Template template, Map<String, Object> data) {
        io.quarkus.qute.TemplateInstance instance = template.instance();
        data.forEach(instance::data);
        return instance.render();
    }

    /** Writes and sends the mail, with a fresh unsubscribe link for its kinds (recorded first, in its own transaction). */
    private Uni<Void> deliver(Outgoing out, String subject, String messageId) {
        UUID token = UUID.randomUUID();
        String unsubscribe = config.api().publicUrl() + "/api/notifications/unsubscribe?token=" + token;
        return sessions.withTransaction(
                        s -> s.createNativeQuery("insert into notification_unsubscribe (token, account_id, kinds,"
                                        + " created_at) values (:t, :a, cast(:k as varchar(40)[]), now())")
                                .setParameter("t", token)
                                .setParameter("a", out.accountId())
                                .setParameter("k", out.kinds().toArray(String[]::new))
                                .executeUpdate())
                .chain(() -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("brandName", out.brandName());
                    data.put("logoUrl", out.logoUrl());
                    data.put("brandColor", out.color());
                    data.put("heading", subject);
                    data.put("items", out.items());
                    data.put("unsubscribeUrl", unsubscribe);
                    Mail mail = Mail.withHtml(out.email(), out.brandName() + ": " + subject, render(html, data))
                            .setText(render(text, data))
                            .setFrom(config.accounts().mailFrom())
                            .addHeader("Message-ID", messageId)
                            .addHeader("List-Unsubscribe", "<" + unsubscribe + ">")
                            .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                    return mailer.send(mail);
                });
    }
}
