package io.dropship.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dropship.testkit.SharedInfrastructure;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay's producer takes the broker's security settings from the same {@code kafka.*} properties as the
 * service's channels (in a cluster: KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG,
 * KAFKA_SSL_TRUSTSTORE_*). Shown against a real broker listener that takes SASL/SCRAM-SHA-512 logins only.
 */
class KafkaSecurityIT {

    static io.dropship.infra.LocalKafka kafka;
    static String scram;
    static final String USER = "relay-" + UUID.randomUUID().toString().substring(0, 8);
    static final String PASSWORD = UUID.randomUUID().toString();

    @BeforeAll
    static void user() throws Exception {
        var embedded = SharedInfrastructure.get().kafka().embedded();
        Assumptions.assumeTrue(
                embedded.flatMap(io.dropship.infra.LocalKafka::scramBootstrapServers)
                        .isPresent(),
                "the broker in use has no SCRAM listener (Testcontainers' Kafka image): nothing to show here");
        kafka = embedded.get();
        scram = kafka.scramBootstrapServers().get();
        kafka.addScramUser(USER, PASSWORD);
    }

    static SmallRyeConfig config(String password) {
        return config(password, "SASL_PLAINTEXT", Map.of());
    }

    static SmallRyeConfig config(String password, String protocol, Map<String, String> more) {
        Map<String, String> p = new HashMap<>(more);
        p.put("kafka.bootstrap.servers", scram);
        p.put("kafka.security.protocol", protocol);
        p.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        p.put(
                "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required" + " username=\"" + USER
                        + "\" password=\"" + password + "\";");
        // Consumer-only and unrelated settings are not handed to the producer.
        p.put("kafka.auto.offset.reset", "earliest");
        p.put("kafka.something.else", "x");
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(p, "test", 500))
                .build();
    }

    static KafkaProducer<String, String> producer(SmallRyeConfig config) {
        return producer(config, scram);
    }

    static KafkaProducer<String, String> producer(SmallRyeConfig config, String bootstrap) {
        Map<String, Object> c = new HashMap<>(OutboxRelay.kafkaSettings(config));
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return new KafkaProducer<>(c);
    }

    @Test
    void theRelaysProducerTakesTheSecuritySettingsFromConfiguration() {
        Map<String, Object> settings = OutboxRelay.kafkaSettings(config(PASSWORD));
        assertEquals("SASL_PLAINTEXT", settings.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", settings.get("sasl.mechanism"));
        assertFalse(settings.containsKey("auto.offset.reset"), "a consumer setting");
        assertFalse(settings.containsKey("something.else"));
        assertFalse(settings.containsKey("bootstrap.servers"), "the relay sets that from kafka.bootstrap.servers");
    }

    @Test
    void withTheRightLoginTheBrokerTakesTheEvent() throws Exception {
        try (KafkaProducer<String, String> producer = producer(config(PASSWORD))) {
            RecordMetadata ack = producer.send(new ProducerRecord<>("Notes", "scram", "{\"text\":\"signed in\"}"))
                    .get(30, TimeUnit.SECONDS);
            assertEquals("Notes", ack.topic());
        }
    }

    /**
     * As in the cluster: SCRAM-SHA-512 over TLS, the broker's certificate trusted from a PEM file
     * (KAFKA_SSL_TRUSTSTORE_TYPE=PEM, KAFKA_SSL_TRUSTSTORE_LOCATION at Strimzi's cluster CA).
     */
    @Test
    void overTlsTrustingTheBrokersCertificateTheBrokerTakesTheEvent() throws Exception {
        Assumptions.assumeTrue(kafka.tlsBootstrapServers().isPresent(), "no TLS listener on this broker");
        SmallRyeConfig config = config(
                PASSWORD,
                "SASL_SSL",
                Map.of(
                        "kafka.ssl.truststore.type",
                        "PEM",
                        "kafka.ssl.truststore.location",
                        kafka.tlsCaCertificate().orElseThrow().toString()));
        assertEquals("PEM", OutboxRelay.kafkaSettings(config).get("ssl.truststore.type"));
        try (KafkaProducer<String, String> producer =
                producer(config, kafka.tlsBootstrapServers().get())) {
            RecordMetadata ack = producer.send(new ProducerRecord<>("Notes", "tls", "{\"text\":\"over tls\"}"))
                    .get(30, TimeUnit.SECONDS);
            assertEquals("Notes", ack.topic());
        }
    }

    @Test
    void overTlsWithoutTrustingTheBrokersCertificateTheClientRefusesIt() {
        Assumptions.assumeTrue(kafka.tlsBootstrapServers().isPresent(), "no TLS listener on this broker");
        try (KafkaProducer<String, String> producer = producer(
                config(PASSWORD, "SASL_SSL", Map.of()),
                kafka.tlsBootstrapServers().get())) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("Notes", "tls", "{}"))
                            .get(30, TimeUnit.SECONDS));
            assertInstanceOf(org.apache.kafka.common.errors.SslAuthenticationException.class, e.getCause());
        }
    }

    @Test
    void withAWrongPasswordTheBrokerRefuses() {
        try (KafkaProducer<String, String> producer = producer(config("not-the-password"))) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("Notes", "scram", "{}"))
                            .get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }
}
