package org.panacea.security.internal;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;

import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * A mocked bundle whose installed revision is the content of a JAR file, read as the framework offers it
 * ({@code getEntryPaths}, {@code getEntry}); {@link #update} swaps the revision's content as {@code bundle:update}
 * does, while the location keeps naming what it named.
 */
final class JarBackedBundle {

    private final AtomicReference<Path> content;
    private final Bundle bundle = mock(Bundle.class);

    JarBackedBundle(long id, String symbolicName, Map<String, String> headers, Path jar, String location) {
        content = new AtomicReference<>(jar);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getVersion()).thenReturn(Version.parseVersion("1.0.0"));
        when(bundle.getHeaders("")).thenReturn(new Hashtable<>(headers));
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        when(bundle.getLastModified()).thenReturn(1_000L + id);
        when(bundle.getLocation()).thenReturn(location);
        when(bundle.getEntryPaths(anyString())).thenAnswer(call -> paths(call.getArgument(0)));
        when(bundle.getEntry(anyString())).thenAnswer(call -> entry(call.getArgument(0)));
    }

    Bundle bundle() {
        return bundle;
    }

    /** The revision now holds {@code jar}'s bytes: a new last-modified time, the same location. */
    void update(Path jar, long lastModified) {
        content.set(jar);
        when(bundle.getLastModified()).thenReturn(lastModified);
    }

    private java.util.Enumeration<String> paths(String folder) {
        String prefix = folder.equals("/") ? "" : folder.startsWith("/") ? folder.substring(1) : folder;
        Set<String> children = new LinkedHashSet<>();
        try (JarFile jar = new JarFile(content.get().toFile(), false)) {
            jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(prefix) && n.length() > prefix.length())
                    .forEach(n -> {
                        String rest = n.substring(prefix.length());
                        int slash = rest.indexOf('/');
                        children.add(prefix + (slash < 0 ? rest : rest.substring(0, slash + 1)));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> list = new ArrayList<>(children);
        return list.isEmpty() ? null : Collections.enumeration(list);
    }

    private URL entry(String path) throws IOException {
        String name = path.startsWith("/") ? path.substring(1) : path;
        try (JarFile jar = new JarFile(content.get().toFile(), false)) {
            if (jar.getEntry(name) == null && !name.endsWith("/")) {
                return null;
            }
        }
        return new URL("jar:" + content.get().toUri() + "!/" + name);
    }
}
