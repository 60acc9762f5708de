package org.fabtrail.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The part of Kustomize that deploy/kubernetes uses, so that the tests see what {@code kubectl apply -k} would apply
 * (no kustomize binary runs here). It refuses everything else, so a kustomization that starts using another feature
 * fails the tests until this renderer learns it:
 *
 * <ul>
 *   <li>{@code resources}: files (one or more YAML documents) and directories holding a kustomization;</li>
 *   <li>{@code patches} with a {@code path} only: a patch names its target by apiVersion, kind and metadata.name, which
 *       must match exactly one resource. Built-in kinds get a strategic merge patch (lists of containers, volumes, env
 *       and the like merge by their merge key, as the Kubernetes API declares it); custom resources get a JSON merge
 *       patch (RFC 7386: maps merge, {@code null} deletes, lists are replaced), which is what Kustomize applies to a
 *       kind whose schema it does not know;</li>
 *   <li>{@code namespace}: set on every namespaced resource;</li>
 *   <li>{@code images}: {@code name} replaced by {@code newName:newTag} in every container and init container.</li>
 * </ul>
 */
public final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "resources", "patches",
            "images");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "StorageClass", "PriorityClass");
    /** Strategic merge keys of the built-in lists deploy/kubernetes patches (from the Kubernetes API types). */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "volumes", "name",
            "env", "name",
            "volumeMounts", "mountPath",
            "topologySpreadConstraints", "topologyKey",
            "imagePullSecrets", "name");

    private Kustomize() {
    }

    /** The resources {@code kubectl apply -k dir} applies, in order. */
    public static List<Map<String, Object>> build(Path dir) {
        Map<String, Object> k = map(loadOne(dir.resolve("kustomization.yaml")), "kustomization.yaml");
        for (String key : k.keySet()) {
            if (!SUPPORTED.contains(key)) {
                throw new IllegalStateException(dir + "/kustomization.yaml uses \"" + key
                        + "\", which this test renderer does not implement");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : list(k.getOrDefault("resources", List.of()))) {
            Path p = dir.resolve((String) r).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
            } else {
                for (Object doc : loadAll(p)) {
                    out.add(map(doc, p.toString()));
                }
            }
        }
        for (Object patchEntry : list(k.getOrDefault("patches", List.of()))) {
            Map<String, Object> entry = map(patchEntry, "patch entry");
            if (!entry.keySet().equals(Set.of("path"))) {
                throw new IllegalStateException("only patches with a path are implemented: " + entry);
            }
            Path p = dir.resolve((String) entry.get("path"));
            for (Object doc : loadAll(p)) {
                Map<String, Object> patch = map(doc, p.toString());
                List<Map<String, Object>> targets = out.stream().filter(res -> sameObject(res, patch)).toList();
                if (targets.size() != 1) {
                    throw new IllegalStateException(p + " must patch exactly one resource; it matches " + targets.size());
                }
                Map<String, Object> target = targets.get(0);
                Map<String, Object> merged = builtIn(target) ? strategicMerge(target, patch) : jsonMergePatch(target, patch);
                out.set(out.indexOf(target), merged);
            }
        }
        Object ns = k.get("namespace");
        if (ns != null) {
            for (Map<String, Object> res : out) {
                if (!CLUSTER_SCOPED.contains(res.get("kind"))) {
                    map(res.get("metadata"), "metadata").put("namespace", ns);
                }
            }
        }
        for (Object i : list(k.getOrDefault("images", List.of()))) {
            Map<String, Object> image = map(i, "images entry");
            String name = (String) image.get("name");
            String replacement = image.getOrDefault("newName", name) + (image.containsKey("newTag") ? ":" + image.get("newTag") : "");
            for (Map<String, Object> res : out) {
                for (Map<String, Object> c : containers(res)) {
                    String current = (String) c.get("image");
                    if (current != null && imageName(current).equals(name)) {
                        c.put("image", replacement);
                    }
                }
            }
        }
        return out;
    }

    /** The containers and init containers of a resource's pod template (Deployment, Job), or of a Pod. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> containers(Map<String, Object> res) {
        Object spec = res.get("spec");
        if (!(spec instanceof Map)) {
            return List.of();
        }
        Map<String, Object> podSpec = (Map<String, Object>) spec;
        if (podSpec.get("template") instanceof Map<?, ?> t && t.get("spec") instanceof Map<?, ?> ps) {
            podSpec = (Map<String, Object>) ps;
        } else if (!"Pod".equals(res.get("kind"))) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String key : List.of("initContainers", "containers")) {
            for (Object c : list(podSpec.getOrDefault(key, List.of()))) {
                out.add((Map<String, Object>) c);
            }
        }
        return out;
    }

    private static String imageName(String image) {
        int at = image.indexOf('@');
        String s = at < 0 ? image : image.substring(0, at);
        int colon = s.lastIndexOf(':');
        return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
    }

    private static boolean builtIn(Map<String, Object> res) {
        String apiVersion = (String) res.get("apiVersion");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
    }

    private static boolean sameObject(Map<String, Object> a, Map<String, Object> b) {
        return Objects.equals(a.get("apiVersion"), b.get("apiVersion")) && Objects.equals(a.get("kind"), b.get("kind"))
                && Objects.equals(map(a.get("metadata"), "metadata").get("name"), map(b.get("metadata"), "metadata").get("name"));
    }

    /** RFC 7386. */
    static Map<String, Object> jsonMergePatch(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> out = new LinkedHashMap<>(target);
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            if (e.getValue() == null) {
                out.remove(e.getKey());
            } else if (e.getValue() instanceof Map<?, ?> pm && out.get(e.getKey()) instanceof Map<?, ?> tm) {
                out.put(e.getKey(), jsonMergePatch(cast(tm), cast(pm)));
            } else {
                out.put(e.getKey(), e.getValue() instanceof Map<?, ?> pm ? jsonMergePatch(new LinkedHashMap<>(), cast(pm))
                        : e.getValue());
            }
        }
        return out;
    }

    /** Strategic merge as the API server does it for the lists named in {@link #MERGE_KEYS}. */
    static Map<String, Object> strategicMerge(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> out = new LinkedHashMap<>(target);
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (value == null) {
                out.remove(key);
            } else if (value instanceof Map<?, ?> pm && out.get(key) instanceof Map<?, ?> tm) {
                out.put(key, strategicMerge(cast(tm), cast(pm)));
            } else if (value instanceof List<?> pl && out.get(key) instanceof List<?> tl && mergeKey(key, pl, tl) != null) {
                String mk = mergeKey(key, pl, tl);
                List<Object> merged = new ArrayList<>(tl);
                for (Object item : pl) {
                    Map<String, Object> pi = cast((Map<?, ?>) item);
                    int at = -1;
                    for (int i = 0; i < merged.size(); i++) {
                        if (Objects.equals(cast((Map<?, ?>) merged.get(i)).get(mk), pi.get(mk))) {
                            at = i;
                        }
                    }
                    if (at < 0) {
                        merged.add(pi);
                    } else {
                        merged.set(at, strategicMerge(cast((Map<?, ?>) merged.get(at)), pi));
                    }
                }
                out.put(key, merged);
            } else {
                out.put(key, value);
            }
        }
        return out;
    }

    private static String mergeKey(String field, List<?> patch, List<?> target) {
        if (field.equals("ports")) {
            Object first = !target.isEmpty() ? target.get(0) : patch.isEmpty() ? null : patch.get(0);
            return first instanceof Map<?, ?> m && m.containsKey("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalStateException(what + " is not a mapping: " + o);
        }
        return (Map<String, Object>) o;
    }

    static List<?> list(Object o) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalStateException("not a list: " + o);
        }
        return l;
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    static Object loadOne(Path p) {
        try {
            return yaml().load(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Object> loadAll(Path p) {
        try {
            List<Object> docs = new ArrayList<>();
            for (Object d : yaml().loadAll(Files.readString(p))) {
                if (d != null) {
                    docs.add(d);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
