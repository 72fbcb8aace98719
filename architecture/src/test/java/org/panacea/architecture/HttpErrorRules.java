package org.panacea.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.servlet.http.HttpServletResponse;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.panacea.rest.http.OperationOutcomes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * Errors reach HTTP one way: an {@code HttpProblem} (or a failure the rest bundle maps) answered by
 * {@code org.panacea.rest.http.Problems}. Outside {@code org.panacea.rest.http} no class sets a status, sends an
 * error or writes an OperationOutcome itself; successes go through {@code Responses}, which refuses error statuses.
 */
final class HttpErrorRules {

    /** The package that alone sets statuses and builds OperationOutcomes. */
    static final String REST_HTTP = "org.panacea.rest.http";

    /**
     * The ui bundle's static files are pages, not the API: they are served outside Panacea's HTTP context, and a page
     * that does not exist is the servlet container's own 404 page, as a browser expects.
     */
    static final String STATIC_PAGES = "org.panacea.ui.internal.StaticFileServlet";

    private static final DescribedPredicate<JavaAccess<?>> SETS_STATUS = new DescribedPredicate<>(
            "HttpServletResponse.setStatus or sendError") {
        @Override
        public boolean test(JavaAccess<?> access) {
            String name = access.getTarget().getName();
            return (name.equals("setStatus") || name.equals("sendError"))
                    && access.getTargetOwner().isAssignableTo(HttpServletResponse.class);
        }
    };

    private static final DescribedPredicate<JavaAccess<?>> SENDS_OUTCOME = new DescribedPredicate<>(
            "OperationOutcomes.send") {
        @Override
        public boolean test(JavaAccess<?> access) {
            return access.getTarget().getName().equals("send")
                    && access.getTargetOwner().isEquivalentTo(OperationOutcomes.class);
        }
    };

    /** No status of its own: errors are HttpProblems, successes {@code Responses.status} or {@code Responses.json}. */
    static final ArchRule NO_STATUS_OUTSIDE_REST_HTTP = noClasses()
            .that().resideOutsideOfPackage(REST_HTTP)
            .and().doNotHaveFullyQualifiedName(STATIC_PAGES)
            .should().accessTargetWhere(SETS_STATUS)
            .because("an error status is set only by org.panacea.rest.http.Problems (throw an HttpProblem), a "
                    + "success only through org.panacea.rest.http.Responses");

    /** {@code OperationOutcomes.send} bypasses the mapping: throw an HttpProblem, or call {@code Problems.send}. */
    static final ArchRule NO_OUTCOME_SENT_OUTSIDE_REST_HTTP = noClasses()
            .that().resideOutsideOfPackage(REST_HTTP)
            .should().accessTargetWhere(SENDS_OUTCOME)
            .because("every error goes through org.panacea.rest.http.Problems, so that it is mapped in one place");

    /**
     * No OperationOutcome built by hand: a class that holds the string "OperationOutcome" (as a JSON value or inside
     * JSON text) outside rest.http is building one. {@code OperationOutcomes.outcome} builds the informational ones a
     * successful answer may carry.
     */
    static final ArchRule NO_OUTCOME_BUILT_OUTSIDE_REST_HTTP = noClasses()
            .that().resideOutsideOfPackage(REST_HTTP)
            .should(holdTheStringConstant("OperationOutcome"))
            .because("OperationOutcomes are built only in org.panacea.rest.http (HttpProblem, Problems, "
                    + "OperationOutcomes.outcome)");

    static final List<ArchRule> ALL = List.of(NO_STATUS_OUTSIDE_REST_HTTP, NO_OUTCOME_SENT_OUTSIDE_REST_HTTP,
            NO_OUTCOME_BUILT_OUTSIDE_REST_HTTP);

    private HttpErrorRules() {
    }

    /**
     * Holds {@code value} as a string constant in its code (loaded, a field's constant value, or part of a string
     * concatenation's recipe), alone or quoted inside longer JSON text. Read from the class file with ASM, since
     * ArchUnit does not import constants.
     */
    static ArchCondition<JavaClass> holdTheStringConstant(String value) {
        return new ArchCondition<>("hold the string constant \"" + value + "\"") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                List<String> where = stringConstants(javaClass, value);
                for (String place : where) {
                    events.add(SimpleConditionEvent.satisfied(javaClass, javaClass.getName() + " holds \"" + value
                            + "\" in " + place));
                }
                if (where.isEmpty()) {
                    events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName() + " does not hold \""
                            + value + "\""));
                }
            }
        };
    }

    /** The places (method or field names) where the class file of {@code javaClass} holds {@code value}. */
    static List<String> stringConstants(JavaClass javaClass, String value) {
        String quoted = "\"" + value + "\"";
        List<String> places = new ArrayList<>();
        byte[] bytes = classFile(javaClass);
        if (bytes == null) {
            return places;
        }
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                    Object constant) {
                if (matches(constant)) {
                    places.add("field " + name);
                }
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitLdcInsn(Object constant) {
                        if (matches(constant)) {
                            places.add("method " + name);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap,
                            Object... arguments) {
                        for (Object argument : arguments) {
                            if (matches(argument)) {
                                places.add("method " + name);
                            }
                        }
                    }
                };
            }

            private boolean matches(Object constant) {
                return constant instanceof String text && (text.equals(value) || text.contains(quoted));
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return places;
    }

    private static byte[] classFile(JavaClass javaClass) {
        if (javaClass.getSource().isEmpty()) {
            return null;
        }
        try (InputStream in = javaClass.getSource().get().getUri().toURL().openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class file of " + javaClass.getName(), e);
        }
    }
}
