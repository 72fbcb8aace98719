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
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.engine.internal.imaging.AlgorithmRequest;
import org.panacea.engine.internal.imaging.AlgorithmRun;
import org.panacea.engine.internal.imaging.AlgorithmRuns;
import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.rest.http.PanaceaHttp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The imaging algorithms over HTTP (see {@link PluginCatalogueServlet}):
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
@HttpWhiteboardServletPattern(AlgorithmServlet.BASE + "/*")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-api-algorithms")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class AlgorithmServlet extends PluginCatalogueServlet<PluginDescriptor, AlgorithmRequest, AlgorithmRun> {

    static final String BASE = "/api/algorithms";

    private static final long serialVersionUID = 1L;
    private static final Set<String> RUN_FIELDS = Set.of("instance", "frame", "version", "parameters",
            "timeoutSeconds");

    @Activate
    public AlgorithmServlet(@Reference AlgorithmRuns runs) {
        super(runs, BASE, "$run", "runs it", RUN_FIELDS);
    }

    @Override
    Map<String, Object> describe(PluginDescriptor plugin) {
        return PluginJson.algorithm(plugin);
    }

    @Override
    AlgorithmRequest runRequest(String id, ObjectNode body) {
        Integer frame = JsonBodies.optionalInteger(body, "frame", "the frame to run on, from 0");
        Map<String, Object> parameters = JsonBodies.optionalValues(body, "parameters",
                "parameter values by name (GET " + BASE + "/" + id + " lists them)");
        return new AlgorithmRequest(id, versionRange(body),
                JsonBodies.text(body, "instance", "the SOP Instance UID of the image to run on"),
                frame == null ? 0 : frame, parameters, RawSource.JSON, timeoutSeconds(body));
    }

    @Override
    Map<String, Object> answer(AlgorithmRun run) {
        return PluginJson.algorithmRun(run);
    }
}
