package org.panacea.load;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** DICOMweb clients, in the same closed loop as {@link FhirLoad}. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class DicomWebLoad {

    private Operations operations;

    @Setup(Level.Trial)
    public void open() {
        operations = Operations.fromSystemProperties();
    }

    @TearDown(Level.Trial)
    public void close() {
        operations.close();
    }

    /** STOW-RS: one request of {@value Operations#INSTANCES_PER_STOW} new instances of a new patient. */
    @Benchmark
    public boolean stow() {
        return operations.storeStudy();
    }

    /** WADO-RS: a stored study, every instance, read to the last byte. */
    @Benchmark
    public boolean wado() {
        return operations.retrieveStudy();
    }

    /** QIDO-RS: a stored study's patient's studies, by PatientID, the study in the answer. */
    @Benchmark
    public boolean qido() {
        return operations.queryStudiesByPatientId();
    }
}
