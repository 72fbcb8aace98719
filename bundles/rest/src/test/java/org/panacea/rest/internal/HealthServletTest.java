package org.panacea.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.panacea.api.security.FieldEncryption;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

class HealthServletTest {

    private final HealthServlet servlet = new HealthServlet();

    HealthServletTest() {
        servlet.activate();
    }

    @AfterEach
    void deactivate() {
        servlet.deactivate();
    }

    private FakeResponse get(String path) throws Exception {
        FakeResponse answer = new FakeResponse();
        servlet.doGet(FakeRequest.of("GET", null).servletPath(path).build(), answer.response());
        return answer;
    }

    private static DataSource answering(boolean valid) throws SQLException {
        DataSource database = mock(DataSource.class);
        Connection connection = mock(Connection.class);
        when(database.getConnection()).thenReturn(connection);
        when(connection.isValid(anyInt())).thenReturn(valid);
        return database;
    }

    @SuppressWarnings("unchecked")
    private void everythingUp() throws SQLException {
        servlet.recordsDatabase = answering(true);
        servlet.records = mock(ServiceReference.class);
        servlet.encryption = mock(FieldEncryption.class);
        servlet.audit = mock(ServiceReference.class);
        servlet.auditDatabase = answering(true);
        servlet.algorithms = mock(ServiceReference.class);
        servlet.models = mock(ServiceReference.class);
    }

    @Test
    void livenessAnswers200WhateverElseIsDown() throws Exception {
        FakeResponse live = get("/health/live");
        assertEquals(List.of(200), live.statusesSet());
        assertEquals("{\"status\":\"up\"}", live.text());
        assertTrue(live.header("Content-Type").startsWith("application/json"), live.header("Content-Type"));
    }

    @Test
    void aNodeWithNothingUpIsNotReadyAndSaysWhichChecksAreDownButNotWhy() throws Exception {
        FakeResponse ready = get("/health/ready");
        assertEquals(List.of(503), ready.statusesSet());
        assertEquals("{\"status\":\"not ready\",\"checks\":[{\"name\":\"records-database\",\"state\":\"down\"},"
                + "{\"name\":\"key-store\",\"state\":\"down\"},{\"name\":\"audit-trail\",\"state\":\"down\"},"
                + "{\"name\":\"engine\",\"state\":\"down\"}]}", ready.text());
    }

    @Test
    void aNodeIsReadyOnlyWhenEveryCheckIsUp() throws Exception {
        everythingUp();
        FakeResponse ready = get("/health/ready");
        assertEquals(List.of(200), ready.statusesSet());
        assertEquals("{\"status\":\"ready\",\"checks\":[{\"name\":\"records-database\",\"state\":\"up\"},"
                + "{\"name\":\"key-store\",\"state\":\"up\"},{\"name\":\"audit-trail\",\"state\":\"up\"},"
                + "{\"name\":\"engine\",\"state\":\"up\"}]}", ready.text());

        servlet.recordsDatabase = answering(false);
        FakeResponse unanswered = get("/health/ready");
        assertEquals(List.of(503), unanswered.statusesSet());
        assertTrue(unanswered.text().contains("{\"name\":\"records-database\",\"state\":\"down\"}"));
        assertTrue(unanswered.text().contains("{\"name\":\"audit-trail\",\"state\":\"up\"}"));

        everythingUp();
        servlet.models = null;
        assertEquals(List.of(503), get("/health/ready").statusesSet());

        everythingUp();
        FieldEncryption locked = mock(FieldEncryption.class);
        when(locked.blindIndex("panacea.health", "probe")).thenThrow(new IllegalStateException("no key"));
        servlet.encryption = locked;
        FakeResponse noKeys = get("/health/ready");
        assertEquals(List.of(503), noKeys.statusesSet());
        assertFalse(noKeys.text().contains("no key"), "reasons stay in the log: " + noKeys.text());

        everythingUp();
        DataSource refusing = mock(DataSource.class);
        when(refusing.getConnection()).thenThrow(new SQLException("connection refused by db.hospital.example"));
        servlet.auditDatabase = refusing;
        FakeResponse noAudit = get("/health/ready");
        assertEquals(List.of(503), noAudit.statusesSet());
        assertFalse(noAudit.text().contains("hospital"), noAudit.text());

        everythingUp();
        assertEquals(List.of(200), get("/health/ready").statusesSet());
    }
}
