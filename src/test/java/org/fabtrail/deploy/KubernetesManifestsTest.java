package org.fabtrail.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/kubernetes as {@code kubectl apply -k} would apply it, read with the real Kubernetes model (fabric8), and
 * its wiring checked: what one resource names, another provides. No cluster runs here; the CloudNativePG resources are
 * validated against their CRD schemas in {@link CloudNativePgSchemaTest}.
 */
class KubernetesManifestsTest {

    /** Every install an operator may apply. */
    static final String[] INSTALLS = {"small", "production", "restore"};

    // ---------------------------------------------------------------------------------------------------------------
    // Parsing

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "restore", "tasks"})
    void everyManifestIsAKubernetesObjectWithNoUnknownField(String install) {
        Manifests m = Manifests.render(install);
        assertFalse(m.resources.isEmpty());
        for (HasMetadata r : m.resources) {
            assertNotNull(r.getMetadata().getName(), install + ": a " + r.getKind() + " without a name");
            if (r instanceof GenericKubernetesResource g) {
                assertTrue(Manifests.CUSTOM_KINDS.contains(g.getKind()), install + ": " + g.getKind() + " ("
                        + g.getApiVersion() + ") is neither a built-in kind the model knows nor a checked custom resource");
            } else {
                assertEquals(List.of(), Manifests.unknownFields(r), install + ": fields of " + r.getKind() + " "
                        + r.getMetadata().getName() + " that Kubernetes does not know");
            }
            if (!(r instanceof Namespace)) {
                assertEquals("fabtrail", r.getMetadata().getNamespace(), install + ": " + r.getKind() + " "
                        + r.getMetadata().getName() + " outside the fabtrail namespace");
            }
        }
        Set<String> ids = new HashSet<>();
        for (HasMetadata r : m.resources) {
            assertTrue(ids.add(r.getApiVersion() + "/" + r.getKind() + "/" + r.getMetadata().getName()),
                    install + ": two resources named " + r.getKind() + " " + r.getMetadata().getName());
        }
    }

    @Test
    void theRendererMergesAsKubernetesDoes() {
        Map<String, Object> base = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "a", "image", "x", "resources", Map.of("limits", Map.of("memory", "1Gi"))),
                Map.of("name", "b", "image", "y"))))));
        Map<String, Object> patch = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "b", "image", "z"))))));
        Map<String, Object> merged = Kustomize.strategicMerge(base, patch);
        Map<String, Object> expected = Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(
                Map.of("name", "a", "image", "x", "resources", Map.of("limits", Map.of("memory", "1Gi"))),
                Map.of("name", "b", "image", "z"))))));
        assertEquals(expected, merged, "containers merge by name");
        Map<String, Object> cr = new LinkedHashMap<>(Map.of("spec", Map.of("plugins", List.of(Map.of("name", "p", "x", "1")),
                "bootstrap", Map.of("initdb", Map.of("database", "d")))));
        Map<String, Object> crPatch = new HashMap<>();
        Map<String, Object> bootstrap = new HashMap<>();
        bootstrap.put("initdb", null);
        bootstrap.put("recovery", Map.of("source", "s"));
        crPatch.put("spec", Map.of("plugins", List.of(Map.of("name", "p")), "bootstrap", bootstrap));
        assertEquals(Map.of("spec", Map.of("plugins", List.of(Map.of("name", "p")),
                        "bootstrap", Map.of("recovery", Map.of("source", "s")))),
                Kustomize.jsonMergePatch(cr, crPatch), "custom resources: lists replaced, null deletes");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The Deployment

    @ParameterizedTest
    @ValueSource(strings = {"small", "production"})
    void theServerRunsHighlyAvailable(String install) {
        Manifests m = Manifests.render(install);
        Deployment d = m.one(Deployment.class);
        assertTrue(d.getSpec().getReplicas() >= 3, install + ": at least three instances");
        assertEquals(new IntOrString(0), d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable(),
                install + ": a rolling update adds a new instance before it takes an old one away");
        PodDisruptionBudget pdb = m.one(PodDisruptionBudget.class);
        assertTrue(Manifests.selects(pdb.getSpec().getSelector().getMatchLabels(), podLabels(d)),
                install + ": the disruption budget covers the server's pods");
        int maxUnavailable = pdb.getSpec().getMaxUnavailable().getIntVal();
        assertTrue(maxUnavailable >= 1 && d.getSpec().getReplicas() - maxUnavailable >= 2,
                install + ": a drain leaves at least two instances serving");
        var spread = d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
        assertTrue(spread.stream().anyMatch(t -> t.getTopologyKey().equals("kubernetes.io/hostname")
                && t.getWhenUnsatisfiable().equals("DoNotSchedule")
                && Manifests.selects(t.getLabelSelector().getMatchLabels(), podLabels(d))), install + ": never two on one node");
        assertTrue(spread.stream().anyMatch(t -> t.getTopologyKey().equals("topology.kubernetes.io/zone")
                && Manifests.selects(t.getLabelSelector().getMatchLabels(), podLabels(d))), install + ": spread over zones");
        if (install.equals("production")) {
            assertTrue(spread.stream().anyMatch(t -> t.getTopologyKey().equals("topology.kubernetes.io/zone")
                    && t.getWhenUnsatisfiable().equals("DoNotSchedule")), "production insists on zones");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "restore", "tasks"})
    void everyContainerRunsLockedDown(String install) {
        Manifests m = Manifests.render(install);
        List<PodTemplateSpec> pods = new ArrayList<>();
        m.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate()));
        m.all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate()));
        assertFalse(pods.isEmpty());
        int uid = ContainerfileTest.imageUser();
        for (PodTemplateSpec t : pods) {
            PodSpec p = t.getSpec();
            assertEquals(Boolean.TRUE, p.getSecurityContext().getRunAsNonRoot(), install + ": runAsNonRoot");
            assertEquals(uid, p.getSecurityContext().getRunAsUser().intValue(), install + ": the image's own user");
            assertEquals("RuntimeDefault", p.getSecurityContext().getSeccompProfile().getType(), install + ": seccomp");
            assertEquals(Boolean.FALSE, p.getAutomountServiceAccountToken(), install + ": no API token in the pod");
            List<Container> all = new ArrayList<>(p.getContainers());
            if (p.getInitContainers() != null) {
                all.addAll(p.getInitContainers());
            }
            for (Container c : all) {
                String where = install + ": container " + c.getName();
                assertTrue(c.getImage().startsWith("registry.example.org/fabtrail:"), where + " runs the image the overlay names");
                var sc = c.getSecurityContext();
                assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where + ": read-only root filesystem");
                assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where + ": no privilege escalation");
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), where + ": drops all capabilities");
                assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), where);
                assertTrue(sc.getPrivileged() == null || !sc.getPrivileged(), where);
                Map<String, Quantity> requests = c.getResources().getRequests();
                Map<String, Quantity> limits = c.getResources().getLimits();
                assertNotNull(requests.get("cpu"), where + ": CPU request");
                assertNotNull(requests.get("memory"), where + ": memory request");
                assertNotNull(limits.get("memory"), where + ": memory limit");
                long heap = maxHeapBytes(m, c);
                long limit = Quantity.getAmountInBytes(limits.get("memory")).longValue();
                assertTrue(limit >= heap * 3 / 2, where + ": a memory limit of " + limits.get("memory")
                        + " leaves too little beside a heap of " + heap / (1 << 20) + " MiB (metaspace, threads, buffers)");
                assertEquals(0, Quantity.getAmountInBytes(requests.get("memory"))
                        .compareTo(Quantity.getAmountInBytes(limits.get("memory"))), where + ": memory request = limit");
                Map<String, String> mounts = mountsByPath(p, c);
                assertEquals("emptyDir", mounts.get("/tmp"), where + ": /tmp on a volume (the JVM and Quarkus write there)");
                for (VolumeMount vm : c.getVolumeMounts()) {
                    assertTrue(p.getVolumes().stream().anyMatch(v -> v.getName().equals(vm.getName())),
                            where + " mounts a volume that does not exist: " + vm.getName());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production"})
    void theServerGetsTheConfigurationContract(String install) throws IOException {
        Manifests m = Manifests.render(install);
        Deployment d = m.one(Deployment.class);
        PodSpec p = d.getSpec().getTemplate().getSpec();
        Container server = container(p.getContainers(), "fabtrail");
        Map<String, String> env = environment(m, server);
        Map<String, String> settings = settings(m);

        // the database: the runtime role, migrations off
        assertTrue(settings.get("FABTRAIL_DB_URL").startsWith("jdbc:postgresql://"));
        assertEquals("secret fabtrail-db-runtime/username", env.get("FABTRAIL_DB_USER"));
        assertEquals("secret fabtrail-db-runtime/password", env.get("FABTRAIL_DB_PASSWORD"));
        assertEquals("false", env.get("QUARKUS_FLYWAY_MIGRATE_AT_START"), "the server does not migrate");
        assertFalse(env.containsKey("QUARKUS_INIT_AND_EXIT"));

        // the operator key and the master key: files of a Secret mounted read-only
        for (String setting : List.of("FABTRAIL_OPERATOR_KEY", "FABTRAIL_MASTER_KEY")) {
            Path file = Path.of(env.get(setting));
            VolumeMount mount = server.getVolumeMounts().stream()
                    .filter(vm -> file.startsWith(vm.getMountPath())).findFirst()
                    .orElseThrow(() -> new AssertionError(setting + "=" + file + " is on no volume"));
            assertEquals(Boolean.TRUE, mount.getReadOnly(), setting + " mounted read-only");
            Volume v = volume(p, mount.getName());
            assertNotNull(v.getSecret(), setting + " comes from a Secret");
            String item = Path.of(mount.getMountPath()).relativize(file).toString();
            assertTrue(v.getSecret().getItems().stream().anyMatch(i -> i.getPath().equals(item)),
                    setting + ": the Secret projects " + item);
            assertEquals(0440, v.getSecret().getDefaultMode(), "key files readable by the pod's group (fsGroup) only");
        }

        // the data directory: a volume, where the image says
        String dataDir = env.get("FABTRAIL_DATA_DIR");
        assertEquals(ContainerfileTest.imageDataDir(), dataDir);
        assertTrue(mountsByPath(p, server).containsKey(dataDir), "the data directory is a volume");

        // every Fabtrail setting the pod sets is one docs/operators.md documents
        Set<String> documented = documentedSettings();
        for (String name : env.keySet()) {
            if (name.startsWith("FABTRAIL_")) {
                assertTrue(documented.contains(name), name + " is not in docs/operators.md's configuration table");
            }
        }
        assertTrue(maxHeapBytes(m, server) <= 512L << 20, "the heap the design is sized for: -Xmx512m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production"})
    void migrationsRunOnceAsTheOwnerBeforeTheServerStarts(String install) {
        Manifests m = Manifests.render(install);
        PodSpec p = m.one(Deployment.class).getSpec().getTemplate().getSpec();
        assertEquals(1, p.getInitContainers().size());
        Container migrate = p.getInitContainers().get(0);
        Container server = container(p.getContainers(), "fabtrail");
        assertEquals(server.getImage(), migrate.getImage(), "the migrations of the version that is rolled out");
        Map<String, String> env = environment(m, migrate);
        assertEquals(List.of("migrate"), migrate.getArgs(), "the migrate command: applies the migrations, then exits");
        String cluster = m.oneCustom("Cluster").getMetadata().getName();
        assertEquals("secret " + cluster + "-app/username", env.get("FABTRAIL_DB_USER"),
                "as the owner CloudNativePG generated for bootstrap.initdb");
        assertEquals("secret " + cluster + "-app/password", env.get("FABTRAIL_DB_PASSWORD"));
        assertEquals(settings(m).get("FABTRAIL_DB_URL"), env.get("FABTRAIL_DB_URL"), "the same database");
        for (String ref : environment(m, server).values()) {
            assertFalse(ref.startsWith("secret " + cluster + "-app/"), "the server never sees the owner's credentials");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production"})
    void probesAskTheHealthEndpointsOnTheServersPort(String install) throws IOException {
        Manifests m = Manifests.render(install);
        PodSpec p = m.one(Deployment.class).getSpec().getTemplate().getSpec();
        Container server = container(p.getContainers(), "fabtrail");
        Map<String, String> expected = Map.of(
                "startup", healthPath("startup-path", "started"),
                "readiness", healthPath("readiness-path", "ready"),
                "liveness", healthPath("liveness-path", "live"));
        Map<String, Probe> probes = Map.of("startup", server.getStartupProbe(), "readiness", server.getReadinessProbe(),
                "liveness", server.getLivenessProbe());
        for (var e : probes.entrySet()) {
            Probe probe = e.getValue();
            assertNotNull(probe, e.getKey() + " probe");
            assertEquals(expected.get(e.getKey()), probe.getHttpGet().getPath(), e.getKey() + " probe path");
            assertEquals(httpPort(), containerPort(server, probe.getHttpGet().getPort()),
                    e.getKey() + " probe port is the server's HTTP port");
        }
        // a slow start (migrations, a large log's start checks) is given minutes, not killed by the liveness probe
        Probe startup = server.getStartupProbe();
        assertTrue(startup.getPeriodSeconds() * startup.getFailureThreshold() >= 180);
        // the readiness check opens a connection: give it longer than the pool's acquisition timeout (5 s)
        assertTrue(server.getReadinessProbe().getTimeoutSeconds() > 5);
        assertEquals(List.of(httpPort()), server.getPorts().stream().map(ContainerPort::getContainerPort).toList());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Service, ingress, monitoring: labels and ports agree

    @ParameterizedTest
    @ValueSource(strings = {"small", "production"})
    void serviceIngressAndMonitorReachTheServer(String install) throws IOException {
        Manifests m = Manifests.render(install);
        Deployment d = m.one(Deployment.class);
        Container server = container(d.getSpec().getTemplate().getSpec().getContainers(), "fabtrail");
        Service svc = m.one(Service.class);
        assertTrue(Manifests.selects(svc.getSpec().getSelector(), podLabels(d)), "the Service selects the server's pods");
        assertEquals(d.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector(),
                "the Service and the Deployment select the same pods");
        for (Job task : Manifests.render("tasks").all(Job.class)) {
            assertFalse(Manifests.selects(svc.getSpec().getSelector(), task.getSpec().getTemplate().getMetadata().getLabels()),
                    "a task's pod would get traffic");
        }
        for (ServicePort sp : svc.getSpec().getPorts()) {
            assertEquals(httpPort(), containerPort(server, sp.getTargetPort()), "Service port " + sp.getName());
        }

        Ingress ing = m.one(Ingress.class);
        Set<String> tlsHosts = ing.getSpec().getTls().stream().flatMap(t -> t.getHosts().stream()).collect(Collectors.toSet());
        for (var rule : ing.getSpec().getRules()) {
            assertTrue(tlsHosts.contains(rule.getHost()), "TLS for " + rule.getHost());
            for (var path : rule.getHttp().getPaths()) {
                IngressBackend b = path.getBackend();
                Service target = m.all(Service.class).stream()
                        .filter(s -> s.getMetadata().getName().equals(b.getService().getName())).findFirst()
                        .orElseThrow(() -> new AssertionError("the ingress names no Service of the install: " + b.getService().getName()));
                var port = b.getService().getPort();
                assertTrue(target.getSpec().getPorts().stream().anyMatch(sp -> port.getName() != null
                        ? port.getName().equals(sp.getName()) : Objects.equals(port.getNumber(), sp.getPort())),
                        "the ingress names a port of the Service");
            }
        }
        assertTrue(ing.getSpec().getTls().stream().allMatch(t -> t.getSecretName() != null));

        GenericKubernetesResource monitor = m.custom("PodMonitor").stream()
                .filter(pm -> pm.getMetadata().getName().equals("fabtrail")).findFirst().orElseThrow();
        assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
        Map<String, String> sel = monitor.get("spec", "selector", "matchLabels");
        assertTrue(Manifests.selects(sel, podLabels(d)), "the PodMonitor selects the server's pods");
        List<Map<String, Object>> endpoints = monitor.get("spec", "podMetricsEndpoints");
        assertEquals(1, endpoints.size());
        assertEquals(httpPort(), containerPort(server, new IntOrString((String) endpoints.get(0).get("port"))));
        assertEquals(metricsPath(), endpoints.get(0).get("path"), "Quarkus serves the Prometheus metrics there");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The database: CloudNativePG, its secrets, its network

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "restore"})
    void anAcknowledgedEntryIsOnAtLeastTwoInstances(String install) {
        Manifests m = Manifests.render(install);
        GenericKubernetesResource cluster = m.oneCustom("Cluster");
        int instances = ((Number) cluster.get("spec", "instances")).intValue();
        assertTrue(instances >= 3, "three instances: a primary and two standbys to choose the synchronous one from");
        Map<String, Object> sync = cluster.get("spec", "postgresql", "synchronous");
        assertNotNull(sync, "synchronous replication");
        int number = ((Number) sync.get("number")).intValue();
        assertTrue(number >= 1 && number < instances, "a commit waits for 1 to " + (instances - 1) + " standbys");
        assertTrue(Set.of("any", "first").contains(sync.get("method")));
        assertEquals("any", sync.get("method"), "quorum: any of the standbys, not a fixed one");
        assertEquals("required", sync.get("dataDurability"),
                "a primary without a standby waits, rather than acknowledging an entry held by one node");
        assertEquals(Boolean.TRUE, sync.get("failoverQuorum"), "promote only a standby that holds every acknowledged commit");
        Map<String, Object> params = cluster.get("spec", "postgresql", "parameters");
        assertTrue(Set.of("on", "remote_apply").contains(params.get("synchronous_commit")),
                "the standby has flushed the commit to disk before it is acknowledged");
        int copies = 1 + number;
        assertTrue(copies >= 2, "an acknowledged entry is on " + copies + " instances");
        assertEquals(Boolean.FALSE, cluster.get("spec", "enableSuperuserAccess"), "no superuser password to leak");
        Map<String, Object> affinity = cluster.get("spec", "affinity");
        assertEquals(Boolean.TRUE, affinity.get("enablePodAntiAffinity"));
        assertEquals("required", affinity.get("podAntiAffinityType"), "two instances never share a failure domain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "restore"})
    void theServerReachesTheDatabaseCloudNativePgRuns(String install) throws IOException {
        Manifests m = Manifests.render(install);
        GenericKubernetesResource cluster = m.oneCustom("Cluster");
        String name = cluster.getMetadata().getName();
        URI url = URI.create(settings(m).get("FABTRAIL_DB_URL").substring("jdbc:".length()));
        assertEquals(name + "-rw", url.getHost(), "the read-write service, which follows the primary");
        assertEquals(5432, url.getPort());
        String database = install.equals("restore") ? "fabtrail"
                : (String) ((Map<?, ?>) cluster.get("spec", "bootstrap", "initdb")).get("database");
        assertEquals("/" + database, url.getPath());
        Map<String, String> query = query(url);
        assertEquals("verify-ca", query.get("sslmode"), "TLS, checked against the cluster's CA");
        Deployment d = m.one(Deployment.class);
        PodSpec p = d.getSpec().getTemplate().getSpec();
        Container server = container(p.getContainers(), "fabtrail");
        Path ca = Path.of(query.get("sslrootcert"));
        VolumeMount mount = server.getVolumeMounts().stream().filter(vm -> ca.startsWith(vm.getMountPath())).findFirst()
                .orElseThrow();
        Volume v = volume(p, mount.getName());
        assertEquals(name + "-ca", v.getSecret().getSecretName(), "CloudNativePG's CA Secret");
        assertEquals(List.of("ca.crt"), v.getSecret().getItems().stream().map(i -> i.getKey()).toList(),
                "only the certificate is projected: the Secret also holds the CA's private key");

        // the runtime role is a managed role whose password Secret the docs create, with that role as its username
        List<Map<String, Object>> roles = cluster.get("spec", "managed", "roles");
        Map<String, Object> app = roles.stream().filter(r -> "fabtrail_app".equals(r.get("name"))).findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, app.get("login"));
        for (String power : List.of("superuser", "createdb", "createrole", "replication", "bypassrls")) {
            assertEquals(Boolean.FALSE, app.get(power), "fabtrail_app has no " + power);
        }
        String runtimeSecret = (String) ((Map<?, ?>) app.get("passwordSecret")).get("name");
        assertEquals("secret " + runtimeSecret + "/username", environment(m, server).get("FABTRAIL_DB_USER"));
        DocumentedSecret doc = documentedSecrets().get(runtimeSecret);
        assertNotNull(doc, "docs/operators.md creates " + runtimeSecret);
        assertEquals("kubernetes.io/basic-auth", doc.type, "CloudNativePG reads a managed role's password from basic-auth");
        assertEquals("fabtrail_app", doc.literals.get("username"), "the Secret's username is the role's name");
        if (!install.equals("restore")) {
            Map<String, Object> initdb = cluster.get("spec", "bootstrap", "initdb");
            assertEquals("fabtrail_owner", initdb.get("owner"));
            assertFalse(initdb.containsKey("secret"), "CloudNativePG generates the owner's Secret " + name + "-app");
            List<String> sql = List.of(((List<?>) initdb.get("postInitApplicationSQL")).toArray(String[]::new));
            assertTrue(sql.stream().anyMatch(s -> s.startsWith("CREATE ROLE fabtrail_app")),
                    "the runtime role exists before the first migration, which grants it its rights");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "restore", "tasks"})
    void everySecretIsGeneratedByCloudNativePgOrCreatedInTheDocs(String install) throws IOException {
        Manifests m = Manifests.render(install);
        Manifests withCluster = install.equals("tasks") ? Manifests.render("production") : m;
        String cluster = withCluster.oneCustom("Cluster").getMetadata().getName();
        Map<String, Set<String>> generated = Map.of(
                cluster + "-app", Set.of("username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "pgpass"),
                cluster + "-ca", Set.of("ca.crt", "ca.key"));
        Map<String, DocumentedSecret> documented = documentedSecrets();
        List<SecretRef> refs = secretRefs(m);
        assertFalse(refs.isEmpty());
        for (SecretRef ref : refs) {
            if (generated.containsKey(ref.name)) {
                assertTrue(ref.key == null || generated.get(ref.name).contains(ref.key),
                        ref + ": CloudNativePG's Secret has no such key");
                continue;
            }
            DocumentedSecret doc = documented.get(ref.name);
            if (doc == null && ref.optional) {
                continue;
            }
            assertNotNull(doc, ref + " is neither generated by CloudNativePG nor created in docs/operators.md");
            assertTrue(ref.key == null || doc.keys.contains(ref.key), ref + ": docs/operators.md creates it with keys " + doc.keys);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "restore"})
    void onlyFabtrailReachesPostgreSql(String install) {
        Manifests m = Manifests.render(install);
        String cluster = m.oneCustom("Cluster").getMetadata().getName();
        NetworkPolicy np = m.one(NetworkPolicy.class);
        assertEquals(Map.of("cnpg.io/cluster", cluster), np.getSpec().getPodSelector().getMatchLabels(),
                "the policy covers the database pods (CloudNativePG labels them cnpg.io/cluster)");
        assertEquals(List.of("Ingress"), np.getSpec().getPolicyTypes());
        Map<String, String> server = podLabels(m.one(Deployment.class));
        List<Map<String, String>> tasks = Manifests.render("tasks").all(Job.class).stream()
                .map(j -> j.getSpec().getTemplate().getMetadata().getLabels()).toList();
        boolean serverAllowed = false;
        for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
            assertNotNull(rule.getFrom(), "a rule without from admits everyone");
            assertFalse(rule.getFrom().isEmpty(), "a rule without from admits everyone");
            for (NetworkPolicyPeer peer : rule.getFrom()) {
                assertTrue(peer.getIpBlock() == null, "no address ranges");
                boolean samePodSelector = peer.getNamespaceSelector() == null;
                boolean portsOpen5432 = rule.getPorts() == null
                        || rule.getPorts().stream().anyMatch(pp -> pp.getPort().getIntVal() == 5432);
                if (samePodSelector) {
                    Map<String, String> sel = peer.getPodSelector().getMatchLabels();
                    boolean isFabtrail = Manifests.selects(sel, server);
                    boolean isCluster = Map.of("cnpg.io/cluster", cluster).equals(sel);
                    assertTrue(isFabtrail || isCluster, "in the namespace, only Fabtrail and the instances: " + sel);
                    if (isFabtrail) {
                        serverAllowed |= portsOpen5432;
                        tasks.forEach(t -> assertTrue(Manifests.selects(sel, t), "the tasks reach the database too"));
                        assertEquals(List.of(5432), rule.getPorts().stream().map(pp -> pp.getPort().getIntVal()).toList());
                    }
                } else {
                    Map<String, String> ns = peer.getNamespaceSelector().getMatchLabels();
                    if (Map.of("kubernetes.io/metadata.name", "cnpg-system").equals(ns)) {
                        assertEquals(Map.of("app.kubernetes.io/name", "cloudnative-pg"), peer.getPodSelector().getMatchLabels());
                        assertEquals(Set.of(8000, 5432), rule.getPorts().stream().map(pp -> pp.getPort().getIntVal())
                                .collect(Collectors.toSet()), "the operator needs the instance manager (8000) and 5432");
                    } else {
                        assertEquals(List.of(9187), rule.getPorts().stream().map(pp -> pp.getPort().getIntVal()).toList(),
                                "other namespaces (Prometheus) get the exporter's port only: " + ns);
                    }
                }
            }
        }
        assertTrue(serverAllowed, "the server's pods reach PostgreSQL on 5432");

        GenericKubernetesResource dbMonitor = m.custom("PodMonitor").stream()
                .filter(pm -> !pm.getMetadata().getName().equals("fabtrail")).findFirst().orElseThrow();
        assertEquals(Map.of("cnpg.io/cluster", cluster), dbMonitor.get("spec", "selector", "matchLabels"));
        assertEquals("metrics", ((List<Map<String, Object>>) dbMonitor.get("spec", "podMetricsEndpoints")).get(0).get("port"),
                "CloudNativePG's exporter port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "restore"})
    void backupsGoToTheObjectStoreTheClusterArchivesTo(String install) {
        Manifests m = Manifests.render(install);
        GenericKubernetesResource cluster = m.oneCustom("Cluster");
        GenericKubernetesResource store = m.oneCustom("ObjectStore");
        GenericKubernetesResource backup = m.oneCustom("ScheduledBackup");
        List<Map<String, Object>> plugins = cluster.get("spec", "plugins");
        Map<String, Object> archiver = plugins.stream().filter(p -> Boolean.TRUE.equals(p.get("isWALArchiver")))
                .findFirst().orElseThrow(() -> new AssertionError("no WAL archiver: no point-in-time recovery"));
        assertEquals("barman-cloud.cloudnative-pg.io", archiver.get("name"));
        assertEquals(store.getMetadata().getName(), ((Map<?, ?>) archiver.get("parameters")).get("barmanObjectName"));
        assertEquals(cluster.getMetadata().getName(), backup.get("spec", "cluster", "name"));
        assertEquals("plugin", backup.get("spec", "method"));
        assertEquals(archiver.get("name"), backup.get("spec", "pluginConfiguration", "name"));
        String schedule = backup.get("spec", "schedule");
        assertEquals(6, schedule.trim().split("\\s+").length, "CloudNativePG's schedule has six fields, seconds first");
        assertTrue(((String) store.get("spec", "retentionPolicy")).matches("[1-9][0-9]*[dwm]"));
        if (install.equals("restore")) {
            assertNull(cluster.get("spec", "bootstrap", "initdb"), "a restore does not initdb");
            String source = cluster.get("spec", "bootstrap", "recovery", "source");
            List<Map<String, Object>> external = cluster.get("spec", "externalClusters");
            Map<String, Object> from = external.stream().filter(e -> source.equals(e.get("name"))).findFirst().orElseThrow();
            Map<?, ?> fromParams = (Map<?, ?>) ((Map<?, ?>) from.get("plugin")).get("parameters");
            assertEquals(store.getMetadata().getName(), fromParams.get("barmanObjectName"));
            assertEquals(cluster.getMetadata().getName(), fromParams.get("serverName"), "restores the old cluster's backups");
            assertFalse(Objects.equals(fromParams.get("serverName"), ((Map<?, ?>) archiver.get("parameters")).get("serverName")),
                    "the restored cluster archives under a new name: an archive holds one cluster's WAL");
            assertEquals(0, m.one(Deployment.class).getSpec().getReplicas(), "no server before verify has passed");
        } else {
            assertEquals("fabtrail", cluster.get("spec", "bootstrap", "initdb", "database"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production"})
    void thePostgreSqlConnectionLimitCoversEveryPoolDuringARollout(String install) throws IOException {
        Manifests m = Manifests.render(install);
        Deployment d = m.one(Deployment.class);
        int pool = Integer.parseInt(applicationProperties().getProperty("quarkus.datasource.jdbc.max-size"));
        int surge = d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal();
        int tasks = Manifests.render("tasks").all(Job.class).size();
        Map<String, Object> params = m.oneCustom("Cluster").get("spec", "postgresql", "parameters");
        int max = Integer.parseInt((String) params.get("max_connections"));
        int needed = (d.getSpec().getReplicas() + surge + tasks) * pool + 10; // + CloudNativePG's own and reserved
        assertTrue(max >= needed, install + ": max_connections " + max + " < " + needed);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    static void assertNull(Object o, String message) {
        assertTrue(o == null, message + " (was " + o + ")");
    }

    static Map<String, String> podLabels(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getLabels();
    }

    static Container container(List<Container> cs, String name) {
        return cs.stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Volume volume(PodSpec p, String name) {
        return p.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** Mount path → kind of volume ("emptyDir", "secret", ...). */
    static Map<String, String> mountsByPath(PodSpec p, Container c) {
        Map<String, String> out = new HashMap<>();
        for (VolumeMount vm : c.getVolumeMounts()) {
            Volume v = volume(p, vm.getName());
            out.put(vm.getMountPath(), v.getEmptyDir() != null ? "emptyDir" : v.getSecret() != null ? "secret" : "other");
        }
        return out;
    }

    /** The port number a probe, Service or monitor names (by name or number) among the container's ports. */
    static int containerPort(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            assertTrue(c.getPorts().stream().anyMatch(p -> p.getContainerPort().equals(port.getIntVal())),
                    "no container port " + port.getIntVal());
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal())).getContainerPort();
    }

    static Map<String, String> settings(Manifests m) {
        return m.one(ConfigMap.class).getData();
    }

    /** Name → value, "configmap NAME/KEY", "secret NAME/KEY", with envFrom ConfigMaps expanded. */
    static Map<String, String> environment(Manifests m, Container c) {
        Map<String, String> out = new LinkedHashMap<>();
        if (c.getEnvFrom() != null) {
            for (var from : c.getEnvFrom()) {
                assertNotNull(from.getConfigMapRef(), "envFrom a ConfigMap only");
                ConfigMap cm = m.all(ConfigMap.class).stream()
                        .filter(x -> x.getMetadata().getName().equals(from.getConfigMapRef().getName())).findFirst()
                        .orElseThrow(() -> new AssertionError("no ConfigMap " + from.getConfigMapRef().getName()));
                out.putAll(cm.getData());
            }
        }
        for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            if (e.getValue() != null) {
                out.put(e.getName(), e.getValue());
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                out.put(e.getName(), "secret " + e.getValueFrom().getSecretKeyRef().getName() + "/"
                        + e.getValueFrom().getSecretKeyRef().getKey());
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                ConfigMap cm = m.all(ConfigMap.class).stream().filter(x -> x.getMetadata().getName().equals(ref.getName()))
                        .findFirst().orElse(null);
                if (cm == null) {
                    // the tasks use the ConfigMap the server's install created
                    cm = Manifests.render("production").one(ConfigMap.class);
                    assertEquals(ref.getName(), cm.getMetadata().getName());
                }
                String v = cm.getData().get(ref.getKey());
                assertNotNull(v, "ConfigMap " + ref.getName() + " has no key " + ref.getKey());
                out.put(e.getName(), v);
            } else {
                fail("unexpected env source for " + e.getName());
            }
        }
        return out;
    }

    static long maxHeapBytes(Manifests m, Container c) {
        String opts = environment(m, c).get("JDK_JAVA_OPTIONS");
        assertNotNull(opts, c.getName() + ": JDK_JAVA_OPTIONS sets the heap");
        Matcher x = Pattern.compile("-Xmx(\\d+)([mMgG])").matcher(opts);
        assertTrue(x.find(), "a -Xmx in " + opts);
        return Long.parseLong(x.group(1)) << (x.group(2).equalsIgnoreCase("g") ? 30 : 20);
    }

    record SecretRef(String name, String key, boolean optional, String where) {
        @Override
        public String toString() {
            return "Secret " + name + (key == null ? "" : " key " + key) + " (" + where + ")";
        }
    }

    @SuppressWarnings("unchecked")
    static List<SecretRef> secretRefs(Manifests m) {
        List<SecretRef> out = new ArrayList<>();
        for (HasMetadata r : m.resources) {
            String where = r.getKind() + " " + r.getMetadata().getName();
            PodSpec p = r instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                    : r instanceof Job j ? j.getSpec().getTemplate().getSpec() : null;
            if (p != null) {
                List<Container> cs = new ArrayList<>(p.getContainers());
                Optional.ofNullable(p.getInitContainers()).ifPresent(cs::addAll);
                for (Container c : cs) {
                    for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                            var s = e.getValueFrom().getSecretKeyRef();
                            out.add(new SecretRef(s.getName(), s.getKey(), Boolean.TRUE.equals(s.getOptional()), where));
                        }
                    }
                }
                for (Volume v : p.getVolumes()) {
                    if (v.getSecret() != null) {
                        boolean optional = Boolean.TRUE.equals(v.getSecret().getOptional());
                        if (v.getSecret().getItems() == null) {
                            out.add(new SecretRef(v.getSecret().getSecretName(), null, optional, where));
                        } else {
                            v.getSecret().getItems().forEach(i ->
                                    out.add(new SecretRef(v.getSecret().getSecretName(), i.getKey(), optional, where)));
                        }
                    }
                }
            }
            if (r instanceof Ingress ing) {
                ing.getSpec().getTls().forEach(t -> {
                    out.add(new SecretRef(t.getSecretName(), "tls.crt", false, where));
                    out.add(new SecretRef(t.getSecretName(), "tls.key", false, where));
                });
            }
            if (r instanceof GenericKubernetesResource g) {
                collectSecretRefs(m.rawOf(g).get("spec"), where, out);
            }
        }
        return out;
    }

    /** CloudNativePG's references: {@code passwordSecret: {name}} and {@code {name, key}} selectors of credentials. */
    private static void collectSecretRefs(Object node, String where, List<SecretRef> out) {
        if (node instanceof Map<?, ?> map) {
            for (var e : map.entrySet()) {
                String k = (String) e.getKey();
                if (e.getValue() instanceof Map<?, ?> v && v.get("name") instanceof String n
                        && (k.equals("passwordSecret") || (v.get("key") instanceof String && (k.startsWith("accessKeyId")
                        || k.startsWith("secretAccessKey") || k.equals("region") || k.equals("sessionToken")
                        || k.equals("endpointCA"))))) {
                    out.add(new SecretRef(n, (String) v.get("key"), false, where + " " + k));
                } else {
                    collectSecretRefs(e.getValue(), where, out);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(i -> collectSecretRefs(i, where, out));
        }
    }

    record DocumentedSecret(String name, String type, Set<String> keys, Map<String, String> literals) {
    }

    /** The Secrets docs/operators.md tells the operator to create ({@code kubectl -n fabtrail create secret ...}). */
    static Map<String, DocumentedSecret> documentedSecrets() throws IOException {
        String docs = Files.readString(Path.of("docs/operators.md")).replace("\\\n", " ");
        Map<String, DocumentedSecret> out = new HashMap<>();
        Matcher cmd = Pattern.compile("kubectl -n fabtrail create secret (generic|tls) ([a-z0-9-]+)([^\\n]*)").matcher(docs);
        while (cmd.find()) {
            String args = cmd.group(3);
            Set<String> keys = new HashSet<>();
            Map<String, String> literals = new HashMap<>();
            String type = cmd.group(1).equals("tls") ? "kubernetes.io/tls" : "Opaque";
            if (cmd.group(1).equals("tls")) {
                keys.addAll(Set.of("tls.crt", "tls.key"));
            }
            Matcher from = Pattern.compile("--from-(file|literal)=([A-Za-z0-9._-]+)=(\\S*)").matcher(args);
            while (from.find()) {
                keys.add(from.group(2));
                if (from.group(1).equals("literal")) {
                    literals.put(from.group(2), from.group(3));
                }
            }
            Matcher t = Pattern.compile("--type=(\\S+)").matcher(args);
            if (t.find()) {
                type = t.group(1);
            }
            out.put(cmd.group(2), new DocumentedSecret(cmd.group(2), type, keys, literals));
        }
        return out;
    }

    /** The FABTRAIL_* names in docs/operators.md's configuration table. */
    static Set<String> documentedSettings() throws IOException {
        Set<String> out = new HashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(FABTRAIL_[A-Z_]+)`").matcher(Files.readString(Path.of("docs/operators.md")));
        while (row.find()) {
            out.add(row.group(1));
        }
        assertTrue(out.size() > 10, "the configuration table was found");
        return out;
    }

    static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    static int httpPort() throws IOException {
        return Integer.parseInt(applicationProperties().getProperty("quarkus.http.port", "8080"));
    }

    private static String nonApplicationRoot() throws IOException {
        return "/" + applicationProperties().getProperty("quarkus.http.non-application-root-path", "q");
    }

    /** Where Quarkus serves a health check group: /q/health/<group>, unless application.properties moves it. */
    static String healthPath(String key, String dflt) throws IOException {
        Properties p = applicationProperties();
        return nonApplicationRoot() + "/" + p.getProperty("quarkus.smallrye-health.root-path", "health") + "/"
                + p.getProperty("quarkus.smallrye-health." + key, dflt);
    }

    static String metricsPath() throws IOException {
        return nonApplicationRoot() + "/" + applicationProperties().getProperty("quarkus.micrometer.export.prometheus.path", "metrics");
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> out = new HashMap<>();
        for (String kv : url.getQuery().split("&")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }
}
