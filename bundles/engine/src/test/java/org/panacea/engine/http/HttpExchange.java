package org.panacea.engine.http;

import java.io.IOException;
import java.util.List;

import javax.servlet.http.HttpServlet;

import org.panacea.api.security.Caller;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One request through a servlet, as the Panacea HTTP context would pass it, and what came back, read as JSON. */
final class HttpExchange {

    private final FakeResponse answer = new FakeResponse();

    static HttpExchange send(HttpServlet servlet, Caller caller, String method, String pathInfo, String contentType,
            String requestBody) throws Exception {
        HttpExchange exchange = new HttpExchange();
        servlet.service(FakeRequest.of(method, pathInfo).attribute(PanaceaHttp.CALLER_ATTRIBUTE, caller)
                .contentType(contentType).body(requestBody == null ? "" : requestBody).build(),
                exchange.answer.response());
        return exchange;
    }

    /** The status the servlet set last; 0 when it set none (the container's default is not taken for granted). */
    int status() {
        List<Integer> set = answer.statusesSet();
        return set.isEmpty() ? 0 : set.get(set.size() - 1);
    }

    String header(String name) {
        return answer.header(name);
    }

    JsonNode json() throws IOException {
        return new ObjectMapper().readTree(answer.bytes());
    }

    String text() {
        return answer.text();
    }

    /** The diagnostics of an OperationOutcome's first issue. */
    String diagnostics() throws IOException {
        return json().path("issue").path(0).path("diagnostics").asText();
    }
}
