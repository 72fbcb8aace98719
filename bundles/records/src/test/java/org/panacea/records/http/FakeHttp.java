package org.panacea.records.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.panacea.api.security.Caller;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.rest.http.PanaceaHttp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Just enough of a servlet container for FhirServlet: a request whose body is produced as it is read (so a 60 MiB
 * upload costs the test nothing until someone reads it, and the test sees how much was read), and a response that
 * keeps status, headers and body. Plain proxies, so a call costs a few small objects and no mocking framework.
 */
public final class FakeHttp {

    private FakeHttp() {
    }

    /** A body of exactly {@code size} bytes made on demand from a head, a repeated unit and a tail. */
    public static final class StreamedBody extends ServletInputStream {
        private final byte[] head;
        private final byte[] unit;
        private final byte[] tail;
        private final long size;
        private final long tailStart;
        private long position;

        /** A FHIR JSON resource of {@code resourceType} padded to about {@code size} bytes with names. */
        public static StreamedBody resource(String resourceType, long size) {
            return new StreamedBody(("{\"resourceType\":\"" + resourceType + "\",\"name\":[").getBytes(
                    StandardCharsets.US_ASCII), "{\"family\":\"Padding\",\"given\":[\"Body\"]},".getBytes(
                            StandardCharsets.US_ASCII), "{\"family\":\"End\"}]}".getBytes(StandardCharsets.US_ASCII),
                    size);
        }

        /** Exactly {@code text}, as UTF-8. */
        public static StreamedBody of(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return new StreamedBody(bytes, new byte[] { ' ' }, new byte[0], bytes.length);
        }

        /** A transaction Bundle padded to about {@code size} bytes with Observation entries. */
        public static StreamedBody bundle(long size) {
            return new StreamedBody("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[".getBytes(
                    StandardCharsets.US_ASCII), ("{\"resource\":{\"resourceType\":\"Observation\",\"status\":"
                            + "\"final\"}},").getBytes(StandardCharsets.US_ASCII),
                    "{\"resource\":{\"resourceType\":\"Observation\"}}]}".getBytes(StandardCharsets.US_ASCII), size);
        }

        StreamedBody(byte[] head, byte[] unit, byte[] tail, long approximateSize) {
            this.head = head;
            this.unit = unit;
            this.tail = tail;
            long units = Math.max(0, (approximateSize - head.length - tail.length) / unit.length);
            this.size = head.length + units * unit.length + tail.length;
            this.tailStart = size - tail.length;
        }

        /** The exact length of the body. */
        public long size() {
            return size;
        }

        /** How many bytes have been read so far. */
        public long bytesRead() {
            return position;
        }

        private int byteAt(long at) {
            if (at < head.length) {
                return head[(int) at] & 0xff;
            }
            if (at >= tailStart) {
                return tail[(int) (at - tailStart)] & 0xff;
            }
            return unit[(int) ((at - head.length) % unit.length)] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) byteAt(position + i);
            }
            position += n;
            return n;
        }

        @Override
        public int read() {
            return position >= size ? -1 : byteAt(position++);
        }

        @Override
        public int read(byte[] buffer) {
            return read(buffer, 0, buffer.length);
        }

        @Override
        public boolean isFinished() {
            return position >= size;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }

    /** What the servlet answered. */
    public static final class Answer {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        public int status() {
            return status;
        }

        public String header(String name) {
            return headers.get(name);
        }

        public String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return FhirJson.parseObject(text());
        }

        /** The diagnostics of an OperationOutcome answer. */
        public String diagnostics() {
            return json().path("issue").path(0).path("diagnostics").asText();
        }
    }

    /**
     * A request to {@code /fhir{path}} by {@code caller}.
     *
     * @param body          the body, or null
     * @param contentLength the declared length, -1 for none (chunked)
     */
    public static HttpServletRequest request(Caller caller, String method, String path, String contentType,
            ServletInputStream body, long contentLength, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, called, args) -> switch (called.getName()) {
                    case "getPathInfo" -> path;
                    case "getMethod" -> method;
                    case "getAttribute" -> PanaceaHttp.CALLER_ATTRIBUTE.equals(args[0]) ? caller : null;
                    case "getContentType" -> contentType;
                    case "getContentLengthLong" -> contentLength;
                    case "getContentLength" -> (int) Math.min(Integer.MAX_VALUE, contentLength);
                    case "getInputStream" -> {
                        if (body == null) {
                            throw new IOException("no body");
                        }
                        yield body;
                    }
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getRequestURL" -> new StringBuffer("http://127.0.0.1:8181/fhir" + path);
                    case "getRequestURI" -> "/fhir" + path;
                    case "getParameterMap" -> Map.of();
                    case "getQueryString" -> null;
                    case "getProtocol" -> "HTTP/1.1";
                    case "toString" -> method + " /fhir" + path;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(called.getName());
                });
    }

    /** A response that keeps everything in {@code answer}. */
    public static HttpServletResponse response(Answer answer) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                answer.body.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                answer.body.write(bytes, offset, length);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] { HttpServletResponse.class }, (proxy, called, args) -> {
                    switch (called.getName()) {
                        case "setStatus" -> answer.status = (Integer) args[0];
                        case "setHeader", "addHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> answer.headers.put("Content-Type", (String) args[0]);
                        case "setCharacterEncoding", "setContentLength", "setContentLengthLong" -> {
                            // not needed by the tests
                        }
                        case "getOutputStream" -> {
                            return out;
                        }
                        case "isCommitted" -> {
                            return false;
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "toString" -> {
                            return "response";
                        }
                        default -> throw new UnsupportedOperationException(called.getName());
                    }
                    return null;
                });
    }
}
