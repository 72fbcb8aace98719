package org.panacea.engine.fakes;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.security.Caller;

/**
 * An image archive in memory, for tests that make too many calls for a mock to record: single-frame instances,
 * derived images kept with their derivation text.
 */
public final class InMemoryArchive implements ImageArchive {

    /** A derived image as stored. */
    public record Derived(String sourceUid, Image image, String derivation) {
    }

    private final Map<String, Image> images = new ConcurrentHashMap<>();
    private final Map<String, ArchivedInstance> instances = new ConcurrentHashMap<>();
    private final List<Derived> derived = new CopyOnWriteArrayList<>();
    private final AtomicLong uids = new AtomicLong();
    private final boolean keepDerived;

    /** An archive that keeps what is derived. */
    public InMemoryArchive() {
        this(true);
    }

    /** @param keepDerived {@code false} for load tests, which would fill the heap with derived images */
    public InMemoryArchive(boolean keepDerived) {
        this.keepDerived = keepDerived;
    }

    /** Files {@code image} as instance {@code uid} of patient {@code patientId}. */
    public void add(String uid, String patientId, Image image) {
        images.put(uid, image);
        instances.put(uid, new ArchivedInstance(patientId, "study-" + patientId, "1.2.3", "1.2.3.1", uid, "CT",
                image.width(), image.height(), 1, ""));
    }

    @Override
    public ArchivedInstance store(Caller caller, InputStream part10) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ArchivedInstance describe(Caller caller, String sopInstanceUid) {
        ArchivedInstance instance = instances.get(sopInstanceUid);
        if (instance == null) {
            throw new IllegalArgumentException("no instance " + sopInstanceUid);
        }
        return instance;
    }

    @Override
    public Image load(Caller caller, String sopInstanceUid, int frame) {
        describe(caller, sopInstanceUid);
        if (frame != 0) {
            throw new IllegalArgumentException(sopInstanceUid + " has 1 frame, no frame " + frame);
        }
        return images.get(sopInstanceUid);
    }

    @Override
    public ArchivedInstance storeDerived(Caller caller, String sourceSopInstanceUid, Image image, String derivation) {
        ArchivedInstance source = describe(caller, sourceSopInstanceUid);
        String uid = "2.25." + uids.incrementAndGet();
        ArchivedInstance instance = new ArchivedInstance(source.patientId(), source.imagingStudyId(),
                source.studyInstanceUid(), "1.2.3.9", uid, "OT", image.width(), image.height(), 1,
                sourceSopInstanceUid);
        if (keepDerived) {
            derived.add(new Derived(sourceSopInstanceUid, image, derivation));
            instances.put(uid, instance);
            images.put(uid, image);
        }
        return instance;
    }

    @Override
    public void retrieve(Caller caller, String sopInstanceUid, OutputStream out) {
        throw new UnsupportedOperationException();
    }

    public List<Derived> derived() {
        return List.copyOf(derived);
    }
}
