package org.latticare.node.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.EmbeddedConsortium;
import org.latticare.node.LatticareNode;
import org.latticare.node.Node;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;
import org.latticare.node.identity.CustodialProver;
import org.latticare.node.identity.IdentityContract;
import org.latticare.node.ring.VerifierNode;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * {@code latticare bench identity}: identity proofs through the ring of verifier actors on the embedded
 * consortium, for each ring size — the bare ring pass and its hop latency, an idle node's CPU, one proof at a
 * time (latency, CPU), then many in flight (proofs per second, latency, CPU per proof), against the bound
 * the CPU sets (cores ÷ CPU per proof) and the latency the hops and the CPU predict. The prover is the
 * simulation's custodial one, in the same JVM, so its CPU counts too.
 */
public final class IdentityBenchmark {

  private IdentityBenchmark() {}

  /** One ring size's figures; times in milliseconds, CPU in milliseconds per proof. */
  public record Row(int ring, double passP50, double passP99, double hopP50, double idleCorePercent, double commitP50,
      double soloP50, double soloP99, double soloCpu, double predicted, double proofsPerSecond, double loadedP50,
      double loadedP99, double loadedCpu, double bound, int failed) {}

  public record Result(List<Row> rows, int proofs, int inFlight, int cores) {
    public String table() {
      StringBuilder out = new StringBuilder();
      out.append(String.format("identity proofs (sound protocol, one round), %d proofs with %d in flight, %d cores%n",
          proofs, inFlight, cores));
      out.append(String.format("%-5s %-22s %-7s %-9s %-10s %-24s %-10s %-8s %-22s %-9s %-14s%n", "ring",
          "bare pass p50/p99 ms", "hop ms", "idle CPU", "commit ms", "one proof p50/p99 ms", "CPU ms", "predict",
          "loaded proofs/s", "CPU ms", "of CPU bound"));
      for (Row r : rows) {
        out.append(String.format("%-5d %-22s %-7.2f %-9s %-10.1f %-24s %-10.1f %-8.1f %-22s %-9.1f %-14s%n", r.ring(),
            String.format("%.2f / %.2f", r.passP50(), r.passP99()), r.hopP50(),
            String.format("%.1f %%", r.idleCorePercent()), r.commitP50(),
            String.format("%.1f / %.1f (×%.2f)", r.soloP50(), r.soloP99(), r.soloP50() / r.predicted()),
            r.soloCpu(), r.predicted(),
            String.format("%.1f (p50 %.0f, p99 %.0f ms)", r.proofsPerSecond(), r.loadedP50(), r.loadedP99()),
            r.loadedCpu(), String.format("%.0f %% of %.1f/s", 100 * r.proofsPerSecond() / r.bound(), r.bound())));
        if (r.failed() > 0) {
          out.append(String.format("      %d proof(s) did not end IDENTIFIED%n", r.failed()));
        }
      }
      out.append("predict = hops × hop latency + a proof's CPU in flight + the commit of its IdentityVerified (the"
          + " latency a proof would have if nothing but its messages, its work and its commit took time; hops ="
          + " (2n + 4) × the expected 2.87 attempts; commit = p50 of one transaction at a time); one proof's"
          + " CPU includes the JIT still compiling; of CPU bound = proofs/s ÷ (cores ÷ CPU per proof in flight)\n");
      return out.toString();
    }
  }

  public static Result run(List<Integer> rings, int proofs, int inFlight, int solo, int passes) throws Exception {
    List<Row> rows = new ArrayList<>();
    int cores = Runtime.getRuntime().availableProcessors();
    for (int ring : rings) {
      rows.add(runRing(ring, proofs, inFlight, solo, passes));
    }
    return new Result(rows, proofs, inFlight, cores);
  }

  private static Row runRing(int ring, int proofs, int inFlight, int solo, int passes) throws Exception {
    Path dataDir = Files.createTempDirectory("latticare-bench-identity");
    System.out.printf("ring of %d: starting the consortium ...%n", ring);
    try (EmbeddedConsortium consortium = EmbeddedConsortium.start(ring, dataDir, "127.0.0.1", -1,
        Map.of("latticare.ask-timeout", "30s", "latticare.identity.session-timeout", "120s"), Duration.ofSeconds(90))) {
      Node front = consortium.front();
      ActorSystem<LatticareNode.Command> system = front.system();
      IdentityKeyPair patient = IdentityKeyPair.generate(IdentificationParameters.N256, RandomSource.secure());
      MlDsa65.KeyPair admin = ConsortiumFiles.readKey(EmbeddedConsortium.clientKeys(dataDir).resolve("admin.key"));
      submit(front, admin, 1, new TxBody.PatientEnrolled("p-bench", patient.publicKey().encode(), Sha3Hash.ZERO));
      awaitRing(front, ring);
      // what committing one transaction takes (every proof ends with one): enrolments one at a time
      long[] commit = new long[30];
      for (int i = -10; i < commit.length; i++) {
        long t0 = System.nanoTime();
        submit(front, admin, 100 + i, new TxBody.PatientEnrolled("p-commit-" + (i + 10), new byte[] {1}, Sha3Hash.ZERO));
        if (i >= 0) {
          commit[i] = System.nanoTime() - t0;
        }
      }
      Arrays.sort(commit);
      double commitP50 = Measure.percentile(commit, 0.5) / 1e6;

      // the bare ring pass, then an idle node
      long[] pass = new long[passes];
      ActorRef<VerifierNode.Command> verifier = front.refs().verifier().orElseThrow();
      for (int i = -passes / 4; i < passes; i++) {
        VerifierNode.RingTrace trace = AskPattern.<VerifierNode.Command, StatusReply<VerifierNode.RingTrace>>ask(
            verifier, VerifierNode.RunRingPass::new, Duration.ofSeconds(10), system.scheduler())
            .toCompletableFuture().get(20, TimeUnit.SECONDS).getValue();
        if (i >= 0) {
          pass[i] = trace.latencyMicros();
        }
      }
      Arrays.sort(pass);
      double passP50 = Measure.percentile(pass, 0.5) / 1e3;
      long idleFrom = Measure.processCpuNanos();
      long idleStart = System.nanoTime();
      Thread.sleep(5_000);
      double idle = 100.0 * (Measure.processCpuNanos() - idleFrom) / (System.nanoTime() - idleStart) / ring;

      // one proof at a time (after as many to warm up)
      run(system, front, patient, "warm", solo, 1);
      long cpuFrom = Measure.processCpuNanos();
      long[] soloLatency = run(system, front, patient, "solo", solo, 1);
      double soloCpu = (Measure.processCpuNanos() - cpuFrom) / 1e6 / solo;

      // many in flight
      System.out.printf("ring of %d: %d proofs, %d in flight ...%n", ring, proofs, inFlight);
      cpuFrom = Measure.processCpuNanos();
      long start = System.nanoTime();
      long[] loaded = run(system, front, patient, "load", proofs, inFlight);
      double seconds = (System.nanoTime() - start) / 1e9;
      double loadedCpu = (Measure.processCpuNanos() - cpuFrom) / 1e6 / proofs;
      int failed = (int) Arrays.stream(loaded).filter(l -> l < 0).count();
      long[] ok = Arrays.stream(loaded).filter(l -> l >= 0).sorted().toArray();
      long[] soloOk = Arrays.stream(soloLatency).filter(l -> l >= 0).sorted().toArray();
      double hop = passP50 / ring;
      // a proof's messages in turn: E1 to the ring, two laps (2n hops), the challenge back through the contract
      // and the prover, E3 to the ring, the verdicts to the contract: about 2n + 4 hops per attempt, ×2.87
      // attempts, plus the commit of IdentityVerified (not counted)
      double expectedAttempts = IdentificationParameters.N256.expectedAttempts();
      // the CPU a proof costs once the JIT has done its work (one proof at a time, the JIT is still compiling)
      double predicted = (2.0 * ring + 4) * expectedAttempts * hop + loadedCpu + commitP50;
      return new Row(ring, passP50, Measure.percentile(pass, 0.99) / 1e3, hop, idle, commitP50,
          Measure.percentile(soloOk, 0.5) / 1e6, Measure.percentile(soloOk, 0.99) / 1e6, soloCpu, predicted,
          ok.length / seconds, Measure.percentile(ok, 0.5) / 1e6, Measure.percentile(ok, 0.99) / 1e6, loadedCpu,
          Runtime.getRuntime().availableProcessors() / (loadedCpu / 1e3), failed + (solo - soloOk.length));
    }
  }

  private static void submit(Node front, MlDsa65.KeyPair admin, long nonce, TxBody body) throws Exception {
    Transaction tx = Transaction.sign(admin, "admin", nonce, System.currentTimeMillis(), body);
    SubmitResult result = AskPattern.<Mempool.Command, SubmitResult>ask(front.refs().mempool(),
        replyTo -> new Mempool.Submit(tx.encode(), replyTo), Duration.ofSeconds(30), front.system().scheduler())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    if (result.outcome() != SubmitResult.Outcome.COMMITTED) {
      throw new IllegalStateException("seeding the benchmark failed: " + result);
    }
  }

  private static void awaitRing(Node front, int ring) throws Exception {
    ActorRef<VerifierNode.Command> verifier = front.refs().verifier().orElseThrow();
    long until = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < until) {
      VerifierNode.RingView view = AskPattern.<VerifierNode.Command, VerifierNode.RingView>ask(verifier,
          VerifierNode.GetRing::new, Duration.ofSeconds(5), front.system().scheduler())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (view.members().size() == ring) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the ring never had " + ring + " verifiers");
  }

  /** Runs {@code count} proofs, at most {@code inFlight} at once; each one's latency in ns, negative if it failed. */
  private static long[] run(ActorSystem<LatticareNode.Command> system, Node front, IdentityKeyPair patient,
      String prefix, int count, int inFlight) throws Exception {
    CompletableFuture<long[]> done = new CompletableFuture<>();
    system.systemActorOf(driver(front, patient, prefix, count, inFlight, done), "bench-" + prefix + "-"
        + System.nanoTime(), Props.empty());
    return done.get(30, TimeUnit.MINUTES);
  }

  private static Behavior<IdentityContract.Finished> driver(Node front, IdentityKeyPair patient, String prefix,
      int count, int inFlight, CompletableFuture<long[]> done) {
    return Behaviors.setup(context -> {
      long[] latency = new long[count];
      long[] started = new long[count];
      int[] next = {0};
      int[] finished = {0};
      Runnable launch = () -> {
        int i = next[0]++;
        started[i] = System.nanoTime();
        context.spawnAnonymous(CustodialProver.create(patient, "p-bench", prefix + "-" + i,
            front.refs().identities(), context.getSelf()));
      };
      while (next[0] < Math.min(inFlight, count)) {
        launch.run();
      }
      return Behaviors.receive(IdentityContract.Finished.class)
          .onMessage(IdentityContract.Finished.class, f -> {
            String id = f.session().substring(prefix.length() + 1).replaceAll("-r\\d+$", "");
            int i = Integer.parseInt(id);
            latency[i] = f.identified() ? System.nanoTime() - started[i] : -1;
            finished[0]++;
            if (next[0] < count) {
              launch.run();
            }
            if (finished[0] == count) {
              done.complete(latency);
              return Behaviors.stopped();
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
