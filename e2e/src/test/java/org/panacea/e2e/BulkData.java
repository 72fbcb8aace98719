package org.panacea.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * FHIR Bulk Data export ({@code $export}) over plain HTTP. HAPI's generic client has no support for the asynchronous
 * request pattern (kick-off answered 202 with a status URL, polling, a JSON manifest, NDJSON files), so the test
 * speaks it as any Bulk Data client would.
 */
final class BulkData {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BulkData() {
    }

    /** {@code GET {path}} with {@code Prefer: respond-async}, as {@code user}. */
    static HttpResponse<String> kickOff(String user, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(Panacea.BASE_URL + path))
                .header("Authorization", Panacea.basic(user))
                .header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async")
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status URL a kick-off named in {@code Content-Location}, resolved against the FHIR base if relative. */
    static URI statusUrl(HttpResponse<String> kickOff) {
        String location = kickOff.headers().firstValue("Content-Location").orElse(null);
        assertNotNull(location, "the kick-off's 202 names the status URL in Content-Location; headers were "
                + kickOff.headers().map());
        return URI.create(Panacea.BASE_URL + "/fhir/").resolve(location);
    }

    /**
     * Polls the status URL until the export is done and returns the 200 answer with the manifest. Every answer before
     * that must be 202 with {@code X-Progress}; the wait is bounded so that a server that never finishes fails the
     * test.
     */
    static HttpResponse<String> awaitCompletion(String user, URI status, Duration limit)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            HttpResponse<String> answer = get(user, status);
            if (answer.statusCode() == 200) {
                return answer;
            }
            assertEquals(202, answer.statusCode(), "GET " + status + " while exporting: " + answer.body());
            assertNotNull(answer.headers().firstValue("X-Progress").orElse(null),
                    "a 202 from the status URL tells the progress in X-Progress");
            if (Instant.now().isAfter(deadline)) {
                fail("the export at " + status + " was not done within " + limit.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    static JsonNode json(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body());
    }

    /** {@code GET url} as {@code user}, or without credentials when {@code user} is null. */
    static HttpResponse<String> get(String user, URI url) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).GET();
        if (user != null) {
            request.header("Authorization", Panacea.basic(user));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's media type without parameters such as charset. */
    static String mediaType(HttpResponse<?> answer) {
        return answer.headers().firstValue("Content-Type").orElse("").split(";")[0].strip();
    }
}
