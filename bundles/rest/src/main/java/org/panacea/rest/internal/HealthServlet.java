package org.panacea.rest.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.sql.DataSource;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.security.FieldEncryption;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Responses;

/**
 * Health for load balancers, answered without credentials ({@link AuthenticatingContext#PUBLIC_PATHS}) and holding
 * no patient data, only states:
 * <ul>
 * <li>{@code GET /health/live}: 200 whenever it answers at all, since then the JVM and the HTTP server are up;</li>
 * <li>{@code GET /health/ready}: 200 when this node can serve requests, 503 while it cannot. It can when the records
 * database answers and the record store is up, the key store is unlocked (the field encryption is registered only
 * then) and computes, the audit trail is up and its database answers (nothing is written to check it: a probe every
 * few seconds would fill the trail), and the engine serves its algorithms and models.</li>
 * </ul>
 * Everything it checks is found through the service registry, each service optional and followed as it comes and
 * goes, so this bundle depends on none of the bundles it checks, and a node still starting (or one whose database is
 * gone) answers 503, never 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ HealthServlet.LIVE, HealthServlet.READY })
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-health")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";

    /** How long a probe waits for the checks; load balancers time out a few seconds after asking. */
    static final Duration DEADLINE = Duration.ofSeconds(2);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(osgi.jndi.service.name=panacea-records)")
    volatile DataSource recordsDatabase;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ServiceReference<PatientRecords> records;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile FieldEncryption encryption;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ServiceReference<AuditTrail> audit;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(osgi.jndi.service.name=panacea-audit)")
    volatile DataSource auditDatabase;

    // The engine is up when its two servlets are: they are registered only once the runs behind them are.
    @Reference(service = Servlet.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, target = "(osgi.http.whiteboard.servlet.name=panacea-api-algorithms)")
    volatile ServiceReference<Servlet> algorithms;

    @Reference(service = Servlet.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, target = "(osgi.http.whiteboard.servlet.name=panacea-api-models)")
    volatile ServiceReference<Servlet> models;

    private Readiness readiness;

    @Activate
    void activate() {
        readiness = new Readiness(List.of(
                new Readiness.Check("records-database", () -> {
                    present(records, "the record store is not registered");
                    answers(recordsDatabase, "records");
                }),
                new Readiness.Check("key-store", () -> {
                    FieldEncryption keys = present(encryption, "the key store is not unlocked");
                    keys.blindIndex("panacea.health", "probe");
                }),
                new Readiness.Check("audit-trail", () -> {
                    present(audit, "the audit trail is not registered");
                    answers(auditDatabase, "audit");
                }),
                new Readiness.Check("engine", () -> {
                    present(algorithms, "the engine's algorithm runs are not registered");
                    present(models, "the engine's model runs are not registered");
                })), DEADLINE);
    }

    @Deactivate
    void deactivate() {
        readiness.close();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (LIVE.equals(request.getServletPath())) {
            Responses.health(response, true, Map.of("status", "up"));
            return;
        }
        List<Readiness.Result> results = readiness.evaluate();
        boolean ready = results.stream().allMatch(Readiness.Result::up);
        Responses.health(response, ready, report(ready, results));
    }

    static Map<String, Object> report(boolean ready, List<Readiness.Result> results) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", ready ? "ready" : "not ready");
        report.put("checks", results.stream().map(result -> {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", result.name());
            check.put("state", result.up() ? "up" : "down");
            return check;
        }).toList());
        return report;
    }

    private static <T> T present(T service, String otherwise) {
        if (service == null) {
            throw new IllegalStateException(otherwise);
        }
        return service;
    }

    private static void answers(DataSource database, String name) throws SQLException {
        present(database, "the " + name + " database is not configured or its driver is not there");
        try (Connection connection = database.getConnection()) {
            if (!connection.isValid((int) DEADLINE.toSeconds())) {
                throw new SQLException("the " + name + " database does not answer");
            }
        }
    }
}
