package org.panacea.records.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.records.internal.JpaPatientRecords;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.images.BinaryStore;
import org.panacea.rest.http.BoundedUpload;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.OperationOutcomes;
import org.panacea.rest.http.Responses;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * FHIR Binary over HTTP, for {@link FhirServlet}: {@code POST /fhir/Binary} with the document's own Content-Type and
 * {@code X-Security-Context: Patient/{id}} (or a FHIR Binary resource as {@code application/fhir+json}), and
 * {@code GET /fhir/Binary/{id}[/_history/{v}]}: the bytes with their stored Content-Type, or the Binary resource with
 * base64 {@code data} to a client that asks for FHIR JSON. Both stream: nothing holds a document whole.
 * <p>
 * The policy decides before a byte of the body is read, and the size limit is the servlet's. A stored document is
 * sent back with its own Content-Type, which a browser could render as a page of this origin: only passive types
 * (PDF, common images, plain text) are shown inline, every other type is sent as an attachment, and the context's
 * {@code nosniff} is repeated here so no type is ever guessed.
 */
final class BinaryEndpoint {

    private static final Pattern BINARY = Pattern.compile("/Binary");
    private static final Pattern INSTANCE = Pattern.compile("/Binary/([A-Za-z0-9\\-.]{1,64})");
    private static final Pattern VERSION = Pattern.compile("/Binary/([A-Za-z0-9\\-.]{1,64})/_history/(\\d{1,18})");
    private static final Set<String> FHIR_JSON = Set.of("application/fhir+json", "application/json+fhir",
            "application/json");
    private static final Set<String> FHIR_XML = Set.of("application/fhir+xml", "application/xml+fhir");
    private static final Set<String> SHOWN_INLINE = Set.of("application/pdf", "image/png", "image/jpeg", "image/gif",
            "text/plain");
    /** Read before the answer starts: at least the first chunk's opening. */
    private static final int FIRST_BYTES = 64 * 1024;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final JpaPatientRecords records;
    private final AccessPolicy policy;
    private final long maxRequestBytes;

    BinaryEndpoint(JpaPatientRecords records, AccessPolicy policy, long maxRequestBytes) {
        this.records = records;
        this.policy = policy;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Answers the request if it is one of Binary's own ({@code base} is the FHIR base URL); {@code false} leaves it
     * to the servlet's generic routes (DELETE, _history, search), which treat a Binary as any resource.
     */
    boolean handle(Caller caller, String path, String method, String base, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        Matcher instance = INSTANCE.matcher(path);
        Matcher version = VERSION.matcher(path);
        if (BINARY.matcher(path).matches() && method.equals("POST")) {
            create(caller, base, request, response);
        } else if (instance.matches() && method.equals("GET")) {
            read(caller, instance.group(1), 0, request, response);
        } else if (instance.matches() && method.equals("PUT")) {
            throw new HttpProblem(405, "not-supported", "a Binary's content is never changed in place: POST the "
                    + "corrected document as a new Binary and point the DocumentReference at it")
                    .withHeader("Allow", "GET, DELETE");
        } else if (version.matches() && method.equals("GET")) {
            read(caller, version.group(1), Long.parseLong(version.group(2)), request, response);
        } else {
            return false;
        }
        return true;
    }

    private void create(Caller caller, String base, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // Decided on the address before a byte of the body is read; the store decides again.
        policy.require(caller, Operation.CREATE, BinaryStore.TYPE);
        String contentType = request.getContentType();
        String mediaType = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (mediaType.isEmpty()) {
            throw new HttpProblem(415, "not-supported", "send the document's media type as Content-Type (e.g. "
                    + "application/pdf) with X-Security-Context: Patient/{id}, or a FHIR Binary resource as "
                    + "application/fhir+json");
        }
        if (mediaType.startsWith("multipart/") || mediaType.equals("application/x-www-form-urlencoded")) {
            // A browser form would otherwise be stored as the document, its boundaries and field names included.
            throw new HttpProblem(415, "not-supported", "send the document itself as the body, with its own "
                    + "Content-Type (e.g. application/pdf), not a form");
        }
        if (FHIR_XML.contains(mediaType)) {
            throw new HttpProblem(415, "not-supported", "Panacea reads FHIR JSON: send the Binary resource as "
                    + "application/fhir+json, or the document itself with its own Content-Type");
        }
        String securityContext = request.getHeader("X-Security-Context");
        String tooLarge = "the body is larger than " + maxRequestBytes / (1024 * 1024) + " MiB, the limit for one "
                + "request (max.request.mebibytes)";
        BinaryStore.Description stored;
        if (FHIR_JSON.contains(mediaType)) {
            stored = records.binaries().create(caller, BoundedUpload.of(request, maxRequestBytes, tooLarge),
                    securityContext);
        } else {
            stored = records.binaries().create(caller, contentType, securityContext,
                    BoundedUpload.of(request, maxRequestBytes, tooLarge));
        }
        response.setHeader("Location", base + "/Binary/" + stored.id() + "/_history/" + stored.versionId());
        response.setHeader("ETag", "W/\"" + stored.versionId() + "\"");
        response.setHeader("Last-Modified", HTTP_DATE.format(stored.lastUpdated()));
        Responses.status(response, 201);
        response.setContentType(OperationOutcomes.FHIR_JSON);
        response.setCharacterEncoding("UTF-8");
        try (JsonGenerator json = FhirJson.MAPPER.getFactory().createGenerator(response.getOutputStream())) {
            // The stored Binary as FHIR describes it, without echoing the document back.
            writeHead(json, stored);
            json.writeEndObject();
        }
    }

    private void read(Caller caller, String id, long version, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        boolean asResource = wantsFhirJson(request);
        boolean[] answering = {false};
        try {
            records.binaries().read(caller, id, version, (binary, content) -> {
                // The first chunk is opened (a small document checked whole) before anything is answered, so the
                // usual failure is still a clean error answer.
                byte[] first = content.readNBytes(FIRST_BYTES);
                answering[0] = true;
                response.setHeader("ETag", "W/\"" + binary.versionId() + "\"");
                response.setHeader("Last-Modified", HTTP_DATE.format(binary.lastUpdated()));
                Responses.status(response, 200);
                InputStream all = new SequenceInputStream(new ByteArrayInputStream(first), content);
                if (asResource) {
                    sendResource(response, binary, all);
                } else {
                    sendContent(response, binary, all);
                }
            });
        } catch (RuntimeException e) {
            if (answering[0] || response.isCommitted()) {
                // Part of the document may be on its way: an error answer now would be taken for its last bytes.
                // The container cuts the answer short (or replaces it, if nothing left yet) instead, and a client
                // sees the cut against the declared length.
                throw new IOException("Binary/" + id + " was cut off while it was sent: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static void sendContent(HttpServletResponse response, BinaryStore.Description binary, InputStream content)
            throws IOException {
        response.setContentType(binary.contentType());
        response.setContentLengthLong(binary.size());
        response.setHeader("X-Content-Type-Options", "nosniff");
        String baseType = binary.contentType().split(";")[0].strip();
        response.setHeader("Content-Disposition", SHOWN_INLINE.contains(baseType) ? "inline" : "attachment");
        OutputStream out = response.getOutputStream();
        content.transferTo(out);
        out.flush();
    }

    private static void sendResource(HttpServletResponse response, BinaryStore.Description binary,
            InputStream content) throws IOException {
        response.setContentType(OperationOutcomes.FHIR_JSON);
        response.setCharacterEncoding("UTF-8");
        // Not closed when the content fails: closing would finish the JSON and pass a cut document for a whole one.
        JsonGenerator json = FhirJson.MAPPER.getFactory().createGenerator(response.getOutputStream());
        writeHead(json, binary);
        json.writeFieldName("data");
        json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, content, -1);
        json.writeEndObject();
        json.close();
    }

    /** The Binary resource up to its data: the object is left open. */
    private static void writeHead(JsonGenerator json, BinaryStore.Description binary) throws IOException {
        json.writeStartObject();
        json.writeStringField("resourceType", BinaryStore.TYPE);
        json.writeStringField("id", binary.id());
        json.writeObjectFieldStart("meta");
        json.writeStringField("versionId", Long.toString(binary.versionId()));
        json.writeStringField("lastUpdated", binary.lastUpdated().toString());
        json.writeEndObject();
        json.writeStringField("contentType", binary.contentType());
        if (binary.securityContext() != null) {
            json.writeObjectFieldStart("securityContext");
            json.writeStringField("reference", binary.securityContext());
            json.writeEndObject();
        }
    }

    /**
     * FHIR's rule for Binary: the resource when the client asks for FHIR ({@code _format} or {@code Accept}), the
     * bytes otherwise (a browser, a PDF viewer).
     */
    private static boolean wantsFhirJson(HttpServletRequest request) {
        String format = request.getParameter("_format");
        if (format != null) {
            String wanted = format.strip().toLowerCase(Locale.ROOT);
            return wanted.equals("json") || FHIR_JSON.contains(wanted);
        }
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        String accepted = accept.toLowerCase(Locale.ROOT);
        return accepted.contains("application/fhir+json") || accepted.contains("application/json+fhir");
    }
}
