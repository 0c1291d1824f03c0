package io.dropship.order.rest;

import io.dropship.order.domain.OrderStatus;
import io.dropship.order.service.Cancellations;
import io.dropship.order.service.Orders;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

@Path("/api/orders")
@Tag(name = "Orders")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
public class OrderResource {

    /** cancelInStore: cancel the order at its Shopify or WooCommerce store too, the customer reading customerMessage. */
    public record CancelRequest(
            @Size(max = 400) String reason,
            Boolean cancelInStore,
            @Size(max = 500) String customerMessage) {}

    private final Orders orders;
    private final Caller caller;
    private final Cancellations cancellations;
    private final Mutiny.SessionFactory sessions;

    private final io.dropship.order.service.Timeline timeline;

    public OrderResource(
            Orders orders,
            Caller caller,
            Cancellations cancellations,
            Mutiny.SessionFactory sessions,
            io.dropship.order.service.Timeline timeline) {
        this.timeline = timeline;
        this.orders = orders;
        this.caller = caller;
        this.cancellations = cancellations;
        this.sessions = sessions;
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(
            summary =
                    "Cancel an order that has not shipped (a retailer its own, or an admin; not support: it moves money)",
            description =
                    "Supplier orders not yet shipped are cancelled: their stock is released and their suppliers are told "
                            + "(or asked, once they accepted). What has shipped stays shipped. 409 for a SHIPPED or DELIVERED order. "
                            + "With cancelInStore the order is cancelled at its store too (Shopify: cancelled and the customer "
                            + "refunded; WooCommerce: status cancelled with customerMessage as a customer note); otherwise the "
                            + "store is not changed from here.")
    public Uni<OrderStatusView> cancel(@PathParam("id") UUID id, @Valid CancelRequest request) {
        boolean inStore = request != null && Boolean.TRUE.equals(request.cancelInStore());
        String message = request == null
                        || request.customerMessage() == null
                        || request.customerMessage().isBlank()
                ? "We cancelled your order; you will be refunded in full."
                : request.customerMessage().strip();
        return cancellations
                .cancelByRequest(
                        sessions,
                        id,
                        caller.retailerScope(null),
                        caller.isStaff() ? "ADMIN" : "RETAILER",
                        caller.name(),
                        request == null ? null : request.reason(),
                        inStore,
                        inStore ? message : null)
                .chain(() -> status(id));
    }

    @GET
    @Operation(summary = "List orders, newest first: a retailer's own, or any retailer's for staff")
    public Uni<Page<OrderView.Summary>> list(
            @QueryParam("retailerId") String retailerId,
            @QueryParam("status") OrderStatus status,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(200) int limit,
            @QueryParam("cursor") String cursor) {
        return orders.list(caller.retailerScope(retailerId), Optional.ofNullable(status), limit, cursor)
                .map(p -> p.map(OrderView.Summary::of));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One order with its lines, its supplier orders (each with its status) and its payments")
    public Uni<OrderView> get(@PathParam("id") UUID id) {
        return orders.find(id, caller.retailerScope(null))
                .chain(order -> orders.supplierOrders(id)
                        .chain(sos -> orders.payments(id).map(payments -> OrderView.of(order, sos, payments))));
    }

    @GET
    @Path("{id}/status")
    @Operation(summary = "Where an order stands: its status, hold or cancellation reason, supplier orders and payments")
    public Uni<OrderStatusView> status(@PathParam("id") UUID id) {
        return get(id).map(v -> new OrderStatusView(
                v.orderId(),
                v.orderNumber(),
                v.status(),
                v.holdReason(),
                v.cancellationReason(),
                v.supplierOrders(),
                v.payments(),
                v.updatedAt()));
    }

    /** An order's timeline: what happened to it in every service, oldest first. */
    public record TimelineView(
            UUID orderId, String orderNumber, java.util.List<io.dropship.order.service.Timeline.Entry> entries) {}

    @GET
    @Path("{id}/timeline")
    @Operation(
            summary = "Everything that happened to an order across the six services, oldest first (a retailer its own)",
            description =
                    "Store webhooks and calls to the store with the store's answers, routing decisions with every "
                            + "candidate and why it won or lost, reservations, what the supplier was told and did, callbacks and "
                            + "their answers, charges, refunds, transfers, status changes and notifications sent. Built from the "
                            + "events the services publish, so it trails them by moments. At most 1,000 entries.")
    public Uni<TimelineView> timeline(@PathParam("id") UUID id) {
        return orders.find(id, caller.retailerScope(null))
                .chain(order -> sessions.withSession(s -> timeline.of(s, id, 1000))
                        .map(entries -> new TimelineView(id, order.orderNumber, entries)));
    }

    public record OrderStatusView(
            UUID orderId,
            String orderNumber,
            OrderStatus status,
            String holdReason,
            String cancellationReason,
            java.util.List<OrderView.SupplierOrderView> supplierOrders,
            java.util.List<OrderView.Payment> payments,
            java.time.Instant updatedAt) {}
}
