package org.panacea.engine.command;

import java.io.PrintStream;
import java.util.List;

import org.panacea.api.plugin.ParameterSpec;
import org.panacea.engine.internal.parameters.ParameterValidator;

/** A parameter schema on the console: one line per parameter, what it accepts, its default, its meaning. */
final class SpecLines {

    private SpecLines() {
    }

    static void print(PrintStream console, List<ParameterSpec> specs) {
        if (specs.isEmpty()) {
            console.println("    (no parameters)");
        }
        for (ParameterSpec spec : specs) {
            console.println(String.format("    %-14s %s%s%s", spec.name(), ParameterValidator.expectation(spec),
                    spec.required() ? ", required" : ", default " + spec.defaultValue(),
                    spec.code().isEmpty() ? "" : ", code " + spec.code()));
            if (!spec.description().isEmpty()) {
                console.println("                   " + spec.description());
            }
        }
    }
}
