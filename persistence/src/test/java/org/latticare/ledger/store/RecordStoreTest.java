package org.latticare.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.store.RecordStore.Manifest;
import org.latticare.ledger.store.RecordStore.StoreException;

class RecordStoreTest {

  @TempDir
  Path dir;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Manifest write(RecordStore store, String recordId, byte[] header, byte[]... chunks) {
    try (RecordStore.Upload upload = store.begin(recordId, header)) {
      for (byte[] chunk : chunks) {
        upload.append(chunk);
      }
      return upload.finish();
    }
  }

  private static StoreException.Code refusal(Runnable action) {
    try {
      action.run();
    } catch (StoreException refused) {
      return refused.code();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void aFinishedRecordReadsBackInOrderWithTheDigestOfItsHeaderAndChunks() throws IOException {
    try (RecordStore store = RecordStore.open(dir)) {
      Manifest manifest = write(store, "r-1", bytes("HEADER"), bytes("first "), bytes("second "), bytes("last"));
      assertThat(manifest.chunks()).isEqualTo(3);
      assertThat(manifest.bytes()).isEqualTo(6 + 17);
      assertThat(manifest.digest()).isEqualTo(Sha3Hash.of(bytes("HEADERfirst second last")));
      assertThat(store.manifest("r-1")).contains(manifest);
      write(store, "r-0", bytes("H"), bytes("x"));
      store.begin("r-unfinished", bytes("H")).append(bytes("y"));
      assertThat(store.records()).containsExactly("r-0", "r-1");
      assertThat(store.header("r-1")).hasValueSatisfying(h -> assertThat(h).isEqualTo(bytes("HEADER")));
      try (InputStream in = store.ciphertext("r-1")) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first second last");
      }
      assertThat(store.chunk("r-1", 1)).hasValueSatisfying(c -> assertThat(c).isEqualTo(bytes("second ")));
      assertThat(store.chunk("r-1", 3)).isEmpty();
      assertThat(store.chunk("r-none", 0)).isEmpty();
    }
    try (RecordStore reopened = RecordStore.open(dir)) {
      assertThat(reopened.manifest("r-1")).isPresent();
      try (InputStream in = reopened.ciphertext("r-1")) {
        assertThat(in.readAllBytes()).hasSize(17);
      }
    }
  }

  @Test
  void anUnfinishedUploadIsNeverReadableAndIsGoneAfterACrash() throws IOException {
    try (RecordStore store = RecordStore.open(dir)) {
      RecordStore.Upload upload = store.begin("r-crash", bytes("H"));
      upload.append(bytes("half of it"));
      assertThat(store.manifest("r-crash")).isEmpty();
      assertThat(store.header("r-crash")).isEmpty();
      assertThat(refusal(() -> store.ciphertext("r-crash"))).isEqualTo(StoreException.Code.NOT_FOUND);
      RecordStore.Upload dropped = store.begin("r-dropped", bytes("H"));
      dropped.append(bytes("x"));
      dropped.close();
      assertThat(refusal(dropped::finish)).isEqualTo(StoreException.Code.UPLOAD_CLOSED);
      write(store, "r-dropped", bytes("H2"), bytes("again"));
      // the store closes with r-crash unfinished, as a node killed mid-upload would leave it
    }
    try (RecordStore reopened = RecordStore.open(dir)) {
      assertThat(reopened.manifest("r-crash")).isEmpty();
      assertThat(write(reopened, "r-crash", bytes("H"), bytes("whole")).chunks()).isEqualTo(1);
      try (InputStream in = reopened.ciphertext("r-crash")) {
        assertThat(in.readAllBytes()).isEqualTo(bytes("whole"));
      }
      try (InputStream in = reopened.ciphertext("r-dropped")) {
        assertThat(in.readAllBytes()).isEqualTo(bytes("again"));
      }
    }
  }

  @Test
  void refusedWritesChangeNothing() throws IOException {
    try (RecordStore store = RecordStore.open(dir)) {
      Manifest kept = write(store, "r-1", bytes("H"), bytes("kept"));
      assertThat(refusal(() -> store.begin("r-1", bytes("H")))).isEqualTo(StoreException.Code.RECORD_EXISTS);
      assertThat(refusal(() -> store.begin("", bytes("H")))).isEqualTo(StoreException.Code.BAD_ID);
      assertThat(refusal(() -> store.begin("a\0b", bytes("H")))).isEqualTo(StoreException.Code.BAD_ID);
      assertThat(refusal(() -> store.begin("r".repeat(257), bytes("H")))).isEqualTo(StoreException.Code.BAD_ID);
      assertThat(refusal(() -> store.putEnvelope("r-none", "dr", bytes("E")))).isEqualTo(StoreException.Code.NOT_FOUND);
      assertThat(store.manifest("r-1")).contains(kept);
      try (InputStream in = store.ciphertext("r-1")) {
        assertThat(in.readAllBytes()).isEqualTo(bytes("kept"));
      }
    }
  }

  @Test
  void envelopesArePerGranteeAndARevocationDeletesOneFromTheFiles() throws IOException {
    // random over 94 printable characters, so that no compression of the table files can hide them from the scan:
    // Snappy replaces a run of 4 bytes seen before by a reference, which hexadecimal markers met about once in 20 runs
    String patientsEnvelope = randomMarker();
    String hospitalsEnvelope = randomMarker();
    try (RecordStore store = RecordStore.open(dir)) {
      write(store, "r-1", bytes("H"), bytes("c"));
      write(store, "r-10", bytes("H"), bytes("c"));
      store.putEnvelope("r-1", "patient", bytes(patientsEnvelope));
      store.putEnvelope("r-1", "hospital-1", bytes(hospitalsEnvelope));
      store.putEnvelope("r-10", "other", bytes("E-other"));
      assertThat(store.grantees("r-1")).containsExactlyInAnyOrder("patient", "hospital-1");
      assertThat(store.envelope("r-1", "patient")).hasValueSatisfying(e -> assertThat(e).isEqualTo(bytes(patientsEnvelope)));
      assertThat(filesContaining(patientsEnvelope)).isNotEmpty();
      store.deleteEnvelope("r-1", "patient");
      assertThat(store.envelope("r-1", "patient")).isEmpty();
      assertThat(filesContaining(patientsEnvelope)).as("a revoked envelope left in the files").isEmpty();
      assertThat(filesContaining(hospitalsEnvelope)).as("the other envelope is kept").isNotEmpty();
      assertThat(store.grantees("r-1")).containsExactly("hospital-1");
      assertThat(store.grantees("r-10")).containsExactly("other");
      store.deleteEnvelope("r-1", "nobody");
    }
  }

  @Test
  void erasureRemovesEveryCopyFromTheStoresFilesAndStays() throws IOException {
    String marker = "MARKER-" + Long.toHexString(new Random().nextLong());
    try (RecordStore store = RecordStore.open(dir)) {
      write(store, "r-keep", bytes("H"), bytes("kept record"));
      byte[] chunk = bytes((marker + " ").repeat(2000));
      write(store, "r-gone", bytes("H " + marker), chunk, chunk, chunk);
      store.putEnvelope("r-gone", "patient", bytes("envelope " + marker));
      // Some of it must have reached the files (the write-ahead log), or the scan below would prove nothing.
      assertThat(filesContaining(marker)).as("the marker is on disk before erasure").isNotEmpty();

      store.erase("r-gone");

      assertThat(filesContaining(marker)).as("files still holding the marker").isEmpty();
      assertThat(store.erased("r-gone")).isTrue();
      assertThat(store.manifest("r-gone")).isEmpty();
      assertThat(store.grantees("r-gone")).isEmpty();
      assertThat(refusal(() -> store.begin("r-gone", bytes("H")))).isEqualTo(StoreException.Code.RECORD_ERASED);
      try (InputStream in = store.ciphertext("r-keep")) {
        assertThat(in.readAllBytes()).isEqualTo(bytes("kept record"));
      }
    }
    try (RecordStore reopened = RecordStore.open(dir)) {
      assertThat(reopened.erased("r-gone")).isTrue();
      assertThat(refusal(() -> reopened.begin("r-gone", bytes("H")))).isEqualTo(StoreException.Code.RECORD_ERASED);
    }
    assertThat(filesContaining(marker)).isEmpty();
  }

  @Test
  void anUploadRacingAnErasureIsDroppedWhenItFinishes() throws IOException {
    try (RecordStore store = RecordStore.open(dir)) {
      RecordStore.Upload late = store.begin("r-late", bytes("H"));
      late.append(bytes("pushed by a slow peer"));
      store.erase("r-late");
      assertThat(refusal(late::finish)).isEqualTo(StoreException.Code.RECORD_ERASED);
      assertThat(store.manifest("r-late")).isEmpty();
      assertThat(refusal(() -> store.ciphertext("r-late"))).isEqualTo(StoreException.Code.NOT_FOUND);
    }
  }

  @Test
  void aLargeRecordStreamsInAndOutAChunkAtATime() throws IOException {
    byte[] chunk = new byte[64 * 1024];
    new Random(7).nextBytes(chunk);
    int chunks = 256; // 16 MiB
    try (RecordStore store = RecordStore.open(dir)) {
      Manifest manifest;
      try (RecordStore.Upload upload = store.begin("r-image", bytes("H"))) {
        for (int i = 0; i < chunks; i++) {
          chunk[0] = (byte) i;
          upload.append(chunk);
        }
        manifest = upload.finish();
      }
      assertThat(manifest.bytes()).isEqualTo(1 + (long) chunks * chunk.length);
      long read = 0;
      byte[] buffer = new byte[10_000];
      try (InputStream in = store.ciphertext("r-image")) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          for (int i = 0; i < n; i++) {
            long at = read + i;
            if (at % chunk.length == 0) {
              assertThat(buffer[i]).isEqualTo((byte) (at / chunk.length));
            }
          }
          read += n;
        }
      }
      assertThat(read).isEqualTo((long) chunks * chunk.length);
    }
  }

  private static String randomMarker() {
    Random random = new Random();
    StringBuilder marker = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      marker.append((char) ('!' + random.nextInt(94)));
    }
    return marker.toString();
  }

  private List<Path> filesContaining(String marker) throws IOException {
    byte[] needle = bytes(marker);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(file -> {
        try {
          return indexOf(Files.readAllBytes(file), needle) >= 0;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
