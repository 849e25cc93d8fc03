package dev.anvil.k8s.manifest;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields no model class knows. fabric8's classes do not fail on an unknown property: they keep it in a
 * map called {@code additionalProperties}. A misspelled field ("imagePullPolicyy", "contianers") therefore ends up
 * there, and this walk over the whole object graph reports each one with its path.
 */
public final class StrictFields {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
    private static final String OWN_PACKAGE = "dev.anvil.k8s";

    private StrictFields() {}

    /** Paths of unknown fields, e.g. "spec.template.spec.containers[0].imagePullPolicyy". */
    public static List<String> unknownFields(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, join(path, String.valueOf(key)), found));
        } else if (value != null && isModel(value.getClass())) {
            walkFields(value, path, found);
        }
    }

    private static void walkFields(Object model, String path, List<String> found) {
        for (Class<?> type = model.getClass(); type != null && isModel(type); type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                    continue;
                }
                Object fieldValue = read(field, model);
                if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(key -> found.add(join(path, String.valueOf(key))));
                } else {
                    walk(fieldValue, join(path, field.getName()), found);
                }
            }
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return name.startsWith(MODEL_PACKAGE) || name.startsWith(OWN_PACKAGE);
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
