package io.dropship.catalog;

import static io.dropship.testkit.AuthorizationMatrix.Caller.ADMIN;
import static io.dropship.testkit.AuthorizationMatrix.Caller.RETAILER;
import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPLIER;
import static io.dropship.testkit.AuthorizationMatrix.Caller.SUPPORT;

import io.dropship.testkit.AuthorizationMatrix;
import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Who may call each catalog operation; a new endpoint fails this test until it has a line here. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AuthorizationMatrixIT {

    @Test
    void everyOperationTurnsAwayEveryCallerItIsNotFor() throws Exception {
        AuthorizationMatrix.of()
                // An active supplier: importing and listing products is for active suppliers only (403 otherwise).
                .asSupplier(io.dropship.catalog.rest.SupplierOnboardingIT.activeSupplier())
                .allow("POST /api/suppliers", AuthorizationMatrix.PUBLIC)
                .signed("POST /api/auth/supplier-token")
                .allow("GET /api/suppliers", SUPPORT, ADMIN)
                .allow("GET /api/suppliers/{id}", SUPPLIER, SUPPORT, ADMIN)
                .allow("PUT /api/suppliers/{id}/profile", SUPPLIER, ADMIN)
                .allow("GET /api/suppliers/{id}/verification", SUPPLIER, SUPPORT, ADMIN)
                .allow("POST /api/suppliers/{id}/verification/{step}", ADMIN)
                .allow("GET /api/suppliers/{id}/history", SUPPLIER, SUPPORT, ADMIN)
                .allow("POST /api/suppliers/{id}/status", ADMIN)
                .allow("GET /api/suppliers/{supplierId}/api-keys", SUPPLIER, ADMIN)
                .allow("POST /api/suppliers/{supplierId}/api-keys", SUPPLIER, ADMIN)
                .allow("POST /api/suppliers/{supplierId}/api-keys/{keyId}/rotate", SUPPLIER, ADMIN)
                .allow("DELETE /api/suppliers/{supplierId}/api-keys/{keyId}", SUPPLIER, ADMIN)
                .allow("GET /api/supplier/products", SUPPLIER)
                .allow("GET /api/supplier/products/{sku}", SUPPLIER)
                .allow("PUT /api/supplier/products/{sku}", SUPPLIER)
                .allow("POST /api/supplier/imports", SUPPLIER)
                .allow("GET /api/supplier/imports", SUPPLIER)
                .allow("GET /api/supplier/imports/fields", SUPPLIER)
                .allow("GET /api/supplier/imports/{id}", SUPPLIER)
                .allow("GET /api/supplier/imports/{id}/errors", SUPPLIER)
                .allow("GET /api/catalog/products", AuthorizationMatrix.PUBLIC)
                .allow("GET /api/categories", AuthorizationMatrix.PUBLIC)
                .allow("GET /api/directory/suppliers", AuthorizationMatrix.PUBLIC)
                .allow("GET /api/directory/suppliers/{slug}", AuthorizationMatrix.PUBLIC)
                .allow("PUT /api/directory/suppliers/{supplierId}/profile", SUPPLIER, ADMIN)
                .allow("PUT /api/directory/suppliers/{supplierId}/featured", ADMIN)
                .allow("GET /api/categories/{id}", AuthorizationMatrix.PUBLIC)
                .allow("POST /api/categories", ADMIN)
                .allow("PUT /api/categories/{id}", ADMIN)
                .allow("DELETE /api/categories/{id}", ADMIN)
                .allow("GET /api/catalog/products/{supplierProductId}", AuthorizationMatrix.PUBLIC)
                .allow("GET /api/catalog/suppliers/{supplierId}", AuthorizationMatrix.PUBLIC)
                .allow("GET /api/listings", RETAILER)
                .allow("PUT /api/listings/{sku}", RETAILER)
                .allow("POST /api/listings/imports", RETAILER)
                .allow("GET /api/listings/pricing-rule", RETAILER)
                .allow("GET /api/listings/recommendations", RETAILER)
                .allow("PUT /api/listings/pricing-rule", RETAILER)
                .allow("PUT /api/listings/{sku}/pricing", RETAILER)
                .allow("DELETE /api/listings/{sku}/pricing", RETAILER)
                .allow("GET /api/listings/price-changes", RETAILER)
                .allow("POST /api/listings/price-changes/{id}/approve", RETAILER)
                .allow("POST /api/listings/price-changes/{id}/reject", RETAILER)
                .deadLetters()
                .check();
    }
}
