package io.dropship.inventory.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.inventory.messaging.events.SupplierOrderRouted;
import io.dropship.inventory.service.Reservations;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

@ApplicationScoped
public class SupplierOrderRoutedConsumer {

    private final Inbox inbox;
    private final Reservations reservations;
    private final ObjectMapper mapper;

    public SupplierOrderRoutedConsumer(Inbox inbox, Reservations reservations, ObjectMapper mapper) {
        this.inbox = inbox;
        this.reservations = reservations;
        this.mapper = mapper;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("supplier-order-routed", record, JsonNode.class, (s, e, payload) -> {
            SupplierOrderRouted order;
            try {
                order = mapper.treeToValue(payload, SupplierOrderRouted.class);
            } catch (Exception ex) {
                throw new PoisonMessageException("SupplierOrderRouted is not readable: " + ex.getMessage(), ex);
            }
            return reservations.reserve(s, new SupplierOrderRouted.Raw(payload, order));
        });
    }
}
