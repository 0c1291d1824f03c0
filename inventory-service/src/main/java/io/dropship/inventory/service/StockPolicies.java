package io.dropship.inventory.service;

import io.dropship.inventory.domain.StockPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Each supplier's stock policy: its own show percentage and low-stock threshold where it set them, the platform's
 * defaults where it did not. Read in the transaction of the change it applies to, so a change of policy is seen by
 * the very next stock change.
 */
@ApplicationScoped
public class StockPolicies {

    static final String SELECT = "select show_percent, low_stock_threshold from stock_policy where supplier_id = ";

    private final int defaultShowPercent;
    private final int defaultLowStockThreshold;

    public StockPolicies(
            @ConfigProperty(name = "dropship.inventory.show-percent", defaultValue = "90") int defaultShowPercent,
            @ConfigProperty(name = "dropship.inventory.low-stock-threshold") int defaultLowStockThreshold) {
        this.defaultShowPercent = defaultShowPercent;
        this.defaultLowStockThreshold = defaultLowStockThreshold;
    }

    public StockPolicy defaults() {
        return new StockPolicy(defaultShowPercent, defaultLowStockThreshold);
    }

    /** The policy as the change in this session's transaction should apply it. */
    public Uni<StockPolicy> of(Mutiny.Session session, String supplierId) {
        return session.createNativeQuery(SELECT + ":s", Object[].class)
                .setParameter("s", supplierId)
                .getResultList()
                .map(rows -> rows.isEmpty() ? defaults() : policy((Number) rows.get(0)[0], (Number) rows.get(0)[1]));
    }

    /** The same, on a plain connection (the bulk update and the feed write through one). */
    public Uni<StockPolicy> of(SqlClient client, String supplierId) {
        return client.preparedQuery(SELECT + "$1").execute(Tuple.of(supplierId)).map(rows -> {
            if (rows.size() == 0) {
                return defaults();
            }
            var r = rows.iterator().next();
            return policy(r.getInteger(0), r.getInteger(1));
        });
    }

    StockPolicy policy(Number showPercent, Number lowStockThreshold) {
        return new StockPolicy(
                showPercent == null ? defaultShowPercent : showPercent.intValue(),
                lowStockThreshold == null ? defaultLowStockThreshold : lowStockThreshold.intValue());
    }
}
