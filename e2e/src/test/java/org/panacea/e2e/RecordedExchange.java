package org.panacea.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;

/**
 * The last exchange of a HAPI generic client: the request line and headers it sent, the status and headers it got.
 * HAPI turns answers into resources and exceptions; the conformance test also checks what travelled on the wire
 * (the {@code If-Match} HAPI sent, the {@code ETag} and {@code Location} the server answered with).
 */
final class RecordedExchange implements IClientInterceptor {

    private volatile String request = "";
    private volatile Map<String, List<String>> requestHeaders = Map.of();
    private volatile int status;
    private volatile Map<String, List<String>> responseHeaders = Map.of();

    @Override
    public void interceptRequest(IHttpRequest theRequest) {
        request = theRequest.getHttpVerbName() + " " + theRequest.getUri();
        requestHeaders = byLowerCaseName(theRequest.getAllHeaders());
        status = 0;
        responseHeaders = Map.of();
    }

    @Override
    public void interceptResponse(IHttpResponse theResponse) {
        status = theResponse.getStatus();
        responseHeaders = byLowerCaseName(theResponse.getAllHeaders());
    }

    /** The method and URL of the last request, for failure messages. */
    String request() {
        return request;
    }

    int status() {
        return status;
    }

    /** The first value of a request header, or null; names are case-insensitive as in HTTP. */
    String requestHeader(String name) {
        return first(requestHeaders, name);
    }

    /** The first value of a response header, or null; names are case-insensitive as in HTTP. */
    String responseHeader(String name) {
        return first(responseHeaders, name);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Map<String, List<String>> byLowerCaseName(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        }
        return copy;
    }
}
