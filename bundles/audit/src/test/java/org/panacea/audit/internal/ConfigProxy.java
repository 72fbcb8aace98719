package org.panacea.audit.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A component property type instance as SCR makes it: the given values, and the annotation's defaults otherwise. */
final class ConfigProxy {

    private ConfigProxy() {
    }

    static <A> A of(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, arguments) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue()));
    }
}
