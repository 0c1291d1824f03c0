package io.dropship.gateway.rest;

import io.dropship.gateway.accounts.Accounts;
import io.dropship.gateway.accounts.SignInThrottle;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Signing up, in and out. Public but for what acts on the caller's own account; rate-limited per client address on
 * top of the edge's limits. Passwords are 12 to 128 characters.
 */
@Path("/api/auth")
@Tag(name = "Accounts and sign-in")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    public record SignUp(
            @NotBlank @Size(max = 200) String company,
            @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 200) String email,
            @NotNull @Size(min = 12, max = 128) String password) {}

    public record SupplierSignUp(
            @NotBlank @Size(max = 200) String companyName,
            @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 200) String email,
            @NotNull @Size(min = 12, max = 128) String password,

            @NotNull
            @jakarta.validation.constraints.Pattern(
                    regexp = "MANUFACTURER|DISTRIBUTOR|WHOLESALER",
                    message = "must be MANUFACTURER, DISTRIBUTOR or WHOLESALER")
            String businessType,

            @NotBlank
            @jakarta.validation.constraints.Pattern(
                    regexp = "[A-Z]{2}(-[A-Z0-9]{1,3})?",
                    message = "must be a country or region code such as US or US-CA")
            String shipFromRegion) {}

    public record SignIn(
            @NotBlank @Size(max = 200) String email,
            @NotNull @Size(max = 128) String password) {}

    public record EmailOnly(
            @NotBlank @Email @Size(max = 200) String email) {}

    public record CodeOnly(@NotBlank @Size(max = 100) String code) {}

    public record Refresh(@NotBlank @Size(max = 100) String refreshToken) {}

    public record Reset(
            @NotBlank @Size(max = 100) String code,
            @NotNull @Size(min = 12, max = 128) String password) {}

    public record Invitation(
            @NotBlank @Email @Size(max = 200) String email,

            @NotNull @jakarta.validation.constraints.Pattern(regexp = "OWNER|MEMBER|ADMIN|SUPPORT")
            String role) {}

    public record Acceptance(
            @NotBlank @Size(max = 100) String code,
            @Size(max = 200) String name,
            @NotNull @Size(min = 12, max = 128) String password) {}

    public record EmailChange(
            @NotNull @Size(max = 128) String password,
            @NotBlank @Email @Size(max = 200) String newEmail) {}

    public record PasswordChange(
            @NotNull @Size(max = 128) String currentPassword,
            @NotNull @Size(min = 12, max = 128) String newPassword) {}

    private static final Map<String, String> SENT =
            Map.of("status", "SENT", "detail", "if the address can be used, a mail with a link is on its way");

    private final Accounts accounts;
    private final io.dropship.gateway.accounts.Invitations invitations;
    private final SignInThrottle throttle;
    private final io.dropship.platform.web.Caller caller;

    public AuthResource(
            Accounts accounts,
            io.dropship.gateway.accounts.Invitations invitations,
            SignInThrottle throttle,
            io.dropship.platform.web.Caller caller) {
        this.accounts = accounts;
        this.invitations = invitations;
        this.throttle = throttle;
        this.caller = caller;
    }

    @POST
    @Path("invitations")
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.ADMIN})
    @Operation(
            summary =
                    "Invite someone by e-mail: an owner to its team (OWNER or MEMBER), an admin to the staff (ADMIN or"
                            + " SUPPORT)",
            description = "202 whatever the address; one that has an account already is told so by mail.")
    public Uni<Response> invite(@Valid @NotNull Invitation body) {
        return invitations
                .invite(caller, account(), body.email(), body.role())
                .map(invited -> Response.accepted(Map.of(
                                "status",
                                "SENT",
                                "email",
                                invited.email(),
                                "kind",
                                invited.kind(),
                                "role",
                                invited.role()))
                        .build());
    }

    @POST
    @Path("invitations/accept")
    @PermitAll
    @Operation(
            summary =
                    "Accept an invitation with the code from its mail: the account, its e-mail confirmed; then sign in")
    public Uni<Response> accept(@Valid @NotNull Acceptance body, @Context HttpServerRequest request) {
        throttle.check(request);
        return invitations
                .accept(body.code(), body.name(), body.password())
                .map(id -> Response.status(201)
                        .entity(Map.of("accountId", id.toString()))
                        .build());
    }

    @POST
    @Path("signup")
    @PermitAll
    @Operation(
            summary = "Sign up a retailer: its company and its owner's account; a mail confirms the e-mail",
            description = "Answers 202 whatever the address (an address with an account already is told so by mail).")
    public Uni<Response> signUp(@Valid @NotNull SignUp body, @Context HttpServerRequest request) {
        throttle.check(request);
        return accounts.signUpRetailer(body.company(), body.name(), body.email(), body.password())
                .replaceWith(Response.accepted(SENT).build());
    }

    @POST
    @Path("signup/supplier")
    @PermitAll
    @Operation(
            summary =
                    "Sign up a supplier: its owner's account, and its onboarding in the catalog (PENDING until an admin"
                            + " approves it); a mail confirms the e-mail",
            description = "Answers 202 whatever the address.")
    public Uni<Response> signUpSupplier(@Valid @NotNull SupplierSignUp body, @Context HttpServerRequest request) {
        throttle.check(request);
        return accounts.signUpSupplier(
                        body.companyName(),
                        body.name(),
                        body.email(),
                        body.password(),
                        body.businessType(),
                        body.shipFromRegion())
                .replaceWith(Response.accepted(SENT).build());
    }

    @POST
    @Path("verify-email")
    @PermitAll
    @Operation(summary = "Confirm an e-mail with the code from its mail")
    public Uni<Map<String, Boolean>> verify(@Valid @NotNull CodeOnly body) {
        return accounts.verifyEmail(body.code()).replaceWith(Map.of("verified", true));
    }

    @POST
    @Path("verify-email/resend")
    @PermitAll
    @Operation(summary = "Send a new confirmation link to an unconfirmed account (202 whatever the address)")
    public Uni<Response> resend(@Valid @NotNull EmailOnly body, @Context HttpServerRequest request) {
        throttle.check(request);
        return accounts.resendVerification(body.email())
                .replaceWith(Response.accepted(SENT).build());
    }

    @POST
    @Path("signin")
    @PermitAll
    @Operation(
            summary = "Sign in with e-mail and password: an access token and a refresh token",
            description = "401 for a wrong e-mail or password alike (and while the account is locked after too many);"
                    + " 403 until the e-mail is confirmed, or while the retailer is suspended; 429 past the attempts an"
                    + " address may make per minute; 503 with Retry-After while more sign-ins wait for their password"
                    + " check than the gateway queues.")
    public Uni<Accounts.Tokens> signIn(@Valid @NotNull SignIn body, @Context HttpServerRequest request) {
        throttle.check(request);
        return accounts.signIn(
                body.email(),
                body.password(),
                request.remoteAddress() == null ? null : request.remoteAddress().host(),
                request.getHeader("User-Agent"));
    }

    public record SsoCode(@NotBlank @Size(max = 200) String code) {}

    @POST
    @Path("signin/sso")
    @PermitAll
    @Operation(
            summary = "Exchange the one-time code single sign-on gave (GET /api/auth/sso/signin) for tokens",
            description = "The code is good once, for a minute; 400 link-not-valid after that.")
    public Uni<Accounts.Tokens> signInSso(@Valid @NotNull SsoCode body, @Context HttpServerRequest request) {
        throttle.check(request);
        return accounts.exchangeSso(
                body.code(),
                request.remoteAddress() == null ? null : request.remoteAddress().host(),
                request.getHeader("User-Agent"));
    }

    @POST
    @Path("refresh")
    @PermitAll
    @Operation(
            summary = "Trade a refresh token for new tokens; the refresh token is replaced",
            description = "A refresh token used a second time ends its session (401): it was stolen or replayed.")
    public Uni<Accounts.Tokens> refresh(@Valid @NotNull Refresh body, @Context HttpServerRequest request) {
        throttle.check(request);
        return accounts.refresh(body.refreshToken());
    }

    @POST
    @Path("signout")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "End this session: its refresh token stops working")
    public Uni<Response> signOut() {
        if (account() == null || caller.token().map(t -> t.getClaim("sid")).orElse(null) == null) {
            // A token not from sign-in (a supplier's API key exchange, a development token) has no session to end.
            return Uni.createFrom().item(Response.noContent().build());
        }
        return accounts.signOut(accountId(), sessionId())
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path("signout-everywhere")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "End every session of this account")
    public Uni<Response> signOutEverywhere() {
        if (account() == null) {
            return Uni.createFrom().item(Response.noContent().build());
        }
        return accounts.signOutEverywhere(accountId())
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path("password-reset")
    @PermitAll
    @Operation(summary = "Mail a link to choose a new password (202 whatever the address)")
    public Uni<Response> requestReset(@Valid @NotNull EmailOnly body, @Context HttpServerRequest request) {
        throttle.check(request);
        return accounts.requestPasswordReset(body.email())
                .replaceWith(Response.accepted(SENT).build());
    }

    @POST
    @Path("password-reset/confirm")
    @PermitAll
    @Operation(summary = "Set a new password with the code from the reset mail; every session of the account ends")
    public Uni<Response> reset(@Valid @NotNull Reset body, @Context HttpServerRequest request) {
        throttle.check(request);
        return accounts.resetPassword(body.code(), body.password())
                .replaceWith(Response.noContent().build());
    }

    @PUT
    @Path("password")
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "Change the password; the account's other sessions end")
    public Uni<Response> changePassword(@Valid @NotNull PasswordChange body) {
        return accounts.changePassword(accountId(), sessionId(), body.currentPassword(), body.newPassword())
                .replaceWith(Response.noContent().build());
    }

    @PUT
    @Path("email")
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
    @Operation(
            summary = "Change the e-mail: a code goes to the new address, and the change is made when it comes back",
            description =
                    "Needs the current password. 202 whatever the new address; one with an account is told so by mail.")
    public Uni<Response> changeEmail(@Valid @NotNull EmailChange body) {
        return accounts.requestEmailChange(accountId(), body.password(), body.newEmail())
                .replaceWith(Response.accepted(SENT).build());
    }

    @POST
    @Path("email/confirm")
    @PermitAll
    @Operation(summary = "Confirm a change of e-mail with the code sent to the new address; the old address is told")
    public Uni<Map<String, Boolean>> confirmEmail(@Valid @NotNull CodeOnly body, @Context HttpServerRequest request) {
        throttle.check(request);
        return accounts.confirmEmailChange(body.code()).replaceWith(Map.of("changed", true));
    }

    @GET
    @Path("me")
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "The signed-in account")
    public Uni<Accounts.AccountView> me() {
        return accounts.me(accountId());
    }

    /** The account a token from sign-in names; null for tokens from elsewhere (development tokens, API keys). */
    private UUID account() {
        return caller.account().orElse(null);
    }

    private UUID accountId() {
        return caller.accountId();
    }

    private UUID sessionId() {
        Object sid = caller.token().map(t -> t.getClaim("sid")).orElse(null);
        if (sid == null) {
            throw ProblemException.forbidden("this token does not belong to a session");
        }
        return UUID.fromString(sid.toString().replace("\"", ""));
    }
}
