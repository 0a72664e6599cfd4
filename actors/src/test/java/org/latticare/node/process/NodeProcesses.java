package org.latticare.node.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.cli.LatticareCli;
import org.latticare.node.client.ApiClient;

/**
 * A consortium of {@code n} nodes, each a separate JVM started exactly as a user starts
 * {@code ./latticare node …} (the CLI's main class with the same flags), on loopback with free ports and
 * one data directory per node under {@code dir}. Nodes can be killed with SIGKILL, paused with SIGSTOP,
 * resumed and restarted on their data directory; every child is destroyed on {@link #close()} and, should
 * the test JVM die first, by a shutdown hook. Each node's output is appended to {@code dir/node-i.log}. A stranger
 * (a node of another consortium, {@link #addStranger}) is started and stopped the same way.
 */
public final class NodeProcesses implements AutoCloseable {

  /** How a node starts: its consortium's files, its data directory, its ports and JVM options of its own. */
  private record Launch(Path dataDir, Path genesis, Path nodeKey, int remotePort, int httpPort,
      List<String> jvmOptions) {}

  private final Path dir;
  private final int members;
  private final List<Launch> launches = new CopyOnWriteArrayList<>();
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final MlDsa65.KeyPair adminKey;
  private final HttpClient http = ApiClient.httpClient();
  private final Thread reaper = new Thread(this::destroyAll, "node-processes-reaper");

  private NodeProcesses(Path dir, int count, List<String> extraJvmOptions) throws IOException {
    this.dir = dir;
    this.members = count;
    int[] remotePorts = freePorts(count);
    int[] httpPorts = freePorts(count);
    List<ConsortiumFiles.Founder> founders = IntStream.rangeClosed(1, count)
        .mapToObj(i -> new ConsortiumFiles.Founder("hospital-" + i, nodeId(i - 1), List.of("verifier", "producer")))
        .toList();
    Path consortium = dir.resolve("consortium");
    ConsortiumFiles.writeGenesis(consortium.resolve("genesis.block"), ConsortiumFiles.found("multi-process", founders,
        List.of(new ConsortiumFiles.Client("admin", "hospital-admin", "hospital-1")), consortium,
        consortium.resolve("clients")));
    this.adminKey = ConsortiumFiles.readKey(consortium.resolve("clients").resolve("admin.key"));
    List<String> options = List.copyOf(extraJvmOptions);
    for (int i = 0; i < count; i++) {
      addLaunch(new Launch(dir.resolve(nodeId(i)), consortium.resolve("genesis.block"),
          consortium.resolve(nodeId(i)).resolve("node.key"), remotePorts[i], httpPorts[i], options));
    }
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  private void addLaunch(Launch launch) {
    launches.add(launch);
    processes.add(null);
  }

  /** Founds a consortium of {@code count} nodes in a fresh directory under {@code parent}; starts none. */
  public static NodeProcesses found(Path parent, int count, List<String> extraJvmOptions) throws IOException {
    Files.createDirectories(parent);
    return new NodeProcesses(Files.createTempDirectory(parent, "consortium-"), count, extraJvmOptions);
  }

  /** The consortium's nodes, indices 0 to size() - 1; a stranger's index comes after them. */
  public int size() {
    return members;
  }

  /**
   * Adds (does not start) a node that is none of these: {@link #nodeId} of its index, the only founder of a
   * consortium of its own under {@code dir/stranger/}, with its data directory there too (so that a development CA
   * it might create is not the consortium's, which lies beside the members' data directories). Started with
   * {@link #start} like a member, it is pointed at the members' seed nodes; its log is {@code dir/<node-id>.log}
   * and it is destroyed with them. {@code jvmOptions} replace the members' extra options.
   */
  public int addStranger(List<String> jvmOptions) throws IOException {
    int index = launches.size();
    String id = nodeId(index);
    Path consortium = dir.resolve("stranger").resolve("consortium");
    ConsortiumFiles.writeGenesis(consortium.resolve("genesis.block"), ConsortiumFiles.found("stranger",
        List.of(new ConsortiumFiles.Founder("elsewhere", id, List.of("verifier", "producer"))), List.of(), consortium,
        consortium.resolve("clients")));
    int[] ports = freePorts(2);
    addLaunch(new Launch(dir.resolve("stranger").resolve(id), consortium.resolve("genesis.block"),
        consortium.resolve(id).resolve("node.key"), ports[0], ports[1], List.copyOf(jvmOptions)));
    return index;
  }

  public static String nodeId(int index) {
    return "node-" + (index + 1);
  }

  public Path dir() {
    return dir;
  }

  /** Starts node {@code index} on its data directory (a restart if it ran before); returns at once. */
  public void start(int index) throws IOException {
    start(index, Map.of());
  }

  /** As {@link #start(int)}, with these environment variables set for the node (a fault to inject, say). */
  public void start(int index, Map<String, String> environment) throws IOException {
    if (isAlive(index)) {
      throw new IllegalStateException(nodeId(index) + " is running");
    }
    Launch launch = launches.get(index);
    String seeds = IntStream.range(0, members).mapToObj(i -> "127.0.0.1:" + launches.get(i).remotePort())
        .collect(Collectors.joining(","));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC"));
    command.addAll(launch.jvmOptions());
    // Surefire starts this JVM from a manifest-only jar; the real test class path is in its own property.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    command.addAll(List.of("-cp", classPath, LatticareCli.class.getName(), "node",
        "--node-id", nodeId(index),
        "--data-dir", launch.dataDir().toString(),
        "--genesis-file", launch.genesis().toString(),
        "--node-key-file", launch.nodeKey().toString(),
        "--remote-port", Integer.toString(launch.remotePort()),
        "--http-port", Integer.toString(launch.httpPort()),
        "--seed-nodes", seeds,
        "--expected-members", Integer.toString(members)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(index).toFile()));
    builder.environment().putAll(environment);
    processes.set(index, builder.start());
  }

  /** Node {@code index}'s data directory ({@code --data-dir}). */
  public Path dataDir(int index) {
    return launches.get(index).dataDir();
  }

  /** Node {@code index}'s output, appended over its restarts. */
  public Path log(int index) {
    return dir.resolve(nodeId(index) + ".log");
  }

  /** Node {@code index}'s Artery port. */
  public int remotePort(int index) {
    return launches.get(index).remotePort();
  }

  public boolean isAlive(int index) {
    return processes.get(index) != null && processes.get(index).isAlive();
  }

  /** Waits for node {@code index} to exit by itself; its exit code, or empty if it still runs after {@code timeout}. */
  public OptionalInt awaitExit(int index, Duration timeout) throws InterruptedException {
    return processes.get(index).waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(processes.get(index).exitValue()) : OptionalInt.empty();
  }

  /** SIGKILL: the node gets no chance to leave the cluster or flush anything. */
  public void kill(int index) throws InterruptedException {
    processes.get(index).destroyForcibly();
    if (!processes.get(index).waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(nodeId(index) + " survived SIGKILL");
    }
  }

  /** SIGTERM and wait: the node leaves the cluster through its coordinated shutdown. */
  public void stop(int index) throws InterruptedException {
    processes.get(index).destroy();
    if (!processes.get(index).waitFor(30, TimeUnit.SECONDS)) {
      kill(index);
    }
  }

  public void pause(int index) throws IOException, InterruptedException {
    signal(index, "STOP");
  }

  public void resume(int index) throws IOException, InterruptedException {
    signal(index, "CONT");
  }

  private void signal(int index, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes.get(index).pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + processes.get(index).pid() + " failed");
    }
  }

  /** Waits until node {@code index}'s front answers {@code /health} at all (200 or 503): it has started. */
  public void awaitServing(int index, Duration timeout) throws InterruptedException, IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        awaitHealth(index, timeout, true);
        return;
      } catch (IllegalStateException e) {
        // A node whose start-up asks time out on an overloaded machine exits with 1; an operator (or the
        // restart loop) starts it again. Twice at most, so that a node that cannot start fails the test.
        if (isAlive(index) || attempt == 3) {
          throw e;
        }
        System.out.printf("[multi-process] %s exited during start-up (%s); starting it again%n", nodeId(index),
            e.getMessage());
        start(index);
      }
    }
  }

  /** Waits until node {@code index}'s {@code /health} is 200: it is Up, sees every member Up and has recovered. */
  public void awaitHealthy(int index, Duration timeout) throws InterruptedException {
    awaitHealth(index, timeout, false);
  }

  private void awaitHealth(int index, Duration timeout, boolean anyAnswer) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!isAlive(index)) {
        throw new IllegalStateException(nodeId(index) + " exited with " + processes.get(index).exitValue() + "; see "
            + log(index));
      }
      try {
        HttpRequest request = HttpRequest.newBuilder(base(index).resolve("/health")).timeout(Duration.ofSeconds(2))
            .GET().build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200 || anyAnswer) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(nodeId(index) + (anyAnswer ? " not serving" : " not healthy") + " within " + timeout + "; see "
        + log(index));
  }

  public URI base(int index) {
    return URI.create("http://127.0.0.1:" + launches.get(index).httpPort());
  }

  /** The consortium's hospital administrator, talking to node {@code index}'s front. */
  public ApiClient admin(int index) {
    return new ApiClient(http, base(index), "admin", adminKey);
  }

  public MlDsa65.KeyPair adminKey() {
    return adminKey;
  }

  /** Node {@code index}'s chain head ({@code height}, {@code hash}, {@code producerId}, …). */
  public JsonNode head(int index) throws IOException, InterruptedException {
    ApiClient.Answer answer = admin(index).get("/api/chain/head");
    if (answer.status() != 200) {
      throw new IllegalStateException(nodeId(index) + " head: " + answer);
    }
    return answer.body();
  }

  /** Waits until these nodes report the same head hash: a block's hash covers its predecessor's, so the same chain. */
  public JsonNode awaitSameHead(List<Integer> indices, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Integer, JsonNode> heads = new HashMap<>();
    while (true) {
      for (int i : indices) {
        heads.put(i, head(i));
      }
      if (heads.values().stream().map(h -> h.path("hash").asText()).distinct().count() == 1) {
        return heads.get(indices.get(0));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("heads differ after " + timeout + ": " + heads);
      }
      Thread.sleep(250);
    }
  }

  /** Node {@code index}'s block at {@code height} as its front shows it. */
  public JsonNode block(int index, long height) throws IOException, InterruptedException {
    ApiClient.Answer answer = admin(index).get("/api/chain/blocks/" + height);
    if (answer.status() != 200) {
      throw new IllegalStateException(nodeId(index) + " block " + height + ": " + answer);
    }
    return answer.body();
  }

  /** How many times each transaction hash occurs in node {@code index}'s blocks 1..{@code height}. */
  public Map<String, Integer> transactionsOnChain(int index, long height) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Map<String, Integer> onChain = new HashMap<>();
    try {
      List<Future<JsonNode>> blocks = new ArrayList<>();
      for (long h = 1; h <= height; h++) {
        long at = h;
        blocks.add(pool.submit(() -> block(index, at)));
      }
      for (Future<JsonNode> block : blocks) {
        block.get().path("transactions").forEach(tx -> onChain.merge(tx.path("hash").asText(), 1, Integer::sum));
      }
    } finally {
      pool.shutdownNow();
    }
    return onChain;
  }

  /** Index of the node with this id. */
  public int indexOf(String nodeId) {
    return IntStream.range(0, launches.size()).filter(i -> nodeId(i).equals(nodeId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId));
  }

  private void destroyAll() {
    for (Process process : processes) {
      if (process != null) {
        process.destroyForcibly();
      }
    }
    for (Process process : processes) {
      if (process != null) {
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public void close() {
    // A paused child ignores nothing but SIGKILL, which destroyForcibly sends.
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and runs the hook itself
    }
  }

  private static int[] freePorts(int count) throws IOException {
    int[] ports = new int[count];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
    return ports;
  }
}
