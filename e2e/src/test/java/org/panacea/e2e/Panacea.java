package org.panacea.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The distribution under test, over its HTTP API: readiness (the plugins the pages use are registered), and the test
 * data the pages need stored through the same API a hospital would use (STOW-RS).
 */
final class Panacea {

    static final String BASE_URL = System.getProperty("panacea.e2e.baseUrl", "http://127.0.0.1:8181");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Panacea() {
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode get(String user, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BASE_URL + path))
                .header("Authorization", basic(user)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " as " + user + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** POSTs FHIR JSON to {@code path} as {@code user}; the created resource. */
    static JsonNode post(String user, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BASE_URL + path))
                .header("Authorization", basic(user)).header("Content-Type", "application/fhir+json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST " + path + " as " + user + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Waits until GET {@code path} as {@code user} answers 200 with a body that satisfies {@code ready}. */
    static JsonNode await(String user, String path, Predicate<JsonNode> ready, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                JsonNode body = get(user, path);
                if (ready.test(body)) {
                    return body;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("GET " + path + " was not ready within " + limit.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    static boolean listsId(JsonNode plugins, String id) {
        for (JsonNode plugin : plugins) {
            if (id.equals(plugin.path("id").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The platform is up with the web pages' plugins: the Gaussian blur, the example ONNX classifier and the
     * lung-cancer survival model.
     */
    static void awaitReady() throws Exception {
        await("clinician", "/api/algorithms", body -> listsId(body, "imaging.gaussian-blur")
                && listsId(body, "onnx.phantom-classifier"), Duration.ofSeconds(150));
        await("clinician", "/api/models", body -> listsId(body, "prediction.survival.lung-cox"), Duration.ofSeconds(60));
    }

    /**
     * Stores a DICOM file from the test resources through STOW-RS as the clinician; returns the stored instance as
     * the pages need it: {@code studyInstanceUid} and {@code patient} ({@code Patient/id}), read from the PS3.18
     * store response (the instance's Retrieve URL and Panacea's private Patient reference).
     */
    static JsonNode stow(String resource) throws Exception {
        byte[] file;
        try (InputStream in = Panacea.class.getResourceAsStream("/dicom/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource dicom/" + resource + " is missing");
            }
            file = in.readAllBytes();
        }
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BASE_URL + "/dicomweb/studies"))
                .header("Authorization", basic("clinician")).header("Content-Type", "application/dicom")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("STOW of " + resource + ": " + response.statusCode() + " " + response.body());
        }
        JsonNode item = JSON.readTree(response.body()).path("00081199").path("Value").get(0);
        String url = item.path("00081190").path("Value").get(0).asText();
        String study = url.substring(url.indexOf("/studies/") + "/studies/".length(), url.indexOf("/series/"));
        return JSON.createObjectNode().put("studyInstanceUid", study)
                .put("patient", item.path("00091010").path("Value").get(0).asText());
    }

    /** The id part of a reference such as {@code Patient/123}. */
    static String id(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }
}
