package org.panacea.security.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Table creation that several nodes may attempt at once on one database, and the one SQL state that tells a lost
 * insert race from a failure. Derby and PostgreSQL both report a unique-key violation as {@value #UNIQUE_VIOLATION}.
 */
public final class SchemaTables {

    public static final String UNIQUE_VIOLATION = "23505";

    private SchemaTables() {
    }

    /** {@code true} when {@code table} exists, in upper case (Derby) or lower case (PostgreSQL). */
    public static boolean exists(Connection connection, String table) throws SQLException {
        try (ResultSet upper = connection.getMetaData().getTables(null, null, table, null);
                ResultSet lower = connection.getMetaData().getTables(null, null, table.toLowerCase(), null)) {
            return upper.next() || lower.next();
        }
    }

    /**
     * Creates {@code table} with {@code ddl} unless it exists. When another node created it between the look and the
     * create, the create fails and the table exists: that is success too.
     */
    public static void createIfMissing(Connection connection, String table, String ddl) throws SQLException {
        if (exists(connection, table)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(ddl);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            if (!exists(connection, table)) {
                throw e;
            }
        }
    }

    /** {@code true} when {@code e} (or an exception it chains) is a unique-key violation: another node was first. */
    public static boolean isDuplicate(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
