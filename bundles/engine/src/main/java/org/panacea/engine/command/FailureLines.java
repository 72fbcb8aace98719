package org.panacea.engine.command;

import java.io.PrintStream;

import org.panacea.api.audit.AuditException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.engine.internal.EngineUnavailableException;
import org.panacea.engine.internal.imaging.InputNotFoundException;
import org.panacea.engine.internal.parameters.InvalidParametersException;
import org.panacea.engine.internal.prediction.MissingInputsException;
import org.panacea.engine.internal.registry.PluginNotFoundException;
import org.panacea.engine.internal.run.EngineSaturatedException;
import org.panacea.engine.internal.run.InsufficientMemoryException;
import org.panacea.engine.internal.run.PluginCrashedException;
import org.panacea.engine.internal.run.PluginRefusedException;
import org.panacea.engine.internal.run.PluginTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A failed run on the console: what went wrong, one problem per line; the log gets what is unexpected. */
final class FailureLines {

    private static final Logger LOG = LoggerFactory.getLogger(FailureLines.class);

    private FailureLines() {
    }

    static void print(PrintStream console, String what, RuntimeException failure) {
        if (failure instanceof InvalidParametersException invalid) {
            console.println(what + " not run:");
            invalid.problems().forEach(problem -> console.println("  " + problem));
        } else if (failure instanceof MissingInputsException missing) {
            console.println(what + " not run:");
            missing.problems().forEach(problem -> console.println("  " + problem));
        } else if (failure instanceof AuditException) {
            LOG.error("Audit trail unavailable; {} withheld", what, failure);
            console.println(what + ": the audit trail cannot record this run right now, so its result is withheld; "
                    + "try again shortly");
        } else if (isExpected(failure)) {
            console.println(what + " failed: " + failure.getMessage());
        } else {
            LOG.error("{} failed unexpectedly", what, failure);
            console.println(what + " failed unexpectedly; the log has the details");
        }
    }

    /** The failures that carry a message for the user; anything else is a defect. */
    private static boolean isExpected(RuntimeException failure) {
        return failure instanceof IllegalArgumentException || failure instanceof AccessDeniedException
                || failure instanceof ResourceNotFoundException || failure instanceof PluginNotFoundException
                || failure instanceof InputNotFoundException || failure instanceof EngineUnavailableException
                || failure instanceof EngineSaturatedException || failure instanceof InsufficientMemoryException
                || failure instanceof PluginTimeoutException || failure instanceof PluginCrashedException
                || failure instanceof PluginRefusedException;
    }
}
