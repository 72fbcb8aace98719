package org.panacea.engine.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.panacea.api.security.Caller;
import org.panacea.engine.internal.run.PluginRequest;
import org.panacea.engine.internal.run.PluginRuns;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.PanaceaHttp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The plugins of one kind over HTTP, under a base path such as {@code /api/algorithms}:
 * <ul>
 * <li>{@code GET <base>}: every installed plugin of the kind, by id, the highest version first;</li>
 * <li>{@code GET <base>/{id}}: the installed versions of one;</li>
 * <li>{@code POST <base>/{id}/<operation>} with a JSON body: runs it for the caller and answers 200 with what it
 * produced. Failures: see {@link FailureResponses}.</li>
 * </ul>
 * Anything else is 404, a wrong method 405 with {@code Allow}. The access policy is asked before a run's body is read.
 * Each kind's subclass registers the servlet and says how its plugins, run requests and results look in JSON.
 *
 * @param <D> the kind's descriptor
 * @param <Q> its run request
 * @param <R> what a run produced
 */
abstract class PluginCatalogueServlet<D, Q extends PluginRequest, R> extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String ID = "/([a-z0-9][a-z0-9.-]{0,127})";
    private static final Pattern ONE = Pattern.compile(ID + "/?");

    private final transient PluginRuns<?, D, Q, R> runs;
    private final String base;
    private final String operation;
    private final String operationDoes;
    private final transient Set<String> runFields;
    private final Pattern runPath;

    /**
     * @param runs          the kind's runs
     * @param base          the path the servlet is registered under, without {@code /*}: {@code /api/algorithms}
     * @param operation     the last path segment that runs a plugin: {@code $run}
     * @param operationDoes what posting there does, for the 405 answer on a plugin: {@code runs it}
     * @param runFields     the fields a run's body may hold
     */
    PluginCatalogueServlet(PluginRuns<?, D, Q, R> runs, String base, String operation, String operationDoes,
            Set<String> runFields) {
        this.runs = runs;
        this.base = base;
        this.operation = operation;
        this.operationDoes = operationDoes;
        this.runFields = runFields;
        this.runPath = Pattern.compile(ID + "/" + Pattern.quote(operation));
    }

    /** A plugin of the kind as the catalogue lists it. */
    abstract Map<String, Object> describe(D plugin);

    /**
     * The run request a body asks for, read field by field.
     *
     * @throws RuntimeException naming the field that is missing or malformed (see {@link JsonBodies})
     */
    abstract Q runRequest(String id, ObjectNode body);

    /** What a run produced, as answered. */
    abstract Map<String, Object> answer(R run);

    /** The {@code version} field every run's body may hold: an OSGi version range, or {@code null}. */
    static String versionRange(ObjectNode body) {
        return JsonBodies.optionalText(body, "version", "an OSGi version range such as [1.0,2.0)");
    }

    /** The {@code timeoutSeconds} field every run's body may hold, or {@code null}. */
    static Integer timeoutSeconds(ObjectNode body) {
        return JsonBodies.optionalInteger(body, "timeoutSeconds", "a time limit below the engine's, in seconds");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod();
        Matcher one = ONE.matcher(path);
        Matcher run = runPath.matcher(path);
        try {
            if (path.isEmpty() || path.equals("/")) {
                if (method.equals("GET")) {
                    JsonBodies.write(response, 200, runs.catalogue().stream().map(this::describe).toList());
                } else {
                    throw notAllowed(method, "GET");
                }
            } else if (one.matches()) {
                if (method.equals("GET")) {
                    versions(one.group(1), response);
                } else {
                    throw notAllowed(method, "GET (POST to " + base + "/" + one.group(1) + "/" + operation + " "
                            + operationDoes + ")");
                }
            } else if (run.matches()) {
                if (method.equals("POST")) {
                    run(run.group(1), PanaceaHttp.caller(request), request, response);
                } else {
                    throw notAllowed(method, "POST");
                }
            } else {
                throw new HttpProblem(404, "not-found", "no endpoint at " + base + path + ": use GET " + base
                        + ", GET " + base + "/{id} or POST " + base + "/{id}/" + operation);
            }
        } catch (RuntimeException e) {
            FailureResponses.send(response, e, method + " " + base + path);
        }
    }

    private void versions(String id, HttpServletResponse response) throws IOException {
        List<D> versions = runs.versions(id);
        if (versions.isEmpty()) {
            throw new HttpProblem(404, "not-found", "no " + runs.kind().noun() + " '" + id + "' is installed; "
                    + "GET " + base + " lists those that are");
        }
        JsonBodies.write(response, 200, versions.stream().map(this::describe).toList());
    }

    private void run(String id, Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        runs.requireAccess(caller);
        ObjectNode body = JsonBodies.object(request, runFields);
        Q run = runRequest(id, body);
        JsonBodies.write(response, 200, answer(runs.run(caller, run)));
    }

    private static HttpProblem notAllowed(String method, String allowed) {
        return new HttpProblem(405, "not-supported", method + " is not supported here; use " + allowed)
                .withHeader("Allow", allowed.split(" ")[0]);
    }
}
