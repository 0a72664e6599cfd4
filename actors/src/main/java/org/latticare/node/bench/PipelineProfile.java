package org.latticare.node.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a transaction's CPU goes, step by step: Java Flight Recorder samples the running Java threads every
 * 10 ms during the measured run, and each sample is put in the first step (in the order below) that any frame
 * of its stack belongs to; each thread's CPU time is then shared among the steps in proportion to that thread's
 * own samples (the sampler visits only a few threads per period, so counting samples alone would favour threads
 * that are often runnable over those that burn the CPU). Signature verification comes first because ML-DSA hashes internally (its SHAKE
 * frames are verification, not hashing); a block's signing before the journal, the journal before
 * serialization, and so on down to the actors' own code. Only Java threads are sampled: the JIT, the GC and
 * LevelDB's own compaction thread are not Java threads and show as the remainder of the process's CPU.
 */
final class PipelineProfile implements AutoCloseable {

  /** A step of the pipeline and how to recognise its frames. */
  record Step(String name, Predicate<String> frame) {}

  static final List<Step> STEPS = List.of(
      new Step("ML-DSA verification", f -> f.startsWith("org.latticare.lattice.sign.MlDsa65.verify")),
      new Step("ML-DSA signing (blocks)", f -> f.startsWith("org.latticare.lattice.sign.MlDsa65$KeyPair.sign")),
      new Step("LevelDB journal and snapshots", f -> f.startsWith("org.fusesource.leveldbjni")
          || f.startsWith("akka.persistence.journal.leveldb") || f.startsWith("akka.persistence.snapshot")),
      new Step("Jackson/CBOR serialization", f -> f.startsWith("com.fasterxml.jackson")
          || f.startsWith("akka.serialization.jackson")),
      new Step("TLS between nodes (AES-GCM)", f -> f.startsWith("sun.security.ssl") || f.startsWith("com.sun.crypto.provider")
          || f.startsWith("akka.stream.impl.io.TLS")),
      new Step("Artery remoting", f -> f.startsWith("akka.remote")),
      new Step("SHA3 hashing and Merkle roots", f -> f.startsWith("org.bouncycastle.crypto.digests")
          || f.startsWith("org.latticare.ledger.Sha3Hash") || f.startsWith("org.latticare.ledger.MerkleTree")),
      new Step("canonical encoding and decoding", f -> f.startsWith("org.latticare.ledger.encoding")
          || f.startsWith("org.latticare.ledger.Transaction.decode") || f.startsWith("org.latticare.ledger.Block.decode")
          || f.startsWith("org.latticare.ledger.Block.encode") || f.startsWith("org.latticare.ledger.tx")),
      new Step("ledger rules and state", f -> f.startsWith("org.latticare.ledger.rules")),
      new Step("mempool, producer, replica (own code)", f -> f.startsWith("org.latticare")),
      new Step("Akka dispatch, streams and mailboxes", f -> f.startsWith("akka.") || f.startsWith("scala.")),
      new Step("benchmark client and JDK", f -> true));

  private final Recording recording = new Recording();

  PipelineProfile() {
    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10)).withStackTrace();
    recording.setToDisk(true);
    recording.start();
  }

  /** A Java thread that used CPU but was never sampled. */
  static final String UNSAMPLED = "Java threads never sampled";

  /**
   * Stops the recording and shares each thread's CPU ({@code cpuByThread}: nanoseconds by Java thread id)
   * among the steps, in the order of {@link #STEPS}; {@code keep}, if not null, receives the recording.
   */
  Map<String, Long> cpuByStep(Map<Long, Long> cpuByThread, Path keep) throws IOException {
    recording.stop();
    Path file = keep != null ? keep : Files.createTempFile("latticare-ledger", ".jfr");
    try {
      recording.dump(file);
      Map<Long, Map<String, Long>> samples = new HashMap<>();
      for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
        if (event.getStackTrace() != null && event.getThread("sampledThread") != null) {
          samples.computeIfAbsent(event.getThread("sampledThread").getJavaThreadId(), id -> new HashMap<>())
              .merge(stepOf(event.getStackTrace().getFrames()), 1L, Long::sum);
        }
      }
      Map<String, Long> cpu = new LinkedHashMap<>();
      STEPS.forEach(step -> cpu.put(step.name(), 0L));
      cpu.put(UNSAMPLED, 0L);
      cpuByThread.forEach((thread, nanos) -> {
        Map<String, Long> steps = samples.get(thread);
        if (steps == null) {
          cpu.merge(UNSAMPLED, nanos, Long::sum);
          return;
        }
        double total = steps.values().stream().mapToLong(Long::longValue).sum();
        steps.forEach((step, count) -> cpu.merge(step, Math.round(nanos * (count / total)), Long::sum));
      });
      return cpu;
    } finally {
      if (keep == null) {
        Files.deleteIfExists(file);
      }
    }
  }

  static String stepOf(List<RecordedFrame> frames) {
    for (Step step : STEPS) {
      for (RecordedFrame frame : frames) {
        if (frame.isJavaFrame() && step.frame().test(frame.getMethod().getType().getName() + "."
            + frame.getMethod().getName())) {
          return step.name();
        }
      }
    }
    return STEPS.get(STEPS.size() - 1).name();
  }

  @Override
  public void close() {
    recording.close();
  }
}
