package org.latticare.ledger.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.latticare.ledger.replica.ForkCheck.Agree;
import org.latticare.ledger.replica.ForkCheck.TooDeep;
import org.latticare.ledger.replica.ForkCheck.Truncate;
import org.latticare.ledger.replica.ForkCheck.Unconfirmed;
import org.latticare.ledger.replica.ForkCheck.Window;

class ForkCheckTest {

  private static Window window(long from, String... hashes) {
    return new Window(from, List.of(hashes));
  }

  @Test
  void aReplicaOnTheCommittedChainAgreesWhateverItsPeersHeightsAre() {
    Window own = window(5, "a5", "a6", "a7");
    var verdict = ForkCheck.check(own, Map.of("b", window(5, "a5", "a6"), "c", window(5, "a5", "a6", "a7", "a8")), 3);
    assertInstanceOf(Agree.class, verdict);
  }

  @Test
  void aBlockOnlyTheDeadProducersReplicaHeldIsDroppedWhenBothOthersHoldAnother() {
    Window own = window(5, "a5", "a6", "x7");
    var verdict = ForkCheck.check(own, Map.of("b", window(5, "a5", "a6", "b7", "b8"), "c", window(5, "a5", "a6", "b7")), 3);
    Truncate truncate = assertInstanceOf(Truncate.class, verdict);
    assertEquals(6, truncate.keepHeight());
    assertEquals("a6", truncate.keepHash());
    assertEquals(List.of("x7"), truncate.dropped());
    assertEquals("b7", truncate.committedHash());
    assertEquals(2, truncate.holders());
  }

  @Test
  void everyBlockAboveTheFirstUncommittedOneIsDroppedWithIt() {
    Window own = window(5, "a5", "x6", "x7");
    var verdict = ForkCheck.check(own, Map.of("b", window(5, "a5", "b6"), "c", window(5, "a5", "b6")), 3);
    Truncate truncate = assertInstanceOf(Truncate.class, verdict);
    assertEquals(5, truncate.keepHeight());
    assertEquals(List.of("x6", "x7"), truncate.dropped());
  }

  @Test
  void aBlockThisReplicaAndOnePeerHoldIsKeptAgainstOneDissenter() {
    // this replica and c hold x7, a majority: it may have been committed, and b is the one to drop its block
    Window own = window(5, "a5", "a6", "x7");
    var verdict = ForkCheck.check(own, Map.of("b", window(5, "a5", "a6", "b7"), "c", window(5, "a5", "a6", "x7")), 3);
    assertInstanceOf(Agree.class, verdict);
  }

  @Test
  void aMajorityIsCountedOverTheConsortiumNotOverThePeersThatAnswered() {
    // only b answered: one replica of five is no majority, even though every answer disagrees
    Window own = window(5, "a5", "x6");
    var verdict = ForkCheck.check(own, Map.of("b", window(5, "a5", "b6")), 5);
    assertInstanceOf(Unconfirmed.class, verdict);
  }

  @Test
  void peersSplitBetweenTwoOtherBlocksDropNothing() {
    Window own = window(5, "a5", "x6");
    var verdict = ForkCheck.check(own, Map.of("b", window(5, "a5", "b6"), "c", window(5, "a5", "c6"),
        "d", window(5, "a5", "b6"), "e", window(5, "a5", "c6")), 5);
    assertInstanceOf(Unconfirmed.class, verdict);
  }

  @Test
  void inFiveReplicasThreeOthersHoldingOneBlockOutvoteThisReplicaAndItsAlly() {
    Window own = window(5, "a5", "x6");
    var verdict = ForkCheck.check(own, Map.of("b", window(5, "a5", "b6"), "c", window(5, "a5", "b6"),
        "d", window(5, "a5", "b6"), "e", window(5, "a5", "x6")), 5);
    Truncate truncate = assertInstanceOf(Truncate.class, verdict);
    assertEquals(3, truncate.holders());
    assertEquals(List.of("x6"), truncate.dropped());
  }

  @Test
  void aDivergenceAtTheBottomOfTheWindowCannotBePlaced() {
    Window own = window(5, "x5", "x6");
    var verdict = ForkCheck.check(own, Map.of("b", window(5, "b5", "b6"), "c", window(5, "b5", "b6")), 3);
    assertInstanceOf(TooDeep.class, verdict);
  }

  @Test
  void aPeerThatHasNotReachedTheDivergentHeightIsNotCountedEitherWay() {
    Window own = window(5, "a5", "a6", "x7");
    var verdict = ForkCheck.check(own, Map.of("b", window(5, "a5", "a6", "b7"), "c", window(5, "a5", "a6")), 3);
    assertInstanceOf(Unconfirmed.class, verdict);
  }

  @Test
  void aConsortiumOfNoneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ForkCheck.check(window(1, "a"), Map.of(), 0));
  }
}
