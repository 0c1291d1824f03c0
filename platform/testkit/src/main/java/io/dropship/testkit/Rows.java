package io.dropship.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The service's database under test (the {@code app} database of the shared PostgreSQL), read and arranged the way a
 * test checks it. Parameters bind as their Java type; a {@code String[]} binds as a text array.
 */
public final class Rows {

    private Rows() {}

    /** The first column of the first row, or null when there is none. */
    public static Object value(String sql, Object... parameters) {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (a minute at most) until the query finds a row: the state that proves a step happened. */
    public static void await(String sql, Object... parameters) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> count("select count(*) from (" + sql + ") found", parameters) > 0);
    }

    /** The number a {@code select count(*)} query answers, in the service's database. */
    public static long count(String sql, Object... parameters) {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A query's rows as text, a line each: what a test prints when a wait runs out, to say where things stood. */
    public static String text(String sql, Object... parameters) {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, parameters);
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = s.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        out.append(i == 1 ? "" : " | ")
                                .append(rs.getMetaData().getColumnLabel(i))
                                .append('=')
                                .append(rs.getString(i));
                    }
                    out.append('\n');
                }
            }
            return out.toString();
        } catch (SQLException e) {
            return "(could not read: " + e.getMessage() + ")";
        }
    }

    /** Runs a statement in the service's database: for arranging what a test needs that no API makes. */
    public static int execute(String sql, Object... parameters) {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, parameters);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(Connection c, PreparedStatement s, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof String[] array) {
                s.setArray(i + 1, c.createArrayOf("text", array));
            } else {
                s.setObject(i + 1, parameters[i]);
            }
        }
    }
}
