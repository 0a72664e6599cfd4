package org.latticare.node.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.cluster.LatticareConfig;
import org.latticare.ledger.replica.ChainReplicaSerializer;
import org.latticare.ledger.rules.Rejection;

/** The mempool's batches to the producer and the producer's outcomes, under the project's configuration. */
class ProducerMessageSerializerTest {

  private static ActorTestKit kit;
  private static Serialization serialization;
  private static ProducerMessageSerializer serializer;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create("producer-serializer", LatticareConfig.load("local", Map.of(
        "latticare.data-dir", Files.createTempDirectory("producer-serializer").toString())));
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    serializer = (ProducerMessageSerializer) serialization.serializerFor(BlockProducer.Enqueue.class);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static Object throughArteryBuffer(Object message) throws NotSerializableException {
    ByteBuffer frame = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    frame.put(new byte[23]);
    serializer.toBinary(message, frame);
    frame.flip().position(23);
    return serializer.fromBinary(frame, serializer.manifest(message));
  }

  private static byte[] bytes(int length, int fill) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) fill);
    return bytes;
  }

  @Test
  void theProjectConfigurationBindsTheBatchesToThisSerializerBesideTheReplicas() throws Exception {
    assertThat(serialization.serializerFor(BlockProducer.Outcomes.class)).isSameAs(serializer);
    assertThat(serializer.identifier()).isEqualTo(ProducerMessageSerializer.ID);
    assertThat(serialization.serializerFor(org.latticare.ledger.replica.ChainReplica.AppendBlock.class))
        .isInstanceOf(ChainReplicaSerializer.class);
    // a submission from the front stays with Jackson: it is one transaction, not a batch
    assertThat(serialization.serializerFor(Mempool.Submit.class).getClass().getSimpleName())
        .isEqualTo("JacksonCborSerializer");
  }

  @Test
  void aBatchOfAdmittedTransactionsTravelsAsTheirBytesWithAReplyToThatReachesTheMempool() throws Exception {
    TestProbe<BlockProducer.Outcomes> mempool = kit.createTestProbe();
    List<BlockProducer.Admitted> admitted = List.of(
        new BlockProducer.Admitted(bytes(3_700, 1), "aa".repeat(32), "clinician-1", 7),
        new BlockProducer.Admitted(bytes(5, 2), "bb".repeat(32), "patient-é", Long.MAX_VALUE));

    BlockProducer.Enqueue read = (BlockProducer.Enqueue) throughArteryBuffer(
        new BlockProducer.Enqueue(admitted, mempool.getRef()));

    assertThat(read.transactions()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(read.transactions().get(i).transaction()).isEqualTo(admitted.get(i).transaction());
      assertThat(read.transactions().get(i).hash()).isEqualTo(admitted.get(i).hash());
      assertThat(read.transactions().get(i).submitter()).isEqualTo(admitted.get(i).submitter());
      assertThat(read.transactions().get(i).nonce()).isEqualTo(admitted.get(i).nonce());
    }
    read.replyTo().tell(new BlockProducer.Outcomes(List.of()));
    assertThat(mempool.receiveMessage(Duration.ofSeconds(5)).results()).isEmpty();
  }

  @Test
  void everyKindOfOutcomeRoundTripsOnBothPaths() throws Exception {
    BlockProducer.Outcomes outcomes = new BlockProducer.Outcomes(List.of(
        SubmitResult.committed("aa".repeat(32), 12, "cc".repeat(32)),
        SubmitResult.refused("bb".repeat(32), Rejection.of(Rejection.Code.NONCE_REPLAYED, "nonce 7 was used")),
        SubmitResult.busy("dd".repeat(32), "the producer's queue is full"),
        SubmitResult.unknown("ee".repeat(32), "no answer"),
        new SubmitResult(SubmitResult.Outcome.REFUSED, "ff".repeat(32), -1, null, "MALFORMED", null)));

    assertThat(throughArteryBuffer(outcomes)).isEqualTo(outcomes);
    assertThat(serializer.fromBinary(serializer.toBinary(outcomes), "Outcomes")).isEqualTo(outcomes);
  }

  @Test
  void malformedBatchesAreRefusedNamingTheField() throws Exception {
    TestProbe<BlockProducer.Outcomes> mempool = kit.createTestProbe();
    byte[] enqueue = serializer.toBinary(new BlockProducer.Enqueue(
        List.of(new BlockProducer.Admitted(bytes(100, 3), "h", "s", 1)), mempool.getRef()));
    byte[] cut = Arrays.copyOf(enqueue, 60);
    assertThatThrownBy(() -> serializer.fromBinary(cut, "Enqueue"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("malformed Enqueue: transaction 0: truncated");

    byte[] forgedCount = enqueue.clone();
    forgedCount[0] = 0x40; // a billion transactions in a frame of a few megabytes
    assertThatThrownBy(() -> serializer.fromBinary(forgedCount, "Enqueue"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("transactions: count");

    byte[] outcome = serializer.toBinary(new BlockProducer.Outcomes(List.of(SubmitResult.busy("h", "r"))));
    outcome[7] = 9; // the first result's outcome
    assertThatThrownBy(() -> serializer.fromBinary(outcome, "Outcomes"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("result 0: outcome 9 is outside 0..2");
  }
}
