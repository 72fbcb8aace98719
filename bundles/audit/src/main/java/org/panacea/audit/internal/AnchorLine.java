package org.panacea.audit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One line of a node's anchor file: {@code <index> <kind> <sequence> <hash> <time> <attributes> <seal>}, e.g.
 * {@code 7 checkpoint 2000 3fa1...(64 hex) 2026-12-07T10:00:00.123456Z - 9c2e...(64 hex)}.
 *
 * <p>The seal is an HMAC under the audit key over the node's name, the line's index and every field, and over the seal
 * of the line before it (the empty string for line 1). So a line cannot be edited, a line moved from another node's
 * file, nor a line removed from the middle, without the key. Attributes are {@code key=value} pairs separated by
 * commas, sorted by key, values percent-encoded (UTF-8), {@code -} when there are none.
 *
 * @param node       the node that wrote the line (its file is {@code <node>.anchors})
 * @param index      1 for the first line of the file, then consecutive
 * @param kind       what the line states
 * @param sequence   the entry it names, 0 for {@link AnchorKind#LOST}
 * @param hash       that entry's hex hash; 64 zeros for {@link AnchorKind#LOST}
 * @param time       when the line was written
 * @param attributes further facts of the kind (reason, counts, source), sorted by key, never {@code null}
 * @param seal       hex HMAC-SHA256, see above
 */
public record AnchorLine(String node, long index, AnchorKind kind, long sequence, String hash, Instant time,
        SortedMap<String, String> attributes, String seal) {

    private static final String DOMAIN = "panacea-audit-anchor-v1";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KEY = Pattern.compile("[a-z]{1,32}");
    private static final int FIELDS = 7;

    public AnchorLine {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(time, "time");
        attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        attributes.keySet().forEach(key -> {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("anchor attribute names are 1 to 32 lower-case letters: " + key);
            }
        });
    }

    /** The line that follows {@code previousSeal} in {@code node}'s file, sealed by {@code sealer}. */
    static AnchorLine seal(CheckpointSealer sealer, String node, long index, AnchorKind kind, long sequence,
            String hash, Instant time, Map<String, String> attributes, String previousSeal) {
        AnchorLine unsealed = new AnchorLine(node, index, kind, sequence, hash, time, new TreeMap<>(attributes), "");
        return unsealed.withSeal(sealer.macOf(unsealed.sealedBytes(previousSeal)));
    }

    /** {@code true} when the seal is the one the key gives this line after {@code previousSeal}. */
    boolean isSealedAfter(CheckpointSealer sealer, String previousSeal) {
        return sealer.isValidMac(sealedBytes(previousSeal), seal);
    }

    /** The line as written to the file, without line terminator. */
    String format() {
        return index + " " + kind.word() + " " + sequence + " " + hash + " " + time + " " + formatAttributes() + " "
                + seal;
    }

    /** What the lines of this kind state in words, for reports: {@code entry 42 (head, anchored ... on node-a)}. */
    String describe() {
        return "entry " + sequence + " (" + kind.word() + " anchor of " + time + " on " + node + ", line " + index
                + ")";
    }

    /**
     * Reads a line of {@code node}'s file. Only the form is checked here; whether the seal holds is
     * {@link #isSealedAfter}.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    static AnchorLine parse(String node, String line) {
        String[] fields = line.split(" ", -1);
        if (fields.length != FIELDS) {
            throw new IllegalArgumentException("it has " + fields.length + " fields, not " + FIELDS);
        }
        long index = number(fields[0], "index", 1);
        AnchorKind kind = AnchorKind.fromWord(fields[1]);
        long sequence = number(fields[2], "sequence", 0);
        String hash = hex(fields[3], "hash");
        Instant time;
        try {
            time = Instant.parse(fields[4]);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("its time '" + fields[4] + "' is not an ISO-8601 instant", e);
        }
        return new AnchorLine(node, index, kind, sequence, hash, time, parseAttributes(fields[5]),
                hex(fields[6], "seal"));
    }

    private AnchorLine withSeal(String newSeal) {
        return new AnchorLine(node, index, kind, sequence, hash, time, attributes, newSeal);
    }

    /** The exact bytes the seal covers: values, not their spelling, so one instant has one encoding. */
    private byte[] sealedBytes(String previousSeal) {
        CanonicalEncoding encoding = new CanonicalEncoding().text(DOMAIN).text(node).number(index).text(kind.word())
                .number(sequence).text(hash).instant(time).number(attributes.size());
        attributes.forEach((key, value) -> encoding.text(key).text(value));
        return encoding.text(previousSeal).toByteArray();
    }

    private String formatAttributes() {
        if (attributes.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        attributes.forEach((key, value) -> text.append(text.length() == 0 ? "" : ",").append(key).append('=')
                .append(percentEncode(value)));
        return text.toString();
    }

    private static SortedMap<String, String> parseAttributes(String text) {
        SortedMap<String, String> attributes = new TreeMap<>();
        if (text.equals("-")) {
            return attributes;
        }
        for (String pair : text.split(",", -1)) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("its attribute '" + pair + "' is not key=value");
            }
            attributes.put(pair.substring(0, equals), percentDecode(pair.substring(equals + 1)));
        }
        return attributes;
    }

    /** Keeps letters, digits and {@code -._~:@/}; everything else (spaces, commas, '=', '%') as %XX of UTF-8. */
    static String percentEncode(String value) {
        StringBuilder encoded = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 128 && (Character.isLetterOrDigit(c) || "-._~:@/".indexOf(c) >= 0)) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return encoded.toString();
    }

    private static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("its attribute value '" + text + "' ends inside an escape");
                }
                bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 2;
            } else if (c < 128) {
                bytes.write(c);
            } else {
                throw new IllegalArgumentException("its attribute value '" + text + "' is not percent-encoded");
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static long number(String text, String field, long least) {
        try {
            long value = Long.parseLong(text);
            if (value >= least && text.equals(Long.toString(value))) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("its " + field + " '" + text + "' is not a number of at least " + least);
    }

    private static String hex(String text, String field) {
        if (!HEX64.matcher(text).matches()) {
            throw new IllegalArgumentException("its " + field + " is not 64 lower-case hex digits");
        }
        return text;
    }
}
