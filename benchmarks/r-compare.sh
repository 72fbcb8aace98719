#!/usr/bin/env bash
# Panacea's Cox and logistic fits against R's coxph and glm on the identical 100,000-row synthetic table, in one run:
# writes the table (SyntheticCohort, fixed seed), times Panacea with JMH (CohortFitBenchmark) and R with repeated
# system.time() on the same file, checks that both found the same coefficients, and prints time(Panacea) / time(R).
# Installs Debian's r-base-core and r-cran-survival first when R or its survival package is missing (as root).
#
# Usage: benchmarks/r-compare.sh        (after: mvn -q install -pl benchmarks -am -DskipTests)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
    echo "no $jar: build it first with  mvn -q install -pl benchmarks -am -DskipTests" >&2
    exit 1
fi

if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e 'suppressMessages(library(survival))' >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "R with the survival package is missing; as root: apt-get install r-base-core r-cran-survival" >&2
        exit 1
    fi
    echo "Installing R and its survival package (Debian r-base-core r-cran-survival)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core r-cran-survival >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
table="$work/synthetic_cohort.csv"

echo "== Writing the synthetic table and Panacea's fits of it"
java -cp "$jar" org.panacea.plugins.prediction.bench.SyntheticCohort "$table" "$work/panacea_fits.csv"

echo "== Panacea (JMH, single-threaded, table in memory)"
java -Dpanacea.bench.cohort="$table" -jar "$jar" CohortFitBenchmark -rf csv -rff "$work/jmh.csv"

echo "== R (median of repeated fits, table in memory)"
cat > "$work/compare.R" <<'EOF'
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
table <- read.csv(args[1])
panacea <- read.csv(args[2], stringsAsFactors = FALSE)
jmh <- read.csv(args[3], check.names = FALSE, stringsAsFactors = FALSE)

time_ms <- function(fit, repeats = 10) {
    for (i in 1:2) fit()                                  # warm-up, as JMH warms up the JVM
    times <- replicate(repeats, system.time(fit())[["elapsed"]])
    1000 * median(times)
}
cox_call <- function() coxph(Surv(time, status) ~ age + female + ecog + bmi + marker, data = table, ties = "efron")
glm_call <- function() glm(outcome ~ age + female + ecog + bmi + marker + x1 + x2 + x3, family = binomial,
                           data = table)

cox <- cox_call()
logit <- glm_call()
cat(sprintf("R %s, survival %s; %d rows, %d events, %d positive outcomes\n", getRversion(),
            packageVersion("survival"), nrow(table), sum(table$status), sum(table$outcome)))

# The same model on both sides: coefficients and standard errors side by side.
difference <- function(model, estimates, ses) {
    mine <- panacea[panacea$model == model & panacea$term %in% names(estimates), ]
    mine <- mine[match(names(estimates), mine$term), ]
    c(coef = max(abs(as.numeric(mine$estimate) - estimates) / abs(estimates)),
      se = max(abs(as.numeric(mine$se) - ses) / ses))
}
d_cox <- difference("cox", coef(cox), sqrt(diag(vcov(cox))))
d_glm <- difference("glm", coef(logit), sqrt(diag(vcov(logit))))
cat(sprintf("largest relative difference Panacea vs R: Cox coef %.1e, se %.1e; concordance %.1e; glm coef %.1e, se %.1e\n",
            d_cox[["coef"]], d_cox[["se"]],
            abs(as.numeric(panacea$estimate[panacea$term == "concordance"]) - cox$concordance[["concordance"]]),
            d_glm[["coef"]], d_glm[["se"]]))

r_cox <- time_ms(cox_call)
r_glm <- time_ms(glm_call)
score <- function(name) jmh$Score[grepl(paste0("\\.", name, "$"), jmh$Benchmark)]
p_cox <- score("coxEfron")
p_glm <- score("logistic")
cat("\n")
cat(sprintf("%-40s %12s %12s %16s\n", "fit (100,000 rows)", "Panacea ms", "R ms", "Panacea / R"))
cat(sprintf("%-40s %12.1f %12.1f %16.3f\n", "Cox, Efron ties, 5 covariates", p_cox, r_cox, p_cox / r_cox))
cat(sprintf("%-40s %12.1f %12.1f %16.3f\n", "logistic (IRLS), 8 covariates", p_glm, r_glm, p_glm / r_glm))
cat(sprintf("\nGoal: Panacea / R <= 1 (no slower than R): %s\n",
            if (p_cox <= r_cox && p_glm <= r_glm) "met" else "NOT met"))
EOF
Rscript "$work/compare.R" "$table" "$work/panacea_fits.csv" "$work/jmh.csv"
