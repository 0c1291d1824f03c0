package io.dropship.gateway.rest;

import io.dropship.gateway.notifications.NotificationKind;
import io.dropship.gateway.notifications.Notifications;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The signed-in person's notifications: the feed the frontend shows (newest first, unread count, mark read), their
 * choices per kind (e-mail, feed only or off; at once or in a daily digest), and the unsubscribe link of the e-mails.
 */
@Path("/api/notifications")
@Tag(name = "Notifications")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.ADMIN, Roles.SUPPORT})
public class NotificationResource {

    public record ReadAll(Long upTo) {}

    public record Unread(long unread) {}

    public record Marked(int marked) {}

    public record PreferenceChange(@NotNull NotificationKind.Channel channel, NotificationKind.Cadence cadence) {}

    private final Notifications notifications;
    private final Caller caller;

    public NotificationResource(Notifications notifications, Caller caller) {
        this.notifications = notifications;
        this.caller = caller;
    }

    private UUID account() {
        return caller.accountId();
    }

    @GET
    @Operation(summary = "The signed-in person's notifications, newest first; unread=true for the unread ones only")
    public Uni<Page<Notifications.Entry>> feed(
            @QueryParam("unread") @DefaultValue("false") boolean unread,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(200) int limit,
            @QueryParam("cursor") String cursor) {
        return notifications.feed(account(), unread, limit, cursor);
    }

    @GET
    @Path("unread-count")
    @Operation(summary = "How many of the signed-in person's notifications are unread")
    public Uni<Unread> unread() {
        return notifications.unread(account()).map(Unread::new);
    }

    @POST
    @Path("{id}/read")
    @Operation(summary = "Mark one notification read (again: no change; another person's: 404)")
    public Uni<Notifications.Entry> read(@PathParam("id") long id) {
        return notifications.markRead(account(), id);
    }

    @POST
    @Path("read-all")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark every unread notification read, up to upTo (the newest id the person saw) when given")
    public Uni<Marked> readAll(ReadAll body) {
        return notifications
                .markAllRead(account(), body == null ? null : body.upTo())
                .map(Marked::new);
    }

    @GET
    @Path("preferences")
    @Operation(
            summary =
                    "How each kind of notification reaches the signed-in person: EMAIL, FEED or OFF; IMMEDIATE or DAILY")
    public Uni<List<Notifications.Preference>> preferences() {
        return notifications.preferences(account());
    }

    @PUT
    @Path("preferences/{kind}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Choose how a kind reaches the signed-in person (400 for a kind that is not for their account)",
            description =
                    "channel EMAIL (feed and e-mail), FEED (feed only) or OFF; cadence IMMEDIATE (an e-mail each) or "
                            + "DAILY (one digest of everything that waited), IMMEDIATE when left out.")
    public Uni<List<Notifications.Preference>> prefer(
            @PathParam("kind") String kind, @Valid @NotNull PreferenceChange change) {
        NotificationKind k;
        try {
            k = NotificationKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("notification kind " + kind);
        }
        return notifications.prefer(
                account(),
                k,
                change.channel(),
                change.cadence() == null ? NotificationKind.Cadence.IMMEDIATE : change.cadence());
    }

    @GET
    @Path("unsubscribe")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The unsubscribe link of an e-mail: its kinds reach the person in their feed only from now on")
    public Uni<String> unsubscribe(@QueryParam("token") String token) {
        return unsubscribed(token)
                .map(kinds -> "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unsubscribed"
                        + "</title></head><body style=\"font-family:sans-serif\"><p>"
                        + (kinds.isEmpty()
                                ? "This unsubscribe link is not known; nothing changed."
                                : "You will not receive these e-mails any more ("
                                        + String.join(", ", kinds).toLowerCase().replace('_', ' ')
                                        + "). They stay in your notifications, and you can turn e-mails on again in your settings.")
                        + "</p></body></html>");
    }

    @POST
    @Path("unsubscribe")
    @PermitAll
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    @Operation(summary = "One-click unsubscribe (RFC 8058: a mail client POSTs List-Unsubscribe=One-Click to the link)")
    public Uni<Map<String, Object>> unsubscribeOneClick(@QueryParam("token") String token) {
        return unsubscribed(token).map(kinds -> Map.of("unsubscribed", kinds));
    }

    private Uni<List<String>> unsubscribed(String token) {
        UUID t;
        try {
            t = UUID.fromString(String.valueOf(token));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(List.of());
        }
        return notifications.unsubscribe(t);
    }
}
