package org.panacea.analysis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV table an analysis reads from a stream it does not trust (an upload, a file of the import folder): a header
 * row, comma-separated, UTF-8 (a leading byte-order mark is ignored); a field may be quoted with {@code "} and then
 * hold commas and doubled quotes ({@code ""}); a record ends at the end of its line. An empty field or {@code NA} is
 * missing. Only the columns asked for are kept.
 * <p>
 * The {@link TableLimits} are counted as the characters arrive: a line is cut off at its limit, the header at its
 * column limit, the table at its line limit, each with a {@link TableTooLargeException}. No error message repeats
 * the table's text: each names a line, a column (by the name the request gave, or by position) and the rule broken,
 * so that a table that is not what it was said to be (a server file named by mistake, or on purpose) is not shown to
 * whoever named it.
 */
public final class Table {

    private final Map<String, String[]> columns;
    private final int[] lines;

    private Table(Map<String, String[]> columns, int[] lines) {
        this.columns = columns;
        this.lines = lines;
    }

    /**
     * Reads the columns named in {@code wanted}, in that order, and skips the others as it goes.
     *
     * @throws TableTooLargeException   when the table exceeds one of {@code limits}
     * @throws IllegalArgumentException when a wanted column is not in the header, the header names a column twice, a
     *                                  line has more fields than the header, a quote is malformed, or the bytes are
     *                                  not UTF-8
     * @throws IOException              when the stream fails
     */
    public static Table read(InputStream in, Collection<String> wanted, TableLimits limits) throws IOException {
        Lines source = new Lines(in, limits);
        String header = source.next();
        if (header == null) {
            throw new IllegalArgumentException("the table is empty: it needs a header row naming its columns");
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        List<String> names = split(header, 1, limits.maxColumns(), limits);
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer earlier = position.putIfAbsent(names.get(i), i);
            if (earlier != null) {
                throw new IllegalArgumentException("line 1: columns " + (earlier + 1) + " and " + (i + 1)
                        + " of the header have the same name");
            }
        }
        List<String> kept = new ArrayList<>();
        for (String name : wanted) {
            if (!position.containsKey(name)) {
                throw new IllegalArgumentException("no column '" + name + "' in the table's header (line 1, "
                        + names.size() + (names.size() == 1 ? " column)" : " columns)"));
            }
            if (!kept.contains(name)) {
                kept.add(name);
            }
        }
        int[] from = kept.stream().mapToInt(position::get).toArray();
        List<List<String>> values = new ArrayList<>();
        for (int k = 0; k < from.length; k++) {
            values.add(new ArrayList<>());
        }
        int[] lineOf = new int[1024];
        int rows = 0;
        String line;
        while ((line = source.next()) != null) {
            if (source.number() - 1 > limits.maxRows()) {
                throw limits.rows();
            }
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = split(line, source.number(), names.size(), null);
            for (int k = 0; k < from.length; k++) {
                values.get(k).add(from[k] < fields.size() ? fields.get(from[k]) : "");
            }
            if (rows == lineOf.length) {
                lineOf = Arrays.copyOf(lineOf, rows * 2);
            }
            lineOf[rows++] = source.number();
        }
        Map<String, String[]> columns = new LinkedHashMap<>();
        for (int k = 0; k < from.length; k++) {
            columns.put(kept.get(k), values.get(k).toArray(String[]::new));
        }
        return new Table(columns, Arrays.copyOf(lineOf, rows));
    }

    /**
     * The fields of one record: unquoted ones stripped of surrounding blanks, quoted ones as written.
     *
     * @param most   the most fields the line may have
     * @param limits the limits when {@code most} is the column limit (the header), {@code null} for a record, whose
     *               fields may not outnumber the header's
     */
    private static List<String> split(String line, int lineNumber, int most, TableLimits limits) {
        List<String> fields = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (true) {
            if (fields.size() == most) {
                if (limits != null) {
                    throw limits.columns();
                }
                throw new IllegalArgumentException("line " + lineNumber + " has more fields than the header's " + most
                        + " (an unquoted comma?)");
            }
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder field = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("line " + lineNumber + ", field " + (fields.size() + 1)
                                + ": a quoted field is not closed");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < n && line.charAt(i) != ',') {
                    if (!Character.isWhitespace(line.charAt(i))) {
                        throw new IllegalArgumentException("line " + lineNumber + ", field " + (fields.size() + 1)
                                + ": text after a closing quote");
                    }
                    i++;
                }
                fields.add(field.toString());
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                fields.add(line.substring(i, end).strip());
                i = end;
            }
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }

    public int rows() {
        return lines.length;
    }

    /** The names of the columns read, in the order asked for. */
    public List<String> names() {
        return List.copyOf(columns.keySet());
    }

    /** The line of the table that row {@code row} (from 0) came from, counting the header as line 1. */
    public int line(int row) {
        return lines[row];
    }

    /** The column's values as text, empty where missing; a copy. */
    public String[] text(String name) {
        String[] copy = raw(name).clone();
        for (int r = 0; r < copy.length; r++) {
            copy[r] = copy[r].equals("NA") ? "" : copy[r];
        }
        return copy;
    }

    /**
     * The column's values as numbers, {@code NaN} where missing; a copy.
     *
     * @throws IllegalArgumentException naming the line and column of the first value that is not a number
     */
    public double[] column(String name) {
        String[] text = raw(name);
        double[] column = new double[text.length];
        for (int r = 0; r < column.length; r++) {
            String value = text[r];
            if (value.isEmpty() || value.equals("NA")) {
                column[r] = Double.NaN;
                continue;
            }
            try {
                column[r] = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                // Not e, whose message quotes the value.
                throw new IllegalArgumentException("line " + lines[r] + ", column '" + name + "': not a number");
            }
        }
        return column;
    }

    private String[] raw(String name) {
        String[] column = columns.get(name);
        if (column == null) {
            throw new IllegalArgumentException("column '" + name + "' was not read from the table");
        }
        return column;
    }

    /**
     * The lines of a UTF-8 byte stream, each refused once it is longer than the limit allows, as it is read: a line
     * ends at {@code \n}, {@code \r\n} or {@code \r}. Decoded here rather than by a {@code Reader}, so that bytes
     * that are not UTF-8 are reported on the line that holds them.
     */
    private static final class Lines {

        private final InputStream in;
        private final TableLimits limits;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final byte[] byteArray = new byte[8192];
        /** Undecoded bytes, ready to read. */
        private final ByteBuffer bytes = ByteBuffer.wrap(byteArray).limit(0);
        private final char[] buffer = new char[8192];
        private final CharBuffer chars = CharBuffer.wrap(buffer);
        private final StringBuilder line = new StringBuilder();
        private int position;
        private int limit;
        private int number;
        private boolean skipNewline;
        private boolean ended;
        private boolean flushed;
        private boolean malformed;

        Lines(InputStream in, TableLimits limits) {
            this.in = in;
            this.limits = limits;
        }

        /** The number of the line {@link #next} returned last, from 1. */
        int number() {
            return number;
        }

        /** The next line without its end, or {@code null} at the end of the stream. */
        String next() throws IOException {
            line.setLength(0);
            while (true) {
                if (position == limit && !fill()) {
                    if (line.length() == 0) {
                        return null;
                    }
                    number++;
                    return line.toString();
                }
                if (skipNewline) {
                    skipNewline = false;
                    if (buffer[position] == '\n') {
                        position++;
                        continue;
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                    position++;
                }
                if (line.length() + position - start > limits.maxLineCharacters()) {
                    throw limits.line(number + 1);
                }
                line.append(buffer, start, position - start);
                if (position < limit) {
                    skipNewline = buffer[position] == '\r';
                    position++;
                    number++;
                    return line.toString();
                }
            }
        }

        /**
         * Decodes the next characters into the buffer; {@code false} at the end of the stream. The characters before
         * bytes that are not UTF-8 are handed over first, and the error is raised at the next fill, on their line.
         */
        private boolean fill() throws IOException {
            if (malformed) {
                throw notUtf8();
            }
            if (flushed) {
                return false;
            }
            chars.clear();
            while (true) {
                CoderResult result = decoder.decode(bytes, chars, ended);
                if (result.isError()) {
                    malformed = true;
                    if (chars.position() > 0) {
                        break;
                    }
                    throw notUtf8();
                }
                if (result.isOverflow() || chars.position() > 0) {
                    break;
                }
                if (ended) {
                    decoder.flush(chars);
                    flushed = true;
                    break;
                }
                bytes.compact();
                int n = in.read(byteArray, bytes.position(), bytes.remaining());
                if (n < 0) {
                    ended = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
            position = 0;
            limit = chars.position();
            return limit > 0;
        }

        private IllegalArgumentException notUtf8() {
            return new IllegalArgumentException("line " + (number + 1) + ": not UTF-8 text (the table must be UTF-8)");
        }
    }
}
