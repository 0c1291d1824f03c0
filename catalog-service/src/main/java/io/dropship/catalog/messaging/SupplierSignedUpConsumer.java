package io.dropship.catalog.messaging;

import io.dropship.catalog.domain.BusinessType;
import io.dropship.catalog.service.Suppliers;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * A supplier signed up at the gateway: it is registered here under the id its account names, PENDING, its onboarding
 * open, as a registration through the API would be. A contact address registered before under another id (a supplier
 * that registered through the API, then signed up) is logged and left for an admin to link.
 */
@ApplicationScoped
public class SupplierSignedUpConsumer {

    private static final Logger LOG = Logger.getLogger(SupplierSignedUpConsumer.class);

    public record SupplierSignedUp(
            String supplierId,
            String companyName,
            String contactEmail,
            String contactName,
            BusinessType businessType,
            String shipFromRegion,
            Instant signedUpAt) {}

    private final Inbox inbox;
    private final Suppliers suppliers;

    public SupplierSignedUpConsumer(Inbox inbox, Suppliers suppliers) {
        this.inbox = inbox;
        this.suppliers = suppliers;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("supplier-signed-up", record, SupplierSignedUp.class, (s, e, p) -> {
            if (p.supplierId() == null
                    || p.companyName() == null
                    || p.contactEmail() == null
                    || p.businessType() == null
                    || p.shipFromRegion() == null) {
                throw new PoisonMessageException(
                        "SupplierSignedUp lacks a supplier id, company, contact, type or region");
            }
            return suppliers
                    .register(
                            s,
                            p.supplierId(),
                            new Suppliers.Registration(
                                    p.companyName(),
                                    p.contactEmail(),
                                    p.businessType(),
                                    p.shipFromRegion(),
                                    new Suppliers.Profile(p.contactName(), null, null, null, null)))
                    .invoke(created -> {
                        if (created == null) {
                            LOG.warnf(
                                    "supplier %s signed up with contact %s, which is registered already: not registered again",
                                    p.supplierId(), p.contactEmail());
                        }
                    })
                    .replaceWithVoid();
        });
    }
}
