package org.panacea.audit.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three tables of the trail, in SQL that Derby and PostgreSQL both accept: {@code AUDIT_ENTRY} (the chain),
 * {@code AUDIT_CHECKPOINT} (periodic seals) and {@code AUDIT_HEAD} (one row: the seal of the newest entry). Column
 * names avoid words either database reserves ({@code ACTION}, {@code ROLE}).
 */
final class AuditSchema {

    static final int ACTOR_LENGTH = 256;
    static final int ROLE_LENGTH = 64;
    static final int RESOURCE_TYPE_LENGTH = 128;
    static final int RESOURCE_ID_LENGTH = 512;
    static final int PATIENT_ID_LENGTH = 128;
    static final int CLIENT_ADDRESS_LENGTH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(AuditSchema.class);

    private static final List<String> ENTRY_DDL = List.of(
            "CREATE TABLE AUDIT_ENTRY ("
                    + "SEQ BIGINT NOT NULL PRIMARY KEY, "
                    + "EVENT_TIME TIMESTAMP NOT NULL, "
                    + "ACTOR VARCHAR(" + ACTOR_LENGTH + ") NOT NULL, "
                    + "ACTOR_ROLE VARCHAR(" + ROLE_LENGTH + ") NOT NULL, "
                    + "AUDIT_ACTION VARCHAR(32) NOT NULL, "
                    + "RESOURCE_TYPE VARCHAR(" + RESOURCE_TYPE_LENGTH + ") NOT NULL, "
                    + "RESOURCE_ID VARCHAR(" + RESOURCE_ID_LENGTH + ") NOT NULL, "
                    + "PATIENT_ID VARCHAR(" + PATIENT_ID_LENGTH + ") NOT NULL, "
                    + "OUTCOME VARCHAR(16) NOT NULL, "
                    + "CLIENT_ADDRESS VARCHAR(" + CLIENT_ADDRESS_LENGTH + ") NOT NULL, "
                    + "DETAILS_DIGEST VARCHAR(64) NOT NULL, "
                    + "PREVIOUS_HASH VARCHAR(64) NOT NULL, "
                    + "ENTRY_HASH VARCHAR(64) NOT NULL)",
            "CREATE INDEX AUDIT_ENTRY_PATIENT ON AUDIT_ENTRY (PATIENT_ID)",
            "CREATE INDEX AUDIT_ENTRY_ACTOR ON AUDIT_ENTRY (ACTOR)",
            "CREATE INDEX AUDIT_ENTRY_TIME ON AUDIT_ENTRY (EVENT_TIME)");

    private static final String CHECKPOINT_DDL = "CREATE TABLE AUDIT_CHECKPOINT ("
            + "SEQ BIGINT NOT NULL PRIMARY KEY, ENTRY_HASH VARCHAR(64) NOT NULL, SEAL VARCHAR(64) NOT NULL)";

    private static final String HEAD_DDL = "CREATE TABLE AUDIT_HEAD ("
            + "ID INTEGER NOT NULL PRIMARY KEY, SEQ BIGINT NOT NULL, ENTRY_HASH VARCHAR(64) NOT NULL, "
            + "SEAL VARCHAR(64) NOT NULL)";

    private AuditSchema() {
    }

    /**
     * Creates whichever of the tables is missing from the connection's schema, in one transaction; fine when another
     * node creates them at the same time.
     */
    static void createIfMissing(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            createTable(connection, "AUDIT_ENTRY", ENTRY_DDL);
            createTable(connection, "AUDIT_CHECKPOINT", List.of(CHECKPOINT_DDL));
            createTable(connection, "AUDIT_HEAD", List.of(HEAD_DDL));
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            // Nodes starting together on a new database race to create the tables: the loser finds them made.
            if (!tableExists(connection, "AUDIT_ENTRY") || !tableExists(connection, "AUDIT_CHECKPOINT")
                    || !tableExists(connection, "AUDIT_HEAD")) {
                throw e;
            }
            LOG.info("Another node created the audit tables meanwhile");
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Refuses an event whose fields do not fit their columns, before it is queued: one oversized event must not make
     * the whole batch it would share a transaction with fail.
     */
    static void checkFits(AuditEvent event) {
        checkLength("actor", event.actor(), ACTOR_LENGTH);
        checkLength("role", event.role(), ROLE_LENGTH);
        checkLength("resourceType", event.resourceType(), RESOURCE_TYPE_LENGTH);
        checkLength("resourceId", event.resourceId(), RESOURCE_ID_LENGTH);
        checkLength("patientId", event.patientId(), PATIENT_ID_LENGTH);
        checkLength("clientAddress", event.clientAddress(), CLIENT_ADDRESS_LENGTH);
    }

    private static void checkLength(String field, String value, int limit) {
        if (value.length() > limit) {
            throw new AuditException("Audit event " + field + " is " + value.length() + " characters long, at most "
                    + limit + " can be stored", null);
        }
        // PostgreSQL refuses NUL in text; refusing it everywhere keeps the trail portable between databases.
        if (value.indexOf('\0') >= 0) {
            throw new AuditException("Audit event " + field + " contains a NUL character", null);
        }
    }

    private static void createTable(Connection connection, String table, List<String> ddl) throws SQLException {
        if (tableExists(connection, table)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : ddl) {
                statement.executeUpdate(sql);
            }
        }
        LOG.info("Created audit table {}", table);
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        // Unquoted names are stored upper case by Derby and lower case by PostgreSQL; ask in the database's case.
        String name = meta.storesLowerCaseIdentifiers() ? table.toLowerCase(Locale.ROOT) : table;
        try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), name,
                new String[] {"TABLE"})) {
            return tables.next();
        }
    }
}
