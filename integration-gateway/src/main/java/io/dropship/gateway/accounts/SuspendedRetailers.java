package io.dropship.gateway.accounts;

import io.dropship.platform.web.Problem;
import io.dropship.platform.web.Roles;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A suspended retailer's calls to the gateway are refused (403, with the reason), whatever token it still holds (an
 * access token outlives its session by at most its 15 minutes). Signing out and reading its own account stay open.
 */
@ApplicationScoped
public class SuspendedRetailers {

    private final Retailers retailers;
    private final CurrentIdentityAssociation identities;

    public SuspendedRetailers(Retailers retailers, CurrentIdentityAssociation identities) {
        this.retailers = retailers;
        this.identities = identities;
    }

    @ServerRequestFilter(priority = 200)
    public Uni<Response> refuse(HttpServerRequest request) {
        if (request.path().startsWith("/api/auth/")) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().onFailure().recoverWithNull().chain(identity -> {
            if (identity == null
                    || identity.isAnonymous()
                    || !identity.hasRole(Roles.RETAILER)
                    || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                    || jwt.getClaim(Roles.RETAILER_CLAIM) == null) {
                return Uni.createFrom().nullItem();
            }
            String retailerId = jwt.getClaim(Roles.RETAILER_CLAIM).toString().replace("\"", "");
            return retailers
                    .suspended(retailerId)
                    .map(why -> why.isEmpty()
                            ? null
                            : Response.status(403)
                                    .type(Problem.MEDIA_TYPE)
                                    .entity(Problem.of(
                                            "retailer-suspended",
                                            403,
                                            "Forbidden",
                                            "the retailer is suspended: " + why.get()))
                                    .build());
        });
    }
}
