package io.dropship.gateway.api;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one path space of the public API and the service that owns each path. The gateway answers what it owns itself
 * (accounts, stores, webhooks of the stores, custom-store orders, privacy requests, retailers) and forwards the rest,
 * unchanged, to the owning service; a path nobody owns is the gateway's, which answers 404. The first matching line
 * wins, so a specific line comes before the general one it carves out of.
 *
 * <p>Every service has the same dead-letter endpoints ({@code /api/admin/dead-letters}); at the gateway they are
 * {@code /api/admin/services/{service}/dead-letters}, forwarded with the service part taken out.
 */
public final class ApiRoutes {

    /** The services behind the gateway; {@link #GATEWAY} is the gateway itself. */
    public enum Service {
        GATEWAY("integration-gateway"),
        CATALOG("catalog-service"),
        ORDER("order-service"),
        INVENTORY("inventory-service"),
        FULFILLMENT("fulfillment-service"),
        SETTLEMENT("settlement-service");

        public final String serviceName;

        Service(String serviceName) {
            this.serviceName = serviceName;
        }

        static Optional<Service> named(String name) {
            for (Service s : values()) {
                if (s.serviceName.equals(name)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** Where a call goes: the owning service and the path it is sent to there. */
    public record Target(Service service, String path) {
        public boolean local() {
            return service == Service.GATEWAY;
        }
    }

    private record Line(String method, Pattern path, Service service) {}

    private static final String REST = "(/.*)?";

    private static final List<Line> LINES = List.of(
            // POST /api/orders takes a custom store's order in at the gateway; reading orders is order-service's.
            line("POST", "/api/orders", Service.GATEWAY),
            line(null, "/api/orders" + REST, Service.ORDER),
            line(null, "/api/routing" + REST, Service.ORDER),
            line(null, "/api/supplier-performance" + REST, Service.ORDER),
            line(null, "/api/analytics" + REST, Service.ORDER),
            line(null, "/api/retailers/[^/]+/order-settings", Service.ORDER),
            line(null, "/api/cases" + REST, Service.ORDER),
            // A supplier exchanges its API key for a token at catalog-service, which keeps the keys.
            line(null, "/api/auth/supplier-token", Service.CATALOG),
            line(null, "/api/catalog" + REST, Service.CATALOG),
            line(null, "/api/listings" + REST, Service.CATALOG),
            line(null, "/api/categories" + REST, Service.CATALOG),
            line(null, "/api/directory" + REST, Service.CATALOG),
            line(null, "/api/suppliers" + REST, Service.CATALOG),
            line(null, "/api/supplier/(imports|products)" + REST, Service.CATALOG),
            line(null, "/api/supplier/(stock|stock-feed|stock-policy|low-stock)" + REST, Service.INVENTORY),
            line(null, "/api/supplier/(orders|callback)" + REST, Service.FULFILLMENT),
            line(null, "/api/supplier/return-policy", Service.SETTLEMENT),
            line(
                    null,
                    "/api/(billing|invoices|returns|return-requests|fee-rules|reconciliation|disputes)" + REST,
                    Service.SETTLEMENT),
            line(null, "/api/retailers/[^/]+/(credit-terms|plan)", Service.SETTLEMENT),
            line(null, "/webhooks/stripe", Service.SETTLEMENT));

    private static final Pattern DEAD_LETTERS = Pattern.compile("/api/admin/services/([a-z-]+)/dead-letters(/.*)?");

    private ApiRoutes() {}

    private static Line line(String method, String path, Service service) {
        return new Line(method, Pattern.compile(path), service);
    }

    /** Where a call with this method and path goes; empty for a dead-letter path of a service that does not exist. */
    public static Optional<Target> resolve(String method, String path) {
        Matcher dead = DEAD_LETTERS.matcher(path);
        if (dead.matches()) {
            String rest = dead.group(2) == null ? "" : dead.group(2);
            return Service.named(dead.group(1)).map(s -> new Target(s, "/api/admin/dead-letters" + rest));
        }
        for (Line line : LINES) {
            if ((line.method == null || line.method.equalsIgnoreCase(method))
                    && line.path.matcher(path).matches()) {
                return Optional.of(new Target(line.service, path));
            }
        }
        return Optional.of(new Target(Service.GATEWAY, path));
    }
}
