package io.dropship.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Holds an event payload to its JSON Schema in contracts/events. Producers check what they write and
 * consumers check what they read with the same schema, so the two can only drift apart by changing it.
 */
public final class ContractCheck {

    /** The events on the bus that have a contract. */
    public static final List<String> EVENTS = List.of(
            "OrderPlaced",
            "SupplierOrderRouted",
            "StockChanged",
            "Shipped",
            "Settled",
            "SupplierChanged",
            "SupplierProductChanged",
            "SupplierProductsChanged",
            "ListingChanged",
            "StockReserved",
            "ReservationRefused",
            "OrderCancelled",
            "SupplierOrderCancelled",
            "SupplierOrderRejected",
            "Delivered",
            "PaymentFailed",
            "PaymentCleared",
            "PrivacyRequested",
            "PrivacyRequestDone",
            "SupplierSignedUp",
            "OrderStatusChanged",
            "SupplierOrderUpdated",
            "OrderActivity",
            "CaseUpdated",
            "PaymentDisputed",
            "ReturnUpdated",
            "ReconciliationMismatch",
            "PriceChangeWaiting",
            "RetailerBrandingChanged",
            "SupplierScored",
            "ReturnPolicyChanged",
            "SubscriptionChanged",
            "SupplierFeatured");

    /**
     * Events that travel on another event's topic, as a second kind there told apart by the {@code eventType} header:
     * an import's SupplierProductsChanged on SupplierProductChanged.
     */
    public static final Map<String, String> CARRIED_ON = Map.of("SupplierProductsChanged", "SupplierProductChanged");

    /** The topics the events travel on: each event's own, less those carried on another's. */
    public static final List<String> TOPICS =
            EVENTS.stream().filter(e -> !CARRIED_ON.containsKey(e)).toList();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private ContractCheck() {}

    /** The problems with the payload, empty when it matches the event's schema. */
    public static List<String> problems(String event, String payloadJson) {
        JsonNode payload;
        try {
            payload = MAPPER.readTree(payloadJson);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        Set<ValidationMessage> messages = schema(event).validate(payload);
        return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
    }

    /** Fails with every problem listed when the payload does not match the event's schema. */
    public static void assertValid(String event, String payloadJson) {
        List<String> problems = problems(event, payloadJson);
        if (!problems.isEmpty()) {
            throw new AssertionError(event + " payload breaks its contract:\n  " + String.join("\n  ", problems)
                    + "\npayload: " + payloadJson);
        }
    }

    /** The contract's example payload, valid by construction (the contracts module's tests check it). */
    public static String example(String event) {
        return read("contracts/events/" + event + ".example.json");
    }

    private static JsonSchema schema(String event) {
        return SCHEMAS.computeIfAbsent(event, e -> {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .formatAssertionsEnabled(true)
                    .build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(read("contracts/events/" + e + ".schema.json"), config);
        });
    }

    private static String read(String resource) {
        try (InputStream in = ContractCheck.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no contract resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
