package org.panacea.engine.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.security.Caller;
import org.panacea.engine.internal.imaging.AlgorithmRequest;
import org.panacea.engine.internal.imaging.AlgorithmRuns;
import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.PanaceaHttp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The imaging algorithms over HTTP:
 * <ul>
 * <li>{@code GET /api/algorithms}: every installed algorithm (id, version, name, vendor, description, intended use,
 * parameter schema with types, ranges, defaults and units), by id, the highest version first;</li>
 * <li>{@code GET /api/algorithms/{id}}: the installed versions of one;</li>
 * <li>{@code POST /api/algorithms/{id}/$run} with {@code {"instance": uid, "frame": 0, "version": "[1,2)",
 * "parameters": {...}, "timeoutSeconds": n}}: 200 with the derived instance, measurements, findings, the version
 * used, digests and duration. Failures: see {@link FailureResponses}.</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/algorithms/*")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-api-algorithms")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class AlgorithmServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern ONE = Pattern.compile("/([a-z0-9][a-z0-9.-]{0,127})/?");
    private static final Pattern RUN = Pattern.compile("/([a-z0-9][a-z0-9.-]{0,127})/\\$run");
    private static final Set<String> RUN_FIELDS = Set.of("instance", "frame", "version", "parameters",
            "timeoutSeconds");

    private final transient AlgorithmRuns runs;

    @Activate
    public AlgorithmServlet(@Reference AlgorithmRuns runs) {
        this.runs = runs;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod();
        Matcher one = ONE.matcher(path);
        Matcher run = RUN.matcher(path);
        try {
            if (path.isEmpty() || path.equals("/")) {
                if (method.equals("GET")) {
                    JsonBodies.write(response, 200, runs.catalogue().stream().map(PluginJson::algorithm).toList());
                } else {
                    throw notAllowed(method, "GET");
                }
            } else if (one.matches()) {
                if (method.equals("GET")) {
                    versions(one.group(1), response);
                } else {
                    throw notAllowed(method, "GET (POST to /api/algorithms/" + one.group(1) + "/$run runs it)");
                }
            } else if (run.matches()) {
                if (method.equals("POST")) {
                    run(run.group(1), PanaceaHttp.caller(request), request, response);
                } else {
                    throw notAllowed(method, "POST");
                }
            } else {
                throw new HttpProblem(404, "not-found", "no endpoint at /api/algorithms" + path
                        + ": use GET /api/algorithms, GET /api/algorithms/{id} or POST /api/algorithms/{id}/$run");
            }
        } catch (RuntimeException e) {
            FailureResponses.send(response, e, method + " /api/algorithms" + path);
        }
    }

    private void versions(String id, HttpServletResponse response) throws IOException {
        List<PluginDescriptor> versions = runs.catalogue().stream().filter(plugin -> plugin.id().equals(id))
                .toList();
        if (versions.isEmpty()) {
            throw new HttpProblem(404, "not-found", "no imaging algorithm '" + id + "' is installed; "
                    + "GET /api/algorithms lists those that are");
        }
        JsonBodies.write(response, 200, versions.stream().map(PluginJson::algorithm).toList());
    }

    private void run(String id, Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        runs.requireAccess(caller);
        ObjectNode body = JsonBodies.object(request, RUN_FIELDS);
        Integer frame = JsonBodies.optionalInteger(body, "frame", "the frame to run on, from 0");
        Map<String, Object> parameters = JsonBodies.optionalValues(body, "parameters",
                "parameter values by name (GET /api/algorithms/" + id + " lists them)");
        AlgorithmRequest run = new AlgorithmRequest(id,
                JsonBodies.optionalText(body, "version", "an OSGi version range such as [1.0,2.0)"),
                JsonBodies.text(body, "instance", "the SOP Instance UID of the image to run on"),
                frame == null ? 0 : frame, parameters, RawSource.JSON,
                JsonBodies.optionalInteger(body, "timeoutSeconds", "a time limit below the engine's, in seconds"));
        JsonBodies.write(response, 200, PluginJson.algorithmRun(runs.run(caller, run)));
    }

    private static HttpProblem notAllowed(String method, String allowed) {
        return new HttpProblem(405, "not-supported", method + " is not supported here; use " + allowed)
                .withHeader("Allow", allowed.split(" ")[0]);
    }
}
