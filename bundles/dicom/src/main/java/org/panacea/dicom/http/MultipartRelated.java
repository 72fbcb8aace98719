package org.panacea.dicom.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the parts of a {@code multipart/related} body (RFC 2387, as STOW-RS sends DICOM) one at a time, straight
 * from the request stream: each part is an {@link InputStream} that ends at the next boundary, so a study of many
 * instances is never held in memory.
 */
final class MultipartRelated {

    private final PushbackInputStream in;
    private final byte[] delimiter;
    private boolean finished;

    MultipartRelated(InputStream body, String boundary) throws IOException {
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.in = new PushbackInputStream(new java.io.BufferedInputStream(body, 64 * 1024), delimiter.length + 4);
        // The first boundary may open the body without a preceding CRLF.
        in.unread(new byte[] { '\r', '\n' });
        skipPreamble();
    }

    /** The boundary parameter of a Content-Type header, or null. */
    static String boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("boundary")) {
                String value = pair[1].strip();
                return value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    private void skipPreamble() throws IOException {
        // Reading the preamble to its end also consumes the first boundary line (see Part.read).
        new Part().transferTo(java.io.OutputStream.nullOutputStream());
    }

    /** After a delimiter: "--" ends the body, else the rest of the line is skipped. Returns false at the end. */
    private boolean afterDelimiter() throws IOException {
        int first = in.read();
        int second = in.read();
        if (first == '-' && second == '-') {
            return false;
        }
        if (first < 0) {
            throw new IOException("the multipart body ends inside a boundary line");
        }
        int previous = second;
        if (!(first == '\r' && second == '\n')) {
            int b;
            while ((b = in.read()) >= 0 && !(previous == '\r' && b == '\n')) {
                previous = b;
            }
        }
        return true;
    }

    /**
     * The next part, positioned after its headers (which are returned through {@code contentType[0]}), or null
     * when there is none.
     */
    InputStream next(String[] contentType) throws IOException {
        if (finished) {
            return null;
        }
        contentType[0] = null;
        StringBuilder line = new StringBuilder();
        int headerBytes = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the multipart body ends inside a part's headers");
            }
            if (++headerBytes > 16 * 1024) {
                throw new IOException("a part's headers are longer than 16 KiB");
            }
            if (b == '\n') {
                String header = line.toString().strip();
                if (header.isEmpty()) {
                    break;
                }
                if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                    contentType[0] = header.substring("content-type:".length()).strip();
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        return new Part();
    }

    /** One part's body: ends where the delimiter begins. */
    private final class Part extends InputStream {
        private boolean ended;

        @Override
        public int read() throws IOException {
            if (ended) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("the multipart body ends without its closing boundary");
            }
            if (b == delimiter[0]) {
                byte[] candidate = new byte[delimiter.length];
                candidate[0] = (byte) b;
                int n = 1;
                while (n < delimiter.length) {
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    candidate[n++] = (byte) next;
                    if (candidate[n - 1] != delimiter[n - 1]) {
                        break;
                    }
                }
                if (n == delimiter.length && candidate[n - 1] == delimiter[n - 1]) {
                    ended = true;
                    if (!afterDelimiter()) {
                        finished = true;
                    }
                    return -1;
                }
                in.unread(candidate, 1, n - 1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int count = 0;
            while (count < length) {
                int b = read();
                if (b < 0) {
                    return count == 0 ? -1 : count;
                }
                buffer[offset + count++] = (byte) b;
                if (in.available() == 0 && count > 0) {
                    break;
                }
            }
            return count;
        }

        @Override
        public void close() throws IOException {
            transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
