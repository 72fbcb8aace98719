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
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.security.Caller;
import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.engine.internal.prediction.ModelRequest;
import org.panacea.engine.internal.prediction.ModelRuns;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.PanaceaHttp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The prediction models over HTTP:
 * <ul>
 * <li>{@code GET /api/models}: the model cards (id, version, intended use, inputs with units and codes, training
 * data, validation metrics), by id, the highest version first;</li>
 * <li>{@code GET /api/models/{id}}: the installed versions of one;</li>
 * <li>{@code POST /api/models/{id}/$predict} with {@code {"patient": id, "inputs": {...}, "version": "[1,2)",
 * "timeoutSeconds": n}}: 200 with the prediction, its explanation, the inputs used and where each came from, and
 * the id of the stored RiskAssessment. Failures: see {@link FailureResponses}.</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/models/*")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-api-models")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class ModelServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern ONE = Pattern.compile("/([a-z0-9][a-z0-9.-]{0,127})/?");
    private static final Pattern PREDICT = Pattern.compile("/([a-z0-9][a-z0-9.-]{0,127})/\\$predict");
    private static final Set<String> PREDICT_FIELDS = Set.of("patient", "inputs", "version", "timeoutSeconds");

    private final transient ModelRuns runs;

    @Activate
    public ModelServlet(@Reference ModelRuns runs) {
        this.runs = runs;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod();
        Matcher one = ONE.matcher(path);
        Matcher predict = PREDICT.matcher(path);
        try {
            if (path.isEmpty() || path.equals("/")) {
                if (method.equals("GET")) {
                    JsonBodies.write(response, 200, runs.catalogue().stream().map(PluginJson::model).toList());
                } else {
                    throw notAllowed(method, "GET");
                }
            } else if (one.matches()) {
                if (method.equals("GET")) {
                    versions(one.group(1), response);
                } else {
                    throw notAllowed(method, "GET (POST to /api/models/" + one.group(1) + "/$predict asks it)");
                }
            } else if (predict.matches()) {
                if (method.equals("POST")) {
                    predict(predict.group(1), PanaceaHttp.caller(request), request, response);
                } else {
                    throw notAllowed(method, "POST");
                }
            } else {
                throw new HttpProblem(404, "not-found", "no endpoint at /api/models" + path
                        + ": use GET /api/models, GET /api/models/{id} or POST /api/models/{id}/$predict");
            }
        } catch (RuntimeException e) {
            FailureResponses.send(response, e, method + " /api/models" + path);
        }
    }

    private void versions(String id, HttpServletResponse response) throws IOException {
        List<ModelDescriptor> versions = runs.catalogue().stream().filter(model -> model.plugin().id().equals(id))
                .toList();
        if (versions.isEmpty()) {
            throw new HttpProblem(404, "not-found", "no prediction model '" + id + "' is installed; "
                    + "GET /api/models lists those that are");
        }
        JsonBodies.write(response, 200, versions.stream().map(PluginJson::model).toList());
    }

    private void predict(String id, Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        runs.requireAccess(caller);
        ObjectNode body = JsonBodies.object(request, PREDICT_FIELDS);
        Map<String, Object> inputs = JsonBodies.optionalValues(body, "inputs",
                "input values by name, which win over the record's (GET /api/models/" + id + " lists them)");
        ModelRequest predict = new ModelRequest(id,
                JsonBodies.optionalText(body, "version", "an OSGi version range such as [1.0,2.0)"),
                JsonBodies.text(body, "patient", "the patient's id in the record"), inputs, RawSource.JSON,
                JsonBodies.optionalInteger(body, "timeoutSeconds", "a time limit below the engine's, in seconds"));
        JsonBodies.write(response, 200, PluginJson.modelRun(runs.run(caller, predict)));
    }

    private static HttpProblem notAllowed(String method, String allowed) {
        return new HttpProblem(405, "not-supported", method + " is not supported here; use " + allowed)
                .withHeader("Allow", allowed.split(" ")[0]);
    }
}
