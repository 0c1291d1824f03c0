package io.dropship.fulfillment.service;

import io.dropship.fulfillment.domain.CallbackUrl;
import io.dropship.fulfillment.domain.SupplierOrderStatus;
import io.dropship.fulfillment.entity.SupplierCallback;
import io.dropship.fulfillment.entity.SupplierOrder;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** What a supplier works with: its supplier orders, and where it wants them pushed. */
@ApplicationScoped
public class SupplierOrders {

    /** Callback settings; the secret is only set when it was just made. */
    public record CallbackSettings(String url, boolean enabled, Instant updatedAt, String signingSecret) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Mutiny.SessionFactory sessions;
    private final boolean allowPrivate;
    private final io.dropship.platform.web.SealedSecrets secrets;

    public SupplierOrders(
            Mutiny.SessionFactory sessions,
            io.dropship.platform.web.SealedSecrets secrets,
            @org.eclipse.microprofile.config.inject.ConfigProperty(
                            name = "dropship.callback.block-private-addresses",
                            defaultValue = "true")
                    boolean blockPrivate) {
        this.sessions = sessions;
        this.secrets = secrets;
        this.allowPrivate = !blockPrivate;
    }

    /** Oldest first; {@code cursor} continues after the page that answered it. */
    public Uni<Page<SupplierOrder>> orders(
            String supplierId, Optional<SupplierOrderStatus> status, int limit, String cursor) {
        String[] after = Cursors.decode(cursor, 2);
        return sessions.withSession(s -> {
                    var query = s.createSelectionQuery(
                                    "from SupplierOrder where supplierId = :supplier"
                                            + " and (:status is null or status = :status) and releasedAt is not null"
                                            + (after == null
                                                    ? ""
                                                    : " and (receivedAt > :at or (receivedAt = :at and id > :id))")
                                            + " order by receivedAt, id",
                                    SupplierOrder.class)
                            .setParameter("supplier", supplierId)
                            .setParameter("status", status.orElse(null));
                    if (after != null) {
                        query.setParameter("at", Cursors.part(after[0], java.time.Instant::parse))
                                .setParameter("id", Cursors.part(after[1], UUID::fromString));
                    }
                    return query.setMaxResults(limit + 1).getResultList();
                })
                .map(rows -> Page.of(rows, limit, o -> new Object[] {o.receivedAt, o.id}));
    }

    public Uni<SupplierOrder> order(String supplierId, UUID id) {
        return sessions.withSession(s -> s.find(SupplierOrder.class, id)).map(order -> {
            if (order == null || !order.supplierId.equals(supplierId) || order.releasedAt == null) {
                throw ProblemException.notFound("supplier order " + id);
            }
            return order;
        });
    }

    /**
     * The order's packing slip, in its retailer's branding (as RetailerBrandingChanged brought it), rendered off the
     * event loop. 404 as for the order.
     */
    public Uni<PackingSlipPdf.Slip> packingSlip(String supplierId, UUID id) {
        return order(supplierId, id)
                .chain(o -> sessions.withSession(s -> s.createNativeQuery(
                                        "select business_name,"
                                                + " address_lines, accent_color, footer from retailer_branding where retailer_id = :retailerId",
                                        Object[].class)
                                .setParameter("retailerId", o.retailerId)
                                .getResultList())
                        .map(rows -> {
                            Object[] b = rows.isEmpty() ? null : rows.get(0);
                            com.fasterxml.jackson.databind.ObjectMapper json =
                                    new com.fasterxml.jackson.databind.ObjectMapper();
                            try {
                                return new PackingSlipPdf.Slip(
                                        o.orderNumber == null ? o.orderId.toString() : o.orderNumber,
                                        o.storeOrderId,
                                        o.retailerId,
                                        b == null
                                                ? null
                                                : new PackingSlipPdf.Branding(
                                                        (String) b[0],
                                                        ((String) b[1]).isEmpty()
                                                                ? java.util.List.of()
                                                                : java.util.List.of(((String) b[1]).split("\n")),
                                                        (String) b[2],
                                                        (String) b[3]),
                                        o.shippingAddress == null ? null : json.readTree(o.shippingAddress),
                                        json.readTree(o.lines == null ? "[]" : o.lines),
                                        o.releasedAt == null ? o.receivedAt : o.releasedAt);
                            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                                throw new IllegalStateException(
                                        "supplier order " + id + " keeps lines or an address that are not JSON", e);
                            }
                        }));
    }

    public Uni<CallbackSettings> callback(String supplierId) {
        return sessions.withSession(s -> s.find(SupplierCallback.class, supplierId))
                .map(cb -> {
                    if (cb == null) {
                        throw ProblemException.notFound("a callback for supplier " + supplierId);
                    }
                    return new CallbackSettings(cb.url, cb.enabled, cb.updatedAt, null);
                });
    }

    /** Sets the callback endpoint; the first time, or when asked, a new signing secret is made and shown once. */
    public Uni<CallbackSettings> setCallback(String supplierId, String url, boolean enabled, boolean rotateSecret) {
        String checked;
        try {
            checked = CallbackUrl.parse(url, allowPrivate).toString();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        return sessions.withTransaction(s -> s.find(SupplierCallback.class, supplierId)
                .chain(existing -> {
                    SupplierCallback cb = existing != null ? existing : new SupplierCallback();
                    String newSecret = null;
                    if (existing == null || rotateSecret) {
                        byte[] bytes = new byte[32];
                        RANDOM.nextBytes(bytes);
                        newSecret = "whsec_"
                                + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                        cb.signingSecretSealed = secrets.box().seal(newSecret);
                        cb.signingSecret = null;
                    }
                    cb.supplierId = supplierId;
                    cb.url = checked;
                    cb.enabled = enabled;
                    cb.updatedAt = Instant.now();
                    String shown = newSecret;
                    return (existing == null ? s.persist(cb) : Uni.createFrom().voidItem())
                            .replaceWith(new CallbackSettings(cb.url, cb.enabled, cb.updatedAt, shown));
                }));
    }
}
