package io.dropship.order;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.ServiceBaseline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class OrderBaselineIT extends ServiceBaseline {

    @Override
    protected String protectedPath() {
        return "/api/orders";
    }
}
