package io.dropship.catalog.service;

import static io.dropship.platform.sql.SqlValues.instant;

import io.dropship.catalog.domain.BusinessType;
import io.dropship.catalog.domain.ShippingMethod;
import io.dropship.catalog.domain.SupplierStatus;
import io.dropship.catalog.domain.VerificationStep;
import io.dropship.catalog.entity.Supplier;
import io.dropship.catalog.messaging.events.CatalogEvents;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Suppliers: registration, the verification steps an admin works through, approval and suspension, and the
 * supplier's own profile. Each change is published as SupplierChanged; every status change is kept with its
 * reason and who made it.
 */
@ApplicationScoped
public class Suppliers {

    public record Profile(
            String contactName,
            String contactPhone,
            List<ShippingMethod> shippingMethods,
            Integer handlingDays,
            BigDecimal minimumOrderValue) {}

    public record Registration(
            String companyName,
            String contactEmail,
            BusinessType businessType,
            String shipFromRegion,
            Profile profile) {}

    public enum Outcome {
        OPEN,
        PASSED,
        FAILED
    }

    public record Check(VerificationStep step, Outcome outcome, String note, String checkedBy, Instant checkedAt) {}

    public record StatusChange(
            SupplierStatus from, SupplierStatus to, String reason, String changedBy, Instant changedAt) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;

    public Suppliers(Mutiny.SessionFactory sessions, Outbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    public static List<String> shippingMethods(Supplier s) {
        return s.shippingMethods == null || s.shippingMethods.isBlank()
                ? List.of()
                : Arrays.asList(s.shippingMethods.split(","));
    }

    private Uni<Supplier> announce(Mutiny.Session session, Supplier s) {
        return outbox.publish(
                        session,
                        CatalogEvents.SupplierChanged.TOPIC,
                        s.id,
                        new CatalogEvents.SupplierChanged(
                                s.id,
                                s.companyName,
                                s.status.name(),
                                s.statusReason,
                                s.shipFromRegion,
                                s.handlingDays,
                                shippingMethods(s),
                                s.updatedAt))
                .replaceWith(s);
    }

    /** Registers a supplier as PENDING with every verification step open; an address already registered is a conflict. */
    public Uni<Supplier> register(Registration r) {
        String id = "sup-" + Long.toString(Math.abs(RANDOM.nextLong()), 36);
        return sessions.withTransaction(s -> register(s, id, r).map(created -> {
            if (created == null) {
                throw ProblemException.conflict(
                        "a supplier with contact " + r.contactEmail() + " is already registered");
            }
            return created;
        }));
    }

    /**
     * Registers a supplier under the id given, in the caller's transaction (a supplier who signed up at the gateway,
     * whose account already names this id). Null when the id or the contact address is registered already.
     */
    public Uni<Supplier> register(Mutiny.Session s, String id, Registration r) {
        Instant now = Instant.now();
        Profile p = r.profile();
        return s.createNativeQuery("insert into supplier (id, company_name, contact_email,"
                        + " business_type, ship_from_region, status, created_at, updated_at, contact_name, contact_phone,"
                        + " shipping_methods, handling_days, minimum_order_value)"
                        + " values (:id, :company, :email, :type, :region, 'PENDING', :now, :now, :name, :phone, :methods,"
                        + " :days, :mov) on conflict do nothing")
                .setParameter("id", id)
                .setParameter("company", r.companyName())
                .setParameter("email", r.contactEmail())
                .setParameter("type", r.businessType().name())
                .setParameter("region", r.shipFromRegion())
                .setParameter("now", now)
                .setParameter("name", p.contactName())
                .setParameter("phone", p.contactPhone())
                .setParameter("methods", methods(p.shippingMethods(), List.of(ShippingMethod.STANDARD)))
                .setParameter("days", p.handlingDays() == null ? 2 : p.handlingDays())
                .setParameter("mov", p.minimumOrderValue() == null ? BigDecimal.ZERO : p.minimumOrderValue())
                .executeUpdate()
                .chain(rows -> rows == 0
                        ? Uni.createFrom().nullItem()
                        : s.createNativeQuery(
                                        "insert into supplier_verification"
                                                + " (supplier_id, step, outcome) select :id, unnest(cast(:steps as text[])), 'OPEN'")
                                .setParameter("id", id)
                                .setParameter(
                                        "steps",
                                        Arrays.stream(VerificationStep.values())
                                                .map(Enum::name)
                                                .toArray(String[]::new))
                                .executeUpdate()
                                .chain(() -> record(s, id, null, SupplierStatus.PENDING, "registered", "supplier", now))
                                .chain(() -> s.find(Supplier.class, id))
                                .chain(created -> announce(s, created)));
    }

    private static String methods(List<ShippingMethod> methods, List<ShippingMethod> fallback) {
        List<ShippingMethod> m = methods == null || methods.isEmpty() ? fallback : methods;
        return m.stream().distinct().map(Enum::name).collect(Collectors.joining(","));
    }

    public Uni<Supplier> get(String id) {
        return sessions.withSession(s -> s.find(Supplier.class, id)).map(found -> {
            if (found == null) {
                throw ProblemException.notFound("supplier " + id);
            }
            return found;
        });
    }

    /** A page of suppliers, oldest first, after the given supplier (keyset on creation time, then id). */
    public Uni<List<Supplier>> list(Optional<SupplierStatus> status, String after, int limit) {
        return sessions.withSession(s -> s.createSelectionQuery(
                        "from Supplier x where (:status is null or x.status = :status)"
                                + " and (:after is null or x.createdAt > (select a.createdAt from Supplier a where a.id = :after)"
                                + " or (x.createdAt = (select a.createdAt from Supplier a where a.id = :after) and x.id > :after))"
                                + " order by x.createdAt, x.id",
                        Supplier.class)
                .setParameter("status", status.orElse(null))
                .setParameter("after", after)
                .setMaxResults(limit)
                .getResultList());
    }

    /** The supplier changes its own contact, shipping methods, fulfilment speed or minimum order value. */
    public Uni<Supplier> updateProfile(String id, Profile p) {
        return sessions.withTransaction(s -> s.find(Supplier.class, id).chain(supplier -> {
            if (supplier == null) {
                throw ProblemException.notFound("supplier " + id);
            }
            if (p.contactName() != null) {
                supplier.contactName = p.contactName();
            }
            if (p.contactPhone() != null) {
                supplier.contactPhone = p.contactPhone();
            }
            if (p.shippingMethods() != null && !p.shippingMethods().isEmpty()) {
                supplier.shippingMethods = methods(p.shippingMethods(), List.of());
            }
            if (p.handlingDays() != null) {
                supplier.handlingDays = p.handlingDays();
            }
            if (p.minimumOrderValue() != null) {
                supplier.minimumOrderValue = p.minimumOrderValue();
            }
            supplier.updatedAt = Instant.now();
            return announce(s, supplier);
        }));
    }

    public Uni<List<Check>> verification(String id) {
        return get(id).chain(found -> sessions.withSession(s -> s.createNativeQuery(
                                "select step, outcome, note, checked_by, checked_at from supplier_verification"
                                        + " where supplier_id = :id",
                                Object[].class)
                        .setParameter("id", id)
                        .getResultList()))
                .map(rows -> rows.stream()
                        .map(r -> new Check(
                                VerificationStep.valueOf((String) r[0]),
                                Outcome.valueOf((String) r[1]),
                                (String) r[2],
                                (String) r[3],
                                instant(r[4])))
                        .sorted((a, b) -> a.step().compareTo(b.step()))
                        .toList());
    }

    /** An admin records the outcome of one verification step. Steps of an approved supplier may still be re-checked. */
    public Uni<Void> check(String id, VerificationStep step, Outcome outcome, String note, String admin) {
        if (outcome == Outcome.OPEN) {
            throw ProblemException.badRequest("a check is PASSED or FAILED");
        }
        if (outcome == Outcome.FAILED && (note == null || note.isBlank())) {
            throw ProblemException.badRequest("a FAILED check needs a note saying why");
        }
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "insert into supplier_verification"
                                        + " (supplier_id, step, outcome, note, checked_by, checked_at)"
                                        + " select id, :step, :outcome, :note, :by, :at from supplier where id = :id"
                                        + " on conflict (supplier_id, step) do update set outcome = excluded.outcome,"
                                        + " note = excluded.note, checked_by = excluded.checked_by, checked_at = excluded.checked_at")
                        .setParameter("id", id)
                        .setParameter("step", step.name())
                        .setParameter("outcome", outcome.name())
                        .setParameter("note", note)
                        .setParameter("by", admin)
                        .setParameter("at", Instant.now())
                        .executeUpdate())
                .invoke(rows -> {
                    if (rows == 0) {
                        throw ProblemException.notFound("supplier " + id);
                    }
                })
                .replaceWithVoid();
    }

    public Uni<List<StatusChange>> history(String id) {
        return get(id).chain(found -> sessions.withSession(s -> s.createNativeQuery(
                                "select from_status, to_status, reason, changed_by, changed_at from supplier_status_change"
                                        + " where supplier_id = :id order by id",
                                Object[].class)
                        .setParameter("id", id)
                        .getResultList()))
                .map(rows -> rows.stream()
                        .map(r -> new StatusChange(
                                r[0] == null ? null : SupplierStatus.valueOf((String) r[0]),
                                SupplierStatus.valueOf((String) r[1]),
                                (String) r[2],
                                (String) r[3],
                                instant(r[4])))
                        .toList());
    }

    /**
     * Moves a supplier to a new status. Approval takes a PENDING supplier to ACTIVE once every verification step
     * has PASSED, and a SUSPENDED one back to ACTIVE; suspension needs a reason. The change, its reason and who made
     * it are kept, and SupplierChanged tells order-service at once, which stops routing to a supplier not ACTIVE.
     */
    public Uni<Supplier> changeStatus(String id, SupplierStatus target, String reason, String admin) {
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
            Uni<Void> verified = supplier.status == SupplierStatus.PENDING && target == SupplierStatus.ACTIVE
                    ? s.createNativeQuery(
                                    "select step || ' ' || outcome from supplier_verification"
                                            + " where supplier_id = :id and outcome <> 'PASSED' order by step",
                                    String.class)
                            .setParameter("id", id)
                            .getResultList()
                            .invoke(unpassed -> {
                                if (!unpassed.isEmpty()) {
                                    throw ProblemException.conflict(
                                            "verification is not complete: " + String.join(", ", unpassed));
                                }
                            })
                            .replaceWithVoid()
                    : Uni.createFrom().voidItem();
            return verified.chain(() -> {
                        SupplierStatus from = supplier.status;
                        supplier.status = target;
                        supplier.statusReason = reason;
                        supplier.updatedAt = Instant.now();
                        return record(s, id, from, target, reason, admin, supplier.updatedAt);
                    })
                    .chain(() -> announce(s, supplier));
        }));
    }

    private static Uni<Void> record(
            Mutiny.Session s, String id, SupplierStatus from, SupplierStatus to, String reason, String by, Instant at) {
        return s.createNativeQuery("insert into supplier_status_change (supplier_id, from_status, to_status, reason,"
                        + " changed_by, changed_at) values (:id, :from, :to, :reason, :by, :at)")
                .setParameter("id", id)
                .setParameter("from", from == null ? null : from.name())
                .setParameter("to", to.name())
                .setParameter("reason", reason)
                .setParameter("by", by)
                .setParameter("at", at)
                .executeUpdate()
                .replaceWithVoid();
    }
}
