package org.panacea.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;

/** Which classes are watched, and which changes of their static fields count. */
class StaticStateTest {

    /** Stand-ins for a plugin's static fields. */
    static final class Holder {
        static final int[] TABLE = { 1, 2, 3 };
        static final Map<String, Integer> CACHE = new ConcurrentHashMap<>();
        static Object current = "first";
    }

    @Test
    void aTableFilledOnceIsNoChangeButAGrownCacheOrAnotherReferenceIs() {
        StaticState before = StaticState.of(List.of(Holder.class));
        assertEquals(List.of(), StaticState.of(List.of(Holder.class)).changesSince(before));
        Holder.CACHE.put("64x48", 1);
        Holder.current = new Object();
        List<String> changes = StaticState.of(List.of(Holder.class)).changesSince(before);
        assertEquals(2, changes.size(), changes.toString());
        assertTrue(changes.get(0).contains("CACHE: ConcurrentHashMap of 0"), changes.toString());
        Holder.CACHE.clear();
        Holder.current = "first";
    }

    @Test
    void thePackageOfAClassIsWatchedWithItsSubPackagesButNotOtherLibraries() {
        List<Class<?>> good = StaticState.classesOf(GoodAlgorithm.class);
        assertEquals(List.of(GoodAlgorithm.class), good);
        List<Class<?>> kit = StaticState.classesOf(StaticStateTest.class);
        assertTrue(kit.contains(StaticState.class) && kit.contains(GoodAlgorithm.class), kit.toString());
        assertFalse(kit.stream().anyMatch(type -> type.getName().startsWith("org.junit")), kit.toString());
        List<Class<?>> junit = StaticState.classesOf(Test.class);
        assertTrue(junit.contains(Test.class), "from the class's own JAR");
    }
}
