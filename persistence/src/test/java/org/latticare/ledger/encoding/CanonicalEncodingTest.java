package org.latticare.ledger.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.latticare.ledger.Block;
import org.latticare.ledger.Fixtures;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.ledger.tx.TxType;

class CanonicalEncodingTest {

  private static List<Transaction> everyTransaction() {
    List<TxBody> bodies = Fixtures.everyBody();
    return java.util.stream.IntStream.range(0, bodies.size())
        .mapToObj(i -> Fixtures.tx(Fixtures.ADMIN, "admin", i, bodies.get(i))).toList();
  }

  @Test
  void everyTransactionTypeRoundTripsAndIsCovered() {
    List<Transaction> transactions = everyTransaction();
    assertThat(transactions).extracting(Transaction::type)
        .containsExactlyInAnyOrder(Arrays.stream(TxType.values()).filter(t -> t != TxType.CONSORTIUM_FOUNDED)
            .toArray(TxType[]::new));
    for (Transaction tx : transactions) {
      Transaction decoded = Transaction.decode(tx.encode());
      assertThat(decoded).isEqualTo(tx);
      assertThat(decoded.hash()).isEqualTo(tx.hash());
      assertThat(decoded.verifySignature(Fixtures.ADMIN.publicKey())).isTrue();
      assertThat(CanonicalCodec.encode((Record) decoded.body())).isEqualTo(CanonicalCodec.encode((Record) tx.body()));
    }
    Block genesis = Fixtures.genesis();
    assertThat(Block.decode(genesis.encode())).isEqualTo(genesis);
  }

  /** The encodings are the hash and signature input: they must never change for the same values. */
  @Test
  void encodingsMatchTheCheckedInGoldenVectors() throws IOException {
    Map<String, String> golden = golden();
    Map<String, String> actual = new LinkedHashMap<>();
    for (Transaction tx : everyTransaction()) {
      actual.put(tx.type().name(), HexFormat.of().formatHex(tx.encode()));
    }
    actual.put("GENESIS", HexFormat.of().formatHex(Fixtures.genesis().encode()));
    assertThat(actual).isEqualTo(golden);
    for (Map.Entry<String, String> entry : golden.entrySet()) {
      if (!entry.getKey().equals("GENESIS")) {
        assertThat(Transaction.decode(HexFormat.of().parseHex(entry.getValue())).type().name()).isEqualTo(entry.getKey());
      }
    }
  }

  private static Map<String, String> golden() throws IOException {
    Map<String, String> golden = new LinkedHashMap<>();
    try (InputStream in = CanonicalEncodingTest.class.getResourceAsStream("/golden/encodings.txt")) {
      assertThat(in).as("golden vector file").isNotNull();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] parts = line.split(" ", 2);
          golden.put(parts[0], parts[1].trim());
        }
      }
    }
    return golden;
  }

  @Test
  void everyTruncationAndAnyTrailingByteIsRefused() {
    byte[] encoding = everyTransaction().get(2).encode();
    for (int length = 0; length < encoding.length; length += (length < 200 ? 1 : 97)) {
      byte[] truncated = Arrays.copyOf(encoding, length);
      assertThatThrownBy(() -> Transaction.decode(truncated)).isInstanceOf(MalformedEncodingException.class);
    }
    byte[] longer = Arrays.copyOf(encoding, encoding.length + 1);
    assertThatThrownBy(() -> Transaction.decode(longer)).hasMessageContaining("trailing");
  }

  @Test
  void garbageVersionsTagsLengthsAndTextAreRefusedWithAReason() {
    byte[] encoding = everyTransaction().get(0).encode();
    byte[] badVersion = encoding.clone();
    badVersion[3] = 9;
    assertThatThrownBy(() -> Transaction.decode(badVersion)).hasMessageContaining("version");
    byte[] badTag = encoding.clone();
    badTag[7] = 99;
    assertThatThrownBy(() -> Transaction.decode(badTag)).hasMessageContaining("unknown transaction type");
    byte[] hugeLength = encoding.clone();
    hugeLength[8] = 0x7f;
    assertThatThrownBy(() -> Transaction.decode(hugeLength)).isInstanceOf(MalformedEncodingException.class);
    byte[] badUtf8 = new CanonicalWriter().writeBytes(new byte[] {(byte) 0xc3, 0x28}).toByteArray();
    assertThatThrownBy(() -> new CanonicalReader(badUtf8).readString("name")).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> Transaction.decode(new byte[0])).isInstanceOf(MalformedEncodingException.class);
  }

  @Test
  void aDecodedBodyThatBreaksItsOwnRulesIsRefused() {
    // an identity with an unknown role, written by hand in the canonical layout
    byte[] body = new CanonicalWriter().writeString("x").writeString("emperor").writeString("org")
        .writeBytes(new byte[] {1}).toByteArray();
    assertThatThrownBy(() -> CanonicalCodec.decode(TxBody.Identity.class, body)).hasMessageContaining("unknown role");
  }

  @Test
  void aBufferOfAnyByteOrderIsWrittenAndReadInTheSameBigEndianLayoutAsAnArray() {
    byte[] payload = new byte[300_000];
    Arrays.fill(payload, (byte) 7);
    byte[] array = new CanonicalWriter().writeInt(-2).writeLong(1L << 40).writeBoolean(true).writeString("né")
        .writeBytes(payload).toByteArray();

    ByteBuffer buffer = ByteBuffer.allocateDirect(array.length + 9).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(new byte[9]);
    CanonicalWriter.into(buffer).writeInt(-2).writeLong(1L << 40).writeBoolean(true).writeString("né").writeBytes(payload);
    assertThat(buffer.position()).isEqualTo(array.length + 9);
    byte[] written = new byte[array.length];
    buffer.get(9, written);
    assertThat(written).isEqualTo(array);

    buffer.position(9);
    CanonicalReader reader = new CanonicalReader(buffer);
    assertThat(reader.readInt("i")).isEqualTo(-2);
    assertThat(reader.readLong("l")).isEqualTo(1L << 40);
    assertThat(reader.readBoolean("b")).isTrue();
    assertThat(reader.readString("s")).isEqualTo("né");
    assertThat(reader.readBytes("payload")).isEqualTo(payload);
    reader.expectEnd("buffer");
    assertThat(buffer.position()).as("the caller's buffer is left as it was").isEqualTo(9);

    CanonicalReader capped = new CanonicalReader(buffer);
    capped.readInt("i");
    capped.readLong("l");
    capped.readBoolean("b");
    capped.readString("s");
    assertThatThrownBy(() -> capped.readBytes("payload", 1000)).hasMessageContaining("payload: length 300000 is outside 0..1000");
  }

  @Test
  void aWriterIntoAFullBufferFailsInsteadOfGrowingIt() {
    ByteBuffer small = ByteBuffer.allocate(6);
    assertThatThrownBy(() -> CanonicalWriter.into(small).writeString("too long")).isInstanceOf(BufferOverflowException.class);
  }
}
