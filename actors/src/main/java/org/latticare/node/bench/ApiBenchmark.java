package org.latticare.node.bench;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.latticare.lattice.kem.KemKeyPair;
import org.latticare.lattice.kem.MlKem768;
import org.latticare.lattice.kem.RecordEncryption;
import org.latticare.ledger.IdentityKeys;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.CryptoPool;
import org.latticare.node.EmbeddedConsortium;
import org.latticare.node.client.ApiClient;
import org.latticare.node.client.RecordClient;
import org.latticare.node.http.auth.SignatureBase;

/**
 * Signed requests per second and latency through the HTTP front on loopback, for a patient's view
 * ({@code GET /api/patients/{p}/transactions}, asked of the access contract) and for a submission
 * ({@code POST /api/transactions}, answered once committed), set against the bound that signature
 * verification sets on this machine: {@code cores ÷ (verifications per request × cost of one)}, with
 * the verifications counted during the run and the cost of one request-signature verification
 * measured in the same JVM. Requests are signed before the clock starts (signing is the client's
 * cost, not the front's), in batches small enough to be sent within the front's 60 s window. An
 * unsigned {@code GET /health} is measured beside them as the floor that the HTTP front, the actor
 * ask and the client (in the same JVM) set without any check, and the CPU each request used is
 * reported by thread group.
 */
public final class ApiBenchmark {

  /** One measured phase. */
  public record Phase(String name, int requests, int failed, double seconds, double perSecond, double p50Millis,
      double p99Millis, double verificationsPerRequest, double boundPerSecond, double cpuShare,
      Map<String, Double> cpuMicrosPerRequest) {

    Phase withBound(double bound) {
      return new Phase(name, requests, failed, seconds, perSecond, p50Millis, p99Millis, verificationsPerRequest, bound,
          cpuShare, cpuMicrosPerRequest);
    }

    String cpuRow() {
      StringBuilder row = new StringBuilder("| " + name + " | ");
      double total = 0;
      for (String group : CPU_GROUPS) {
        double micros = cpuMicrosPerRequest.getOrDefault(group, 0.0);
        total += micros;
        row.append(String.format("%.0f | ", micros));
      }
      return row.append(String.format("%.0f |", total)).toString();
    }

    String row() {
      boolean bounded = verificationsPerRequest > 0;
      return String.format("| %s | %d (%d failed) | %.0f /s | %.1f ms / %.1f ms | %.2f | %s | %s | %.0f %% |",
          name, requests, failed, perSecond, p50Millis, p99Millis, verificationsPerRequest,
          bounded ? String.format("%.0f /s", boundPerSecond) : "none",
          bounded ? String.format("%.0f %%", 100 * perSecond / boundPerSecond) : "-", 100 * cpuShare);
    }
  }

  public record Result(int nodes, int inFlight, double verifyMicros, List<Phase> phases) {
    public String table() {
      StringBuilder out = new StringBuilder(String.format("""
          nodes (one JVM) %d, cores %d, requests in flight %d
          one request-signature verification (ML-DSA-65, median): %.0f µs

          | phase | requests | throughput | latency p50 / p99 | verifications per request | bound | of bound | CPU used |
          |---|---|---|---|---|---|---|---|
          """, nodes, Runtime.getRuntime().availableProcessors(), inFlight, verifyMicros));
      phases.forEach(phase -> out.append(phase.row()).append('\n'));
      out.append("\nCPU per request while requests were in flight (µs; client and server share the machine):\n\n| phase | ")
          .append(String.join(" | ", CPU_GROUPS)).append(" | total |\n|---|").append("---|".repeat(CPU_GROUPS.size() + 1))
          .append('\n');
      phases.forEach(phase -> out.append(phase.cpuRow()).append('\n'));
      return out.toString();
    }
  }

  private static final int BATCH = 4000;
  private static final List<String> CPU_GROUPS = List.of(Measure.VERIFY, Measure.AKKA, Measure.CLIENT, Measure.OTHER,
      Measure.JVM);

  private ApiBenchmark() {}

  public static Result run(int nodes, int views, int submissions, int reads, int anchors, int inFlight) throws Exception {
    MlDsa65.KeyPair probeKey = MlDsa65.generate();
    byte[] base = SignatureBase.forRequest("GET", "http://127.0.0.1:8080/api/patients/p-bench/transactions",
        "sha-256=:47DEQpj8HBSa+/TZIW5C5ZgRDKC6FCRzJGaIe+OMdz0=:",
        "(\"@method\" \"@target-uri\" \"content-digest\");created=1700000000;nonce=\"AAAAAAAAAAAAAAAAAAAAAA\""
            + ";keyid=\"p-bench\";alg=\"ml-dsa-65\"").getBytes(StandardCharsets.UTF_8);
    byte[] signature = probeKey.sign(base);
    byte[] publicKey = probeKey.publicKey();
    double verifyBefore = Measure.microsPerOperation(() -> MlDsa65.verify(publicKey, base, signature));
    Path dataDir = Files.createTempDirectory("latticare-bench-api");
    try (EmbeddedConsortium consortium = EmbeddedConsortium.start(nodes, dataDir, "127.0.0.1", 0,
        Map.of("latticare.ask-timeout", "30s"), Duration.ofSeconds(60))) {
      URI front = URI.create("http://127.0.0.1:" + consortium.front().binding().orElseThrow().localAddress().getPort());
      HttpClient http = ApiClient.httpClient();
      Path keys = EmbeddedConsortium.clientKeys(dataDir);
      MlDsa65.KeyPair adminKey = ConsortiumFiles.readKey(keys.resolve("admin.key"));
      ApiClient admin = new ApiClient(http, front, "admin", adminKey);
      MlDsa65.KeyPair patientKey = MlDsa65.generate();
      MlKem768 kem = new MlKem768();
      KemKeyPair patientKem = kem.generateKeyPair(new SecureRandom());
      ApiClient patient = new ApiClient(http, front, "p-bench", patientKey);
      long nonce = 1;
      for (TxBody body : List.of(
          new TxBody.IdentityEnrolled(new TxBody.Identity("p-bench", "patient", "hospital-1",
              IdentityKeys.of(patientKey.publicKey(), patientKem.publicKey()).encode())),
          new TxBody.PatientEnrolled("p-bench", new byte[] {1}, Sha3Hash.ZERO))) {
        ApiClient.Answer answer = admin.submit(Transaction.sign(adminKey, "admin", nonce++, System.currentTimeMillis(), body));
        if (answer.status() != 201) {
          throw new IllegalStateException("seeding the benchmark failed: " + answer);
        }
      }
      String view = "/api/patients/p-bench/transactions";
      RequestFactory viewRequest = i -> patient.signed("GET", view, new byte[0]);
      long first = nonce;
      // Submissions enrol staff: one signed transaction each that concerns no patient, so that no patient's
      // contract or gateway starts behind them (enrolling patients started two sharded entities per
      // submission, whose loading ran on through the next phases and halved the /health floor).
      byte[] staffKey = patientKey.publicKey();
      RequestFactory submitRequest = i -> admin.signed("POST", "/api/transactions", ApiClient.submitBody(
          Transaction.sign(adminKey, "admin", first + i, System.currentTimeMillis(), new TxBody.IdentityEnrolled(
              new TxBody.Identity("dr-load-" + (first + i), "clinician", "hospital-1", staffKey))))
          .getBytes(StandardCharsets.UTF_8));
      // The JIT compiles the hot paths of both kinds of request for tens of seconds on 2 cores; warm
      // both up before measuring either, so that neither phase pays for the compiler.
      int warmViews = Math.max(views / 2, 2000);
      int warmSubmissions = Math.max(submissions / 4, 500);
      System.out.printf("warming up: %d views, %d submissions ...%n", warmViews, warmSubmissions);
      measure("warm-up views", http, warmViews, inFlight, 200, viewRequest, verifyBefore);
      measure("warm-up submissions", http, warmSubmissions, inFlight, 201, submitRequest, verifyBefore);
      // The floor the front and the client set on this machine without any signature: an open
      // endpoint answered by one local ask, as the patient view is answered after its checks.
      RequestFactory healthRequest = i -> HttpRequest.newBuilder(front.resolve("/health")).GET().build();
      measure("warm-up health", http, Math.max(views / 4, 2000), inFlight, 200, healthRequest, verifyBefore);
      Phase healthPhase = measure("health (unsigned, no checks)", http, views, inFlight, 200, healthRequest, verifyBefore);
      Phase viewPhase = measure("patient view (GET)", http, views, inFlight, 200, viewRequest, verifyBefore);
      Phase submitPhase = measure("submission (POST, until committed)", http, submissions, inFlight, 201,
          i -> submitRequest.make(warmSubmissions + i), verifyBefore);

      // Records: reads of a small stored record (the patient's own: its RecordAccessed committed first),
      // and anchors of records stored before the clock starts (a record is stored once, then anchored).
      RecordClient hospital = new RecordClient(admin, new RecordEncryption(kem, new SecureRandom()));
      List<RecordEncryption.Grantee> toPatient = List.of(new RecordEncryption.Grantee("p-bench", patientKem.publicKey()));
      RecordClient.Stored note = hospital.store("r-read", "p-bench", new ByteArrayInputStream(new byte[1024]), toPatient,
          n -> { });
      hospital.anchor(note, "p-bench", adminKey, first + warmSubmissions + submissions);
      long readNonces = 1_000_000_000L;
      RequestFactory readRequest = i -> patient.signed("POST", "/api/records/r-read/read", ApiClient.submitBody(
          Transaction.sign(patientKey, "p-bench", readNonces + i, System.currentTimeMillis(),
              new TxBody.RecordAccessed("r-read", "p-bench", "TREAT"))).getBytes(StandardCharsets.UTF_8));
      int warmReads = Math.max(reads / 4, 200);
      measure("warm-up record reads", http, warmReads, inFlight, 200, readRequest, verifyBefore);
      Phase readPhase = measure("record read (POST …/read, after its log entry commits)", http, reads, inFlight, 200,
          i -> readRequest.make(warmReads + i), verifyBefore);
      System.out.printf("storing %d records to anchor ...%n", anchors);
      List<RecordClient.Stored> stored = new ArrayList<>();
      for (int i = 0; i < anchors; i++) {
        stored.add(hospital.store("r-anchor-" + i, "p-bench", new ByteArrayInputStream(new byte[1024]), toPatient, n -> { }));
      }
      long anchorNonces = 2_000_000_000L;
      RequestFactory anchorRequest = i -> {
        RecordClient.Stored record = stored.get(i);
        Transaction anchor = Transaction.sign(adminKey, "admin", anchorNonces + i, System.currentTimeMillis(),
            new TxBody.RecordAnchored(record.recordId(), "p-bench", record.digest(), record.bytes(), "store", new byte[0]));
        return admin.signed("POST", "/api/transactions", ApiClient.submitBody(anchor).getBytes(StandardCharsets.UTF_8));
      };
      Phase anchorPhase = measure("record anchor (POST /api/transactions, until committed)", http, anchors, inFlight, 201,
          anchorRequest, verifyBefore);

      double verifyAfter = Measure.microsPerOperation(() -> MlDsa65.verify(publicKey, base, signature));
      double verifyMicros = Math.min(verifyBefore, verifyAfter);
      List<Phase> phases = new ArrayList<>();
      phases.add(healthPhase);
      for (Phase phase : List.of(viewPhase, submitPhase, readPhase, anchorPhase)) {
        double bound = Runtime.getRuntime().availableProcessors() / (phase.verificationsPerRequest() * verifyMicros / 1e6);
        phases.add(phase.withBound(bound));
      }
      return new Result(nodes, inFlight, verifyMicros, phases);
    }
  }

  private interface RequestFactory {
    HttpRequest make(int index);
  }

  private static List<HttpRequest> sign(int count, RequestFactory factory) {
    return CryptoPool.shared().submit(() -> IntStream.range(0, count).parallel().mapToObj(factory::make).toList()).join();
  }

  private static Phase measure(String name, HttpClient http, int count, int inFlight, int expected,
      RequestFactory factory, double verifyMicros) throws Exception {
    System.out.printf("measuring %s: %d requests, %d in flight ...%n", name, count, inFlight);
    List<long[]> latencies = new ArrayList<>();
    long elapsed = 0;
    long cpu = 0;
    long verifications = 0;
    int failed = 0;
    Map<String, Long> cpuByGroup = new TreeMap<>();
    for (int done = 0; done < count; done += BATCH) {
      int size = Math.min(BATCH, count - done);
      int offset = done;
      List<HttpRequest> requests = sign(size, i -> factory.make(offset + i));
      long verificationsBefore = MlDsa65.verifications();
      var threadsBefore = Measure.threadCpu();
      long cpuBefore = Measure.processCpuNanos();
      long start = System.nanoTime();
      long[] batch = send(http, requests, inFlight, expected);
      elapsed += System.nanoTime() - start;
      long cpuUsed = Measure.processCpuNanos() - cpuBefore;
      Measure.addCpuByGroup(threadsBefore, Measure.threadCpu(), cpuUsed, cpuByGroup);
      cpu += cpuUsed;
      verifications += MlDsa65.verifications() - verificationsBefore;
      failed += (int) Arrays.stream(batch).filter(l -> l < 0).count();
      latencies.add(batch);
    }
    long[] ok = latencies.stream().flatMapToLong(Arrays::stream).filter(l -> l >= 0).sorted().toArray();
    double seconds = elapsed / 1e9;
    double perRequest = (double) verifications / count;
    return new Phase(name, count, failed, seconds, ok.length / seconds, Measure.percentile(ok, 0.5) / 1e6,
        Measure.percentile(ok, 0.99) / 1e6, perRequest,
        Runtime.getRuntime().availableProcessors() / (perRequest * verifyMicros / 1e6),
        cpu / (Runtime.getRuntime().availableProcessors() * (double) elapsed),
        cpuByGroup.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / 1e3 / count)));
  }

  /** Sends with at most {@code inFlight} outstanding; a latency per request, -1 where the status was not {@code expected}. */
  private static long[] send(HttpClient http, List<HttpRequest> requests, int inFlight, int expected) throws Exception {
    long[] latencies = new long[requests.size()];
    Semaphore window = new Semaphore(inFlight);
    AtomicInteger reported = new AtomicInteger();
    List<CompletableFuture<Void>> all = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      window.acquire();
      int index = i;
      long start = System.nanoTime();
      all.add(http.sendAsync(requests.get(i), HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
        boolean ok = failure == null && response.statusCode() == expected;
        latencies[index] = ok ? System.nanoTime() - start : -1;
        if (!ok && reported.incrementAndGet() <= 3) {
          System.err.println("unexpected answer: " + (failure != null ? failure : response.statusCode() + " " + response.body()));
        }
        window.release();
        return null;
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    return latencies;
  }
}
