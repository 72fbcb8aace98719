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

/**
 * FHIR clients: each JMH thread is one client that sends its next request as soon as the last one is answered
 * (closed loop). Sample time gives every request's latency (p50, p99); the harness derives requests per second
 * from them (clients / mean latency). Threads, warm-up and measurement come from
 * {@link LoadRun}; the server, credentials and fixtures from system properties it sets.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class FhirLoad {

    private Operations operations;

    @Setup(Level.Trial)
    public void open() {
        operations = Operations.fromSystemProperties();
    }

    @TearDown(Level.Trial)
    public void close() {
        operations.close();
    }

    /** POST /fhir/Patient: a new patient with a new identifier. */
    @Benchmark
    public boolean create() {
        return operations.createPatient();
    }

    /** GET /fhir/Patient/{id} of a stored patient. */
    @Benchmark
    public boolean read() {
        return operations.readPatient();
    }

    /** GET /fhir/Patient?identifier=system|value of a stored patient. */
    @Benchmark
    public boolean search() {
        return operations.searchPatient();
    }
}
