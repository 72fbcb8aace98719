package org.panacea.engine.http;

import java.util.Map;
import java.util.Set;

import javax.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.engine.internal.prediction.ModelRequest;
import org.panacea.engine.internal.prediction.ModelRun;
import org.panacea.engine.internal.prediction.ModelRuns;
import org.panacea.rest.http.PanaceaHttp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The prediction models over HTTP (see {@link PluginCatalogueServlet}):
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
@HttpWhiteboardServletPattern(ModelServlet.BASE + "/*")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-api-models")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class ModelServlet extends PluginCatalogueServlet<ModelDescriptor, ModelRequest, ModelRun> {

    static final String BASE = "/api/models";

    private static final long serialVersionUID = 1L;
    private static final Set<String> PREDICT_FIELDS = Set.of("patient", "inputs", "version", "timeoutSeconds");

    @Activate
    public ModelServlet(@Reference ModelRuns runs) {
        super(runs, BASE, "$predict", "asks it", PREDICT_FIELDS);
    }

    @Override
    Map<String, Object> describe(ModelDescriptor model) {
        return PluginJson.model(model);
    }

    @Override
    ModelRequest runRequest(String id, ObjectNode body) {
        Map<String, Object> inputs = JsonBodies.optionalValues(body, "inputs",
                "input values by name, which win over the record's (GET " + BASE + "/" + id + " lists them)");
        return new ModelRequest(id, versionRange(body),
                JsonBodies.text(body, "patient", "the patient's id in the record"), inputs, RawSource.JSON,
                timeoutSeconds(body));
    }

    @Override
    Map<String, Object> answer(ModelRun run) {
        return PluginJson.modelRun(run);
    }
}
