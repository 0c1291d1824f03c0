package io.dropship.catalog;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.ServiceBaseline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class CatalogBaselineIT extends ServiceBaseline {

    @Override
    protected String protectedPath() {
        return "/api/suppliers";
    }
}
