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
 *
 * <p>The same for {@code uuid} columns: the reactive PostgreSQL client names a column's type in capitals
 * ({@code UUID}), Hibernate's dialect recognises {@code uuid} only in lower case and otherwise types the column as an
 * {@code Object} of JDBC type {@code OTHER}, a pair it makes anew each time. Read as {@code uuid}, the column is a
 * {@code java.util.UUID} of the registered type, the same value the code received before. ({@code JSONB} stays as it
 * is: as {@code jsonb} Hibernate would map it to a JSON type and change what the code receives.) And for
 * {@code bytea}, which the reactive client reports as {@code BINARY}: read as {@code VARBINARY}, the same
 * {@code byte[]}.
 *
 * <p>Array parameters bound by value take the same path; {@link ArrayParameterTypes} registers their types once the
 * session factory is built.
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
        if (jdbcTypeCode == Types.BINARY) {
            // bytea, as the reactive client reports it: byte[] from VARBINARY is the standard type.
            return jdbcTypeRegistry.getDescriptor(Types.VARBINARY);
        }
        if (jdbcTypeCode == Types.OTHER && "UUID".equals(columnTypeName)) {
            // The reactive client names it in capitals; Hibernate's dialect knows only "uuid".
            columnTypeName = "uuid";
        }
        return super.resolveSqlTypeDescriptor(columnTypeName, jdbcTypeCode, precision, scale, jdbcTypeRegistry);
    }
}
