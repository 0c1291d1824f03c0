package io.dropship.gateway;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.ServiceBaseline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class GatewayBaselineIT extends ServiceBaseline {

    @Override
    protected String protectedPath() {
        return "/api/orders";
    }

    @Override
    protected String protectedMethod() {
        return "POST";
    }
}
