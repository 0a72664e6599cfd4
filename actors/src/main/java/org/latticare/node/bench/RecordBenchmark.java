package org.latticare.node.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.latticare.lattice.kem.KemKeyPair;
import org.latticare.lattice.kem.MlKem768;
import org.latticare.lattice.kem.RecordBinding;
import org.latticare.lattice.kem.RecordEncryption;
import org.latticare.ledger.IdentityKeys;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.EmbeddedConsortium;
import org.latticare.node.client.ApiClient;
import org.latticare.node.client.RecordClient;

/**
 * Upload and download of one large record through the front of an embedded consortium (sealed and
 * opened by the client in the same JVM, stored on every node), against plain AES-256-GCM over the same
 * bytes on this machine: what the chunked record format, the request signatures, the replication to
 * every node's store and the read's log entry cost on top of the cipher. Each figure is the median of
 * {@code rounds} rounds, each a fresh record.
 */
public final class RecordBenchmark {

  public record Result(int nodes, int megabytes, int rounds, double aesEncryptMBps, double aesDecryptMBps,
      double chunkedEncryptMBps, double chunkedDecryptMBps, double uploadMBps, double downloadMBps, int chunks) {
    public String table() {
      return String.format("""
          nodes (one JVM) %d, cores %d, record %d MB (%d chunks of 64 KiB), median of %d rounds

          | what | MB/s | of plain AES-GCM in 64 KiB calls |
          |---|---|---|
          | AES-256-GCM encrypt, one call over the whole record, in memory | %.0f | |
          | AES-256-GCM decrypt, one call over the whole record, in memory | %.0f | |
          | AES-256-GCM encrypt, 64 KiB calls, in memory | %.0f | 100 %% |
          | AES-256-GCM decrypt, 64 KiB calls, in memory | %.0f | 100 %% |
          | upload: seal, sign and send each chunk, every node stores it, anchor | %.1f | %.1f %% |
          | download: log the read (committed), stream, open | %.1f | %.1f %% |
          """, nodes, Runtime.getRuntime().availableProcessors(), megabytes, chunks, rounds, aesEncryptMBps,
          aesDecryptMBps, chunkedEncryptMBps, chunkedDecryptMBps, uploadMBps, 100 * uploadMBps / chunkedEncryptMBps,
          downloadMBps, 100 * downloadMBps / chunkedDecryptMBps);
    }
  }

  private RecordBenchmark() {}

  public static Result run(int nodes, int megabytes, int rounds) throws Exception {
    long bytes = (long) megabytes << 20;
    SecureRandom random = new SecureRandom();
    byte[] block = new byte[1 << 20];
    new Random(1).nextBytes(block);

    double[] encrypt = new double[rounds];
    double[] decrypt = new double[rounds];
    byte[] plain = new byte[(int) bytes];
    for (int i = 0; i < megabytes; i++) {
      System.arraycopy(block, 0, plain, i << 20, block.length);
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    for (int round = 0; round < rounds + 1; round++) {
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      long start = System.nanoTime();
      byte[] sealed = aes(Cipher.ENCRYPT_MODE, key, nonce, plain);
      long encrypted = System.nanoTime();
      aes(Cipher.DECRYPT_MODE, key, nonce, sealed);
      long decrypted = System.nanoTime();
      if (round > 0) { // the first round warms the JIT up
        encrypt[round - 1] = megabytes / ((encrypted - start) / 1e9);
        decrypt[round - 1] = megabytes / ((decrypted - encrypted) / 1e9);
      }
    }
    double[] chunkedEncrypt = new double[rounds];
    double[] chunkedDecrypt = new double[rounds];
    int piece = RecordEncryption.DEFAULT_CHUNK_BYTES;
    byte[][] pieces = new byte[(int) (bytes / piece)][];
    for (int round = 0; round < rounds + 1; round++) {
      byte[] nonce = new byte[12];
      long start = System.nanoTime();
      for (int i = 0; i < pieces.length; i++) {
        nonce[0] = (byte) i;
        nonce[1] = (byte) (i >> 8);
        nonce[11] = (byte) round;
        pieces[i] = aes(Cipher.ENCRYPT_MODE, key, nonce, java.util.Arrays.copyOfRange(plain, i * piece, (i + 1) * piece));
      }
      long encrypted = System.nanoTime();
      for (int i = 0; i < pieces.length; i++) {
        nonce[0] = (byte) i;
        nonce[1] = (byte) (i >> 8);
        aes(Cipher.DECRYPT_MODE, key, nonce, pieces[i]);
      }
      long decrypted = System.nanoTime();
      if (round > 0) {
        chunkedEncrypt[round - 1] = megabytes / ((encrypted - start) / 1e9);
        chunkedDecrypt[round - 1] = megabytes / ((decrypted - encrypted) / 1e9);
      }
    }
    pieces = null;
    plain = null;

    Path dataDir = Files.createTempDirectory("latticare-bench-records");
    try (EmbeddedConsortium consortium = EmbeddedConsortium.start(nodes, dataDir, "127.0.0.1", 0,
        Map.of("latticare.ask-timeout", "30s"), Duration.ofSeconds(60))) {
      URI front = URI.create("http://127.0.0.1:" + consortium.front().binding().orElseThrow().localAddress().getPort());
      Path keys = EmbeddedConsortium.clientKeys(dataDir);
      MlDsa65.KeyPair adminKey = ConsortiumFiles.readKey(keys.resolve("admin.key"));
      ApiClient admin = new ApiClient(ApiClient.httpClient(), front, "admin", adminKey);
      MlKem768 kem = new MlKem768();
      KemKeyPair adminKem = kem.generateKeyPair(random);
      MlDsa65.KeyPair patientKey = MlDsa65.generate();
      KemKeyPair patientKem = kem.generateKeyPair(random);
      long nonce = 1;
      for (TxBody body : List.of(
          new TxBody.IdentityEnrolled(new TxBody.Identity("p-large", "patient", "hospital-1",
              IdentityKeys.of(patientKey.publicKey(), patientKem.publicKey()).encode())),
          new TxBody.PatientEnrolled("p-large", new byte[] {1}, Sha3Hash.ZERO))) {
        ApiClient.Answer answer = admin.submit(Transaction.sign(adminKey, "admin", nonce++, System.currentTimeMillis(), body));
        if (answer.status() != 201) {
          throw new IllegalStateException("seeding the benchmark failed: " + answer);
        }
      }
      RecordClient hospital = new RecordClient(admin, new RecordEncryption(kem, random));
      RecordClient patient = new RecordClient(new ApiClient(ApiClient.httpClient(), front, "p-large", patientKey),
          new RecordEncryption(kem, random));
      List<RecordEncryption.Grantee> grantees = List.of(new RecordEncryption.Grantee("p-large", patientKem.publicKey()),
          new RecordEncryption.Grantee("admin", adminKem.publicKey()));
      double[] upload = new double[rounds];
      double[] download = new double[rounds];
      int chunks = 0;
      for (int round = 0; round < rounds + 1; round++) {
        String recordId = "r-large-" + round;
        System.out.printf("round %d of %d: %d MB up and down ...%n", round, rounds, megabytes);
        long start = System.nanoTime();
        RecordClient.Stored stored = hospital.store(recordId, "p-large", repeated(block, megabytes), grantees, n -> { });
        hospital.anchor(stored, "p-large", adminKey, nonce++);
        long uploaded = System.nanoTime();
        CountingOutputStream sink = new CountingOutputStream();
        patient.read(new RecordBinding(recordId, "p-large"), "bench", patientKey, System.currentTimeMillis() * 1000 + round,
            patientKem.privateKey(), sink, n -> { });
        long read = System.nanoTime();
        if (sink.count != bytes) {
          throw new IllegalStateException("read " + sink.count + " bytes of " + bytes);
        }
        chunks = stored.chunks();
        if (round > 0) {
          upload[round - 1] = megabytes / ((uploaded - start) / 1e9);
          download[round - 1] = megabytes / ((read - uploaded) / 1e9);
        }
      }
      return new Result(nodes, megabytes, rounds, Measure.median(encrypt), Measure.median(decrypt),
          Measure.median(chunkedEncrypt), Measure.median(chunkedDecrypt), Measure.median(upload), Measure.median(download),
          chunks);
    }
  }

  private static byte[] aes(int mode, byte[] key, byte[] nonce, byte[] input) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    return cipher.doFinal(input);
  }

  /** {@code count} copies of {@code block}, streamed: the record is never in memory whole. */
  private static InputStream repeated(byte[] block, int count) {
    return new InputStream() {
      private long position;
      private final long length = (long) block.length * count;

      @Override
      public int read() {
        return position < length ? block[(int) (position++ % block.length)] & 0xff : -1;
      }

      @Override
      public int read(byte[] buffer, int offset, int wanted) {
        if (position >= length) {
          return -1;
        }
        int at = (int) (position % block.length);
        int n = (int) Math.min(Math.min(wanted, block.length - at), length - position);
        System.arraycopy(block, at, buffer, offset, n);
        position += n;
        return n;
      }
    };
  }

  private static final class CountingOutputStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
