package io.dropship.platform.hibernate;

import java.sql.Types;
import org.hibernate.dialect.DatabaseVersion;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;

/**
 * Hibernate's PostgreSQL dialect, with native selects' {@code char(n)} columns read as {@code varchar}.
 *
 * <p>Hibernate ORM 7.2 types each column of a native select from the result's metadata; for a pair of Java and JDBC
 * type that no standard type has (a {@code String} from {@code CHAR}: the services' {@code char(3)} currencies), its
 * {@code BasicTypeRegistry} makes a new type, tries to register it with the bootstrap context (gone after boot: an
 * exception, made with its stack trace, caught and dropped) and keeps nothing, so every execution does it again.
 * Under the order bench settlement-service spent 2.4 % of its samples on that path, about half of it for result
 * columns, of which the {@code char(3)} ones were a third (docs/benchmarks.md). A {@code String} from {@code VARCHAR}
 * is a standard type, found at once, and reads the same value. Entities are not affected: their columns' types come
 * from their attributes, not from a result's metadata.
 */
public class PostgresDialect extends PostgreSQLDialect {

    public PostgresDialect() {
        super();
    }

    public PostgresDialect(DialectResolutionInfo info) {
        super(info);
    }

    public PostgresDialect(DatabaseVersion version) {
        super(version);
    }

    @Override
    public JdbcType resolveSqlTypeDescriptor(
            String columnTypeName, int jdbcTypeCode, int precision, int scale, JdbcTypeRegistry jdbcTypeRegistry) {
        if (jdbcTypeCode == Types.CHAR || jdbcTypeCode == Types.NCHAR) {
            return jdbcTypeRegistry.getDescriptor(Types.VARCHAR);
        }
        return super.resolveSqlTypeDescriptor(columnTypeName, jdbcTypeCode, precision, scale, jdbcTypeRegistry);
    }
}
