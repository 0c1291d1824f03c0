package io.dropship.platform.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.sql.Types;
import java.util.UUID;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.type.BasicType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.spi.TypeConfiguration;
import org.junit.jupiter.api.Test;

/**
 * How a native select's column is typed after boot, as {@code AbstractResultSetAccess.resolveType} does it: the
 * dialect turns the result's JDBC type code into a JDBC type, the registry finds or makes the basic type.
 */
class PostgresDialectTests {

    @Test
    void charUuidAndByteaColumnsAreTypedOnceWithThisDialect() {
        try (SessionFactoryImplementor factory = factory(PostgresDialect.class)) {
            BasicType<?> chars = typedOnce(factory, "bpchar", Types.CHAR);
            assertEquals(String.class, chars.getJavaType());
            assertEquals(Types.VARCHAR, chars.getJdbcType().getJdbcTypeCode());
            // The reactive client names uuid in capitals and reports bytea as BINARY.
            assertEquals(UUID.class, typedOnce(factory, "UUID", Types.OTHER).getJavaType());
            assertEquals(byte[].class, typedOnce(factory, "BYTEA", Types.BINARY).getJavaType());
        }
    }

    @Test
    void hibernatesOwnDialectMakesANewTypeEachTime() {
        // When this fails, Hibernate keeps what it makes: PostgresDialect can go.
        try (SessionFactoryImplementor factory = factory(PostgreSQLDialect.class)) {
            assertNotSame(resolve(factory, "bpchar", Types.CHAR), resolve(factory, "bpchar", Types.CHAR));
            assertNotSame(resolve(factory, "UUID", Types.OTHER), resolve(factory, "UUID", Types.OTHER));
            assertNotSame(resolve(factory, "BYTEA", Types.BINARY), resolve(factory, "BYTEA", Types.BINARY));
        }
    }

    @Test
    void otherColumnsAreTypedAsHibernateTypesThem() {
        try (SessionFactoryImplementor ours = factory(PostgresDialect.class);
                SessionFactoryImplementor theirs = factory(PostgreSQLDialect.class)) {
            for (int code : new int[] {
                Types.VARCHAR,
                Types.NUMERIC,
                Types.BIGINT,
                Types.INTEGER,
                Types.BOOLEAN,
                Types.TIMESTAMP_WITH_TIMEZONE,
                Types.DATE
            }) {
                assertEquals(
                        resolve(theirs, "x", code).getJdbcType().getJdbcTypeCode(),
                        resolve(ours, "x", code).getJdbcType().getJdbcTypeCode());
            }
        }
    }

    private static BasicType<?> typedOnce(SessionFactoryImplementor factory, String typeName, int code) {
        BasicType<?> first = resolve(factory, typeName, code);
        assertSame(first, resolve(factory, typeName, code), typeName);
        return first;
    }

    private static BasicType<?> resolve(SessionFactoryImplementor factory, String typeName, int code) {
        TypeConfiguration types = factory.getTypeConfiguration();
        Dialect dialect = factory.getJdbcServices().getDialect();
        JdbcType jdbcType = dialect.resolveSqlTypeDescriptor(typeName, code, 0, 0, types.getJdbcTypeRegistry());
        return types.getBasicTypeRegistry().resolve(jdbcType.getJdbcRecommendedJavaTypeMapping(0, 0, types), jdbcType);
    }

    static SessionFactoryImplementor factory(Class<? extends Dialect> dialect) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting("hibernate.dialect", dialect.getName())
                .applySetting("hibernate.boot.allow_jdbc_metadata_access", "false")
                .build();
        return (SessionFactoryImplementor)
                new MetadataSources(registry).buildMetadata().buildSessionFactory();
    }
}
