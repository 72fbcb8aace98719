package org.panacea.sdk.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The static fields of a plugin's classes and what they hold, to find state a plugin leaves behind when it is
 * deactivated: a static cache that grew, a counter that moved, a static executor made on activation. The engine
 * may deactivate a plugin and activate a new instance (an update, a configuration change) in the same class loader,
 * and a hospital runs it for months: static state outlives the instance that made it.
 * <p>
 * Each value is reduced to a fingerprint: constants and boxed values by value, arrays by content, collections and
 * maps by size and content hash, atomics by their value, any other object by identity. So a constant table filled
 * once when the class loads is fine, while a cache that gained an entry or a reference that now points elsewhere
 * is a change. Thread-locals are not read (reading one would create a value).
 */
public final class StaticState {

    private final Map<String, String> fingerprints;

    private StaticState(Map<String, String> fingerprints) {
        this.fingerprints = fingerprints;
    }

    /** Reads the static fields of {@code classes} now (initialising the classes that are not yet). */
    public static StaticState of(Collection<Class<?>> classes) {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (Class<?> type : classes) {
            for (Field field : staticFields(type)) {
                fingerprints.put(type.getName() + "." + field.getName(), fingerprint(field));
            }
        }
        return new StaticState(fingerprints);
    }

    /** The fields whose fingerprint differs from {@code earlier}'s, each as {@code Class.field: before -> after}. */
    public List<String> changesSince(StaticState earlier) {
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> field : fingerprints.entrySet()) {
            String before = earlier.fingerprints.get(field.getKey());
            if (before != null && !before.equals(field.getValue())) {
                changes.add(field.getKey() + ": " + before + " -> " + field.getValue());
            }
        }
        return changes;
    }

    /** The same fields, each with the fingerprint {@code earlier} took where it took one, else this one's. */
    StaticState withBaseline(StaticState earlier) {
        Map<String, String> merged = new LinkedHashMap<>(fingerprints);
        earlier.fingerprints.forEach((field, value) -> merged.replace(field, value));
        return new StaticState(merged);
    }

    /**
     * Every class in the package of {@code anchor} and its sub-packages that the build compiled: those in class-path
     * directories (the build's output, main and test), and those in {@code anchor}'s own JAR when it comes from one.
     * Other JARs are left alone, so a shallow package name does not sweep in every library.
     */
    public static List<Class<?>> classesOf(Class<?> anchor) {
        String packageName = anchor.getPackageName();
        ClassLoader loader = anchor.getClassLoader();
        Set<String> names = new LinkedHashSet<>();
        String path = packageName.replace('.', '/');
        try {
            URL own = anchor.getProtectionDomain().getCodeSource() == null ? null
                    : anchor.getProtectionDomain().getCodeSource().getLocation();
            Enumeration<URL> roots = loader.getResources(path);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("file".equals(root.getProtocol())) {
                    names.addAll(inDirectory(Paths.get(root.toURI()), packageName));
                } else if ("jar".equals(root.getProtocol())) {
                    URL jar = ((JarURLConnection) root.openConnection()).getJarFileURL();
                    if (own != null && jar.toURI().equals(own.toURI())) {
                        names.addAll(inJar(jar, path));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("classes of " + packageName + " cannot be listed", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("classes of " + packageName + " cannot be listed", e);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            try {
                classes.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                // a class that cannot load holds no state the plugin could have changed
            }
        }
        return classes;
    }

    private static List<String> inDirectory(Path directory, String packageName) throws IOException {
        List<String> names = new ArrayList<>();
        String prefix = packageName.isEmpty() ? "" : packageName + ".";
        try (Stream<Path> files = Files.walk(directory)) {
            files.filter(file -> file.toString().endsWith(".class")).forEach(file -> {
                String relative = directory.relativize(file).toString().replace(File.separatorChar, '.');
                names.add(prefix + relative.substring(0, relative.length() - ".class".length()));
            });
        }
        return names;
    }

    private static List<String> inJar(URL jarUrl, String path) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(new File(jarUrl.toURI()))) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith(path + "/") && name.endsWith(".class")) {
                    names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        return names;
    }

    private static List<Field> staticFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        Field[] declared;
        try {
            declared = type.getDeclaredFields();
        } catch (LinkageError e) {
            return fields;
        }
        for (Field field : declared) {
            if (Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()
                    && !field.getName().equals("serialVersionUID")
                    && !ThreadLocal.class.isAssignableFrom(field.getType())) {
                fields.add(field);
            }
        }
        return fields;
    }

    private static String fingerprint(Field field) {
        try {
            field.setAccessible(true);
            return fingerprint(field.get(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "unreadable (" + e.getClass().getSimpleName() + ")";
        }
    }

    static String fingerprint(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof CharSequence || value instanceof Boolean
                || value instanceof Character || value instanceof Class || value instanceof Enum) {
            if (value instanceof AtomicInteger || value instanceof AtomicLong) {
                return value.getClass().getSimpleName() + "(" + value + ")";
            }
            return String.valueOf(value);
        }
        if (value instanceof AtomicBoolean atomic) {
            return "AtomicBoolean(" + atomic.get() + ")";
        }
        if (value instanceof AtomicReference<?> atomic) {
            return "AtomicReference(" + fingerprint(atomic.get()) + ")";
        }
        if (value.getClass().isArray()) {
            return arrayFingerprint(value);
        }
        if (value instanceof Collection<?> collection) {
            return value.getClass().getSimpleName() + " of " + collection.size() + " #" + contentHash(value);
        }
        if (value instanceof Map<?, ?> map) {
            return value.getClass().getSimpleName() + " of " + map.size() + " #" + contentHash(value);
        }
        return value.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(value));
    }

    private static String contentHash(Object value) {
        try {
            return Integer.toHexString(value.hashCode());
        } catch (RuntimeException e) {
            // a concurrent collection being changed, or an element that cannot hash: compare by identity only
            return "@" + Integer.toHexString(System.identityHashCode(value));
        }
    }

    private static String arrayFingerprint(Object array) {
        String hash;
        int length = java.lang.reflect.Array.getLength(array);
        if (array instanceof Object[] objects) {
            hash = Integer.toHexString(Arrays.deepHashCode(objects));
        } else if (array instanceof byte[] bytes) {
            hash = Integer.toHexString(Arrays.hashCode(bytes));
        } else if (array instanceof short[] shorts) {
            hash = Integer.toHexString(Arrays.hashCode(shorts));
        } else if (array instanceof int[] ints) {
            hash = Integer.toHexString(Arrays.hashCode(ints));
        } else if (array instanceof long[] longs) {
            hash = Integer.toHexString(Arrays.hashCode(longs));
        } else if (array instanceof float[] floats) {
            hash = Integer.toHexString(Arrays.hashCode(floats));
        } else if (array instanceof double[] doubles) {
            hash = Integer.toHexString(Arrays.hashCode(doubles));
        } else if (array instanceof char[] chars) {
            hash = Integer.toHexString(Arrays.hashCode(chars));
        } else {
            hash = Integer.toHexString(Arrays.hashCode((boolean[]) array));
        }
        return array.getClass().getComponentType().getSimpleName() + "[" + length + "] #" + hash;
    }
}
