package io.dropship.gateway.rest;

import io.dropship.platform.web.Page;
import io.dropship.platform.web.Cursors;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static io.dropship.platform.outbox.SqlValues.instant;

/** What the gateway has told, or still owes, a store: so a retailer or support agent sees why tracking is missing. */
@Path("/api/stores/{storeId}/pushes")
@Tag(name = "Store connections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
public class StorePushResource {

    public record PushView(long id, String kind, UUID orderId, UUID shipmentId, String status, String step, int attempts,
                           Instant nextAttemptAt, String lastError, String storeReference, Instant createdAt, Instant doneAt) {
    }

    private static final String COLUMNS = "id, kind, order_id, shipment_id, status, step, attempts, next_attempt_at, last_error,"
            + " store_reference, created_at, done_at";

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;

    public StorePushResource(Mutiny.SessionFactory sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Calls to the store (tracking), newest first, optionally by status: PENDING, IN_FLIGHT, DONE, FAILED")
    public Uni<Page<PushView>> list(@PathParam("storeId") String storeId,
                                    @QueryParam("status") @Pattern(regexp = "PENDING|IN_FLIGHT|DONE|FAILED") String status,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                    @QueryParam("cursor") String cursor) {
        Long before = Cursors.after(cursor, Long::valueOf);
        // Newest first by id, which grows as calls are made.
        return sessions.withSession(s -> owned(s, storeId).chain(() -> s.createNativeQuery("select " + COLUMNS
                                + " from store_push where store_id = :store and (cast(:status as text) is null or status = :status)"
                                + " and (cast(:before as bigint) is null or id < cast(:before as bigint))"
                                + " order by id desc limit :limit", Object[].class)
                        .setParameter("store", storeId).setParameter("status", status).setParameter("before", before)
                        .setParameter("limit", limit + 1).getResultList()))
                .map(rows -> Page.of(rows.stream().map(StorePushResource::view).toList(), limit, v -> new Object[] {v.id()}));
    }

    @POST
    @Path("{pushId}/retry")
    @Operation(summary = "Try a FAILED call to the store again now, for example after the store's token was fixed")
    public Uni<PushView> retry(@PathParam("storeId") String storeId, @PathParam("pushId") long pushId) {
        return sessions.withTransaction(s -> owned(s, storeId).chain(() -> s.createNativeQuery("update store_push"
                                + " set status = 'PENDING', attempts = 0, next_attempt_at = now(), updated_at = now()"
                                + " where id = :id and store_id = :store and status = 'FAILED' returning " + COLUMNS, Object[].class)
                        .setParameter("id", pushId).setParameter("store", storeId).getResultList()))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.conflict("push " + pushId + " of store " + storeId + " is not FAILED");
                    }
                    return view(rows.get(0));
                });
    }

    private Uni<Void> owned(Mutiny.Session s, String storeId) {
        return s.find(StoreConnection.class, storeId).invoke(store -> {
            if (store == null || !(caller.isStaff() || store.retailerId.equals(caller.retailerId()))) {
                throw ProblemException.notFound("store " + storeId);
            }
        }).replaceWithVoid();
    }

    private static PushView view(Object[] r) {
        return new PushView(((Number) r[0]).longValue(), (String) r[1], (UUID) r[2], (UUID) r[3], (String) r[4], (String) r[5],
                ((Number) r[6]).intValue(), instant(r[7]), (String) r[8], (String) r[9], instant(r[10]), instant(r[11]));
    }

}
