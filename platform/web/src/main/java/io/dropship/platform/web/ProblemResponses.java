package io.dropship.platform.web;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the error answers every operation can give, as the problem JSON {@link ProblemMappers} answers them: 400
 * where the call takes input, 401 and 403 where it needs a role, 404 where the path names a resource, 409 where it
 * changes one, 413 where it takes a body, 429 and 503 everywhere. Each with the {@code Problem} schema and an example
 * carrying its stable {@code type}. Operations keep what they say themselves; only what they leave out is added.
 */
public class ProblemResponses implements OASFilter {

    private static final String REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components =
                openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSchema("Problem", problemSchema());
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths()
                .getPathItems()
                .forEach((path, item) ->
                        item.getOperations().forEach((method, operation) -> document(path, method, operation)));
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        APIResponses responses =
                operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        operation.setResponses(responses);
        boolean input = operation.getRequestBody() != null
                || (operation.getParameters() != null
                        && !operation.getParameters().isEmpty());
        boolean secured =
                operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        boolean changes = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
        if (input) {
            add(
                    responses,
                    400,
                    "The request is not valid: the detail says why, errors name each field",
                    "validation-failed",
                    "the request is not valid");
        }
        if (secured) {
            add(responses, 401, "No valid bearer token", "unauthenticated", "a valid bearer token is required");
            add(
                    responses,
                    403,
                    "The caller's role may not do this, or its retailer is suspended (type retailer-suspended)",
                    "forbidden",
                    "your role may not do this");
        }
        if (path.contains("{")) {
            add(
                    responses,
                    404,
                    "It does not exist, or it is not the caller's",
                    "not-found",
                    "it does not exist or is not yours");
        }
        if (changes) {
            add(
                    responses,
                    409,
                    "It changed meanwhile or is in a state that does not allow this; read it again",
                    "conflict",
                    "it was changed at the same moment by another request");
        }
        if (operation.getRequestBody() != null) {
            add(
                    responses,
                    413,
                    "The body is larger than this endpoint takes",
                    "content-too-large",
                    "the body is larger than this endpoint takes");
        }
        add(
                responses,
                429,
                "More calls than the caller's account or address may make; Retry-After says when to retry",
                "rate-limited",
                "more requests than this account may make; try again in 2 s");
        add(
                responses,
                503,
                "A service or what it depends on is unavailable; nothing was changed; Retry-After says when",
                "unavailable",
                "the service cannot reach what it depends on just now; nothing was changed, retry shortly");
    }

    private static void add(APIResponses responses, int status, String description, String type, String detail) {
        String code = String.valueOf(status);
        APIResponse response = responses.getAPIResponse(code);
        if (response == null) {
            response = OASFactory.createAPIResponse().description(description);
            responses.addAPIResponse(code, response);
        }
        if (response.getContent() == null || response.getContent().getMediaType(Problem.MEDIA_TYPE) == null) {
            Map<String, Object> example = new java.util.LinkedHashMap<>();
            example.put("type", Problem.type(type));
            example.put(
                    "title",
                    jakarta.ws.rs.core.Response.Status.fromStatusCode(status) == null
                            ? "Too Many Requests"
                            : jakarta.ws.rs.core.Response.Status.fromStatusCode(status)
                                    .getReasonPhrase());
            example.put("status", status);
            example.put("detail", detail);
            var content = response.getContent() == null ? OASFactory.createContent() : response.getContent();
            content.addMediaType(
                    Problem.MEDIA_TYPE,
                    OASFactory.createMediaType()
                            .schema(OASFactory.createSchema().ref(REF))
                            .example(example));
            response.setContent(content);
        }
    }

    private static Schema problemSchema() {
        Schema violation = OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("field", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("message", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)));
        return OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("An error (RFC 9457). type is stable (urn:dropship:problem:<name>): branch on it, not on"
                        + " the title or the detail, which are for people.")
                .addProperty(
                        "type",
                        OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.STRING))
                                .format("uri")
                                .examples(List.of(Problem.type("not-found"))))
                .addProperty("title", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("instance", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty(
                        "errors",
                        OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.ARRAY))
                                .items(violation))
                .required(List.of("type", "title", "status"));
    }
}
