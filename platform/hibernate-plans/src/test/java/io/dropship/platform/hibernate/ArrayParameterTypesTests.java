package io.dropship.platform.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.math.BigDecimal;
import java.util.UUID;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.type.BasicType;
import org.junit.jupiter.api.Test;

class ArrayParameterTypesTests {

    private static final Object[] VALUES = {
        new String[] {"a"},
        new Integer[] {1},
        new Long[] {1L},
        new BigDecimal[] {BigDecimal.ONE},
        new Boolean[] {true},
        new UUID[] {UUID.randomUUID()}
    };

    @Test
    void aBoundArrayFindsTheTypeRegisteredForItsClass() {
        try (SessionFactoryImplementor factory = PostgresDialectTests.factory(PostgresDialect.class)) {
            for (Object value : VALUES) {
                assertNull(factory.getTypeConfiguration().getBasicTypeForJavaType(value.getClass()));
            }
            // What Hibernate resolves for each value before, to compare with what is registered.
            Object[] before = new Object[VALUES.length];
            for (int i = 0; i < VALUES.length; i++) {
                before[i] = factory.getMappingMetamodel().resolveParameterBindType(VALUES[i]);
            }
            ArrayParameterTypes.register(factory.getMappingMetamodel());
            for (int i = 0; i < VALUES.length; i++) {
                Object value = VALUES[i];
                BasicType<?> registered = factory.getTypeConfiguration().getBasicTypeForJavaType(value.getClass());
                assertNotNull(registered, value.getClass().getSimpleName());
                assertSame(registered, factory.getMappingMetamodel().resolveParameterBindType(value));
                // The same JDBC type (the array's and its element's) and Java type as resolved without it.
                BasicType<?> resolved = (BasicType<?>) before[i];
                assertEquals(resolved.getJdbcType(), registered.getJdbcType());
                assertEquals(resolved.getJavaType(), registered.getJavaType());
            }
            assertEquals(0, ArrayParameterTypes.register(factory.getMappingMetamodel()), "registered once");
        }
    }
}
