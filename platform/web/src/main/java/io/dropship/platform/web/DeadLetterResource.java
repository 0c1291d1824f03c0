package io.dropship.platform.web;

import io.dropship.platform.outbox.DeadLetters;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every service's dead letters, for ops: what its consumers could not apply, why, and a way to replay or discard
 * each. Admins only; support reads.
 */
@Path("/api/admin/dead-letters")
@Tag(name = "Dead letters (ops)")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    public record DiscardRequest(
            @jakarta.validation.constraints.Size(max = 1000) String note) {}

    private final DeadLetters deadLetters;
    private final Caller caller;

    public DeadLetterResource(DeadLetters deadLetters, Caller caller) {
        this.deadLetters = deadLetters;
        this.caller = caller;
    }

    @GET
    @Path("summary")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "Per consumer: how many dead letters wait (DEAD), were replayed and were discarded")
    public Uni<List<DeadLetters.Summary>> summary() {
        return deadLetters.summary();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary =
                    "Dead letters, newest first, with their reason; status DEAD (default), REPLAYED, DISCARDED or ALL")
    public Uni<DeadLetters.Page> list(
            @QueryParam("status") String status,
            @QueryParam("consumer") String consumer,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        DeadLetters.Status wanted;
        try {
            wanted = status == null
                    ? DeadLetters.Status.DEAD
                    : "ALL".equals(status) ? null : DeadLetters.Status.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("status is one of DEAD, REPLAYED, DISCARDED, ALL");
        }
        return deadLetters.list(wanted, consumer, limit == null ? 50 : limit, cursor(cursor));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "One dead letter with its payload and headers")
    public Uni<DeadLetters.Detail> get(@PathParam("id") long id) {
        return deadLetters.get(id).onFailure(DeadLetters.Refused.class).transform(DeadLetterResource::problem);
    }

    @POST
    @Path("{id}/replay")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Send it back to its topic; consumers that applied it already skip it by its event id")
    public Uni<DeadLetters.Entry> replay(@PathParam("id") long id) {
        return deadLetters
                .replay(id, caller.name())
                .onFailure(DeadLetters.Refused.class)
                .transform(DeadLetterResource::problem);
    }

    @POST
    @Path("replay")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary =
                    "Replay every DEAD one, of one consumer or of all; says which went and which were refused and why")
    public Uni<Map<String, Object>> replayAll(@QueryParam("consumer") String consumer) {
        return deadLetters.replayAll(consumer, caller.name());
    }

    @POST
    @Path("{id}/discard")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Mark it handled without replaying it (poison that can never apply), with a note why")
    public Uni<DeadLetters.Entry> discard(@PathParam("id") long id, @jakarta.validation.Valid DiscardRequest request) {
        return deadLetters
                .discard(id, caller.name(), request == null ? null : request.note())
                .onFailure(DeadLetters.Refused.class)
                .transform(DeadLetterResource::problem);
    }

    private static Throwable problem(Throwable refused) {
        return ((DeadLetters.Refused) refused).notFound
                ? ProblemException.notFound(refused.getMessage())
                : ProblemException.conflict(refused.getMessage());
    }

    private static Long cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("cursor is not one this API gave out");
        }
    }
}
