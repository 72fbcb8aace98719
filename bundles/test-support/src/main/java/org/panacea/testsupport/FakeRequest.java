package org.panacea.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;

/**
 * Just enough of a servlet container's request for a servlet under test, built step by step: method, path info,
 * content type and length, headers (names ignoring case), request attributes (the authenticated caller, under the
 * attribute the HTTP context uses), query parameters and a {@link StreamedBody}. A plain proxy, so a request costs a
 * few small objects and no mocking framework; a method the fake does not answer throws
 * {@link UnsupportedOperationException} naming it, so a test never runs on an invented default.
 */
public final class FakeRequest {

    private final String method;
    private final String pathInfo;
    private String servletPath = "";
    private String contentType;
    private long contentLength = -1;
    private ServletInputStream body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private final Map<String, String[]> parameters = new LinkedHashMap<>();
    private String remoteAddress = "127.0.0.1";
    private String queryString;
    private final Set<String> called = ConcurrentHashMap.newKeySet();

    private FakeRequest(String method, String pathInfo) {
        this.method = method;
        this.pathInfo = pathInfo;
    }

    /** A {@code method} request to {@code pathInfo} (the path below the servlet; may be null), without a body. */
    public static FakeRequest of(String method, String pathInfo) {
        return new FakeRequest(method, pathInfo);
    }

    /** The servlet's own path, as {@code /fhir}; the request URI is it followed by the path info. */
    public FakeRequest servletPath(String path) {
        this.servletPath = path;
        return this;
    }

    public FakeRequest contentType(String type) {
        this.contentType = type;
        return this;
    }

    /** The body, with its length declared. */
    public FakeRequest body(StreamedBody streamed) {
        return body(streamed, streamed.size());
    }

    /** The body, with {@code declaredLength} declared ({@code -1}: none, as a chunked upload). */
    public FakeRequest body(ServletInputStream stream, long declaredLength) {
        this.body = stream;
        this.contentLength = declaredLength;
        return this;
    }

    /** Exactly {@code text} as UTF-8, its length declared. */
    public FakeRequest body(String text) {
        return body(StreamedBody.of(text));
    }

    /**
     * The body read from {@code in} as it is read, with {@code declaredLength} declared ({@code -1}: none, as a
     * chunked upload); it never reports itself finished, as a container that does not know the length.
     */
    public FakeRequest body(InputStream in, long declaredLength) {
        return body(new ServletInputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return in.read(buffer, offset, length);
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("blocking reads only");
            }
        }, declaredLength);
    }

    /**
     * The query string as sent (undecoded, without {@code ?}; null for none); its parameters are also the request's
     * parameters, decoded as a container decodes them.
     */
    public FakeRequest queryString(String query) {
        this.queryString = query;
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                String[] old = parameters.getOrDefault(name, new String[0]);
                String[] values = java.util.Arrays.copyOf(old, old.length + 1);
                values[old.length] = value;
                parameters.put(name, values);
            }
        }
        return this;
    }

    public FakeRequest header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    public FakeRequest headers(Map<String, String> all) {
        all.forEach(this::header);
        return this;
    }

    public FakeRequest attribute(String name, Object value) {
        attributes.put(name, value);
        return this;
    }

    public FakeRequest parameter(String name, String... values) {
        parameters.put(name, values.clone());
        return this;
    }

    public FakeRequest remoteAddress(String address) {
        this.remoteAddress = address;
        return this;
    }

    /**
     * {@code true} once a request this builder built has been asked {@code method} (by name, as
     * {@code "getInputStream"}), so a test can check that the servlet never touched the body.
     */
    public boolean wasCalled(String method) {
        return called.contains(method);
    }

    /** The request. */
    public HttpServletRequest build() {
        String uri = servletPath + (pathInfo == null ? "" : pathInfo);
        Map<String, String[]> parameterMap = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        Map<String, String> headerMap = Map.copyOf(headers);
        Map<String, Object> attributeMap = Collections.synchronizedMap(new LinkedHashMap<>(attributes));
        ServletInputStream in = body;
        long length = contentLength;
        String query = queryString;
        return (HttpServletRequest) Proxy.newProxyInstance(FakeRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, invoked, args) -> {
                    called.add(invoked.getName());
                    return answer(proxy, invoked.getName(), args, uri, parameterMap, headerMap, attributeMap, in,
                            length, query);
                });
    }

    private Object answer(Object proxy, String name, Object[] args, String uri, Map<String, String[]> parameterMap,
            Map<String, String> headerMap, Map<String, Object> attributeMap, ServletInputStream in, long length,
            String query) throws IOException {
        return switch (name) {
            case "getMethod" -> method;
            case "getPathInfo" -> pathInfo;
            case "getServletPath" -> servletPath;
            case "getContextPath" -> "";
            case "getRequestURI" -> uri;
            case "getRequestURL" -> new StringBuffer("http://127.0.0.1:8181" + uri);
            case "getQueryString" -> query;
            case "getProtocol" -> "HTTP/1.1";
            case "getScheme" -> "http";
            case "getRemoteAddr" -> remoteAddress;
            case "getContentType" -> contentType;
            case "getContentLengthLong" -> length;
            case "getContentLength" -> (int) Math.min(Integer.MAX_VALUE, length);
            case "getCharacterEncoding" -> null;
            case "getInputStream" -> {
                if (in == null) {
                    throw new IOException("the request has no body");
                }
                yield in;
            }
            case "getHeader" -> headerMap.get(((String) args[0]).toLowerCase(Locale.ROOT));
            case "getHeaders" -> {
                String value = headerMap.get(((String) args[0]).toLowerCase(Locale.ROOT));
                yield Collections.enumeration(value == null ? java.util.List.of() : java.util.List.of(value));
            }
            case "getHeaderNames" -> Collections.enumeration(headerMap.keySet());
            case "getAttribute" -> attributeMap.get((String) args[0]);
            case "setAttribute" -> {
                attributeMap.put((String) args[0], args[1]);
                yield null;
            }
            case "removeAttribute" -> {
                attributeMap.remove((String) args[0]);
                yield null;
            }
            case "getParameter" -> {
                String[] values = parameterMap.get((String) args[0]);
                yield values == null || values.length == 0 ? null : values[0];
            }
            case "getParameterValues" -> {
                String[] values = parameterMap.get((String) args[0]);
                yield values == null ? null : values.clone();
            }
            case "getParameterMap" -> parameterMap;
            case "getParameterNames" -> Collections.enumeration(parameterMap.keySet());
            case "toString" -> method + " " + uri + (query == null ? "" : "?" + query);
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException("the fake request has no " + name);
        };
    }
}
