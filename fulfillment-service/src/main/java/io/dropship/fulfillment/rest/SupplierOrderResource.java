package io.dropship.fulfillment.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.dropship.fulfillment.domain.SupplierOrderStatus;
import io.dropship.fulfillment.entity.Shipment;
import io.dropship.fulfillment.entity.SupplierOrder;
import io.dropship.fulfillment.service.Dispatch;
import io.dropship.fulfillment.service.SupplierOrders;
import io.dropship.platform.web.Caller;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A supplier's own supplier orders. The supplier comes from the token. */
@Path("/api/supplier/orders")
@Tag(name = "Supplier orders")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPPLIER)
public class SupplierOrderResource {

    public record SupplierOrderView(
            UUID supplierOrderId,
            UUID orderId,
            String orderNumber,
            SupplierOrderStatus status,
            String reason,
            String currency,
            @JsonRawValue String lines,
            @JsonRawValue String shippingAddress,
            Instant receivedAt,
            Instant updatedAt,
            Instant deliveredAt) {
        static SupplierOrderView of(SupplierOrder o) {
            return new SupplierOrderView(
                    o.id,
                    o.orderId,
                    o.orderNumber,
                    o.status,
                    o.reason,
                    o.currency,
                    o.lines,
                    o.shippingAddress,
                    o.receivedAt,
                    o.updatedAt,
                    o.deliveredAt);
        }
    }

    public record RejectRequest(@NotBlank @Size(max = 500) String reason) {}

    public record ShipRequest(
            @NotBlank @Size(max = 100) String carrier,
            @NotBlank @Size(max = 100) String trackingNumber,

            @Size(max = 500) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL")
            String trackingUrl) {}

    public record ShipmentView(
            UUID shipmentId,
            UUID supplierOrderId,
            String carrier,
            String trackingNumber,
            String trackingUrl,
            Instant shippedAt) {
        static ShipmentView of(Shipment s) {
            return new ShipmentView(s.id, s.supplierOrderId, s.carrier, s.trackingNumber, s.trackingUrl, s.shippedAt);
        }
    }

    private final SupplierOrders supplierOrders;
    private final Dispatch dispatch;
    private final Caller caller;

    public SupplierOrderResource(SupplierOrders supplierOrders, Dispatch dispatch, Caller caller) {
        this.supplierOrders = supplierOrders;
        this.dispatch = dispatch;
        this.caller = caller;
    }

    @POST
    @Path("{id}/accept")
    @Operation(summary = "Accept a received supplier order")
    public Uni<SupplierOrderView> accept(@PathParam("id") UUID id) {
        return dispatch.accept(caller.supplierId(), id).map(SupplierOrderView::of);
    }

    @POST
    @Path("{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Reject a received or accepted supplier order, with a reason",
            description =
                    "The reserved stock is released and the platform routes the lines to another supplier, or holds the order.")
    public Uni<SupplierOrderView> reject(@PathParam("id") UUID id, @Valid @NotNull RejectRequest request) {
        return dispatch.reject(caller.supplierId(), id, request.reason()).map(SupplierOrderView::of);
    }

    @POST
    @Path("{id}/cancel")
    @Operation(
            summary = "Confirm the cancellation the platform asked for (CANCEL_REQUESTED): the order will not ship",
            description = "If the parcel has already left, ship the order instead, with its tracking.")
    public Uni<SupplierOrderView> confirmCancellation(@PathParam("id") UUID id) {
        return dispatch.confirmCancellation(caller.supplierId(), id).map(SupplierOrderView::of);
    }

    @POST
    @Path("{id}/deliver")
    @Operation(summary = "Mark a shipped supplier order delivered")
    public Uni<SupplierOrderView> deliver(@PathParam("id") UUID id) {
        return dispatch.deliver(caller.supplierId(), id).map(SupplierOrderView::of);
    }

    @POST
    @Path("{id}/ship")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Ship a supplier order with carrier, tracking number and tracking URL",
            description =
                    "Publishes Shipped once. Repeating the call with the same tracking number answers the same shipment.")
    public Uni<ShipmentView> ship(@PathParam("id") UUID id, @Valid @NotNull ShipRequest request) {
        return dispatch.ship(
                        caller.supplierId(),
                        id,
                        new Dispatch.ShipRequest(request.carrier(), request.trackingNumber(), request.trackingUrl()))
                .map(ShipmentView::of);
    }

    @GET
    @Operation(summary = "The supplier's orders, oldest first, optionally by status")
    public Uni<Page<SupplierOrderView>> list(
            @QueryParam("status") SupplierOrderStatus status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        return supplierOrders
                .orders(caller.supplierId(), Optional.ofNullable(status), limit, cursor)
                .map(p -> p.map(SupplierOrderView::of));
    }

    @GET
    @Path("{id}/packing-slip")
    @Produces("application/pdf")
    @Operation(
            summary = "The order's packing slip as a PDF, to put in the parcel",
            description =
                    "In the retailer's branding (its name, colour, address and footer, as set with PUT /api/billing/branding): "
                            + "the customer's name and address, the order's number and the lines (SKU, title, quantity), no prices.")
    public Uni<jakarta.ws.rs.core.Response> packingSlip(@PathParam("id") UUID id) {
        return supplierOrders
                .packingSlip(caller.supplierId(), id)
                .chain(slip -> Uni.createFrom()
                        .item(() -> io.dropship.fulfillment.service.PackingSlipPdf.render(slip))
                        .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                        .map(bytes -> jakarta.ws.rs.core.Response.ok(bytes, "application/pdf")
                                .header(
                                        "Content-Disposition",
                                        "inline; filename=\"packing-slip-" + slip.orderNumber() + ".pdf\"")
                                .build()));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One of the supplier's orders")
    public Uni<SupplierOrderView> get(@PathParam("id") UUID id) {
        return supplierOrders.order(caller.supplierId(), id).map(SupplierOrderView::of);
    }
}
