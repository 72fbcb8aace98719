package org.panacea.records.internal.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ResourceDeletedException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.StoredResource;
import org.panacea.api.records.ValidationIssue;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Operation;
import org.panacea.records.internal.RecordAudit;
import org.panacea.records.internal.ResourceStore;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.ResourceStore.Draft;
import org.panacea.records.internal.Transactions;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.store.ResourceRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * FHIR Binary: a clinical document's content (a PDF discharge letter, a scanned consent) stored as image pixel data
 * is. The bytes are sealed in 1 MiB chunks as they arrive ({@link ChunkWriter}, each chunk bound to the Binary's id
 * and its position) and read back one chunk at a time ({@link ChunkReader}); they are never held whole and never in
 * clear at rest. The Binary itself is a resource row of type {@code Binary}, sealed and bound to its row like every
 * resource (see {@code Sealed}), linked to the patient its {@code securityContext} names: a FHIR Binary without
 * {@code data}, whose {@code meta} carries the content's size, chunk count and SHA-256 in the extension
 * {@link #CONTENT_EXTENSION}. Chunks and row are written in one transaction, audited before it commits.
 * <p>
 * Reads check the content against that SHA-256 as it streams, and the last bytes are handed over only once the check
 * has passed: a reader that declared the length never mistakes altered content for the whole document. A Binary is
 * never changed in place (a corrected document is a new Binary); deleting it removes its chunks.
 * <p>
 * The access policy decides on type {@code Binary} before anything is read; callers that receive an upload decide it
 * before they open the body too.
 */
public final class BinaryStore {

    /** The FHIR type, the policy's type and the rows' type. */
    public static final String TYPE = "Binary";
    /** Where the sealed description of a Binary keeps what is known of its content. */
    public static final String CONTENT_EXTENSION = "https://panacea.org/fhir/StructureDefinition/binary-content";

    private static final Logger LOG = LoggerFactory.getLogger(BinaryStore.class);
    private static final Pattern PATIENT = Pattern.compile("Patient/([A-Za-z0-9\\-.]{1,64})");
    /** type/subtype and parameters (RFC 9110 tokens, quoted values without line breaks): safe to send back. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9!#$&^_.+\\-]{0,126})/"
            + "([A-Za-z0-9][A-Za-z0-9!#$&^_.+\\-]{0,126})((?:[ \\t]*;[ \\t]*[A-Za-z0-9!#$&^_.+\\-]{1,64}="
            + "(?:[A-Za-z0-9!#$&^_.+\\-]{1,128}|\"[^\"\\\\\\r\\n\\x00]{0,128}\"))*)[ \\t]*");
    /** FHIR says base64; padding is not always sent. */
    private static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS
            .withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);
    private static final Set<String> FHIR_JSON_ELEMENTS = Set.of("resourceType", "id", "meta", "contentType",
            "securityContext", "data");
    /** What a client may say in a Binary's meta; the server keeps none of it, as for any create. */
    private static final Set<String> IGNORED_META = Set.of("versionId", "lastUpdated", "source", "profile");

    private final Transactions transactions;
    private final FieldEncryption encryption;
    private final AccessPolicy policy;
    private final RecordAudit audit;
    private final ResourceStore resources;
    private final CareRelationshipAccess care;

    public BinaryStore(Transactions transactions, FieldEncryption encryption, AccessPolicy policy,
            CareRelationshipAccess care, RecordAudit audit, ResourceStore resources) {
        this.care = care;
        this.transactions = transactions;
        this.encryption = encryption;
        this.policy = policy;
        this.audit = audit;
        this.resources = resources;
    }

    /**
     * A stored Binary as its sealed description tells it.
     *
     * @param sha256 the content's SHA-256, base64 (as FHIR writes Attachment.hash)
     */
    public record Description(String id, long versionId, Instant lastUpdated, String contentType, String patientId,
            long size, String sha256) {

        /** FHIR's securityContext: the patient the content belongs to (null for none, see {@link #read}). */
        public String securityContext() {
            return patientId == null ? null : "Patient/" + patientId;
        }
    }

    /** Receives a Binary's content, inside the read that opened it. */
    @FunctionalInterface
    public interface ContentSink {
        /**
         * @param content the bytes, checked as they stream; a failed check throws {@link DecryptionException} from
         *                {@code read}, before the last bytes are returned
         */
        void accept(Description binary, InputStream content) throws IOException;
    }

    // ---------------------------------------------------------------------------------------------------- create

    /**
     * Stores {@code content} (raw bytes of {@code contentType}) as a new Binary of the patient that
     * {@code securityContext} ({@code Patient/{id}}) names. The type, the reference and the patient are checked
     * before the first byte is read; a stream that fails (over its size limit, cut off) leaves nothing behind.
     */
    public Description create(Caller caller, String contentType, String securityContext, InputStream content) {
        policy.require(caller, Operation.CREATE, TYPE);
        String id = resources.newId();
        String mediaType = refusedUnless(caller, id, () -> mediaType(contentType));
        String patientId = refusedUnless(caller, id, () -> patientOf(securityContext, "X-Security-Context"));
        return store(caller, id, em -> {
            requirePatient(em, caller, id, patientId);
            Content stored = new Content(em, id);
            try {
                content.transferTo(stored);
            } catch (IOException e) {
                throw new UncheckedIOException("the upload could not be read: " + e.getMessage(), e);
            }
            return stored.finish(caller, mediaType, patientId);
        });
    }

    /**
     * Stores a FHIR Binary resource read from {@code json} as it streams ({@code data} is decoded from base64 into
     * the chunks, never held whole). {@code securityContextHeader} is the {@code X-Security-Context} header, if any:
     * it may stand in for the resource's {@code securityContext}, and must agree with it when both are given.
     */
    public Description create(Caller caller, InputStream json, String securityContextHeader) {
        policy.require(caller, Operation.CREATE, TYPE);
        String id = resources.newId();
        return store(caller, id, em -> {
            Content stored = new Content(em, id);
            ParsedBinary parsed = refusedUnless(caller, id, () -> parse(json, stored));
            String contentType = refusedUnless(caller, id, () -> {
                if (parsed.contentType == null) {
                    throw invalid("Binary.contentType", "is required: the media type of data, e.g. application/pdf");
                }
                return mediaType(parsed.contentType);
            });
            String patientId = refusedUnless(caller, id, () -> {
                if (parsed.securityContext != null && securityContextHeader != null
                        && !parsed.securityContext.equals(securityContextHeader.strip())) {
                    throw invalid("Binary.securityContext", "differs from the X-Security-Context header; send one "
                            + "patient");
                }
                return patientOf(parsed.securityContext != null ? parsed.securityContext : securityContextHeader,
                        "Binary.securityContext");
            });
            requirePatient(em, caller, id, patientId);
            return stored.finish(caller, contentType, patientId);
        });
    }

    /** Runs a create in one transaction; a commit that fails after the audit entry is recorded as failed. */
    private Description store(Caller caller, String id, Transactions.Work<Description> work) {
        return transactions.inTransaction(work, (stored, failure) -> resources.commitFailed(caller,
                AuditAction.CREATE, TYPE, id, stored.patientId(), failure, () -> new VersionConflictException(TYPE,
                        id, 0, 0)));
    }

    /** The upload's bytes as they arrive: sealed into chunks and hashed, byte for byte. */
    private final class Content extends OutputStream {
        private final EntityManager em;
        private final String id;
        private final ChunkWriter chunks;
        private final MessageDigest sha256 = sha256();

        Content(EntityManager em, String id) {
            this.em = em;
            this.id = id;
            this.chunks = new ChunkWriter(encryption, em, id);
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            sha256.update(data, offset, length);
            chunks.write(data, offset, length);
        }

        /** Writes the last chunk and the sealed description, and audits the create (before the commit). */
        Description finish(Caller caller, String contentType, String patientId) {
            if (chunks.bytes() == 0) {
                throw refused(caller, id, invalid("Binary.data", "is empty: send the document's bytes"));
            }
            chunks.finish();
            String hash = Base64.getEncoder().encodeToString(sha256.digest());
            ObjectNode binary = FhirJson.MAPPER.createObjectNode();
            binary.put("resourceType", TYPE);
            binary.put("id", id);
            ObjectNode content = binary.putObject("meta").putArray("extension").addObject();
            content.put("url", CONTENT_EXTENSION);
            var parts = content.putArray("extension");
            parts.addObject().put("url", "size").put("valueDecimal", chunks.bytes());
            parts.addObject().put("url", "chunks").put("valueInteger", chunks.count());
            parts.addObject().put("url", "sha256").put("valueBase64Binary", hash);
            binary.put("contentType", contentType);
            binary.putObject("securityContext").put("reference", "Patient/" + patientId);
            // Not through prepare: a Binary is not validated as a modelled type, and its patient is the one checked
            // above, not one found by searching the JSON.
            Draft draft = new Draft(TYPE, id, binary, false, patientId, SearchParameters.extract(TYPE, binary),
                    Set.of());
            resources.write(em, draft, null, Set.of());
            em.flush();
            ResourceRow row = em.find(ResourceRow.class, id);
            audit.record(caller, AuditAction.CREATE, TYPE, id, patientId, AuditOutcome.SUCCESS, "version "
                    + row.versionId() + ", content " + contentType + ", " + chunks.bytes() + " bytes in "
                    + chunks.count() + " sealed chunk(s)");
            return new Description(id, row.versionId(), Instant.ofEpochMilli(row.lastUpdatedMillis()), contentType,
                    patientId, chunks.bytes(), hash);
        }
    }

    /** The parts of a FHIR Binary resource other than its data, which went into the chunks as it was read. */
    private static final class ParsedBinary {
        String contentType;
        String securityContext;
        boolean data;
    }

    private static ParsedBinary parse(InputStream json, Content content) {
        ParsedBinary parsed = new ParsedBinary();
        try (JsonParser parser = FhirJson.MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw FhirJson.malformed("expected a FHIR Binary resource as a JSON object" + at(parser));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!FHIR_JSON_ELEMENTS.contains(name)) {
                    throw invalid("Binary." + name, "is not an element Panacea keeps on a Binary (contentType, "
                            + "securityContext, data)");
                }
                switch (name) {
                    case "resourceType" -> {
                        if (value != JsonToken.VALUE_STRING || !TYPE.equals(parser.getText())) {
                            throw invalid("resourceType", "must be Binary at /fhir/Binary");
                        }
                    }
                    case "id" -> parser.skipChildren(); // a create is given its id by the server
                    case "meta" -> meta(tree(parser));
                    case "contentType" -> parsed.contentType = text(parser, value, "Binary.contentType");
                    case "securityContext" -> {
                        JsonNode reference = tree(parser);
                        if (reference == null || !reference.isObject() || !reference.path("reference").isTextual()) {
                            throw invalid("Binary.securityContext", "must be a reference to the patient, e.g. "
                                    + "{\"reference\": \"Patient/123\"}");
                        }
                        parsed.securityContext = reference.get("reference").asText().strip();
                    }
                    default -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw invalid("Binary.data", "must be base64 text");
                        }
                        try {
                            parser.readBinaryValue(BASE64, content);
                        } catch (StreamConstraintsException e) {
                            throw e;
                        } catch (JsonProcessingException | IllegalArgumentException e) {
                            // Jackson reports a character outside the alphabet as an IllegalArgumentException.
                            throw invalid("Binary.data", "must be base64" + at(parser));
                        }
                        parsed.data = true;
                    }
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw FhirJson.malformed("expected one JSON object" + at(parser));
            }
        } catch (StreamConstraintsException e) {
            throw new FhirJson.LimitExceededException("$", "the JSON is over a limit" + at(e) + ": objects nested "
                    + "deeper than " + FhirJson.MAX_NESTING_DEPTH + " levels or a value longer than the limits of "
                    + "FHIR JSON");
        } catch (JsonProcessingException e) {
            // Named by place only: the message never repeats what was sent.
            throw FhirJson.malformed("malformed JSON" + at(e));
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read: " + e.getMessage(), e);
        }
        if (!parsed.data) {
            throw invalid("Binary.data", "is required: the document's bytes, base64");
        }
        return parsed;
    }

    /** The value at the parser, as a tree; the rest of the object stays to be read. */
    private static JsonNode tree(JsonParser parser) throws IOException {
        return FhirJson.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(parser);
    }

    private static void meta(JsonNode meta) {
        if (meta == null || !meta.isObject()) {
            throw invalid("Binary.meta", "must be an object");
        }
        meta.fieldNames().forEachRemaining(name -> {
            if (!IGNORED_META.contains(name)) {
                // Labels the server would silently drop are worse than a refusal.
                throw invalid("Binary.meta." + name, "is not kept on a Binary; label the DocumentReference that "
                        + "points to it");
            }
        });
    }

    private static String text(JsonParser parser, JsonToken value, String path) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw invalid(path, "must be text");
        }
        return parser.getText();
    }

    private static String at(JsonParser parser) {
        var where = parser.currentLocation();
        return where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    private static String at(JsonProcessingException e) {
        var where = e.getLocation();
        return where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    /** A media type fit to be stored and sent back as a Content-Type: lower-case type and subtype. */
    private static String mediaType(String contentType) {
        Matcher matcher = contentType == null ? null : MEDIA_TYPE.matcher(contentType.strip());
        if (matcher == null || !matcher.matches()) {
            throw invalid("Binary.contentType", "must be a media type such as application/pdf");
        }
        return matcher.group(1).toLowerCase(Locale.ROOT) + "/" + matcher.group(2).toLowerCase(Locale.ROOT)
                + matcher.group(3).strip();
    }

    /** The patient id of a {@code Patient/{id}} reference. */
    private static String patientOf(String securityContext, String where) {
        if (securityContext == null || securityContext.isBlank()) {
            throw invalid("Binary.securityContext", "is required: the patient the document belongs to, as "
                    + "X-Security-Context: Patient/{id} or the resource's securityContext");
        }
        Matcher matcher = PATIENT.matcher(securityContext.strip());
        if (!matcher.matches()) {
            throw invalid("Binary.securityContext", where + " must name the patient as Patient/{id}");
        }
        return matcher.group(1);
    }

    private void requirePatient(EntityManager em, Caller caller, String id, String patientId) {
        Long found = em.createQuery("SELECT COUNT(r) FROM ResourceRow r WHERE r.id = :id AND r.resourceType = "
                + "'Patient'", Long.class).setParameter("id", patientId).getSingleResult();
        if (found == 0) {
            throw refused(caller, id, invalid("Binary.securityContext", "Patient/" + patientId + " does not exist"));
        }
        care.require(em, caller, patientId, TYPE, id);
    }

    private <T> T refusedUnless(Caller caller, String id, Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidResourceException e) {
            throw refused(caller, id, e);
        }
    }

    /** A refused create, audited as a failure as every refused write is. */
    private InvalidResourceException refused(Caller caller, String id, InvalidResourceException e) {
        if (!(e instanceof FhirJson.MalformedJsonException)) {
            audit.record(caller, AuditAction.CREATE, TYPE, id, "", AuditOutcome.FAILURE, "refused: "
                    + e.issues().get(0).path() + " " + e.issues().get(0).message());
        }
        return e;
    }

    private static InvalidResourceException invalid(String path, String message) {
        return new InvalidResourceException(List.of(new ValidationIssue(path, message)));
    }

    // ------------------------------------------------------------------------------------------------------ read

    /**
     * Hands {@code sink} the content of Binary {@code id} ({@code version} 0 for the current one; a Binary has no
     * other), audited as a READ of its patient before the first byte. A Binary that arrived inside a transaction
     * Bundle was kept as an opaque resource with its data inline (and perhaps without a patient): it is served from
     * there.
     *
     * @throws ResourceDeletedException  when it was deleted
     * @throws ResourceNotFoundException when there is no such Binary or version
     * @throws DecryptionException       when its description or content fails its integrity check
     */
    public void read(Caller caller, String id, long version, ContentSink sink) throws IOException {
        policy.require(caller, Operation.READ, TYPE);
        try {
            transactions.read(em -> {
                ResourceRow row = em.find(ResourceRow.class, id);
                if (row == null || !row.resourceType().equals(TYPE)) {
                    resources.deletion(em, TYPE, id).ifPresent(deleted -> {
                        throw new ResourceDeletedException(TYPE, id, deleted.versionId());
                    });
                    throw new ResourceNotFoundException(TYPE, version == 0 ? id : id + "/_history/" + version);
                }
                if (version != 0 && version != row.versionId()) {
                    throw new ResourceNotFoundException(TYPE, id + "/_history/" + version);
                }
                care.require(em, caller, row.patientId(), TYPE, id);
                StoredResource stored = resources.open(row);
                ObjectNode binary = FhirJson.parseObject(stored.json());
                JsonNode content = contentExtension(binary);
                Description description = new Description(id, row.versionId(), stored.lastUpdated(),
                        sendableType(binary.path("contentType").asText("")), row.patientId(),
                        content == null ? inline(binary).length : part(content, "size").asLong(),
                        content == null ? null : part(content, "sha256").asText());
                String patient = row.patientId() == null ? "" : row.patientId();
                audit.record(caller, AuditAction.READ, TYPE, id, patient, AuditOutcome.SUCCESS, "version "
                        + row.versionId() + ", content " + description.contentType() + ", " + description.size()
                        + " bytes");
                // A Binary that arrived inside a transaction Bundle was kept as an opaque resource with its data.
                InputStream bytes = content == null ? new java.io.ByteArrayInputStream(inline(binary))
                        : new Verified(new ChunkReader(encryption, em, id, part(content, "chunks").asInt()),
                                description);
                try {
                    sink.accept(description, bytes);
                } catch (DecryptionException e) {
                    LOG.error("Integrity check failed for Binary/{}: {}", id, e.getMessage());
                    audit.record(caller, AuditAction.READ, TYPE, id, patient, AuditOutcome.ERROR,
                            "content failed its integrity check; it was not returned whole");
                    throw e;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The stored media type, or {@code application/octet-stream} when it is not one: a Binary kept from a Bundle was
     * never checked, and its type becomes a response header.
     */
    private static String sendableType(String contentType) {
        try {
            return mediaType(contentType);
        } catch (InvalidResourceException e) {
            return "application/octet-stream";
        }
    }

    private static JsonNode contentExtension(ObjectNode binary) {
        for (JsonNode extension : binary.path("meta").path("extension")) {
            if (CONTENT_EXTENSION.equals(extension.path("url").asText())) {
                return extension;
            }
        }
        return null;
    }

    private static JsonNode part(JsonNode content, String url) {
        for (JsonNode part : content.path("extension")) {
            if (url.equals(part.path("url").asText())) {
                return part.path(url.equals("sha256") ? "valueBase64Binary" : url.equals("size") ? "valueDecimal"
                        : "valueInteger");
            }
        }
        throw new DecryptionException("the sealed description of a Binary lacks its " + url);
    }

    private static byte[] inline(ObjectNode binary) {
        return Base64.getMimeDecoder().decode(binary.path("data").asText(""));
    }

    /**
     * The content as the chunks give it, hashed as it goes: a read that would return the last bytes first checks
     * that nothing follows and that the SHA-256 is the sealed one; any failure is a {@link DecryptionException}.
     */
    private static final class Verified extends InputStream {
        private final InputStream chunks;
        private final Description binary;
        private final MessageDigest sha256 = sha256();
        private long seen;
        private boolean verified;

        Verified(InputStream chunks, Description binary) {
            this.chunks = chunks;
            this.binary = binary;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] data, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (verified) {
                return -1;
            }
            int n;
            try {
                n = chunks.read(data, offset, length);
            } catch (DecryptionException e) {
                throw integrity("a chunk does not belong to it (" + e.getMessage() + ")", e);
            }
            if (n < 0) {
                verify();
                return -1;
            }
            sha256.update(data, offset, n);
            seen += n;
            if (seen >= binary.size()) {
                verify();
            }
            return n;
        }

        private void verify() throws IOException {
            if (seen != binary.size() || chunks.read() >= 0) {
                throw integrity("its chunks hold another length than the " + binary.size() + " bytes stored", null);
            }
            byte[] expected = Base64.getDecoder().decode(binary.sha256());
            if (!MessageDigest.isEqual(expected, sha256.digest())) {
                throw integrity("its content does not have the SHA-256 stored with it", null);
            }
            verified = true;
        }

        private DecryptionException integrity(String what, DecryptionException cause) {
            return new DecryptionException("Binary/" + binary.id() + " failed its integrity check: " + what
                    + "; it is not returned", cause);
        }
    }

    // ---------------------------------------------------------------------------------------------------- delete

    /**
     * Deletes Binary {@code id}: its description joins the history (as any deleted resource's) and its chunks are
     * removed, in one transaction.
     */
    public void delete(Caller caller, String id) {
        policy.require(caller, Operation.DELETE, TYPE);
        transactions.inTransaction(em -> {
            ResourceRow row = em.find(ResourceRow.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (row == null || !row.resourceType().equals(TYPE)) {
                throw new ResourceNotFoundException(TYPE, id);
            }
            care.require(em, caller, row.patientId(), TYPE, id);
            resources.delete(em, row);
            int chunks = em.createQuery("DELETE FROM BinaryChunkRow c WHERE c.binaryId = :id").setParameter("id", id)
                    .executeUpdate();
            em.flush();
            audit.record(caller, AuditAction.DELETE, TYPE, id, row.patientId(), AuditOutcome.SUCCESS, "version "
                    + row.versionId() + ", content removed (" + chunks + " sealed chunk(s))");
            return row;
        }, (row, failure) -> resources.commitFailed(caller, AuditAction.DELETE, TYPE, id, row.patientId(), failure,
                () -> new VersionConflictException(TYPE, id, row.versionId(), row.versionId() + 1)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
