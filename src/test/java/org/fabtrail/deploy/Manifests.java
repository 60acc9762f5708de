package org.fabtrail.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One rendered install of deploy/kubernetes: each resource as Kustomize renders it (plain maps, for the schema checks)
 * and as the Kubernetes model reads it (fabric8's typed classes for built-in kinds, generic resources for custom ones).
 */
public final class Manifests {

    public static final Path ROOT = Path.of("deploy/kubernetes");

    public final String name;
    public final List<Map<String, Object>> raw;
    public final List<HasMetadata> resources;

    private Manifests(String name, List<Map<String, Object>> raw) {
        this.name = name;
        this.raw = raw;
        this.resources = new ArrayList<>();
        for (Map<String, Object> r : raw) {
            KubernetesResource parsed = Serialization.unmarshal(Serialization.asJson(r), KubernetesResource.class);
            if (!(parsed instanceof HasMetadata h)) {
                throw new AssertionError(name + ": not a Kubernetes object: " + r.get("kind"));
            }
            resources.add(h);
        }
    }

    /** {@code overlays/<name>}, or another directory under deploy/kubernetes ("base", "tasks"). */
    public static Manifests render(String dir) {
        Path p = dir.equals("base") || dir.equals("tasks") ? ROOT.resolve(dir) : ROOT.resolve("overlays").resolve(dir);
        return new Manifests(dir, Kustomize.build(p));
    }

    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError(name + ": expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    public List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
    }

    public GenericKubernetesResource oneCustom(String kind) {
        List<GenericKubernetesResource> found = custom(kind);
        if (found.size() != 1) {
            throw new AssertionError(name + ": expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    public Map<String, Object> rawOf(HasMetadata r) {
        return raw.get(resources.indexOf(r));
    }

    /**
     * Fields the model did not recognise, anywhere in a typed resource: the fabric8 classes keep unknown fields in
     * "additional properties" instead of failing, where {@code kubectl apply} (strict field validation) refuses them.
     */
    public static List<String> unknownFields(Object model) {
        List<String> out = new ArrayList<>();
        walk(model, model.getClass().getSimpleName(), out, new IdentityHashMap<>());
        return out;
    }

    private static void walk(Object o, String path, List<String> out, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, out, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getName().equals("getClass")) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
                continue;
            }
            walk(v, path + "." + m.getName().substring(3), out, seen);
        }
    }

    /** Labels that a selector's matchLabels all hold in {@code labels}. */
    public static boolean selects(Map<String, String> matchLabels, Map<String, String> labels) {
        return matchLabels != null && !matchLabels.isEmpty() && labels != null
                && matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static <T> List<T> filter(List<T> in, Predicate<T> p) {
        return in.stream().filter(p).toList();
    }

    static final Set<String> CUSTOM_KINDS = Set.of("Cluster", "ScheduledBackup", "ObjectStore", "PodMonitor");
}
