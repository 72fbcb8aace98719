package org.panacea.records.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.Operation;
import org.panacea.dicom.read.DicomFormatException;
import org.panacea.dicom.read.DicomInstance;
import org.panacea.dicom.read.DicomLimitException;
import org.panacea.dicom.read.DicomReadLimits;
import org.panacea.dicom.read.DicomReader;
import org.panacea.records.internal.JpaPatientRecords.Draft;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.store.BinaryChunkRow;
import org.panacea.records.internal.store.ImageInstanceRow;
import org.panacea.records.internal.store.ResourceRow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The image archive on the record's database. A DICOM upload is read by the strict DICOM reader while its bytes
 * are sealed and written in 1 MiB chunks as they arrive, all in one transaction with the patient and the
 * ImagingStudy that list it: a file the reader refuses leaves nothing behind. The patient is found by DICOM Patient
 * ID (or created from the DICOM demographics); the study by its Study Instance UID. A second copy of an instance
 * already stored is acknowledged, not stored again.
 */
@Component(service = ImageArchive.class, configurationPid = DicomImageArchive.PID)
@Designate(ocd = DicomImageArchive.Config.class)
public class DicomImageArchive implements ImageArchive {

    /** Configuration PID: {@code etc/org.panacea.records.images.cfg}. */
    static final String PID = "org.panacea.records.images";

    @ObjectClassDefinition(name = "Panacea image archive", description = "Limits of the DICOM files the archive "
            + "stores")
    public @interface Config {
        @AttributeDefinition(description = "Largest decoded pixel data (all frames) of one DICOM instance stored, in "
                + "MiB; a file declaring more is refused (413) before its pixels are allocated")
        int max_pixel_mebibytes() default 1024;
    }

    /** Identifier system for the DICOM Patient ID (0010,0020) of patients created from images. */
    static final String DICOM_PATIENT_ID = ImageArchive.DICOM_PATIENT_ID_SYSTEM;
    /** FHIR's way of writing a DICOM UID as an identifier. */
    static final String URI_SYSTEM = "urn:ietf:rfc:3986";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    /** Secondary Capture Image Storage: the SOP class of images made by algorithms. */
    private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    private static final String TYPE = "ImagingStudy";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DicomImageArchive.class);

    private final JpaPatientRecords records;
    /** Reads uploads, within the configured limits. */
    private final DicomReader reader;
    /** Reads stored files (of exact length, checked when they arrived): never refuses one a lower limit now would. */
    private final DicomReader storedReader;
    private final long maxPixelBytes;

    @Activate
    public DicomImageArchive(@Reference JpaPatientRecords records, Config config) {
        this(records, Math.max(1, config.max_pixel_mebibytes()) * 1024L * 1024L);
    }

    /** With the default limits (1 GiB of pixel data). */
    public DicomImageArchive(JpaPatientRecords records) {
        this(records, DicomReadLimits.DEFAULT.maxPixelDataBytes());
    }

    DicomImageArchive(JpaPatientRecords records, long maxPixelBytes) {
        this.records = records;
        this.maxPixelBytes = maxPixelBytes;
        DicomReadLimits defaults = DicomReadLimits.DEFAULT;
        this.reader = new DicomReader(new DicomReadLimits(maxPixelBytes, defaults.maxInflatedBytes(),
                defaults.maxValueBytes(), defaults.maxSequenceDepth()));
        this.storedReader = new DicomReader(new DicomReadLimits(Math.max(maxPixelBytes,
                defaults.maxPixelDataBytes()), defaults.maxInflatedBytes(), defaults.maxValueBytes(),
                defaults.maxSequenceDepth()));
    }

    // ----------------------------------------------------------------------------------------------------- store

    @Override
    public ArchivedInstance store(Caller caller, InputStream part10) {
        records.policy().require(caller, Operation.CREATE, TYPE);
        EntityManager em = records.entityManagers().createEntityManager();
        try {
            em.getTransaction().begin();
            String binaryId = UUID.randomUUID().toString();
            ChunkWriter chunks = new ChunkWriter(em, binaryId);
            DicomInstance dicom;
            try (InputStream copying = chunks.copying(part10)) {
                dicom = reader.read(copying, -1);
                chunks.drain(copying);
            } catch (DicomLimitException e) {
                throw new InvalidImageException(e.getMessage() + ": the archive stores at most " + maxPixelBytes
                        / (1024 * 1024) + " MiB of pixel data per instance (max.pixel.mebibytes in etc/" + PID
                        + ".cfg)", e);
            } catch (DicomFormatException e) {
                throw new InvalidImageException(e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("the upload could not be read: " + e.getMessage(), e);
            }
            chunks.finish();
            String uid = dicom.instance().sopInstanceUid();
            if (uid == null || uid.isBlank()) {
                throw new InvalidImageException("the file has no SOP Instance UID (0008,0018)");
            }
            ImageInstanceRow existing = em.find(ImageInstanceRow.class, uidToken(uid));
            if (existing != null) {
                em.getTransaction().rollback();
                return describe(existing);
            }
            String patientId = patientOf(em, caller, dicom.patient());
            String studyId = fileInStudy(em, caller, patientId, dicom);
            ObjectNode metadata = FhirJson.MAPPER.createObjectNode()
                    .put("studyInstanceUid", dicom.study().instanceUid())
                    .put("seriesInstanceUid", dicom.series().instanceUid())
                    .put("sopInstanceUid", uid).put("derivedFrom", "");
            String modality = modality(dicom.series().modality());
            String token = uidToken(uid);
            int width = dicom.image().columns();
            int height = dicom.image().rows();
            int frames = dicom.frames().size();
            byte[] sealedMetadata = records.encryption().encrypt(Sealed.imageMetadata(binaryId, token, patientId,
                    studyId, ImageInstanceRow.FORMAT_DICOM, modality, width, height, frames, chunks.bytes,
                    chunks.count), FhirJson.toBytes(metadata));
            ImageInstanceRow row = new ImageInstanceRow(token, binaryId, patientId, studyId,
                    ImageInstanceRow.FORMAT_DICOM, modality, width, height, frames, chunks.bytes, chunks.count,
                    records.clock().millis(), sealedMetadata, Sealed.BOUND);
            em.persist(row);
            em.flush();
            records.audit(caller, AuditAction.CREATE, TYPE, studyId, patientId, AuditOutcome.SUCCESS,
                    "DICOM instance stored: " + modality + " " + row.width() + "x" + row.height() + ", "
                            + row.frames() + " frame(s), " + chunks.bytes + " bytes");
            em.getTransaction().commit();
            return describe(row);
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private static String modality(String modality) {
        return modality == null || modality.isBlank() ? "OT" : modality.strip();
    }

    /** The patient a DICOM file belongs to: by Patient ID, or created from the file's demographics. */
    private String patientOf(EntityManager em, Caller caller, DicomInstance.Patient patient) {
        if (patient.id() == null || patient.id().isBlank()) {
            throw new InvalidImageException("the file has no Patient ID (0010,0020): Panacea files every image under "
                    + "its patient");
        }
        Optional<String> known = records.findByIdentifier(em, "Patient", DICOM_PATIENT_ID + "|" + patient.id());
        if (known.isPresent()) {
            return known.get();
        }
        records.policy().require(caller, Operation.CREATE, "Patient");
        ObjectNode json = FhirJson.MAPPER.createObjectNode().put("resourceType", "Patient");
        json.putArray("identifier").addObject().put("system", DICOM_PATIENT_ID).put("value", patient.id().strip());
        String[] name = patient.name() == null ? new String[0] : patient.name().split("\\^", -1);
        if (name.length > 0 && !(name[0].isBlank() && (name.length < 2 || name[1].isBlank()))) {
            ObjectNode humanName = json.putArray("name").addObject();
            if (!name[0].isBlank()) {
                humanName.put("family", name[0].strip());
            }
            for (int i = 1; i < Math.min(3, name.length); i++) {
                if (!name[i].isBlank()) {
                    humanName.withArray("given").add(name[i].strip());
                }
            }
            if (!humanName.has("family") && !humanName.has("given")) {
                json.remove("name");
            }
        }
        String sex = patient.sex() == null ? "" : patient.sex().strip().toUpperCase(Locale.ROOT);
        switch (sex) {
            case "M" -> json.put("gender", "male");
            case "F" -> json.put("gender", "female");
            case "O" -> json.put("gender", "other");
            default -> {
                // DICOM leaves it empty when unknown; so does FHIR.
            }
        }
        if (patient.birthDate() != null) {
            json.put("birthDate", patient.birthDate().toString());
        }
        String id = records.newId();
        write(em, caller, "Patient", id, json, null, AuditAction.CREATE, "created from a DICOM file's demographics");
        return id;
    }

    /** Adds the instance to its study's ImagingStudy (created on the study's first instance). */
    private String fileInStudy(EntityManager em, Caller caller, String patientId, DicomInstance dicom) {
        String studyUid = dicom.study().instanceUid();
        Optional<String> known = records.findByIdentifier(em, TYPE, URI_SYSTEM + "|urn:oid:" + studyUid);
        if (known.isEmpty()) {
            ObjectNode study = FhirJson.MAPPER.createObjectNode().put("resourceType", TYPE);
            study.putArray("identifier").addObject().put("system", URI_SYSTEM).put("value", "urn:oid:" + studyUid);
            study.put("status", "available");
            study.putObject("subject").put("reference", "Patient/" + patientId);
            if (dicom.study().date() != null) {
                study.put("started", dicom.study().date().toString());
            }
            if (dicom.study().description() != null && !dicom.study().description().isBlank()) {
                study.put("description", dicom.study().description());
            }
            addInstance(study, dicom.series().instanceUid(), modality(dicom.series().modality()),
                    dicom.series().description(), dicom.instance().sopInstanceUid(), dicom.instance().sopClassUid());
            String id = records.newId();
            write(em, caller, TYPE, id, study, null, AuditAction.CREATE, "study filed from a DICOM file");
            return id;
        }
        String id = known.get();
        ResourceRow row = em.find(ResourceRow.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (!patientId.equals(row.patientId())) {
            throw new InvalidImageException("study " + studyUid + " is already filed under another patient than "
                    + "this file's Patient ID names; refusing to mix two patients' images");
        }
        ObjectNode study = FhirJson.parseObject(records.open(row).json());
        addInstance(study, dicom.series().instanceUid(), modality(dicom.series().modality()),
                dicom.series().description(), dicom.instance().sopInstanceUid(), dicom.instance().sopClassUid());
        write(em, caller, TYPE, id, study, row, AuditAction.UPDATE, "instance added from a DICOM file");
        return id;
    }

    private static void addInstance(ObjectNode study, String seriesUid, String modality, String description,
            String sopUid, String sopClassUid) {
        ArrayNode seriesList = study.withArray("series");
        ObjectNode series = null;
        for (JsonNode candidate : seriesList) {
            if (seriesUid.equals(candidate.path("uid").asText())) {
                series = (ObjectNode) candidate;
            }
        }
        if (series == null) {
            series = seriesList.addObject().put("uid", seriesUid);
            series.putObject("modality").put("system", DCM).put("code", modality);
            if (description != null && !description.isBlank()) {
                series.put("description", description);
            }
        }
        ObjectNode instance = series.withArray("instance").addObject().put("uid", sopUid);
        instance.putObject("sopClass").put("system", URI_SYSTEM).put("code", "urn:oid:" + sopClassUid);
        series.put("numberOfInstances", series.withArray("instance").size());
        int instances = 0;
        for (JsonNode one : seriesList) {
            instances += one.path("instance").size();
        }
        study.put("numberOfSeries", seriesList.size());
        study.put("numberOfInstances", instances);
    }

    private void write(EntityManager em, Caller caller, String type, String id, ObjectNode json, ResourceRow existing,
            AuditAction action, String details) {
        Draft draft;
        try {
            draft = records.prepare(type, id, json, true, caller, action);
        } catch (InvalidResourceException e) {
            throw new InvalidImageException("the file's " + type + " data is not valid: " + e.getMessage(), e);
        }
        records.write(em, draft, existing, Set.of());
        em.flush();
        records.audit(caller, action, type, id, draft.patientId(), AuditOutcome.SUCCESS, details);
    }

    // ------------------------------------------------------------------------------------------------------ read

    @Override
    public ArchivedInstance describe(Caller caller, String sopInstanceUid) {
        records.policy().require(caller, Operation.READ, TYPE);
        EntityManager em = records.entityManagers().createEntityManager();
        try {
            return describe(find(em, sopInstanceUid));
        } finally {
            em.close();
        }
    }

    private ArchivedInstance describe(ImageInstanceRow row) {
        JsonNode metadata = metadata(row);
        return new ArchivedInstance(row.patientId(), row.imagingStudyId(), metadata.path("studyInstanceUid").asText(),
                metadata.path("seriesInstanceUid").asText(), metadata.path("sopInstanceUid").asText(),
                row.modality(), row.width(), row.height(), row.frames(), metadata.path("derivedFrom").asText());
    }

    @Override
    public Image load(Caller caller, String sopInstanceUid, int frame) {
        records.policy().require(caller, Operation.READ, TYPE);
        EntityManager em = records.entityManagers().createEntityManager();
        try {
            ImageInstanceRow row = find(em, sopInstanceUid);
            if (frame < 0 || frame >= row.frames()) {
                throw new IllegalArgumentException("frame " + frame + " does not exist: the instance has "
                        + row.frames() + " frame(s), numbered from 0");
            }
            Image image;
            try (InputStream in = new ChunkReader(em, row)) {
                if (ImageInstanceRow.FORMAT_DICOM.equals(row.format())) {
                    image = storedReader.read(in, row.byteCount()).frame(frame);
                } else {
                    image = readPixels(in, row, metadata(row));
                }
            } catch (IOException e) {
                throw new IllegalStateException("stored image " + sopInstanceUid + " cannot be read back", e);
            }
            records.audit(caller, AuditAction.READ, TYPE, row.imagingStudyId(), row.patientId(), AuditOutcome.SUCCESS,
                    "image frame " + frame + " of a " + row.modality() + " instance");
            return image;
        } finally {
            em.close();
        }
    }

    @Override
    public void retrieve(Caller caller, String sopInstanceUid, OutputStream out) {
        records.policy().require(caller, Operation.READ, TYPE);
        EntityManager em = records.entityManagers().createEntityManager();
        try {
            ImageInstanceRow row = find(em, sopInstanceUid);
            if (!ImageInstanceRow.FORMAT_DICOM.equals(row.format())) {
                throw new IllegalArgumentException("instance " + sopInstanceUid + " was made by an algorithm and "
                        + "exists as pixels only; ask for it rendered instead");
            }
            records.audit(caller, AuditAction.READ, TYPE, row.imagingStudyId(), row.patientId(), AuditOutcome.SUCCESS,
                    "DICOM instance retrieved (" + row.byteCount() + " bytes)");
            try (InputStream in = new ChunkReader(em, row)) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } finally {
            em.close();
        }
    }

    /** The row of an instance, its clear columns checked against its sealed metadata before anything uses them. */
    private ImageInstanceRow find(EntityManager em, String sopInstanceUid) {
        ImageInstanceRow row = sopInstanceUid == null ? null : em.find(ImageInstanceRow.class, uidToken(sopInstanceUid));
        if (row == null) {
            throw new ResourceNotFoundException("image instance", sopInstanceUid);
        }
        metadata(row);
        return row;
    }

    // --------------------------------------------------------------------------------------------------- derived

    @Override
    public ArchivedInstance storeDerived(Caller caller, String sourceSopInstanceUid, Image image, String derivation) {
        records.policy().require(caller, Operation.CREATE, TYPE);
        EntityManager em = records.entityManagers().createEntityManager();
        try {
            em.getTransaction().begin();
            ImageInstanceRow source = find(em, sourceSopInstanceUid);
            JsonNode sourceMetadata = metadata(source);
            String seriesUid = newUid();
            String uid = newUid();
            String binaryId = UUID.randomUUID().toString();
            ChunkWriter chunks = new ChunkWriter(em, binaryId);
            writePixels(image.pixels(), chunks);
            chunks.finish();

            ResourceRow studyRow = em.find(ResourceRow.class, source.imagingStudyId(), LockModeType.PESSIMISTIC_WRITE);
            ObjectNode study = FhirJson.parseObject(records.open(studyRow).json());
            addInstance(study, seriesUid, "OT", truncate("derived: " + derivation + " from " + sourceSopInstanceUid),
                    uid, SECONDARY_CAPTURE);
            write(em, caller, TYPE, source.imagingStudyId(), study, studyRow, AuditAction.UPDATE,
                    "derived image added");

            ImageMetadata meta = image.metadata();
            ObjectNode metadata = FhirJson.MAPPER.createObjectNode()
                    .put("studyInstanceUid", sourceMetadata.path("studyInstanceUid").asText())
                    .put("seriesInstanceUid", seriesUid).put("sopInstanceUid", uid)
                    .put("derivedFrom", sourceSopInstanceUid).put("derivation", derivation)
                    .put("pixels", pixelType(image.pixels()))
                    .put("modality", meta.modality()).put("rowSpacing", meta.rowSpacing())
                    .put("columnSpacing", meta.columnSpacing()).put("rescaleSlope", meta.rescaleSlope())
                    .put("rescaleIntercept", meta.rescaleIntercept()).put("rescaleUnit", meta.rescaleUnit())
                    .put("windowCenter", meta.windowCenter()).put("windowWidth", meta.windowWidth())
                    .put("bitsStored", meta.bitsStored());
            String token = uidToken(uid);
            byte[] sealedMetadata = records.encryption().encrypt(Sealed.imageMetadata(binaryId, token,
                    source.patientId(), source.imagingStudyId(), ImageInstanceRow.FORMAT_PIXELS, "OT", image.width(),
                    image.height(), 1, chunks.bytes, chunks.count), FhirJson.toBytes(metadata));
            ImageInstanceRow row = new ImageInstanceRow(token, binaryId, source.patientId(),
                    source.imagingStudyId(), ImageInstanceRow.FORMAT_PIXELS, "OT", image.width(), image.height(), 1,
                    chunks.bytes, chunks.count, records.clock().millis(), sealedMetadata, Sealed.BOUND);
            em.persist(row);
            em.flush();
            records.audit(caller, AuditAction.CREATE, TYPE, source.imagingStudyId(), source.patientId(),
                    AuditOutcome.SUCCESS, "derived image stored: " + truncate(derivation));
            em.getTransaction().commit();
            return describe(row);
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private static String truncate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "...";
    }

    /** A DICOM UID of the 2.25 (UUID) root: unique without a registered organisation root. */
    private static String newUid() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, bytes.array());
    }

    private static String pixelType(Pixels pixels) {
        if (pixels instanceof Pixels.Gray8) {
            return "gray8";
        }
        if (pixels instanceof Pixels.Gray16 gray16) {
            return gray16.signed() ? "gray16s" : "gray16u";
        }
        return "float32";
    }

    private static void writePixels(Pixels pixels, ChunkWriter out) {
        // Little-endian samples, written in chunk-sized slices: no second full copy of the image.
        int bytesPerSample = pixels instanceof Pixels.Gray8 ? 1 : pixels instanceof Pixels.Gray16 ? 2 : 4;
        int perSlice = BinaryChunkRow.CHUNK_BYTES / bytesPerSample;
        ByteBuffer slice = ByteBuffer.allocate(perSlice * bytesPerSample).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < pixels.length(); start += perSlice) {
            int end = Math.min(pixels.length(), start + perSlice);
            slice.clear();
            if (pixels instanceof Pixels.Gray8 gray8) {
                slice.put(gray8.values(), start, end - start);
            } else if (pixels instanceof Pixels.Gray16 gray16) {
                slice.asShortBuffer().put(gray16.values(), start, end - start);
                slice.position((end - start) * 2);
            } else {
                slice.asFloatBuffer().put(((Pixels.Float32) pixels).values(), start, end - start);
                slice.position((end - start) * 4);
            }
            out.write(slice.array(), 0, slice.position());
        }
    }

    private static Image readPixels(InputStream in, ImageInstanceRow row, JsonNode metadata) throws IOException {
        int n = row.width() * row.height();
        byte[] bytes = in.readNBytes((int) row.byteCount());
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Pixels pixels;
        switch (metadata.path("pixels").asText()) {
            case "gray8" -> pixels = new Pixels.Gray8(bytes);
            case "gray16s", "gray16u" -> {
                short[] values = new short[n];
                buffer.asShortBuffer().get(values);
                pixels = new Pixels.Gray16(values, metadata.path("pixels").asText().equals("gray16s"));
            }
            default -> {
                float[] values = new float[n];
                buffer.asFloatBuffer().get(values);
                pixels = new Pixels.Float32(values);
            }
        }
        ImageMetadata meta = new ImageMetadata(metadata.path("modality").asText(), number(metadata, "rowSpacing"),
                number(metadata, "columnSpacing"), number(metadata, "rescaleSlope"),
                number(metadata, "rescaleIntercept"), metadata.path("rescaleUnit").asText(),
                number(metadata, "windowCenter"), number(metadata, "windowWidth"), metadata.path("bitsStored").asInt(),
                metadata.path("derivedFrom").asText());
        return new Image(row.width(), row.height(), pixels, meta);
    }

    private static double number(JsonNode metadata, String field) {
        JsonNode value = metadata.get(field);
        return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
    }

    // ------------------------------------------------------------------------------------------- sealed storage

    private String uidToken(String uid) {
        return records.encryption().blindIndex("ImageInstance.uid", uid);
    }

    /** A chunk of a binary, bound to the binary and its position. */
    private byte[] sealChunk(String binaryId, int index, byte[] plaintext) {
        return records.encryption().encrypt(new FieldBinding("Binary", binaryId, "chunk-" + index), plaintext);
    }

    /**
     * The sealed metadata of an instance, which also proves that the row's clear columns (patient, study, sizes,
     * chunk count) are the ones it was stored with (see {@link Sealed}).
     */
    private JsonNode metadata(ImageInstanceRow row) {
        try {
            return FhirJson.fromBytes(Sealed.open(records.encryption(), row));
        } catch (org.panacea.api.security.DecryptionException e) {
            LOG.error("Integrity check failed for an image instance: {}", e.getMessage());
            throw e;
        }
    }

    /** Seals bytes in chunks as they come and writes each chunk at once, keeping none of them in memory. */
    private final class ChunkWriter {
        private final EntityManager em;
        private final String binaryId;
        private final byte[] buffer = new byte[BinaryChunkRow.CHUNK_BYTES];
        private int filled;
        int count;
        long bytes;

        ChunkWriter(EntityManager em, String binaryId) {
            this.em = em;
            this.binaryId = binaryId;
        }

        void write(byte[] data, int offset, int length) {
            while (length > 0) {
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(data, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
                bytes += n;
                if (filled == buffer.length) {
                    emit();
                }
            }
        }

        private void emit() {
            byte[] plaintext = filled == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, filled);
            BinaryChunkRow chunk = new BinaryChunkRow(binaryId, count, sealChunk(binaryId, count, plaintext));
            em.persist(chunk);
            em.flush();
            em.detach(chunk); // written in the transaction; no reason to keep it in memory until commit
            count++;
            filled = 0;
        }

        void finish() {
            if (filled > 0 || count == 0) {
                emit();
            }
        }

        /** A stream that hands every byte read through it to this writer as well. */
        InputStream copying(InputStream source) {
            return new java.io.FilterInputStream(source) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        write(new byte[] { (byte) b }, 0, 1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] data, int offset, int length) throws IOException {
                    int n = super.read(data, offset, length);
                    if (n > 0) {
                        write(data, offset, n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    // Skipped bytes must be kept too: read them instead.
                    byte[] sink = new byte[8192];
                    long skipped = 0;
                    while (skipped < n) {
                        int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
                        if (r < 0) {
                            break;
                        }
                        skipped += r;
                    }
                    return skipped;
                }
            };
        }

        /** Keeps what follows the pixel data (padding, trailing elements): the stored file is the file received. */
        void drain(InputStream copying) throws IOException {
            byte[] sink = new byte[64 * 1024];
            while (copying.read(sink) >= 0) {
                // each read is copied into the chunks
            }
        }
    }

    /** Decrypts chunks one at a time as they are read. */
    private final class ChunkReader extends InputStream {
        private final EntityManager em;
        private final ImageInstanceRow row;
        private int next;
        private byte[] current = new byte[0];
        private int position;

        ChunkReader(EntityManager em, ImageInstanceRow row) {
            this.em = em;
            this.row = row;
        }

        private boolean fill() {
            while (position >= current.length) {
                if (next >= row.chunkCount()) {
                    return false;
                }
                BinaryChunkRow chunk = em.find(BinaryChunkRow.class, new BinaryChunkRow.Key(row.binaryId(), next));
                if (chunk == null) {
                    throw new IllegalStateException("chunk " + next + " of a stored image is missing");
                }
                current = records.encryption().decrypt(new FieldBinding("Binary", row.binaryId(), "chunk-" + next),
                        chunk.sealed());
                em.detach(chunk);
                position = 0;
                next++;
            }
            return true;
        }

        @Override
        public int read() {
            return fill() ? current[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] data, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, data, offset, n);
            position += n;
            return n;
        }
    }

    /** For tests: every instance of a study, described. */
    List<ArchivedInstance> instancesOf(String imagingStudyId) {
        EntityManager em = records.entityManagers().createEntityManager();
        try {
            List<ArchivedInstance> found = new ArrayList<>();
            for (ImageInstanceRow row : em.createQuery("SELECT i FROM ImageInstanceRow i WHERE i.imagingStudyId = "
                    + ":study", ImageInstanceRow.class).setParameter("study", imagingStudyId).getResultList()) {
                found.add(describe(row));
            }
            return found;
        } finally {
            em.close();
        }
    }
}
