package io.dropship.catalog.service;

import io.dropship.catalog.domain.BusinessType;
import io.dropship.catalog.domain.SupplierStatus;
import io.dropship.catalog.messaging.CatalogEvents;
import io.dropship.catalog.repository.Supplier;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Suppliers: registration, an admin's approval and suspension; each change is published as SupplierChanged. */
@ApplicationScoped
public class SupplierDirectory {

    public record Registration(String companyName, String contactEmail, BusinessType businessType, String shipFromRegion) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;

    public SupplierDirectory(Mutiny.SessionFactory sessions, Outbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    private Uni<Supplier> announce(Mutiny.Session session, Supplier s) {
        return outbox.publish(session, CatalogEvents.SupplierChanged.TOPIC, s.id, new CatalogEvents.SupplierChanged(
                s.id, s.companyName, s.status.name(), s.statusReason, s.shipFromRegion, s.updatedAt)).replaceWith(s);
    }

    /** Registers a supplier as PENDING; an address already registered is a conflict, not a second supplier. */
    public Uni<Supplier> register(Registration r) {
        String id = "sup-" + Long.toString(Math.abs(RANDOM.nextLong()), 36);
        Instant now = Instant.now();
        return sessions.withTransaction(s -> s.createNativeQuery("insert into supplier (id, company_name, contact_email,"
                        + " business_type, ship_from_region, status, created_at, updated_at)"
                        + " values (:id, :company, :email, :type, :region, 'PENDING', :now, :now) on conflict do nothing")
                .setParameter("id", id)
                .setParameter("company", r.companyName())
                .setParameter("email", r.contactEmail())
                .setParameter("type", r.businessType().name())
                .setParameter("region", r.shipFromRegion())
                .setParameter("now", now)
                .executeUpdate()
                .chain(rows -> {
                    if (rows == 0) {
                        throw ProblemException.conflict("a supplier with contact " + r.contactEmail() + " is already registered");
                    }
                    return s.find(Supplier.class, id).chain(created -> announce(s, created));
                }));
    }

    public Uni<Supplier> get(String id) {
        return sessions.withSession(s -> s.find(Supplier.class, id))
                .map(found -> {
                    if (found == null) {
                        throw ProblemException.notFound("supplier " + id);
                    }
                    return found;
                });
    }

    public Uni<List<Supplier>> list(Optional<SupplierStatus> status) {
        return sessions.withSession(s -> {
            var q = s.createSelectionQuery("from Supplier where (:status is null or status = :status) order by createdAt",
                    Supplier.class);
            q.setParameter("status", status.orElse(null));
            return q.getResultList();
        });
    }

    /**
     * Moves a supplier to a new status. Approval takes a PENDING or SUSPENDED supplier to ACTIVE; suspension
     * needs a reason, which is kept.
     */
    public Uni<Supplier> changeStatus(String id, SupplierStatus target, String reason) {
        return sessions.withTransaction(s -> s.find(Supplier.class, id).chain(supplier -> {
            if (supplier == null) {
                throw ProblemException.notFound("supplier " + id);
            }
            if (supplier.status == target) {
                return Uni.createFrom().item(supplier);
            }
            if (target == SupplierStatus.PENDING) {
                throw ProblemException.conflict("a supplier cannot go back to PENDING");
            }
            if (target == SupplierStatus.SUSPENDED && (reason == null || reason.isBlank())) {
                throw ProblemException.badRequest("suspending a supplier needs a reason");
            }
            supplier.status = target;
            supplier.statusReason = reason;
            supplier.updatedAt = Instant.now();
            return announce(s, supplier);
        }));
    }
}
