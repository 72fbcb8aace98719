package org.panacea.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The clients' HTTP: one JDK {@link HttpClient} shared by every client thread of a run, HTTP/1.1 with keep-alive (the
 * client keeps each connection open and reuses it, as a hospital system's connection pool would), credentials sent
 * with every request rather than after a 401 challenge. Bodies are read to their end so that a connection goes
 * back to the pool, and so that a retrieval is timed until its last byte.
 */
public final class Http implements AutoCloseable {

    /** A response: its status, Location header (or null) and body (or, for a counted body, only its length). */
    public record Response(int status, String location, byte[] body, long length) {
        public String text() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpClient client;
    private final String authorization;

    public Http(String user, String password) {
        // HTTP/1.1 explicitly: the JDK's default would try to upgrade every plain connection to HTTP/2 first.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Response get(String url, String accept) {
        return send(request(url, accept).GET().build(), false);
    }

    /** A GET whose body is counted as it arrives, not kept: large retrievals. */
    public Response getCounted(String url, String accept) {
        return send(request(url, accept).GET().build(), true);
    }

    public Response post(String url, String contentType, byte[] body, String accept) {
        return send(request(url, accept).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), false);
    }

    private HttpRequest.Builder request(String url, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
        if (accept != null) {
            builder.header("Accept", accept);
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private Response send(HttpRequest request, boolean countOnly) {
        try {
            if (countOnly) {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                long length = 0;
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = response.body()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        length += n;
                    }
                }
                return new Response(response.statusCode(), null, null, length);
            }
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.body(), response.body().length);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }

    @Override
    public void close() {
        // HttpClient closes its connections when collected; JDK 17 has no close(). Nothing to hold on to here.
    }
}
