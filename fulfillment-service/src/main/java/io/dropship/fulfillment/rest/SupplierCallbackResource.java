package io.dropship.fulfillment.rest;

import static io.dropship.platform.sql.SqlValues.instant;

import io.dropship.fulfillment.service.CallbackDeliveries;
import io.dropship.fulfillment.service.SupplierOrders;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/supplier/callback")
@Tag(name = "Supplier order callback")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPPLIER)
public class SupplierCallbackResource {

    public record CallbackRequest(@NotBlank @Size(max = 500) String url, boolean enabled, boolean rotateSecret) {}

    /** One push to the endpoint: which event of which supplier order, and how it went. */
    public record DeliveryView(
            long id,
            UUID supplierOrderId,
            String event,
            String status,
            int attempts,
            Instant nextAttemptAt,
            Integer lastStatus,
            String lastError,
            Instant createdAt,
            Instant deliveredAt) {
        static DeliveryView of(Object[] r) {
            return new DeliveryView(
                    ((Number) r[0]).longValue(),
                    (UUID) r[1],
                    (String) r[2],
                    (String) r[3],
                    ((Number) r[4]).intValue(),
                    instant(r[5]),
                    r[6] == null ? null : ((Number) r[6]).intValue(),
                    (String) r[7],
                    instant(r[8]),
                    instant(r[9]));
        }
    }

    private final SupplierOrders supplierOrders;
    private final CallbackDeliveries deliveries;
    private final Caller caller;

    public SupplierCallbackResource(SupplierOrders supplierOrders, CallbackDeliveries deliveries, Caller caller) {
        this.supplierOrders = supplierOrders;
        this.deliveries = deliveries;
        this.caller = caller;
    }

    @GET
    @Path("deliveries")
    @Operation(
            summary =
                    "Recent pushes to the endpoint, newest first, optionally by status: PENDING, IN_FLIGHT, DELIVERED, FAILED",
            description =
                    "Each push is POSTed with X-Dropship-Event, X-Dropship-Delivery and X-Dropship-Signature: "
                            + "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\" with the signing secret>; anything but 2xx is retried with backoff.")
    public Uni<Page<DeliveryView>> deliveries(
            @QueryParam("status") @Pattern(regexp = "PENDING|IN_FLIGHT|DELIVERED|FAILED") String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        Long before = Cursors.after(cursor, Long::valueOf);
        return deliveries
                .recent(caller.supplierId(), status, before, limit + 1)
                .map(rows -> Page.of(rows.stream().map(DeliveryView::of).toList(), limit, d -> new Object[] {d.id()}));
    }

    @GET
    @Operation(summary = "Where the supplier's orders are pushed (the signing secret is never shown again)")
    public Uni<SupplierOrders.CallbackSettings> get() {
        return supplierOrders.callback(caller.supplierId());
    }

    @PUT
    @Operation(
            summary = "Set the endpoint orders are pushed to",
            description = "The first time, or with rotateSecret, the answer carries a new signing secret, shown once.")
    public Uni<SupplierOrders.CallbackSettings> set(@Valid @NotNull CallbackRequest request) {
        return supplierOrders.setCallback(
                caller.supplierId(), request.url(), request.enabled(), request.rotateSecret());
    }
}
