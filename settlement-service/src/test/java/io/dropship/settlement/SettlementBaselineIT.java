package io.dropship.settlement;

import io.dropship.settlement.stripe.FakeStripeTestResource;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.ServiceBaseline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class SettlementBaselineIT extends ServiceBaseline {

    @Override
    protected String protectedPath() {
        return "/api/fee-rules";
    }
}
