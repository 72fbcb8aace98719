package org.panacea.alerts.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

import org.panacea.api.alerts.Alert;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * POSTs each alert as a JSON object ({@link AlertMessage#json}) to the configured URL with {@code java.net.http}; any
 * 2xx answer is success. An {@code https} URL is checked against the JVM's trusted authorities.
 */
public final class WebhookNotifier implements AlertNotifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Duration timeout;
    private final AlertMessage message;
    private final HttpClient client;

    /** @throws IllegalArgumentException when the URL is not an absolute http or https URL */
    public WebhookNotifier(String url, Duration timeout, AlertMessage message) {
        URI parsed;
        try {
            parsed = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook.url: '" + url + "' is not a URL", e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || parsed.getHost() == null) {
            throw new IllegalArgumentException("webhook.url: '" + url + "' is not an absolute http or https URL");
        }
        this.url = parsed;
        this.timeout = timeout;
        this.message = message;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void send(Alert alert) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(message.json(alert)))).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("The webhook answered " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while posting to the webhook", e);
        }
    }

    @Override
    public String toString() {
        // The URL may carry a token in its query: name only where it goes.
        return "webhook " + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }
}
