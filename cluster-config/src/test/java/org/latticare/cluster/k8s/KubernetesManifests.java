package org.latticare.cluster.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.latticare.cluster.LatticareConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The manifests under {@code k8s/} read into fabric8's typed model, one object per YAML file, and the
 * configuration a node in them would load. Maven runs a module's tests in the module's directory, so
 * {@code k8s/} is {@code ../k8s}.
 */
final class KubernetesManifests {

  static final Path ROOT = Path.of("..", "k8s");
  static final Path BASE = ROOT.resolve("base");
  static final Path OVERLAYS = ROOT.resolve("overlays");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern DEPENDENT_VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private KubernetesManifests() {}

  static boolean isKustomization(Path file) {
    return file.getFileName().toString().equals("kustomization.yaml");
  }

  /** Every manifest (not kustomization) file under {@code dir}, sorted. */
  static List<Path> manifestFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml") && !isKustomization(f)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> kustomizations() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(KubernetesManifests::isKustomization).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HasMetadata read(Path file) {
    KubernetesResource resource = YAML.readValue(file.toFile(), KubernetesResource.class);
    if (!(resource instanceof HasMetadata object)) {
      throw new IllegalStateException(file + " holds no Kubernetes object");
    }
    return object;
  }

  static JsonNode readTree(Path file) {
    return YAML.readTree(file.toFile());
  }

  /** YAML or JSON text, such as a Dockerfile's exec-form ENTRYPOINT. */
  static JsonNode readTreeOf(String text) {
    return YAML.readTree(text);
  }

  /** The one object of {@code type} among the base's manifests. */
  static <T extends HasMetadata> T base(Class<T> type) {
    List<T> found = all(BASE, type);
    if (found.size() != 1) {
      throw new IllegalStateException("expected one " + type.getSimpleName() + " in " + BASE + ", found " + found.size());
    }
    return found.get(0);
  }

  static <T extends HasMetadata> List<T> all(Path dir, Class<T> type) {
    List<T> found = new ArrayList<>();
    for (Path file : manifestFiles(dir)) {
      HasMetadata object = read(file);
      if (type.isInstance(object)) {
        found.add(type.cast(object));
      }
    }
    return found;
  }

  static Container nodeContainer(StatefulSet statefulSet) {
    return statefulSet.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("latticare")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no container 'latticare' in " + statefulSet.getMetadata().getName()));
  }

  /** The number a container port named {@code name} exposes, or the number itself. */
  static int resolvePort(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named '" + port.getStrVal() + "'"))
        .getContainerPort();
  }

  /** The base ConfigMap's data with an overlay's ConfigMap patch (if any) laid over it. */
  static Map<String, String> configMapData(Path overlay) {
    Map<String, String> data = new HashMap<>(base(ConfigMap.class).getData());
    if (overlay != null) {
      for (ConfigMap patch : all(overlay, ConfigMap.class)) {
        data.putAll(patch.getData());
      }
    }
    return data;
  }

  /**
   * The environment of pod {@code <statefulset>-0} as Kubernetes would set it: the ConfigMap's data
   * (envFrom), then the container's own variables, downward-API fields given pod-0's values and
   * {@code $(VAR)} references expanded.
   */
  static Map<String, String> podEnvironment(StatefulSet statefulSet, Map<String, String> configMapData) {
    Map<String, String> env = new HashMap<>(configMapData);
    for (EnvVar variable : nodeContainer(statefulSet).getEnv()) {
      String value;
      if (variable.getValueFrom() != null && variable.getValueFrom().getFieldRef() != null) {
        value = switch (variable.getValueFrom().getFieldRef().getFieldPath()) {
          case "metadata.name" -> statefulSet.getMetadata().getName() + "-0";
          case "status.podIP" -> "10.0.0.10";
          default -> throw new AssertionError("unexpected downward-API field " + variable.getValueFrom());
        };
      } else if (variable.getValueFrom() != null) {
        throw new AssertionError("unexpected source of " + variable.getName() + ": " + variable.getValueFrom());
      } else {
        Matcher reference = DEPENDENT_VAR.matcher(variable.getValue());
        StringBuilder expanded = new StringBuilder();
        while (reference.find()) {
          reference.appendReplacement(expanded, Matcher.quoteReplacement(env.getOrDefault(reference.group(1), reference.group())));
        }
        value = reference.appendTail(expanded).toString();
      }
      env.put(variable.getName(), value);
    }
    return env;
  }

  /**
   * The configuration the node in pod-0 loads: the {@code kubernetes} profile, its {@code ${?VAR}} substitutions
   * resolved against the pod's environment (HOCON looks a substitution up in the configuration before the
   * process environment, so the variables are handed in as root keys).
   */
  static Config nodeConfig(Map<String, String> podEnvironment) {
    return LatticareConfig.load(podEnvironment.getOrDefault("LATTICARE_PROFILE", "cluster"), podEnvironment);
  }

  /** The configuration pod-0 of the base StatefulSet loads. */
  static Config baseNodeConfig() {
    return nodeConfig(podEnvironment(base(StatefulSet.class), configMapData(null)));
  }
}
