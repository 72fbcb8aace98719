package org.panacea.plugins.prediction.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.panacea.plugins.support.stats.CoxProportionalHazards;
import org.panacea.plugins.support.stats.LogisticRegression;

/**
 * Model fits on the 100,000-row {@link SyntheticCohort}, the table already in memory: a Cox model (Efron ties, five
 * covariates; coefficients, information matrix, concordance and baseline hazard, as {@code coxph} computes them) and a
 * logistic regression (intercept and eight covariates, IRLS; coefficients, covariance, fitted values, deviances, as
 * {@code glm} computes them). Single-threaded, like R. {@code benchmarks/r-compare.sh} times R's {@code coxph} and
 * {@code glm} on the identical file in the same run and prints the ratio.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar CohortFitBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class CohortFitBenchmark {

    private SyntheticCohort.Table table;

    @Setup
    public void load() {
        table = SyntheticCohort.read(SyntheticCohort.file());
    }

    @Benchmark
    public CoxProportionalHazards coxEfron() {
        return SyntheticCohort.cox(table);
    }

    @Benchmark
    public LogisticRegression logistic() {
        return SyntheticCohort.logistic(table);
    }
}
