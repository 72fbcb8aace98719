package org.panacea.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletResponse;

/**
 * What a servlet under test answered: the status (200 unless set), the headers (names ignoring case; the content
 * type set with {@code setContentType} is the {@code Content-Type} header) and the body, whether written through the
 * output stream or the writer. {@link #response()} is the response to hand the servlet: a plain proxy that throws
 * {@link UnsupportedOperationException} for what it does not answer. {@link #statusesSet()} and {@link #sentErrors()}
 * tell exactly what the servlet called; {@code sendError} also sets the status, and its message is kept as the body.
 */
public final class FakeResponse {

    private int status = 200;
    private final List<Integer> statusesSet = new ArrayList<>();
    private final List<SentError> sentErrors = new ArrayList<>();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean committed;
    private String characterEncoding;
    private PrintWriter writer;

    private final ServletOutputStream out = new ServletOutputStream() {
        @Override
        public void write(int b) {
            synchronized (FakeResponse.this) {
                committed = true;
                body.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (FakeResponse.this) {
                committed = true;
                body.write(bytes, offset, length);
            }
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException("blocking writes only");
        }
    };

    private final HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
            FakeResponse.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (proxy, called, args) -> {
                synchronized (this) {
                    switch (called.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            statusesSet.add(status);
                        }
                        case "getStatus" -> {
                            return status;
                        }
                        case "sendError" -> {
                            status = (Integer) args[0];
                            sentErrors.add(new SentError(status, args.length > 1 ? (String) args[1] : null));
                            if (args.length > 1 && args[1] != null) {
                                body.writeBytes(((String) args[1]).getBytes(StandardCharsets.UTF_8));
                            }
                            committed = true;
                        }
                        case "setHeader" -> headers.put(key((String) args[0]),
                                new ArrayList<>(List.of((String) args[1])));
                        case "addHeader" -> headers.computeIfAbsent(key((String) args[0]), k -> new ArrayList<>())
                                .add((String) args[1]);
                        case "setIntHeader" -> headers.put(key((String) args[0]),
                                new ArrayList<>(List.of(String.valueOf(args[1]))));
                        case "containsHeader" -> {
                            return headers.containsKey(key((String) args[0]));
                        }
                        case "getHeader" -> {
                            return header((String) args[0]);
                        }
                        case "setContentType" -> headers.put(key("Content-Type"),
                                new ArrayList<>(List.of((String) args[0])));
                        case "getContentType" -> {
                            return header("Content-Type");
                        }
                        case "setContentLength", "setContentLengthLong" -> headers.put(key("Content-Length"),
                                new ArrayList<>(List.of(String.valueOf(args[0]))));
                        case "setCharacterEncoding" -> characterEncoding = (String) args[0];
                        case "setBufferSize", "flushBuffer", "setLocale" -> {
                            // no effect on what the test checks
                        }
                        case "getCharacterEncoding" -> {
                            return characterEncoding == null ? "UTF-8" : characterEncoding;
                        }
                        case "getOutputStream" -> {
                            return out;
                        }
                        case "getWriter" -> {
                            if (writer == null) {
                                writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
                            }
                            return writer;
                        }
                        case "isCommitted" -> {
                            return committed;
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "toString" -> {
                            return "response " + status;
                        }
                        default -> throw new UnsupportedOperationException(
                                "the fake response has no " + called.getName());
                    }
                    return null;
                }
            });

    /** The response to hand the servlet. */
    public HttpServletResponse response() {
        return response;
    }

    public synchronized int status() {
        return status;
    }

    /** A {@code sendError} call: the status and the message (null when the servlet gave none). */
    public record SentError(int status, String message) {
    }

    /** Every status the servlet set with {@code setStatus}, in order: empty for none. */
    public synchronized List<Integer> statusesSet() {
        return List.copyOf(statusesSet);
    }

    /** The character encoding the servlet set with {@code setCharacterEncoding}, or null when it set none. */
    public synchronized String characterEncoding() {
        return characterEncoding;
    }

    /** Every {@code sendError} call, in order: empty for none. */
    public synchronized List<SentError> sentErrors() {
        return List.copyOf(sentErrors);
    }

    /** The last value set for header {@code name}, or null. */
    public synchronized String header(String name) {
        List<String> values = headers.get(key(name));
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** Every value of header {@code name}, in the order set. */
    public synchronized List<String> headers(String name) {
        return List.copyOf(headers.getOrDefault(key(name), List.of()));
    }

    /** The body's bytes so far (flushing a writer first). */
    public synchronized byte[] bytes() {
        if (writer != null) {
            writer.flush();
        }
        return body.toByteArray();
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
