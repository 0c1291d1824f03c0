package io.dropship.gateway.rest;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.platform.web.TokenIssuer;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Hands out tokens for any role without a credential, so that the local fleet and demos can act as a
 * retailer, supplier, admin or support agent. Answers 404 unless dropship.dev-tokens.enabled is true,
 * which no production configuration sets.
 */
@Path("/api/dev/tokens")
@Tag(name = "Local and demo only")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DevTokenResource {

    public record TokenRequest(
            @NotNull @Pattern(regexp = "ADMIN|SUPPORT|SUPPLIER|RETAILER")
            String role,

            @Size(max = 100) String retailerId,
            @Size(max = 100) String supplierId,
            @Size(max = 100) String subject) {}

    private final GatewayConfig config;
    private final TokenIssuer issuer;

    public DevTokenResource(GatewayConfig config, TokenIssuer issuer) {
        this.config = config;
        this.issuer = issuer;
    }

    @POST
    @PermitAll
    @Operation(summary = "Issue a token for local use (disabled unless dropship.dev-tokens.enabled=true)")
    public TokenIssuer.IssuedToken issue(@Valid @NotNull TokenRequest request) {
        if (!config.devTokens().enabled()) {
            throw new ProblemException(404, "Not Found", "development tokens are disabled here");
        }
        Map<String, String> claims = new HashMap<>();
        if (Roles.RETAILER.equals(request.role())) {
            claims.put(Roles.RETAILER_CLAIM, required(request.retailerId(), "retailerId"));
        }
        if (Roles.SUPPLIER.equals(request.role())) {
            claims.put(Roles.SUPPLIER_CLAIM, required(request.supplierId(), "supplierId"));
        }
        String subject =
                request.subject() != null ? request.subject() : request.role().toLowerCase() + "@dev";
        return issuer.issue(subject, Set.of(request.role()), claims, Duration.ofHours(8));
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest(name + " is required for this role");
        }
        return value;
    }
}
