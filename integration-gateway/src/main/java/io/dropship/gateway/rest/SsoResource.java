package io.dropship.gateway.rest;

import io.dropship.gateway.accounts.Accounts;
import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.web.ProblemException;
import io.quarkus.oidc.IdToken;
import io.quarkus.oidc.OidcSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Single sign-on for staff and enterprise customers through the installation's OpenID Connect provider (Keycloak,
 * Entra ID, Google: quarkus-oidc's {@code sso} tenant, the authorization-code flow). The browser comes here, is sent
 * to the provider, signs in there and comes back; the provider's ID token (checked by quarkus-oidc: signature by the
 * provider's JWKS, issuer, audience, expiry, nonce) names the person by a verified e-mail and its groups, which map
 * onto the platform's roles. The platform's own session starts from a one-time code the app exchanges at
 * {@code POST /api/auth/signin/sso}; the provider's session cookie is dropped at once.
 */
@Path("/api/auth/sso")
@Tag(name = "Accounts")
public class SsoResource {

    @Inject
    @IdToken
    JsonWebToken idToken;

    @Inject
    OidcSession oidcSession;

    @Inject
    Accounts accounts;

    @Inject
    GatewayConfig config;

    /**
     * Without a provider (quarkus.oidc.sso.tenant-enabled false, the default), /api/auth/sso/* answers a plain 404
     * problem, before quarkus-oidc's code mechanism would send the browser anywhere.
     */
    void notConfigured(
            @jakarta.enterprise.event.Observes io.vertx.ext.web.Router router,
            @org.eclipse.microprofile.config.inject.ConfigProperty(
                            name = "quarkus.oidc.sso.tenant-enabled",
                            defaultValue = "false")
                    boolean enabled) {
        if (enabled) {
            return;
        }
        router.route("/api/auth/sso/*")
                .order(Integer.MIN_VALUE + 100)
                .handler(
                        ctx -> ctx.response()
                                .setStatusCode(404)
                                .putHeader("Content-Type", io.dropship.platform.web.Problem.MEDIA_TYPE)
                                .end(
                                        io.vertx.core.json.Json.encode(
                                                io.dropship.platform.web.Problem.of(
                                                        "sso-not-configured",
                                                        404,
                                                        "Not Found",
                                                        "single sign-on is not set up on this installation: sign in with e-mail and password"))));
    }

    @GET
    @Path("signin")
    @Authenticated
    @Operation(
            summary = "Sign in with the organisation's identity provider (a browser navigation, not an API call)",
            description =
                    "Redirects to the provider; back from it, redirects to the app's /signin/sso?code=..., whose code"
                            + " POST /api/auth/signin/sso exchanges for tokens. The provider must vouch for the e-mail"
                            + " (email_verified); its groups claim maps onto ADMIN or SUPPORT for staff without an account.")
    public Uni<Response> signIn() {
        String email = idToken.getClaim("email");
        Object verified = idToken.getClaim("email_verified");
        Optional<String> staffRole = staffRole(groups());
        String name = idToken.getClaim("name");
        // The provider's session is not the platform's: its cookie goes before anything else happens.
        return oidcSession
                .logout()
                .chain(() -> {
                    if (email == null || !(Boolean.TRUE.equals(verified) || "true".equals(String.valueOf(verified)))) {
                        return Uni.createFrom()
                                .failure(ProblemException.forbidden(
                                                "the identity provider did not vouch for an" + " e-mail address")
                                        .type("sso-email-not-verified"));
                    }
                    return accounts.singleSignOn(email, staffRole, name == null ? email : name);
                })
                .map(code -> Response.seeOther(URI.create(config.accounts().appUrl() + "/signin/sso?code=" + code))
                        .build());
    }

    private List<String> groups() {
        Object claim = idToken.getClaim(config.sso().groupsClaim());
        if (claim instanceof Collection<?> c) {
            return c.stream().map(o -> o.toString().replace("\"", "")).toList();
        }
        if (claim instanceof jakarta.json.JsonArray array) {
            return array.stream().map(v -> v.toString().replace("\"", "")).toList();
        }
        return claim == null ? List.of() : List.of(claim.toString());
    }

    /** The staff role the provider's groups give: ADMIN before SUPPORT. */
    private Optional<String> staffRole(List<String> groups) {
        if (groups.stream().anyMatch(g -> config.sso().adminGroups().contains(g))) {
            return Optional.of("ADMIN");
        }
        if (groups.stream().anyMatch(g -> config.sso().supportGroups().contains(g))) {
            return Optional.of("SUPPORT");
        }
        return Optional.empty();
    }
}
