package org.panacea.dicom.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
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
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.dicom.read.DicomLimitException;
import org.panacea.rest.http.BoundedUpload;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.Responses;

/**
 * DICOMweb: STOW-RS {@code POST /dicomweb/studies} ({@code application/dicom}, or {@code multipart/related;
 * type="application/dicom"} with many instances, each streamed into the archive), QIDO-RS searches for studies,
 * their series and their instances (see {@link QidoRs}), WADO-RS retrieval of a study, a series or an instance as
 * received, of instance metadata and of frames (see {@link WadoPixels}), and a rendered PNG of a frame with a chosen
 * window.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/dicomweb/*")
@HttpWhiteboardServletName("panacea-dicomweb")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
@Designate(ocd = DicomWebServlet.Config.class)
public class DicomWebServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /**
     * The standard mapping, and: a DICOM file over a reader's limit is 413, any other unreadable one 400; a resource
     * the archive builds or updates for an instance that turns out invalid or in conflict is the server's fault.
     */
    private static final Problems PROBLEMS = Problems.standard()
            .on(InvalidImageException.class, e -> e.getCause() instanceof DicomLimitException
                    ? new HttpProblem(413, "too-costly", e.getMessage(), e)
                    : new HttpProblem(400, "invalid", e.getMessage(), e))
            .onUnexpected(InvalidResourceException.class)
            .onUnexpected(VersionConflictException.class);
    private static final String UID = "([0-9.]{1,64})";
    private static final Pattern INSTANCE = Pattern.compile("/studies/" + UID + "/series/" + UID + "/instances/"
            + UID + "(/rendered|/frames/(\\d{1,6})/rendered)?");
    private static final Pattern METADATA = Pattern.compile("/studies/" + UID + "(/series/" + UID + ")?/metadata");
    private static final Pattern FRAMES = Pattern.compile("/studies/" + UID + "/series/" + UID + "/instances/" + UID
            + "/frames/([0-9]{1,6}(,[0-9]{1,6}){0,99})");
    private static final Pattern STUDY_OR_SERIES = Pattern.compile("/studies/" + UID + "(/series/" + UID + ")?");
    private static final Pattern SERIES_OF_STUDY = Pattern.compile("/studies/" + UID + "/series");
    private static final Pattern INSTANCES_OF_SERIES = Pattern.compile("/studies/" + UID + "/series/" + UID
            + "/instances");

    @ObjectClassDefinition(name = "Panacea DICOMweb", description = "Limits of the /dicomweb HTTP API")
    public @interface Config {
        @AttributeDefinition(description = "Largest STOW-RS request accepted, in MiB")
        int max_request_mebibytes() default 2048;
    }

    private final transient ImageArchive archive;
    private final transient AccessPolicy policy;
    private final transient QidoRs qido;
    private final long maxRequestBytes;

    @Activate
    public DicomWebServlet(@Reference ImageArchive archive, @Reference PatientRecords records,
            @Reference AccessPolicy policy, Config config) {
        this.archive = archive;
        this.policy = policy;
        this.qido = new QidoRs(records);
        this.maxRequestBytes = Math.max(1, config.max_request_mebibytes()) * 1024L * 1024L;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            Caller caller = PanaceaHttp.caller(request);
            Matcher instance = INSTANCE.matcher(path);
            Matcher seriesOfStudy = SERIES_OF_STUDY.matcher(path);
            Matcher instancesOfSeries = INSTANCES_OF_SERIES.matcher(path);
            Matcher studyOrSeries = STUDY_OR_SERIES.matcher(path);
            Matcher metadata = METADATA.matcher(path);
            Matcher frames = FRAMES.matcher(path);
            boolean get = request.getMethod().equals("GET");
            if (path.equals("/studies") && request.getMethod().equals("POST")) {
                store(caller, request, response);
            } else if (get && (path.equals("/studies") || seriesOfStudy.matches() || instancesOfSeries.matches())) {
                if (!acceptsJson(request)) {
                    throw new HttpProblem(406, "not-supported", "QIDO-RS answers in application/dicom+json only, "
                            + "not '" + request.getHeader("Accept") + "'");
                }
                if (path.equals("/studies")) {
                    QidoRs.Answer answer = qido.studies(caller, request.getParameterMap());
                    if (!answer.ignored().isEmpty()) {
                        response.setHeader("Warning", "299 panacea \"The following parameters are unsupported and "
                                + "were ignored: " + String.join(", ", answer.ignored()) + "\"");
                    }
                    sendDicomJson(response, answer.matches());
                } else if (seriesOfStudy.matches()) {
                    sendDicomJson(response, qido.series(caller, seriesOfStudy.group(1)));
                } else {
                    String url = request.getRequestURL().toString();
                    sendDicomJson(response, qido.instances(caller, instancesOfSeries.group(1),
                            instancesOfSeries.group(2), url.substring(0, url.length() - path.length())));
                }
            } else if (get && metadata.matches()) {
                if (!acceptsJson(request)) {
                    throw new HttpProblem(406, "not-supported", "WADO-RS metadata is answered in "
                            + "application/dicom+json only, not '" + request.getHeader("Accept") + "'");
                }
                String url = request.getRequestURL().toString();
                sendDicomJson(response, metadata(caller, metadata.group(1), metadata.group(3),
                        url.substring(0, url.length() - path.length())));
            } else if (get && frames.matches()) {
                sendFrames(caller, frames, request, response);
            } else if (get && studyOrSeries.matches()) {
                retrieveAll(caller, studyOrSeries.group(1), studyOrSeries.group(3), request, response);
            } else if (instance.matches() && request.getMethod().equals("GET")) {
                ArchivedInstance found = archive.describe(caller, instance.group(3));
                if (!found.studyInstanceUid().equals(instance.group(1))
                        || !found.seriesInstanceUid().equals(instance.group(2))) {
                    throw new ResourceNotFoundException("instance", instance.group(3) + " in that study and series");
                }
                if (instance.group(4) == null) {
                    Responses.status(response, 200);
                    response.setContentType("application/dicom");
                    archive.retrieve(caller, found.sopInstanceUid(), response.getOutputStream());
                } else {
                    int frame = instance.group(5) != null ? Integer.parseInt(instance.group(5)) - 1
                            : integer(request, "frame", 1) - 1;
                    render(caller, found, frame, request, response);
                }
            } else {
                throw new HttpProblem(404, "not-found", "no DICOMweb endpoint at " + request.getMethod()
                        + " /dicomweb" + path + ": use POST /dicomweb/studies; GET /dicomweb/studies[?PatientID=...], "
                        + "/dicomweb/studies/{study}/series, /dicomweb/studies/{study}/series/{series}/instances; "
                        + "GET /dicomweb/studies/{study}[/series/{series}][/metadata]; "
                        + "GET .../instances/{instance}/frames/{n[,m...]}; "
                        + "or GET /dicomweb/studies/{study}/series/{series}/instances/{instance}[/rendered]");
            }
        } catch (RuntimeException e) {
            PROBLEMS.send(response, e, request.getMethod() + " " + request.getRequestURI());
        }
    }

    /**
     * STOW-RS. The access policy decides before a byte of the body is read (the archive asks again for each
     * instance): a caller who may not store images cannot make the server parse, buffer or seal anything.
     */
    private void store(Caller caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
        policy.require(caller, Operation.CREATE, "ImagingStudy");
        String contentType = request.getContentType() == null ? "" : request.getContentType();
        String mediaType = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        InputStream body = BoundedUpload.of(request, maxRequestBytes, "the upload is larger than "
                + maxRequestBytes / (1024 * 1024) + " MiB");
        List<Map<String, Object>> stored = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        if (mediaType.equals("application/dicom")) {
            stored.add(describe(archive.store(caller, body)));
        } else if (mediaType.equals("multipart/related")) {
            String boundary = MultipartRelated.boundary(contentType);
            if (boundary == null || boundary.isEmpty()) {
                throw new IllegalArgumentException("multipart/related needs a boundary parameter");
            }
            MultipartRelated parts = new MultipartRelated(body, boundary);
            String[] partType = new String[1];
            int index = 0;
            for (InputStream part = parts.next(partType); part != null; part = parts.next(partType)) {
                index++;
                try (InputStream dicom = part) {
                    if (partType[0] != null && !partType[0].toLowerCase(Locale.ROOT).startsWith("application/dicom")) {
                        throw new InvalidImageException("part " + index + " is " + partType[0]
                                + ", not application/dicom");
                    }
                    stored.add(describe(archive.store(caller, dicom)));
                } catch (InvalidImageException e) {
                    Map<String, Object> failure = new LinkedHashMap<>();
                    failure.put("part", index);
                    failure.put("reason", e.getMessage());
                    if (e.getCause() instanceof DicomLimitException) {
                        failure.put("status", 413);
                    }
                    failed.add(failure);
                }
            }
        } else {
            throw new HttpProblem(415, "not-supported", "send DICOM as application/dicom or as "
                    + "multipart/related; type=\"application/dicom\", not '" + contentType + "'");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("stored", stored);
        answer.put("failed", failed);
        // STOW-RS: 200 all stored, 202 some, 409 none (here 400: every part was malformed; 413 when every part was
        // refused by a size limit).
        if (!failed.isEmpty() && stored.isEmpty()) {
            boolean tooLarge = failed.stream().allMatch(f -> f.containsKey("status"));
            throw new HttpProblem(tooLarge ? 413 : 400, tooLarge ? "too-costly" : "invalid", "no instance was stored")
                    .withBody("application/json", answer);
        }
        Responses.json(response, failed.isEmpty() ? 200 : 202, "application/json", answer);
    }

    /**
     * WADO-RS retrieval of a whole study or series: every stored instance as received, one part each of a
     * {@code multipart/related; type="application/dicom"} answer, streamed from the archive one instance at a time.
     * Images algorithms made before results were DICOM exist as pixels only and are left out (their rendered form stays
     * available); Segmentations and Parametric Maps are DICOM instances like any other.
     */
    private void retrieveAll(Caller caller, String studyUid, String seriesUid, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        String accept = request.getHeader("Accept");
        if (accept != null && !accept.isBlank() && !accepts(accept, "multipart/related")) {
            throw new HttpProblem(406, "not-supported", "a study or series is retrieved as multipart/"
                    + "related; type=\"application/dicom\" only, not '" + accept + "'");
        }
        List<String> uids = qido.instanceUids(caller, studyUid, seriesUid);
        String boundary = "panacea-" + java.util.UUID.randomUUID();
        OutputStream[] body = new OutputStream[1];
        // One pass through the archive: the answer starts with the first instance, so a study of derived instances
        // only is still a 404.
        int sent = archive.retrieveAll(caller, uids, (found, content) -> {
            if (body[0] == null) {
                Responses.status(response, 200);
                response.setContentType("multipart/related; type=\"application/dicom\"; boundary=" + boundary);
                body[0] = response.getOutputStream();
            }
            OutputStream out = body[0];
            out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\nContent-Location: /dicomweb/studies/"
                    + found.studyInstanceUid() + "/series/" + found.seriesInstanceUid() + "/instances/"
                    + found.sopInstanceUid() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            content.transferTo(out);
            out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        });
        if (sent == 0) {
            throw new ResourceNotFoundException("DICOM instances", "stored as received in " + (seriesUid == null
                    ? "study " + studyUid : "series " + seriesUid));
        }
        body[0].write(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body[0].flush();
    }

    /** The WADO-RS metadata of every instance of a study or series (see {@link WadoPixels}). */
    private List<Map<String, Object>> metadata(Caller caller, String studyUid, String seriesUid, String baseUrl) {
        List<Map<String, Object>> datasets = new ArrayList<>();
        for (Map.Entry<String, String> one : qido.sopClasses(caller, studyUid, seriesUid).entrySet()) {
            ArchivedInstance found = archive.describe(caller, one.getKey());
            String url = baseUrl + "/studies/" + found.studyInstanceUid() + "/series/" + found.seriesInstanceUid()
                    + "/instances/" + found.sopInstanceUid();
            // The archive's image says how its samples display (MONOCHROME1 as the file says).
            datasets.add(WadoPixels.metadata(found, archive.load(caller, found.sopInstanceUid(), 0),
                    one.getValue(), url));
        }
        return datasets;
    }

    /** WADO-RS frames: the requested frames' samples, one part each of {@code multipart/related}. */
    private void sendFrames(Caller caller, Matcher frames, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String accept = request.getHeader("Accept");
        if (accept != null && !accept.isBlank() && !accepts(accept, "multipart/related")) {
            throw new HttpProblem(406, "not-supported", "frames are sent as multipart/related; "
                    + "type=\"application/octet-stream\" (uncompressed) only, not '" + accept + "'");
        }
        ArchivedInstance found = archive.describe(caller, frames.group(3));
        if (!found.studyInstanceUid().equals(frames.group(1)) || !found.seriesInstanceUid().equals(frames.group(2))) {
            throw new ResourceNotFoundException("instance", frames.group(3) + " in that study and series");
        }
        List<byte[]> parts = new ArrayList<>();
        for (int number : WadoPixels.frameNumbers(frames.group(4), found.frames())) {
            parts.add(WadoPixels.frame(archive.load(caller, found.sopInstanceUid(), number - 1)));
        }
        String boundary = "panacea-" + java.util.UUID.randomUUID();
        Responses.status(response, 200);
        response.setContentType("multipart/related; type=\"application/octet-stream\"; boundary=" + boundary);
        OutputStream out = response.getOutputStream();
        for (byte[] part : parts) {
            out.write(("--" + boundary + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(part);
            out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Whether an Accept header allows {@code type} (or any type). */
    private static boolean accepts(String accept, String type) {
        for (String range : accept.split(",")) {
            String media = range.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (media.equals(type) || media.equals("*/*")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the client takes DICOM JSON (no Accept header, JSON, or any type). */
    private static boolean acceptsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (type.equals("application/dicom+json") || type.equals("application/json") || type.equals("*/*")
                    || type.equals("application/*")) {
                return true;
            }
        }
        return false;
    }

    private static void sendDicomJson(HttpServletResponse response, List<Map<String, Object>> datasets)
            throws IOException {
        Responses.json(response, 200, "application/dicom+json", datasets);
    }

    private static Map<String, Object> describe(ArchivedInstance instance) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("studyInstanceUid", instance.studyInstanceUid());
        described.put("seriesInstanceUid", instance.seriesInstanceUid());
        described.put("sopInstanceUid", instance.sopInstanceUid());
        described.put("modality", instance.modality());
        described.put("columns", instance.width());
        described.put("rows", instance.height());
        described.put("frames", instance.frames());
        described.put("patient", "Patient/" + instance.patientId());
        described.put("imagingStudy", "ImagingStudy/" + instance.imagingStudyId());
        described.put("url", "/dicomweb/studies/" + instance.studyInstanceUid() + "/series/"
                + instance.seriesInstanceUid() + "/instances/" + instance.sopInstanceUid());
        return described;
    }

    private void render(Caller caller, ArchivedInstance instance, int frame, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        Double center = null;
        Double width = null;
        String window = request.getParameter("window");
        if (window != null) {
            String[] parts = window.split(",");
            try {
                center = Double.parseDouble(parts[0].strip());
                width = Double.parseDouble(parts[1].strip());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("window must be center,width in the image's unit (HU for CT), "
                        + "e.g. window=40,400; was '" + window + "'");
            }
            if (!(width >= 1)) {
                throw new IllegalArgumentException("window width must be at least 1, was " + parts[1].strip());
            }
        }
        var rendered = Rendering.render(archive.load(caller, instance.sopInstanceUid(), frame), center, width);
        Responses.status(response, 200);
        response.setContentType("image/png");
        try (OutputStream out = response.getOutputStream()) {
            ImageIO.write(rendered, "png", out);
        }
    }

    private static int integer(HttpServletRequest request, String name, int fallback) {
        String value = request.getParameter(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
    }
}
