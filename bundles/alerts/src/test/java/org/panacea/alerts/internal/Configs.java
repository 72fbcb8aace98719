package org.panacea.alerts.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** An {@link AlertsConfig} as Declarative Services builds it: the given properties, the defaults for the rest. */
final class Configs {

    private Configs() {
    }

    /** @param properties by method name ({@code bulk_access_threshold}) */
    static AlertsConfig alerts(Map<String, Object> properties) {
        return (AlertsConfig) Proxy.newProxyInstance(AlertsConfig.class.getClassLoader(),
                new Class<?>[] {AlertsConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return AlertsConfig.class;
                    }
                    Object value = properties.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }
}
