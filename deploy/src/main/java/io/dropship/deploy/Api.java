package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** The few HTTP calls the launcher's checks make against the running fleet. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The one client, for a call whose answer is not JSON (a PDF). */
    static HttpClient client() {
        return HTTP;
    }

    record Answer(int status, JsonNode body) {}

    private Api() {}

    /** An admin passes every verification step of a registered supplier and approves it. */
    static void approveSupplier(String catalog, String admin, String supplierId)
            throws IOException, InterruptedException {
        for (String step : new String[] {"BUSINESS_REGISTRATION", "TAX_ID", "PAYOUT_ACCOUNT", "PRODUCT_SAMPLE"}) {
            ok(
                    "POST",
                    catalog + "/api/suppliers/" + supplierId + "/verification/" + step,
                    admin,
                    "{\"outcome\":\"PASSED\"}");
        }
        ok("POST", catalog + "/api/suppliers/" + supplierId + "/status", admin, "{\"status\":\"ACTIVE\"}");
    }

    static JsonNode ok(String method, String url, String token, String body, String... headers)
            throws IOException, InterruptedException {
        Answer a = call(method, url, token, body, headers);
        if (a.status() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    /** As {@link #ok}, for a bulk call that may take a while: waits up to two minutes. */
    static JsonNode bulk(String method, String url, String token, String body)
            throws IOException, InterruptedException {
        Answer a = call(Duration.ofMinutes(2), method, url, token, body);
        if (a.status() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    static Answer call(String method, String url, String token, String body, String... headers)
            throws IOException, InterruptedException {
        return call(Duration.ofSeconds(10), method, url, token, body, headers);
    }

    static Answer call(Duration timeout, String method, String url, String token, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = deliver(request.build());
        JsonNode json = response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
        return new Answer(response.statusCode(), json);
    }

    /**
     * What a browser does on a page that redirects: a GET, and where it is sent next (the Location of a 3xx), which
     * fails with the answer when the page does not redirect.
     */
    static String redirect(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = deliver(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build());
        if (response.statusCode() / 100 != 3) {
            throw new IllegalStateException(
                    "GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** Sends a request as built (a signed store webhook, for example) and reads the answer as text. */
    static HttpResponse<String> deliver(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> deliverAsync(HttpRequest request) {
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Polls a GET until its JSON satisfies the predicate; the last answer is in the failure. */
    static JsonNode await(String url, String token, Predicate<JsonNode> done, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Answer last = null;
        while (Instant.now().isBefore(deadline)) {
            last = call("GET", url, token, null);
            if (last.status() == 200 && done.test(last.body())) {
                return last.body();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("GET " + url + " did not reach the expected state within " + timeout
                + "; last answer " + (last == null ? "none" : last.status() + " " + last.body()));
    }
}
