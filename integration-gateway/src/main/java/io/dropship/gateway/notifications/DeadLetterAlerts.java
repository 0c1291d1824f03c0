package io.dropship.gateway.notifications;

import io.dropship.platform.outbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Tells platform staff of every event any service dead-lettered: the dead-letter topics of all six services are read
 * by pattern ({@code <Topic>.<service>.DLT}), each record becoming one DEAD_LETTER notification that names the
 * service, the topic, the event and the reason, and where to replay or discard it.
 */
@ApplicationScoped
public class DeadLetterAlerts {

    private final Inbox inbox;
    private final Mutiny.SessionFactory sessions;
    private final Notifications notifications;
    private final NotificationMailer mailer;

    public DeadLetterAlerts(
            Inbox inbox, Mutiny.SessionFactory sessions, Notifications notifications, NotificationMailer mailer) {
        this.inbox = inbox;
        this.sessions = sessions;
        this.notifications = notifications;
        this.mailer = mailer;
    }

    @Incoming("dead-letter-alerts")
    public Uni<Void> on(ConsumerRecord<String, String> dead) {
        String key = "dlt:" + dead.topic() + ":" + dead.partition() + "@" + dead.offset();
        return inbox.retrying(
                        "dead-letter-alerts",
                        key,
                        () -> sessions.withTransaction(s -> notifications.notify(s, notice(dead, key))))
                .invoke(mailer::wake);
    }

    static Notifications.Notice notice(ConsumerRecord<String, String> dead, String key) {
        String[] parts = dead.topic().split("\\.");
        String service = parts.length >= 3 ? parts[parts.length - 2] : "unknown";
        String topic =
                parts.length >= 3 ? String.join(".", java.util.Arrays.copyOf(parts, parts.length - 2)) : dead.topic();
        String eventId = header(dead, "id");
        String reason = header(dead, "dead-letter-reason");
        return new Notifications.Notice(
                NotificationKind.DEAD_LETTER,
                null,
                key,
                service + " dead-lettered " + topic + " event " + (eventId == null ? "(no id)" : eventId),
                "Reason: " + (reason == null ? "not given" : reason)
                        + "\nKey " + dead.key() + "; dead-letter topic " + dead.topic() + ", partition "
                        + dead.partition()
                        + ", offset " + dead.offset() + ".\nRead it, then replay or discard it.",
                "/api/admin/services/" + service + "/dead-letters",
                eventId);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
