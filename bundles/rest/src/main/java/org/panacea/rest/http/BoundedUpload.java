package org.panacea.rest.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.servlet.http.HttpServletRequest;

/**
 * A request body read as a stream and stopped at a size limit, so an upload is never buffered whole and never
 * larger than the endpoint accepts. Past the limit (or when {@code Content-Length} already says so) reading throws
 * {@link PayloadTooLargeException}, which an endpoint answers with 413.
 */
public final class BoundedUpload extends FilterInputStream {

    private final long limit;
    private final String message;
    private long read;

    private BoundedUpload(InputStream in, long limit, String message) {
        super(in);
        this.limit = limit;
        this.message = message;
    }

    /**
     * The body of {@code request}, stopped after {@code limit} bytes.
     *
     * @param message what to tell the client when the body is too large
     * @throws PayloadTooLargeException when the declared length is already over the limit
     */
    public static InputStream of(HttpServletRequest request, long limit, String message) throws IOException {
        if (request.getContentLengthLong() > limit) {
            throw new PayloadTooLargeException(message);
        }
        return new BoundedUpload(request.getInputStream(), limit, message);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw new PayloadTooLargeException(message);
        }
    }
}
