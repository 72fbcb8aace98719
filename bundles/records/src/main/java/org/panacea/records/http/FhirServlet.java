package org.panacea.records.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ResourceDeletedException;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.StoredResource;
import org.panacea.api.records.ValidationIssue;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.records.DatabaseUnavailableException;
import org.panacea.records.internal.HistoryEntry;
import org.panacea.records.internal.JpaPatientRecords;
import org.panacea.records.internal.ResourceInUseException;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.WriteAccess;
import org.panacea.records.internal.export.BulkExports;
import org.panacea.records.internal.export.ExportJobRow;
import org.panacea.records.internal.search.SearchExpiredException;
import org.panacea.records.internal.search.SearchPage;
import org.panacea.records.internal.search.SearchRequest;
import org.panacea.rest.http.BoundedUpload;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.OperationOutcomes;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.Responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The FHIR R4 REST API over the record: {@code POST/GET/PUT/DELETE /fhir/{type}[/{id}]}, search
 * {@code GET /fhir/{type}?...} answered with a searchset Bundle, {@code POST /fhir} for transaction and collection
 * Bundles, and {@code GET /fhir/metadata}.
 * <p>
 * Limits before work: the access policy decides before a body is read. Where the address names the type
 * ({@code POST /fhir/{type}}, {@code PUT /fhir/{type}/{id}}) that type is decided; for a Bundle ({@code POST /fhir})
 * the caller must at least be allowed to write some type, and each entry is decided once parsed. Bodies are then
 * parsed straight from the request stream and counted as they arrive ({@link BoundedUpload}): the size limit holds
 * whatever {@code Content-Length} says, and nothing is allocated for a size the client merely declares. Every limit
 * is answered with 413 and an OperationOutcome naming it. Every error is an OperationOutcome with the status FHIR
 * gives it; nothing is half-written.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/fhir/*")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-fhir")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
@Designate(ocd = FhirServlet.Config.class)
public class FhirServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /**
     * The record's own failures; the rest is the standard mapping (403 forbidden, 404, 409 version conflict, 422
     * invalid resource with one issue per problem, 413 body too large, 400 bad parameter, 503 when the audit trail
     * cannot record, 500).
     */
    private static final Problems PROBLEMS = Problems.standard()
            .on(FhirJson.LimitExceededException.class, e -> new HttpProblem(413, "too-costly", e.describe(), e))
            .on(FhirJson.MalformedJsonException.class,
                    e -> new HttpProblem(400, "structure", e.issues().get(0).message(), e))
            .on(ResourceInUseException.class, e -> new HttpProblem(409, "conflict", e.getMessage(), e))
            .on(ResourceDeletedException.class, e -> new HttpProblem(410, "deleted", e.getMessage(), e))
            .on(SearchExpiredException.class, e -> new HttpProblem(410, "expired", e.getMessage(), e))
            .on(DatabaseUnavailableException.class, e -> new HttpProblem(503, "transient", "the records database"
                    + " cannot be reached right now (it may be failing over); try again shortly", e)
                    .withRetryAfter(2).withServerLog());

    @ObjectClassDefinition(name = "Panacea FHIR API", description = "Limits of the /fhir HTTP API")
    public @interface Config {
        @AttributeDefinition(description = "Largest request body accepted, in MiB (a Bundle with a patient's "
                + "whole history is a few MiB)")
        int max_request_mebibytes() default 64;

        @AttributeDefinition(description = "Search page size when the client gives no _count")
        int default_page_size() default 50;
    }

    private static final Pattern TYPE = Pattern.compile("/([A-Z][A-Za-z]{1,63})");
    private static final Pattern TYPE_ID = Pattern.compile("/([A-Z][A-Za-z]{1,63})/([A-Za-z0-9\\-.]{1,64})");
    private static final Pattern TYPE_HISTORY = Pattern.compile("/([A-Z][A-Za-z]{1,63})/_history");
    private static final Pattern INSTANCE_HISTORY = Pattern.compile(
            "/([A-Z][A-Za-z]{1,63})/([A-Za-z0-9\\-.]{1,64})/_history");
    private static final Pattern VERSION = Pattern.compile(
            "/([A-Z][A-Za-z]{1,63})/([A-Za-z0-9\\-.]{1,64})/_history/(\\d{1,18})");
    private static final Pattern EVERYTHING = Pattern.compile("/Patient/([A-Za-z0-9\\-.]{1,64})/\\$everything");
    private static final Pattern GROUP_EXPORT = Pattern.compile("/Group/([A-Za-z0-9\\-.]{1,64})/\\$export");
    private static final Pattern EXPORT_STATUS = Pattern.compile("/\\$export-status/([A-Za-z0-9\\-]{1,64})");
    private static final Pattern EXPORT_FILE = Pattern.compile(
            "/\\$export-output/([A-Za-z0-9\\-]{1,64})/([A-Z][A-Za-z]{1,63})\\.ndjson");
    private static final java.util.Set<String> NDJSON = java.util.Set.of("application/fhir+ndjson",
            "application/ndjson", "ndjson");
    private static final Pattern WEAK_ETAG = Pattern.compile("(W/)?\"(\\d+)\"");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final transient JpaPatientRecords records;
    private final transient AccessPolicy policy;
    private final long maxRequestBytes;
    private final int defaultPageSize;

    @Activate
    public FhirServlet(@Reference JpaPatientRecords records, @Reference AccessPolicy policy, Config config) {
        this.records = records;
        this.policy = policy;
        this.maxRequestBytes = Math.max(1, config.max_request_mebibytes()) * 1024L * 1024L;
        this.defaultPageSize = Math.min(1000, Math.max(1, config.default_page_size()));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod();
        try {
            if (path.equals("/metadata") && method.equals("GET")) {
                // Clients read it before they log in: the only FHIR answer given without credentials.
                writeJson(response, 200, CapabilityStatement.create(request.getRequestURL().toString()));
                return;
            }
            Caller caller = PanaceaHttp.caller(request);
            BreakGlassHeaders.applyIfAsked(request, path, caller, records);
            Matcher typeId = TYPE_ID.matcher(path);
            Matcher type = TYPE.matcher(path);
            Matcher version = VERSION.matcher(path);
            Matcher instanceHistory = INSTANCE_HISTORY.matcher(path);
            Matcher typeHistory = TYPE_HISTORY.matcher(path);
            if (binary(caller, path, method, request, response)) {
                return;
            }
            if (version.matches()) {
                requireGet(method);
                send(response, 200, records.readVersion(caller, version.group(1), version.group(2),
                        Long.parseLong(version.group(3))));
            } else if (instanceHistory.matches()) {
                requireGet(method);
                history(caller, instanceHistory.group(1), instanceHistory.group(2), request, response);
            } else if (typeHistory.matches()) {
                requireGet(method);
                history(caller, typeHistory.group(1), null, request, response);
            } else if ((path.isEmpty() || path.equals("/")) && method.equals("GET")
                    && request.getParameter("_getpages") != null) {
                nextPage(caller, request, response);
            } else if (GROUP_EXPORT.matcher(path).matches() || path.equals("/Patient/$export")) {
                requireGet(method);
                Matcher group = GROUP_EXPORT.matcher(path);
                exportKickOff(caller, group.matches() ? group.group(1) : null, request, response);
            } else if (EXPORT_STATUS.matcher(path).matches()) {
                Matcher status = EXPORT_STATUS.matcher(path);
                status.matches();
                switch (method) {
                    case "GET" -> exportStatus(caller, status.group(1), request, response);
                    case "DELETE" -> {
                        records.exports().cancel(caller, status.group(1));
                        Responses.status(response, 202);
                    }
                    default -> throw notAllowed(method, "GET, DELETE");
                }
            } else if (EXPORT_FILE.matcher(path).matches()) {
                requireGet(method);
                Matcher file = EXPORT_FILE.matcher(path);
                file.matches();
                exportFile(caller, file.group(1), file.group(2), response);
            } else if (EVERYTHING.matcher(path).matches()) {
                requireGet(method);
                Matcher everything = EVERYTHING.matcher(path);
                everything.matches();
                everything(caller, everything.group(1), request, response);
            } else if ((path.isEmpty() || path.equals("/")) && method.equals("POST")) {
                importBundle(caller, request, response);
            } else if (typeId.matches()) {
                switch (method) {
                    case "GET" -> send(response, 200, records.read(caller, typeId.group(1), typeId.group(2)));
                    case "PUT" -> update(caller, typeId.group(1), typeId.group(2), request, response);
                    case "DELETE" -> {
                        records.delete(caller, typeId.group(1), typeId.group(2));
                        Responses.status(response, 204);
                    }
                    default -> throw notAllowed(method, "GET, PUT, DELETE");
                }
            } else if (type.matches()) {
                switch (method) {
                    case "GET" -> search(caller, type.group(1), request, response);
                    case "POST" -> create(caller, type.group(1), request, response);
                    default -> throw notAllowed(method, "GET, POST");
                }
            } else {
                throw new HttpProblem(404, "not-found", "no FHIR endpoint at /fhir" + path
                        + ": use /fhir/{ResourceType}[/{id}], /fhir/metadata or POST /fhir with a Bundle");
            }
        } catch (RuntimeException e) {
            PROBLEMS.send(response, e, method + " " + request.getRequestURI());
        }
    }

    /**
     * FHIR Binary's own routes: a document's bytes in, and out with their own Content-Type (see
     * {@link BinaryEndpoint}). {@code false} leaves the request to the generic routes (delete, history, search).
     */
    private boolean binary(Caller caller, String path, String method, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        return path.startsWith("/Binary") && new BinaryEndpoint(records, policy, maxRequestBytes).handle(caller, path,
                method, base(request), request, response);
    }

    private void create(Caller caller, String type, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // Decided on the address before a byte of the body is read; the store decides again on the parsed resource.
        policy.require(caller, Operation.CREATE, type);
        if (ResourceType.fromFhirName(type).isEmpty()) {
            throw new InvalidResourceException(List.of(new ValidationIssue("resourceType", "'" + type + "' is not a "
                    + "type Panacea models; send it inside a transaction Bundle to keep it as an opaque record, or "
                    + "use one of " + modelledTypes())));
        }
        ObjectNode resource = body(request);
        requireType(resource, type);
        StoredResource created = records.create(caller, resource);
        response.setHeader("Location", location(request, created));
        send(response, 201, created);
    }

    private static List<String> modelledTypes() {
        return java.util.Arrays.stream(ResourceType.values()).map(ResourceType::fhirName).toList();
    }

    /** The body's resourceType must be the one the address names, which is the one the policy allowed. */
    private static void requireType(ObjectNode resource, String type) {
        JsonNode named = resource.get("resourceType");
        if (named != null && named.isTextual() && !named.asText().equals(type)) {
            throw new InvalidResourceException(List.of(new ValidationIssue(type + ".resourceType", "is '"
                    + named.asText() + "' but the address names " + type)));
        }
    }

    private void update(Caller caller, String type, String id, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        policy.require(caller, Operation.UPDATE, type);
        ObjectNode resource = body(request);
        String ifMatch = request.getHeader("If-Match");
        long expected;
        if (ifMatch != null) {
            Matcher etag = WEAK_ETAG.matcher(ifMatch.strip());
            if (!etag.matches()) {
                throw new IllegalArgumentException("If-Match must be a version tag such as W/\"3\", was " + ifMatch);
            }
            expected = Long.parseLong(etag.group(2));
            try {
                sendUpdated(request, response, records.update(caller, type, id, expected, resource));
            } catch (VersionConflictException e) {
                throw new HttpProblem(412, "conflict", e.getMessage(), e);
            }
            return;
        }
        JsonNode versionId = resource.path("meta").get("versionId");
        if (versionId == null || !versionId.asText().matches("\\d{1,18}")) {
            throw new HttpProblem(428, "required", "an update must say which version it changes (If-Match: W/\"n\" or "
                    + "meta.versionId), so a concurrent change is never overwritten");
        }
        expected = Long.parseLong(versionId.asText());
        sendUpdated(request, response, records.update(caller, type, id, expected, resource));
    }

    /** An update's answer: the new version, and where it lives (clients such as HAPI's read the version there). */
    private static void sendUpdated(HttpServletRequest request, HttpServletResponse response, StoredResource updated)
            throws IOException {
        String location = location(request, updated);
        response.setHeader("Location", location);
        response.setHeader("Content-Location", location);
        send(response, 200, updated);
    }

    private static void requireGet(String method) {
        if (!method.equals("GET")) {
            throw notAllowed(method, "GET");
        }
    }

    /** {@code _history} of one resource or a type: a history Bundle, newest first, {@code _since} and paging. */
    private void history(Caller caller, String type, String id, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        int count = defaultPageSize;
        int offset = 0;
        java.time.Instant since = null;
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String value = single(parameter.getKey(), parameter.getValue());
            switch (parameter.getKey()) {
                case "_count" -> count = integer("_count", value);
                case "_offset" -> offset = integer("_offset", value);
                case "_since" -> since = instant("_since", value);
                case "_format", "_pretty" -> {
                    // JSON is the only format.
                }
                default -> throw new IllegalArgumentException("'" + parameter.getKey() + "' is not a parameter of "
                        + "_history; use _since, _count and _offset");
            }
        }
        JpaPatientRecords.HistoryPage page = records.history(caller, type, id, since, count, offset);
        String base = base(request);
        Responses.status(response, 200);
        response.setContentType(OperationOutcomes.FHIR_JSON);
        response.setCharacterEncoding("UTF-8");
        try (JsonGenerator json = FhirJson.MAPPER.getFactory().createGenerator(response.getOutputStream())) {
            json.writeStartObject();
            json.writeStringField("resourceType", "Bundle");
            json.writeStringField("type", "history");
            json.writeNumberField("total", page.total());
            json.writeArrayFieldStart("link");
            writeLink(json, "self", request.getRequestURL() + query(request.getQueryString()));
            if (offset + page.entries().size() < page.total() && !page.entries().isEmpty()) {
                writeLink(json, "next", request.getRequestURL() + "?" + (since == null ? ""
                        : "_since=" + encode(since.toString()) + "&") + "_count=" + count + "&_offset="
                        + (offset + count));
            }
            json.writeEndArray();
            json.writeArrayFieldStart("entry");
            for (HistoryEntry entry : page.entries()) {
                String url = entry.resourceType() + "/" + entry.id();
                json.writeStartObject();
                json.writeStringField("fullUrl", base + "/" + url);
                if (entry.resource().isPresent()) {
                    json.writeFieldName("resource");
                    json.writeRawValue(entry.resource().get().json());
                }
                json.writeObjectFieldStart("request");
                json.writeStringField("method", entry.deleted() ? "DELETE" : entry.versionId() == 1 ? "POST" : "PUT");
                json.writeStringField("url", entry.versionId() == 1 ? entry.resourceType() : url);
                json.writeEndObject();
                json.writeObjectFieldStart("response");
                json.writeStringField("status", entry.deleted() ? "204" : entry.versionId() == 1 ? "201" : "200");
                json.writeStringField("etag", "W/\"" + entry.versionId() + "\"");
                json.writeStringField("lastModified", entry.lastUpdated().toString());
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static String single(String name, String[] values) {
        if (values.length != 1) {
            throw new IllegalArgumentException("parameter '" + name + "' is given " + values.length
                    + " times; give it once");
        }
        return values[0];
    }

    private static java.time.Instant instant(String name, String value) {
        return org.panacea.records.internal.fhir.DateBuckets.parse(value).map(
                org.panacea.records.internal.fhir.DateBuckets.Range::start).orElseThrow(() ->
                        new IllegalArgumentException(name + ": '" + value + "' is not a FHIR instant (YYYY-MM-DD, or "
                                + "YYYY-MM-DDThh:mm:ss with a time zone such as Z or +01:00)"));
    }

    private void search(Caller caller, String type, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> parameters.put(name, List.of(values)));
        SearchRequest search = SearchRequest.parse(type, parameters, defaultPageSize, records.clock().instant());
        writeSearchset(request, response, records.fhirSearch(caller, search));
    }

    /** {@code GET /fhir?_getpages=...}: a further page of a kept search (the next links point here). */
    private void nextPage(Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String searchId = single("_getpages", request.getParameterValues("_getpages"));
        String offset = request.getParameter("_getpagesoffset");
        String count = request.getParameter("_count");
        writeSearchset(request, response, records.page(caller, searchId, offset == null ? 0
                : integer("_getpagesoffset", offset), count == null ? defaultPageSize
                        : Math.min(JpaPatientRecords.MAX_PAGE, Math.max(1, integer("_count", count)))));
    }

    /**
     * Bulk Data kick-off ({@code GET /fhir/Group/{id}/$export} or {@code /fhir/Patient/$export}): 202 with the status
     * URL in {@code Content-Location}. The client must ask for an asynchronous answer, as the specification says.
     */
    private void exportKickOff(Caller caller, String groupId, HttpServletRequest request,
            HttpServletResponse response) {
        String prefer = request.getHeader("Prefer");
        if (prefer == null || !prefer.toLowerCase(Locale.ROOT).contains("respond-async")) {
            throw new IllegalArgumentException("a bulk export runs in the background: send 'Prefer: respond-async'");
        }
        List<String> types = new java.util.ArrayList<>();
        java.time.Instant since = null;
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String value = single(parameter.getKey(), parameter.getValue());
            switch (parameter.getKey()) {
                case "_type" -> {
                    for (String type : value.split(",")) {
                        if (!type.isBlank()) {
                            types.add(type.strip());
                        }
                    }
                }
                case "_since" -> since = instant("_since", value);
                case "_outputFormat" -> {
                    if (!NDJSON.contains(value.strip())) {
                        throw new IllegalArgumentException("_outputFormat: Panacea exports " + NDJSON.iterator().next()
                                + " only, not '" + value + "'");
                    }
                }
                default -> throw new IllegalArgumentException("'" + parameter.getKey() + "' is not a parameter of "
                        + "$export; use _type, _since and _outputFormat");
            }
        }
        String url = request.getRequestURL() + query(request.getQueryString());
        String job = records.exports().kickOff(caller, groupId, types, since, url);
        response.setHeader("Content-Location", base(request) + "/$export-status/" + job);
        Responses.status(response, 202);
    }

    /** 202 with {@code X-Progress} while an export runs; 200 with the manifest when done; 500 when it failed. */
    private void exportStatus(Caller caller, String job, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        BulkExports.Status status = records.exports().status(caller, job);
        ExportJobRow row = status.job();
        switch (row.state()) {
            case QUEUED, RUNNING -> {
                response.setHeader("X-Progress", row.progress());
                response.setHeader("Retry-After", "1");
                Responses.status(response, 202);
            }
            case FAILED, CANCELLED -> throw new HttpProblem(500, "exception", row.state() == ExportJobRow.State
                    .CANCELLED ? "export " + job + " was cancelled" : row.message());
            case DONE -> {
                ObjectNode manifest = FhirJson.MAPPER.createObjectNode();
                manifest.put("transactionTime", java.time.Instant.ofEpochMilli(row.transactionTimeMillis())
                        .toString());
                manifest.put("request", row.request());
                manifest.put("requiresAccessToken", true);
                var output = manifest.putArray("output");
                status.countsByType().forEach((type, count) -> {
                    if (count > 0) {
                        ObjectNode file = output.addObject();
                        file.put("type", type);
                        file.put("url", base(request) + "/$export-output/" + job + "/" + type + ".ndjson");
                        file.put("count", count);
                    }
                });
                manifest.putArray("error");
                Responses.status(response, 200);
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                FhirJson.MAPPER.writeValue(response.getOutputStream(), manifest);
            }
        }
    }

    private void exportFile(Caller caller, String job, String type, HttpServletResponse response)
            throws IOException {
        // Checked before the first byte, so a refusal is still a clean error answer.
        if (records.exports().status(caller, job).job().state() != ExportJobRow.State.DONE) {
            throw new IllegalArgumentException("export " + job + " has not finished; download its files once its "
                    + "status answers 200");
        }
        Responses.status(response, 200);
        response.setContentType("application/fhir+ndjson");
        response.setCharacterEncoding("UTF-8");
        records.exports().writeFile(caller, job, type, response.getOutputStream());
    }

    /** {@code GET /fhir/Patient/{id}/$everything[?_since=...&_count=...]}. */
    private void everything(Caller caller, String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        java.time.Instant since = null;
        int count = defaultPageSize;
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String value = single(parameter.getKey(), parameter.getValue());
            switch (parameter.getKey()) {
                case "_since" -> since = instant("_since", value);
                case "_count" -> count = Math.min(JpaPatientRecords.MAX_PAGE, Math.max(1, integer("_count", value)));
                case "_format", "_pretty" -> {
                    // JSON is the only format.
                }
                default -> throw new IllegalArgumentException("'" + parameter.getKey() + "' is not a parameter of "
                        + "$everything; use _since and _count");
            }
        }
        writeSearchset(request, response, records.everything(caller, id, since, count));
    }

    /** A searchset Bundle: matches, included resources, a warning outcome when a cap was reached, paging links. */
    private void writeSearchset(HttpServletRequest request, HttpServletResponse response, SearchPage page)
            throws IOException {
        String base = base(request);
        Responses.status(response, 200);
        response.setContentType(OperationOutcomes.FHIR_JSON);
        response.setCharacterEncoding("UTF-8");
        try (JsonGenerator json = FhirJson.MAPPER.getFactory().createGenerator(response.getOutputStream())) {
            json.writeStartObject();
            json.writeStringField("resourceType", "Bundle");
            json.writeStringField("type", "searchset");
            json.writeNumberField("total", page.total());
            json.writeArrayFieldStart("link");
            writeLink(json, "self", request.getRequestURL() + query(request.getQueryString()));
            if (page.next() != null) {
                writeLink(json, "next", base + "?_getpages=" + page.next().searchId() + "&_getpagesoffset="
                        + page.next().offset() + "&_count=" + page.next().count());
            }
            json.writeEndArray();
            if (page.summary() != SearchRequest.Summary.COUNT) {
                json.writeArrayFieldStart("entry");
                for (StoredResource match : page.matches()) {
                    writeEntry(json, base, match, "match", page);
                }
                for (StoredResource included : page.included()) {
                    writeEntry(json, base, included, "include", page);
                }
                if (!page.warnings().isEmpty()) {
                    json.writeStartObject();
                    json.writeFieldName("resource");
                    FhirJson.MAPPER.writeValue(json, OperationOutcomes.outcome("warning", "too-costly",
                            String.join("; ", page.warnings())));
                    json.writeObjectFieldStart("search");
                    json.writeStringField("mode", "outcome");
                    json.writeEndObject();
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
    }

    private static void writeEntry(JsonGenerator json, String base, StoredResource resource, String mode,
            SearchPage page) throws IOException {
        json.writeStartObject();
        json.writeStringField("fullUrl", base + "/" + resource.resourceType() + "/" + resource.id());
        json.writeFieldName("resource");
        if (page.elements().isEmpty() && page.summary() != SearchRequest.Summary.DATA) {
            json.writeRawValue(resource.json());
        } else {
            json.writeTree(subset(FhirJson.parseObject(resource.json()), page));
        }
        json.writeObjectFieldStart("search");
        json.writeStringField("mode", mode);
        json.writeEndObject();
        json.writeEndObject();
    }

    /**
     * {@code _elements} (the named top-level elements, and always id, meta and resourceType) and
     * {@code _summary=data} (without the narrative); either way marked SUBSETTED, as FHIR asks.
     */
    private static ObjectNode subset(ObjectNode resource, SearchPage page) {
        if (!page.elements().isEmpty()) {
            java.util.Iterator<String> names = resource.fieldNames();
            List<String> drop = new java.util.ArrayList<>();
            names.forEachRemaining(name -> {
                boolean kept = name.equals("id") || name.equals("meta") || name.equals("resourceType")
                        || page.elements().contains(name) || page.elements().stream().anyMatch(element ->
                                element.endsWith("[x]") && name.startsWith(element.substring(0, element.length() - 3)));
                if (!kept) {
                    drop.add(name);
                }
            });
            resource.remove(drop);
        }
        if (page.summary() == SearchRequest.Summary.DATA) {
            resource.remove("text");
        }
        ObjectNode meta = resource.has("meta") && resource.get("meta").isObject() ? (ObjectNode) resource.get("meta")
                : resource.putObject("meta");
        ObjectNode tag = meta.withArray("tag").addObject();
        tag.put("system", "http://terminology.hl7.org/CodeSystem/v3-ObservationValue");
        tag.put("code", "SUBSETTED");
        return resource;
    }

    private static String query(String queryString) {
        return queryString == null ? "" : "?" + queryString;
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void writeLink(JsonGenerator json, String relation, String url) throws IOException {
        json.writeStartObject();
        json.writeStringField("relation", relation);
        json.writeStringField("url", url);
        json.writeEndObject();
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
    }

    private void importBundle(Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // The entries' types are known only once parsed: before that, the caller must at least be allowed to write
        // something. Each entry's type is then decided by the importer, before anything is looked up or stored.
        WriteAccess.requireSomeWrite(policy, caller);
        ObjectNode bundle = body(request);
        BundleOutcome outcome = records.importBundle(caller, bundle);
        ObjectNode answer = FhirJson.MAPPER.createObjectNode();
        answer.put("resourceType", "Bundle");
        answer.put("type", bundle.path("type").asText().equals("transaction") ? "transaction-response"
                : "batch-response");
        var entries = answer.putArray("entry");
        java.util.Set<String> opaque = new java.util.HashSet<>(outcome.keptOpaque());
        outcome.stored().forEach((fullUrl, reference) -> {
            ObjectNode entry = entries.addObject();
            if (!fullUrl.startsWith("entry[")) {
                entry.put("fullUrl", fullUrl);
            }
            ObjectNode result = entry.putObject("response");
            result.put("status", "201 Created");
            result.put("location", reference);
            if (opaque.contains(reference)) {
                result.set("outcome", FhirJson.MAPPER.valueToTree(OperationOutcomes.outcome("information",
                        "informational", "kept as an opaque, encrypted FHIR resource linked to its patient: Panacea "
                                + "does not model " + reference.substring(0, reference.indexOf('/')))));
            }
        });
        for (String created : outcome.createdByCondition()) {
            ObjectNode result = entries.addObject().putObject("response");
            result.put("status", "201 Created");
            result.put("location", created);
            result.set("outcome", FhirJson.MAPPER.valueToTree(OperationOutcomes.outcome("information",
                    "informational", "created to satisfy a conditional reference; it holds only the identifier "
                            + "until completed from the source system")));
        }
        writeJson(response, 200, answer);
    }

    /**
     * The request body as one JSON object, read straight from the stream and bounded by the bytes that actually
     * arrive (a declared {@code Content-Length} over the limit is refused before reading). Call it only after the
     * policy has allowed the request.
     */
    private ObjectNode body(HttpServletRequest request) throws IOException {
        String contentType = request.getContentType();
        String mediaType = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/fhir+json") && !mediaType.equals("application/json")) {
            throw new HttpProblem(415, "not-supported", "send FHIR JSON with Content-Type application/fhir+json, not '"
                    + (contentType == null ? "(none)" : contentType) + "'");
        }
        return FhirJson.parseObject(BoundedUpload.of(request, maxRequestBytes, tooLarge()));
    }

    private String tooLarge() {
        return "the body is larger than " + maxRequestBytes / (1024 * 1024) + " MiB, the limit for one request "
                + "(max.request.mebibytes); split the Bundle";
    }

    private static HttpProblem notAllowed(String method, String allowed) {
        return new HttpProblem(405, "not-supported", method + " is not supported here; use " + allowed)
                .withHeader("Allow", allowed);
    }

    private static String base(HttpServletRequest request) {
        String url = request.getRequestURL().toString();
        return url.substring(0, url.indexOf("/fhir") + "/fhir".length());
    }

    private static String location(HttpServletRequest request, StoredResource resource) {
        return base(request) + "/" + resource.resourceType() + "/" + resource.id() + "/_history/" + resource.versionId();
    }

    private static void send(HttpServletResponse response, int status, StoredResource resource) throws IOException {
        Responses.status(response, status);
        response.setHeader("ETag", "W/\"" + resource.versionId() + "\"");
        if (resource.lastUpdated() != null) {
            response.setHeader("Last-Modified", HTTP_DATE.format(resource.lastUpdated()));
        }
        response.setContentType(OperationOutcomes.FHIR_JSON);
        response.setCharacterEncoding("UTF-8");
        byte[] body = resource.json().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }

    private static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        Responses.status(response, status);
        response.setContentType(OperationOutcomes.FHIR_JSON);
        response.setCharacterEncoding("UTF-8");
        FhirJson.MAPPER.writeValue(response.getOutputStream(), body);
    }
}
