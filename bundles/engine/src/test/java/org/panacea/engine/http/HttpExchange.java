package org.panacea.engine.http;

import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.panacea.api.security.Caller;
import org.panacea.rest.http.PanaceaHttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One request through a servlet, as the Panacea HTTP context would pass it, and what came back. */
final class HttpExchange {

    int status;
    final Map<String, String> headers = new HashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    static HttpExchange send(HttpServlet servlet, Caller caller, String method, String pathInfo, String contentType,
            String requestBody) throws Exception {
        HttpExchange exchange = new HttpExchange();
        byte[] bytes = requestBody == null ? new byte[0] : requestBody.getBytes(StandardCharsets.UTF_8);
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getPathInfo()).thenReturn(pathInfo);
        when(request.getContentType()).thenReturn(contentType);
        when(request.getContentLengthLong()).thenReturn((long) bytes.length);
        when(request.getAttribute(PanaceaHttp.CALLER_ATTRIBUTE)).thenReturn(caller);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        when(request.getInputStream()).thenReturn(new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return in.read(buffer, offset, length);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        });
        HttpServletResponse response = mock(HttpServletResponse.class);
        doAnswer(call -> exchange.status = call.getArgument(0)).when(response).setStatus(anyInt());
        doAnswer(call -> exchange.headers.put(call.getArgument(0), call.getArgument(1))).when(response)
                .setHeader(anyString(), anyString());
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                exchange.body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        });
        servlet.service(request, response);
        return exchange;
    }

    JsonNode json() throws IOException {
        return new ObjectMapper().readTree(body.toByteArray());
    }

    String text() {
        return body.toString(StandardCharsets.UTF_8);
    }

    /** The diagnostics of an OperationOutcome's first issue. */
    String diagnostics() throws IOException {
        return json().path("issue").path(0).path("diagnostics").asText();
    }
}
