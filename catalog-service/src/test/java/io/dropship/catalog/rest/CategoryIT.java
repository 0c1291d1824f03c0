package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The category taxonomy: seeded from Shopify's, kept by admins; suppliers give products a category by id or by text
 * (mapped by path, alias or name), search finds a category's sub-categories, renames carry the products along, and an
 * import reports the texts that map onto no category.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class CategoryIT {

    private static final String MUGS = "Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs";

    private static int id(String path) {
        return given().get("/api/categories")
                .then()
                .statusCode(200)
                .extract()
                .path("find { it.path == '" + path.replace("'", "\\'") + "' }.id");
    }

    private static io.restassured.response.ValidatableResponse product(
            String supplier, String sku, String categoryJson) {
        return given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Thing " + sku
                        + "\",\"wholesalePrice\":\"5.00\",\"shippingCost\":\"1.00\",\"currency\":\"USD\"" + categoryJson
                        + "}")
                .put("/api/supplier/products/" + sku)
                .then();
    }

    @Test
    void theSeededTaxonomyCarriesShopifyIdsAndProductsTakeCategoriesByIdOrByText() {
        given().get("/api/categories")
                .then()
                .statusCode(200)
                .body(
                        "find { it.path == '" + MUGS + "' }.shopifyTaxonomyId",
                        equalTo("gid://shopify/TaxonomyCategory/hg-11-10-5-5"))
                .body("find { it.path == '" + MUGS + "' }.aliases", hasItem("coffee mugs"))
                .body("find { it.path == 'Home & Garden' }.parentId", nullValue());
        String s = SupplierOnboardingIT.activeSupplier();
        int mugs = id(MUGS);
        product(s, "CAT-1", ",\"categoryId\":" + mugs)
                .statusCode(200)
                .body("categoryId", equalTo(mugs))
                .body("category", equalTo(MUGS));
        product(s, "CAT-2", ",\"category\":\"Coffee Mugs\"")
                .statusCode(200)
                .body("categoryId", equalTo(mugs))
                .body("category", equalTo(MUGS));
        product(s, "CAT-3", ",\"category\":\"home & garden>kitchen & dining > tableware > drinkware>mugs\"")
                .statusCode(200)
                .body("categoryId", equalTo(mugs));
        product(s, "CAT-4", ",\"category\":\"Widgets & Gizmos\"")
                .statusCode(200)
                .body("categoryId", nullValue())
                .body("category", equalTo("Widgets & Gizmos"));
        product(s, "CAT-5", ",\"categoryId\":999999")
                .statusCode(400)
                .body("detail", containsString("no category 999999"));

        // Search by a category finds its sub-categories' products.
        given().queryParam("categoryId", id("Home & Garden"))
                .queryParam("supplierId", s)
                .get("/api/catalog/products")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(3));
    }

    @Test
    void adminsKeepTheTreeAndARenameCarriesItsProductsAlong() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int lighting = id("Home & Garden > Lighting");
        given().auth()
                .oauth2(TestTokens.supplier("sup-x"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Nope"))
                .post("/api/categories")
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Nope"))
                .post("/api/categories")
                .then()
                .statusCode(401);
        int lamps = given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Lamps " + run,
                        "parentId",
                        lighting,
                        "aliases",
                        java.util.List.of("desk lamps " + run)))
                .post("/api/categories")
                .then()
                .statusCode(201)
                .body("path", equalTo("Home & Garden > Lighting > Lamps " + run))
                .extract()
                .path("id");
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Lamps " + run, "parentId", lighting))
                .post("/api/categories")
                .then()
                .statusCode(409)
                .body("detail", containsString("exists already"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "A > B"))
                .post("/api/categories")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Other " + run, "aliases", java.util.List.of("desk lamps " + run)))
                .post("/api/categories")
                .then()
                .statusCode(409)
                .body("detail", containsString("aliases already name"));

        String s = SupplierOnboardingIT.activeSupplier();
        product(s, "LAMP-" + run, ",\"category\":\"Desk Lamps " + run + "\"")
                .statusCode(200)
                .body("categoryId", equalTo(lamps));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Reading Lamps " + run))
                .put("/api/categories/" + lamps)
                .then()
                .statusCode(200)
                .body("path", equalTo("Home & Garden > Lighting > Reading Lamps " + run));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/LAMP-" + run)
                .then()
                .body("category", equalTo("Home & Garden > Lighting > Reading Lamps " + run));
        given().queryParam("category", "Home & Garden > Lighting > Reading Lamps " + run)
                .get("/api/catalog/products")
                .then()
                .body("items.size()", equalTo(1));

        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("parentId", lamps))
                .put("/api/categories/" + lighting)
                .then()
                .statusCode(409)
                .body("detail", containsString("under itself"));
        given().auth()
                .oauth2(TestTokens.admin())
                .delete("/api/categories/" + lamps)
                .then()
                .statusCode(409)
                .body("detail", containsString("1 products"));
        int empty = given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Empty " + run))
                .post("/api/categories")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().auth()
                .oauth2(TestTokens.admin())
                .delete("/api/categories/" + empty)
                .then()
                .statusCode(204);
        given().get("/api/categories/" + empty).then().statusCode(404);
    }

    /**
     * supplier_product has no foreign key to category (V21): a batch locks the categories it writes into, and a delete
     * locks the category before it counts the products, so it waits for the batch, sees its row and refuses.
     */
    @Test
    void aCategoryIsNotDeletedUnderABatchWritingIntoIt() throws Exception {
        String s = SupplierOnboardingIT.activeSupplier();
        String run = UUID.randomUUID().toString().substring(0, 8);
        int held = given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Held " + run))
                .post("/api/categories")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        try (java.sql.Connection batch = SharedInfrastructure.get().postgres().connect("app")) {
            batch.setAutoCommit(false);
            try (var lock = batch.prepareStatement("select id from category where id = ? for key share");
                    var write = batch.prepareStatement("insert into supplier_product (supplier_id, sku, title,"
                            + " wholesale_price, shipping_cost, currency, status, updated_at, category_id)"
                            + " values (?, ?, 'Held lamp', 1, 1, 'USD', 'ACTIVE', now(), ?)")) {
                lock.setLong(1, held);
                lock.executeQuery().close();
                write.setString(1, s);
                write.setString(2, "HELD-" + run);
                write.setLong(3, held);
                write.executeUpdate();
            }
            java.util.concurrent.CompletableFuture<io.restassured.response.Response> delete =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> given().auth().oauth2(TestTokens.admin()).delete("/api/categories/" + held));
            Thread.sleep(1_000);
            org.junit.jupiter.api.Assertions.assertFalse(delete.isDone(), "the delete waits for the batch");
            batch.commit();
            delete.get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .then()
                    .statusCode(409)
                    .body("detail", containsString("1 products"));
        }
        given().get("/api/categories/" + held).then().statusCode(200);
    }

    /** V22's category_path, built in a loop, gives what V8's query gave, for every shape of category text. */
    @Test
    void aCategorysPathsAreThoseV8Gave() throws Exception {
        String v8 = "case when c is null or c = '' then '{}'::text[] else array("
                + "select array_to_string((string_to_array(c, ' > '))[1:n], ' > ')"
                + " from generate_series(1, cardinality(string_to_array(c, ' > '))) as n) end";
        try (java.sql.Connection c = SharedInfrastructure.get().postgres().connect("app");
                var compare = c.prepareStatement(
                        "select c, category_path(c)::text, (" + v8 + ")::text from unnest(?::text[]) as t(c)")) {
            compare.setArray(1, c.createArrayOf("text", new String[] {
                null, "", "Home & Garden", "Home & Garden > Kitchen > Mugs", " > ", "A >  B", "A > > B", "Tür > Größe"
            }));
            int n = 0;
            try (var rows = compare.executeQuery()) {
                while (rows.next()) {
                    org.junit.jupiter.api.Assertions.assertEquals(
                            rows.getString(3), rows.getString(2), rows.getString(1));
                    if ("Home & Garden > Kitchen > Mugs".equals(rows.getString(1))) {
                        org.junit.jupiter.api.Assertions.assertEquals(
                                "{\"Home & Garden\",\"Home & Garden > Kitchen\",\"Home & Garden > Kitchen > Mugs\"}",
                                rows.getString(2));
                    }
                    n++;
                }
            }
            org.junit.jupiter.api.Assertions.assertEquals(8, n);
        }
    }

    @Test
    void anImportMapsFreeTextCategoriesAndReportsWhatDidNotMap() {
        String s = SupplierOnboardingIT.activeSupplier();
        String csv = "sku,title,cost,category\n"
                + "IM-1,Mug,3.00,coffee mugs\n"
                + "IM-2,Mug two,3.00,mugs\n"
                + "IM-3,Gadget,3.00,Gadgets\n"
                + "IM-4,Gadget two,3.00,Gadgets\n"
                + "IM-5,Bare,3.00,\n";
        ImportIT.upload(s, csv, "")
                .then()
                .statusCode(201)
                .body("rowsChanged", equalTo(5))
                .body("unmappedCategories.size()", equalTo(1))
                .body("unmappedCategories[0].category", equalTo("Gadgets"))
                .body("unmappedCategories[0].rows", equalTo(2));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/IM-2")
                .then()
                .body("category", equalTo(MUGS))
                .body("categoryId", equalTo(id(MUGS)));
    }
}
