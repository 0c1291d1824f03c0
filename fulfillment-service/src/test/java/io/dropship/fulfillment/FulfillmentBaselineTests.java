package io.dropship.fulfillment;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.ServiceBaselineTests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class FulfillmentBaselineTests extends ServiceBaselineTests {

    @Override
    protected String protectedPath() {
        return "/api/supplier/orders";
    }
}
