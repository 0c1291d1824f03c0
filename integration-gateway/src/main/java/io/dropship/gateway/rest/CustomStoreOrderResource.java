package io.dropship.gateway.rest;

import io.dropship.gateway.domain.NormalizedOrder;
import io.dropship.gateway.domain.StorePlatform;
import io.dropship.gateway.service.OrderIntake;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Orders from a retailer's custom store, posted through the REST API instead of a webhook. */
@Path("/api/orders")
@Tag(name = "Custom store orders")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CustomStoreOrderResource {

    private final OrderIntake intake;
    private final StoreConnections stores;
    private final Caller caller;

    public CustomStoreOrderResource(OrderIntake intake, StoreConnections stores, Caller caller) {
        this.intake = intake;
        this.stores = stores;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary = "Submit an order from a custom store",
            description = "Requires an Idempotency-Key header: repeating a request with the same key, or the same "
                    + "storeOrderId, answers 200 with the order taken in the first time and publishes nothing new. "
                    + "storeId, when given, must be one of the caller's connected CUSTOM stores (404 otherwise); "
                    + "without it the order belongs to the retailer's default custom store.")
    public Uni<Response> submit(
            @HeaderParam("Idempotency-Key") String idempotencyKey, @Valid @NotNull NormalizedOrder order) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            throw ProblemException.badRequest("an Idempotency-Key header of 1 to 200 characters is required");
        }
        String retailerId = caller.retailerId();
        String ownDefault = "custom-" + retailerId;
        String storeId = order.storeId() != null ? order.storeId() : ownDefault;
        // Store order ids are unique per store: an order posted under another tenant's store would take that
        // store's order numbers first, and its real orders would be answered as already taken.
        Uni<Boolean> owned =
                storeId.equals(ownDefault) ? Uni.createFrom().item(true) : stores.ownsCustomStore(retailerId, storeId);
        return owned.chain(mine -> {
                    if (!mine) {
                        throw ProblemException.notFound("custom store " + storeId);
                    }
                    return intake.accept(retailerId, storeId, StorePlatform.CUSTOM, idempotencyKey, order, null);
                })
                .map(accepted -> Response.status(accepted.duplicate() ? 200 : 201)
                        .entity(accepted)
                        .build());
    }
}
