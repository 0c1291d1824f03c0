package io.dropship.platform.outbox.testapp;

import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The tally's increments a poll's worth at a time, one transaction for the poll (Inbox.applyAll). */
@ApplicationScoped
public class BatchTallyConsumer {

    private final Inbox inbox;

    public BatchTallyConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    @Incoming("batch-tally")
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return inbox.applyAll("batch-tally", records, TallyConsumer.Increment.class, (session, event, increment) -> {
            if (increment.key() == null) {
                throw new PoisonMessageException("an increment needs a key");
            }
            if (increment.by() < 0) {
                // A failure the inbox cannot classify: the batch is applied event by event, this one dead-lettered.
                throw new IllegalStateException("the tally only counts up");
            }
            return session.createNativeQuery("insert into tally (key, count) values (:k, :by)"
                            + " on conflict (key) do update set count = tally.count + :by")
                    .setParameter("k", increment.key())
                    .setParameter("by", increment.by())
                    .executeUpdate();
        });
    }
}
