package io.dropship.testkit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every service must offer and refuse, whatever it does: health, Prometheus metrics, its OpenAPI
 * document and Swagger UI in the open; its API closed to callers without a valid token. A service's test
 * extends this with {@code @QuarkusTest} and names one of its protected endpoints.
 */
public abstract class ServiceBaseline {

    /** An endpoint of this service that needs a token. */
    protected abstract String protectedPath();

    /** The HTTP method of {@link #protectedPath()}. */
    protected String protectedMethod() {
        return "GET";
    }

    @Test
    void healthIsUpWithTheOutboxRelayRunning() {
        await().atMost(60, TimeUnit.SECONDS)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.find { it.name == 'outbox-relay' }.data.state", equalTo("RUNNING")));
        Management.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void prometheusMetricsAreOnTheManagementPort() {
        Management.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("dropship_outbox_relay_active"))
                .body(containsString("http_server_requests_seconds"));
    }

    @Test
    void openApiAndSwaggerUiAreOnTheManagementPort() {
        Management.given()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(containsString(protectedPath().split("\\?")[0].replaceAll("/[0-9a-f-]{36}$", "")));
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void theApiDocumentIsTheOneCheckedInUnderContracts() {
        String service = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.application.name", String.class);
        String document = Management.given()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        ApiDocuments.checkOrWrite(ApiDocuments.serviceFile(service), ApiDocuments.parse(document));
    }

    @Test
    void thePublicPortServesNoManagementEndpoint() {
        for (String path : new String[] {"/q/health", "/q/metrics", "/q/openapi", "/q/swagger-ui/"}) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void everyAnswerCarriesTheRequestIdTheCallerGaveOrANewOne() {
        given().header("X-Request-Id", "trace-42.a_b")
                .get("/api/does-not-exist")
                .then()
                .header("X-Request-Id", "trace-42.a_b");
        String made = given().contentType("application/json")
                .request(protectedMethod(), protectedPath())
                .then()
                .statusCode(401)
                .extract()
                .header("X-Request-Id");
        org.junit.jupiter.api.Assertions.assertEquals(36, made.length(), made);
        String replaced = given().header("X-Request-Id", "not a sensible id; " + "x".repeat(80))
                .request(protectedMethod(), protectedPath())
                .then()
                .extract()
                .header("X-Request-Id");
        org.junit.jupiter.api.Assertions.assertEquals(
                36, replaced.length(), "an id that is not sensible is replaced: " + replaced);
    }

    @Test
    void anAnonymousCallerGetsAProblemJson401() {
        given().contentType("application/json")
                .request(protectedMethod(), protectedPath())
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(401));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() {
        given().auth()
                .oauth2(TestTokens.forged("ADMIN"))
                .contentType("application/json")
                .request(protectedMethod(), protectedPath())
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        given().auth()
                .oauth2(TestTokens.expired("ADMIN"))
                .contentType("application/json")
                .request(protectedMethod(), protectedPath())
                .then()
                .statusCode(401);
    }

    @Test
    void deadLettersAreOpenToOpsAndClosedToTenants() {
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/admin/dead-letters/summary")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/admin/dead-letters")
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.notNullValue());
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/admin/dead-letters?status=NOPE")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"));
        given().auth()
                .oauth2(TestTokens.retailer("ret-baseline"))
                .get("/api/admin/dead-letters")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.support())
                .post("/api/admin/dead-letters/replay")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .post("/api/admin/dead-letters/999999999/replay")
                .then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"));
    }
}
