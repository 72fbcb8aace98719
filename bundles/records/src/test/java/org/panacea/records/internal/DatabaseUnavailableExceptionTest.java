package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;

import javax.persistence.PersistenceException;
import javax.persistence.RollbackException;

import org.junit.jupiter.api.Test;

import org.panacea.api.records.DatabaseUnavailableException;

/**
 * What counts as an unreachable records database: during a fail-over a write must be answered 503 (try again), never
 * 422 (its identifier taken), which the unique-identifier race answers.
 */
class DatabaseUnavailableExceptionTest {

    @Test
    void aLostOrRefusedConnectionOrAServerShuttingDownIsUnavailable() {
        // pgjdbc: the multi-host URL finds no primary while the standby is not yet promoted.
        assertTrue(DatabaseUnavailableException.causedBy(new PersistenceException(new RuntimeException(
                "Exception [EclipseLink-4002]", new SQLException("Could not find a server with specified"
                        + " targetServerType: primary", "08001")))));
        // An I/O error on a connection whose server went away.
        assertTrue(DatabaseUnavailableException.causedBy(new RollbackException(new SQLException(
                "An I/O error occurred while sending to the backend.", "08006"))));
        // pg_ctl stop -m immediate: terminating connection due to immediate shutdown command.
        assertTrue(DatabaseUnavailableException.causedBy(new PersistenceException(new SQLException(
                "terminating connection due to immediate shutdown command", "57P01"))));
        assertTrue(DatabaseUnavailableException.causedBy(new PersistenceException(
                new SQLNonTransientConnectionException("closed"))));
        // Batch writing: the cause is chained to the batch's exception.
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 was aborted", "XJ208", new int[0]);
        batch.setNextException(new SQLException("I/O error", "08006"));
        assertTrue(DatabaseUnavailableException.causedBy(new PersistenceException(batch)));
    }

    @Test
    void aViolatedConstraintOrAnyOtherAnswerOfAWorkingDatabaseIsNot() {
        assertFalse(DatabaseUnavailableException.causedBy(new PersistenceException(
                new SQLIntegrityConstraintViolationException("duplicate key value", "23505"))));
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 was aborted", "23505", new int[0]);
        batch.setNextException(new SQLException("duplicate key value violates unique constraint", "23505"));
        assertFalse(DatabaseUnavailableException.causedBy(new PersistenceException(batch)));
        assertFalse(DatabaseUnavailableException.causedBy(new PersistenceException(new SQLException(
                "canceling statement due to lock timeout", "55P03"))));
        assertFalse(DatabaseUnavailableException.causedBy(new PersistenceException("no cause")));
        assertFalse(DatabaseUnavailableException.causedBy(new IllegalStateException(new SQLException("x", (String) null))));
    }
}
