package org.latticare.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.latticare.cluster.k8s.KubernetesManifests.BASE;
import static org.latticare.cluster.k8s.KubernetesManifests.OVERLAYS;
import static org.latticare.cluster.k8s.KubernetesManifests.ROOT;
import static org.latticare.cluster.k8s.KubernetesManifests.base;
import static org.latticare.cluster.k8s.KubernetesManifests.nodeContainer;
import static org.latticare.cluster.k8s.KubernetesManifests.resolvePort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;
import org.latticare.cluster.tls.TlsSettings;
import tools.jackson.databind.JsonNode;

/**
 * The manifests in {@code k8s/} against each other and against the configuration a node loads from them:
 * what a typo in a label, a port or a path would break only once deployed.
 */
class KubernetesManifestsTest {

  private static final String CLUSTER_BOOTSTRAP = "akka.management.cluster.bootstrap.contact-point-discovery";

  @Test
  void everyManifestParsesIntoATypedKubernetesObject() throws IOException {
    List<String> baseKinds = new ArrayList<>();
    for (Path file : KubernetesManifests.manifestFiles(ROOT)) {
      HasMetadata object = KubernetesManifests.read(file);
      assertThat(object).as(file + " is a known kind").isNotInstanceOf(GenericKubernetesResource.class);
      assertThat(object.getMetadata().getName()).as(file + " has a name").isNotBlank();
      if (file.startsWith(BASE)) {
        baseKinds.add(object.getKind());
      }
    }
    assertThat(baseKinds).containsExactlyInAnyOrder("ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Service",
        "Service", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy");
    for (Path kustomization : KubernetesManifests.kustomizations()) {
      JsonNode tree = KubernetesManifests.readTree(kustomization);
      Path dir = kustomization.getParent();
      for (JsonNode entry : tree.path("resources")) {
        assertThat(dir.resolve(entry.asString())).as(kustomization + " lists " + entry).exists();
      }
      for (JsonNode patch : tree.path("patches")) {
        assertThat(dir.resolve(patch.path("path").asString())).as(kustomization + " patches with " + patch).isRegularFile();
      }
    }
    Set<String> listed = new HashSet<>();
    KubernetesManifests.readTree(BASE.resolve("kustomization.yaml")).path("resources").forEach(r -> listed.add(r.asString()));
    try (Stream<Path> baseFiles = Files.list(BASE)) {
      assertThat(listed).as("the base deploys every manifest it holds")
          .containsExactlyInAnyOrderElementsOf(baseFiles.map(f -> f.getFileName().toString())
              .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).toList());
    }
  }

  @Test
  void servicesTheBudgetAndThePolicySelectTheStatefulSetsPods() {
    StatefulSet statefulSet = base(StatefulSet.class);
    Map<String, String> podLabels = statefulSet.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(statefulSet.getSpec().getSelector().getMatchLabels());
    List<Service> services = KubernetesManifests.all(BASE, Service.class);
    assertThat(services).hasSize(2);
    for (Service service : services) {
      assertThat(service.getSpec().getSelector()).as(service.getMetadata().getName()).isNotEmpty();
      assertThat(podLabels).as(service.getMetadata().getName() + " selects the pods").containsAllEntriesOf(service.getSpec().getSelector());
    }
    Service governing = services.stream().filter(s -> s.getMetadata().getName().equals(statefulSet.getSpec().getServiceName()))
        .findFirst().orElseThrow(() -> new AssertionError("no Service named " + statefulSet.getSpec().getServiceName()));
    assertThat(governing.getSpec().getClusterIP()).as("the StatefulSet's service is headless").isEqualTo("None");
    assertThat(podLabels).as("the PodDisruptionBudget covers the pods")
        .containsAllEntriesOf(base(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
    assertThat(base(PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(podLabels).as("the NetworkPolicy covers the pods")
        .containsAllEntriesOf(base(NetworkPolicy.class).getSpec().getPodSelector().getMatchLabels());
  }

  @Test
  void containerAndServicePortsAreThePortsTheNodeBinds() {
    Container container = nodeContainer(base(StatefulSet.class));
    Config config = KubernetesManifests.baseNodeConfig();
    assertThat(config.getString("latticare.profile")).isEqualTo("kubernetes");
    Map<String, Integer> bound = Map.of(
        "http", config.getInt("latticare.http.port"),
        "management", config.getInt("akka.management.http.port"),
        "remoting", config.getInt("akka.remote.artery.canonical.port"));
    for (Map.Entry<String, Integer> port : bound.entrySet()) {
      assertThat(resolvePort(container, new io.fabric8.kubernetes.api.model.IntOrString(port.getKey())))
          .as("container port '%s'", port.getKey()).isEqualTo(port.getValue());
    }
    // the API's Service port is named for what is served on it: HTTPS, when the front serves it
    Map<String, Integer> served = new java.util.HashMap<>(bound);
    if (TlsSettings.from(config).https().isPresent()) {
      served.put("https", served.remove("http"));
    }
    for (Service service : KubernetesManifests.all(BASE, Service.class)) {
      for (ServicePort port : service.getSpec().getPorts()) {
        int target = resolvePort(container, port.getTargetPort());
        assertThat(served).as(service.getMetadata().getName() + " port " + port.getName() + " reaches a bound port")
            .containsEntry(port.getName(), target);
      }
    }
    assertThat(config.getString("latticare.http.interface")).as("the front listens beyond the pod").isEqualTo("0.0.0.0");
    assertThat(config.getString("akka.remote.artery.canonical.hostname")).as("Artery advertises the pod IP").isEqualTo("10.0.0.10");
    assertThat(config.getString("akka.management.http.hostname")).isEqualTo("10.0.0.10");
  }

  @Test
  void probesAskAkkaManagementForReadinessAndLiveness() {
    Container container = nodeContainer(base(StatefulSet.class));
    Config config = KubernetesManifests.baseNodeConfig();
    int management = config.getInt("akka.management.http.port");
    String ready = "/" + config.getString("akka.management.health-checks.readiness-path");
    String alive = "/" + config.getString("akka.management.health-checks.liveness-path");
    assertThat(config.getString("akka.management.http.routes.health-checks")).isEqualTo("akka.management.HealthCheckRoutes");
    assertProbe(container, container.getReadinessProbe(), ready, management);
    assertProbe(container, container.getLivenessProbe(), alive, management);
    assertProbe(container, container.getStartupProbe(), alive, management);
    Probe startup = container.getStartupProbe();
    assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
        .as("seconds a node has to recover its chain before Management answers").isGreaterThanOrEqualTo(300);
  }

  private static void assertProbe(Container container, Probe probe, String path, int port) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(resolvePort(container, probe.getHttpGet().getPort())).isEqualTo(port);
  }

  @Test
  void clusterBootstrapFindsThePodsAndWaitsForEveryInitialReplica() {
    for (Path overlay : overlays()) {
      StatefulSet statefulSet = withOverlayReplicas(overlay);
      Config config = KubernetesManifests.nodeConfig(
          KubernetesManifests.podEnvironment(base(StatefulSet.class), KubernetesManifests.configMapData(overlay)));
      assertThat(config.getString(CLUSTER_BOOTSTRAP + ".discovery-method")).isEqualTo("kubernetes-api");
      String selector = String.format(config.getString("akka.discovery.kubernetes-api.pod-label-selector"),
          config.getString(CLUSTER_BOOTSTRAP + ".service-name"));
      String[] label = selector.split("=", 2);
      assertThat(statefulSet.getSpec().getTemplate().getMetadata().getLabels()).as(overlay + ": pods match " + selector)
          .containsEntry(label[0], label[1]);
      assertThat(config.getInt(CLUSTER_BOOTSTRAP + ".required-contact-point-nr")).as(overlay + ": contact points")
          .isEqualTo(statefulSet.getSpec().getReplicas());
      assertThat(config.getInt("latticare.expected-members")).isEqualTo(statefulSet.getSpec().getReplicas());
      assertThat(statefulSet.getSpec().getPodManagementPolicy()).as("pods start together, or the first waits for ever")
          .isEqualTo("Parallel");
    }
  }

  @Test
  void theRoleGrantsPodDiscoveryToTheStatefulSetsServiceAccount() {
    Role role = base(Role.class);
    assertThat(role.getRules()).anySatisfy((PolicyRule rule) -> {
      assertThat(rule.getApiGroups()).contains("");
      assertThat(rule.getResources()).contains("pods");
      assertThat(rule.getVerbs()).contains("get", "watch", "list");
    });
    RoleBinding binding = base(RoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    String account = base(StatefulSet.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(base(ServiceAccount.class).getMetadata().getName()).isEqualTo(account);
    assertThat(binding.getSubjects()).anySatisfy(subject -> {
      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
      assertThat(subject.getName()).isEqualTo(account);
      assertThat(subject.getNamespace()).as("rewritten to the overlay's namespace by kustomize").isEqualTo("default");
    });
    assertThat(base(StatefulSet.class).getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
        .as("discovery reads the service account's token").isNotEqualTo(Boolean.FALSE);
  }

  @Test
  void everyVolumeMountNamesAVolumeOrAClaimTemplate() {
    for (StatefulSet statefulSet : KubernetesManifests.all(BASE, StatefulSet.class)) {
      PodSpec pod = statefulSet.getSpec().getTemplate().getSpec();
      Set<String> volumes = new HashSet<>();
      pod.getVolumes().forEach(v -> volumes.add(v.getName()));
      statefulSet.getSpec().getVolumeClaimTemplates().forEach(c -> volumes.add(c.getMetadata().getName()));
      List<Container> containers = new ArrayList<>(pod.getContainers());
      containers.addAll(pod.getInitContainers());
      for (Container container : containers) {
        for (VolumeMount mount : container.getVolumeMounts()) {
          assertThat(volumes).as(container.getName() + " mounts " + mount.getMountPath()).contains(mount.getName());
        }
      }
    }
  }

  @Test
  void theFilesANodeReadsAndWritesLieOnTheirVolumes() {
    StatefulSet statefulSet = base(StatefulSet.class);
    Container container = nodeContainer(statefulSet);
    Map<String, String> env = KubernetesManifests.podEnvironment(statefulSet, KubernetesManifests.configMapData(null));
    Config config = KubernetesManifests.nodeConfig(env);
    assertThat(config.getString("latticare.node-id")).as("node id from the pod name").isEqualTo("latticare-0");
    String claim = statefulSet.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
    assertThat(volumeUnder(container, config.getString("latticare.data-dir"))).as("journal and snapshots").isEqualTo(claim);
    assertThat(volumeUnder(container, config.getString("akka.persistence.journal.leveldb.dir"))).isEqualTo(claim);
    assertThat(volumeUnder(container, config.getString("latticare.records.dir"))).as("record store").isEqualTo(claim);

    Path genesis = Path.of(config.getString("latticare.genesis-file"));
    Volume genesisVolume = volume(statefulSet, volumeUnder(container, genesis.toString()));
    assertThat(genesisVolume.getConfigMap()).as("genesis from a ConfigMap").isNotNull();
    assertThat(genesisVolume.getConfigMap().getItems()).anySatisfy(item -> {
      assertThat(item.getKey()).isEqualTo("genesis.block");
      assertThat(mountOf(container, genesisVolume.getName()).resolve(item.getPath())).isEqualTo(genesis);
    });

    Path nodeKey = Path.of(config.getString("latticare.node-key-file"));
    Volume keys = volume(statefulSet, volumeUnder(container, nodeKey.toString()));
    assertThat(keys.getSecret()).as("node keys from a Secret").isNotNull();
    assertThat(keys.getSecret().getOptional()).as("no node starts without its key").isNotEqualTo(Boolean.TRUE);
    assertThat(nodeKey.getFileName().toString()).as("each pod reads its own key").isEqualTo("latticare-0.key");
  }

  @Test
  void arteryAndTheFrontUseTlsMaterialFromTheMountedSecretAndCreateNone() {
    StatefulSet statefulSet = base(StatefulSet.class);
    Container container = nodeContainer(statefulSet);
    Config config = KubernetesManifests.nodeConfig(
        KubernetesManifests.podEnvironment(statefulSet, KubernetesManifests.configMapData(null)));
    TlsSettings tls = TlsSettings.from(config);
    assertThat(tls.artery()).as("Artery over TLS").isTrue();
    assertThat(tls.devCaDir()).as("no development CA in a pod").isEmpty();
    assertThat(tls.https()).as("the front serves HTTPS with the node's own key store")
        .contains(new TlsSettings.Https(tls.keyStore(), tls.passwordFile()));

    String volume = volumeUnder(container, tls.keyStore().toString());
    Volume secret = volume(statefulSet, volume);
    assertThat(secret.getSecret()).as("TLS material from a Secret").isNotNull();
    assertThat(secret.getSecret().getSecretName()).isEqualTo("latticare-tls");
    assertThat(secret.getSecret().getOptional()).as("no node starts without its certificate").isNotEqualTo(Boolean.TRUE);
    for (Path file : List.of(tls.keyStore(), tls.trustStore(), tls.passwordFile())) {
      assertThat(volumeUnder(container, file.toString())).as(file + " on the Secret's volume").isEqualTo(volume);
      assertThat(file.getParent()).as(file + " directly in the mount").isEqualTo(mountOf(container, volume));
    }
    assertThat(List.of(tls.keyStore(), tls.trustStore(), tls.passwordFile())).as("each pod reads its own files")
        .extracting(f -> f.getFileName().toString())
        .containsExactly("latticare-0.p12", "latticare-0.trust.p12", "latticare-0.password");
    assertThat(container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst().orElseThrow()
        .getReadOnly()).isTrue();
  }

  @Test
  void podsRunAsNonRootOnAReadOnlyRootFilesystem() throws IOException {
    StatefulSet statefulSet = base(StatefulSet.class);
    PodSpec pod = statefulSet.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    Container container = nodeContainer(statefulSet);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getRunAsUser()).as("no container overrides the pod's user")
        .satisfiesAnyOf(uid -> assertThat(uid).isNull(), uid -> assertThat(uid).isPositive());
    assertThat(volume(statefulSet, volumeUnder(container, "/tmp/x")).getEmptyDir()).as("/tmp is writable").isNotNull();

    List<String> dockerfile = Files.readAllLines(ROOT.resolve("Dockerfile"));
    String user = instruction(dockerfile, "USER");
    assertThat(user.split(":")[0]).as("numeric, so that runAsNonRoot can check it").matches("[1-9][0-9]*");
    assertThat(Long.parseLong(user.split(":")[0])).isEqualTo(pod.getSecurityContext().getRunAsUser());
    assertThat(dockerfile.stream().filter(l -> l.startsWith("COPY") || l.startsWith("ADD")))
        .as("the jar and nothing else").containsExactly("COPY actors/target/latticare.jar /app/latticare.jar");
    JsonNode entrypoint = KubernetesManifests.readTreeOf(instruction(dockerfile, "ENTRYPOINT"));
    List<String> command = new ArrayList<>();
    entrypoint.forEach(a -> command.add(a.asString()));
    assertThat(command).containsSequence("-jar", "/app/latticare.jar", "node").containsSequence("--profile", "kubernetes");
  }

  private static String instruction(List<String> dockerfile, String keyword) {
    List<String> found = dockerfile.stream().filter(l -> l.startsWith(keyword + " ")).toList();
    assertThat(found).as("one " + keyword).hasSize(1);
    return found.get(0).substring(keyword.length() + 1).trim();
  }

  @Test
  void theNetworkPolicyKeepsManagementInsideTheNamespace() {
    NetworkPolicy policy = base(NetworkPolicy.class);
    Config config = KubernetesManifests.baseNodeConfig();
    int management = config.getInt("akka.management.http.port");
    int remoting = config.getInt("akka.remote.artery.canonical.port");
    int http = config.getInt("latticare.http.port");
    assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
    boolean httpOpen = false;
    boolean remotingBetweenPods = false;
    boolean managementBetweenPods = false;
    for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
      if (opens(rule, management)) {
        assertThat(rule.getFrom()).as("a rule that opens %d names who may use it", management).isNotEmpty();
        for (NetworkPolicyPeer peer : rule.getFrom()) {
          assertThat(peer.getIpBlock()).as("no address range reaches %d", management).isNull();
          assertThat(peer.getNamespaceSelector()).as("no other namespace reaches %d", management).isNull();
          assertThat(peer.getPodSelector()).as("pods of this namespace only").isNotNull();
        }
      }
      managementBetweenPods |= opens(rule, management) && admitsLatticarePods(rule);
      httpOpen |= opens(rule, http) && (rule.getFrom() == null || rule.getFrom().isEmpty());
      remotingBetweenPods |= opens(rule, remoting) && admitsLatticarePods(rule);
    }
    assertThat(managementBetweenPods).as("Cluster Bootstrap's contact points answer each other on %d", management).isTrue();
    assertThat(httpOpen).as("the front is reachable from outside").isTrue();
    assertThat(remotingBetweenPods).as("Artery between Latticare pods").isTrue();
  }

  /** A peer with a pod selector (and no namespace selector) admits pods of the policy's namespace it matches. */
  private static boolean admitsLatticarePods(NetworkPolicyIngressRule rule) {
    Map<String, String> podLabels = base(StatefulSet.class).getSpec().getTemplate().getMetadata().getLabels();
    return rule.getFrom() != null && rule.getFrom().stream().anyMatch(peer -> peer.getPodSelector() != null
        && peer.getNamespaceSelector() == null && peer.getIpBlock() == null
        && (peer.getPodSelector().getMatchLabels() == null
            || podLabels.entrySet().containsAll(peer.getPodSelector().getMatchLabels().entrySet())));
  }

  /** A rule with no ports opens every port. */
  private static boolean opens(NetworkPolicyIngressRule rule, int port) {
    Container container = nodeContainer(base(StatefulSet.class));
    return rule.getPorts() == null || rule.getPorts().isEmpty()
        || rule.getPorts().stream().anyMatch(p -> p.getPort() == null || resolvePort(container, p.getPort()) == port);
  }

  @Test
  void overlaysSizeTheHeapInsideTheLimitAndSpreadProductionOverMachines() {
    assertThat(overlays()).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("dev", "prod");
    assertThat(KubernetesManifests.configMapData(null).get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
    for (Path overlay : overlays()) {
      StatefulSet patch = KubernetesManifests.all(overlay, StatefulSet.class).get(0);
      assertThat(patch.getMetadata().getName()).isEqualTo(base(StatefulSet.class).getMetadata().getName());
      assertThat(patch.getSpec().getReplicas()).as(overlay + " keeps a majority after one loss").isGreaterThanOrEqualTo(3);
      Container container = nodeContainer(patch);
      Quantity limit = container.getResources().getLimits().get("memory");
      assertThat(limit).as(overlay + ": a memory limit for MaxRAMPercentage to size from").isNotNull();
      assertThat(container.getResources().getRequests().get("memory")).isEqualTo(limit);
      assertThat(container.getResources().getRequests()).containsKey("cpu");
    }
    StatefulSet prod = KubernetesManifests.all(OVERLAYS.resolve("prod"), StatefulSet.class).get(0);
    assertThat(prod.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()).anySatisfy(term ->
        assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
  }

  private static StatefulSet withOverlayReplicas(Path overlay) {
    StatefulSet statefulSet = base(StatefulSet.class);
    KubernetesManifests.all(overlay, StatefulSet.class).stream().map(p -> p.getSpec().getReplicas())
        .filter(r -> r != null).forEach(r -> statefulSet.getSpec().setReplicas(r));
    return statefulSet;
  }

  private static List<Path> overlays() {
    try (Stream<Path> dirs = Files.list(OVERLAYS)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The volume mounted at the longest mount path that contains {@code file}. */
  private static String volumeUnder(Container container, String file) {
    Path path = Path.of(file).normalize();
    return container.getVolumeMounts().stream().filter(m -> path.startsWith(Path.of(m.getMountPath())))
        .max((a, b) -> Integer.compare(a.getMountPath().length(), b.getMountPath().length()))
        .orElseThrow(() -> new AssertionError(file + " is on no volume (the root filesystem is read-only)")).getName();
  }

  private static Path mountOf(Container container, String volume) {
    return Path.of(container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
        .orElseThrow().getMountPath());
  }

  private static Volume volume(StatefulSet statefulSet, String name) {
    return statefulSet.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no volume " + name + " in the pod (a claim template?)"));
  }
}
