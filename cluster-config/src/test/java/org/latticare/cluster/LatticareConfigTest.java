package org.latticare.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;

class LatticareConfigTest {

  @Test
  void everyProfileLoadsAndBindsCrossNodeMessagesToCbor() {
    for (String profile : LatticareConfig.PROFILES) {
      Config config = LatticareConfig.load(profile, Map.of());
      assertThat(config.getString("latticare.profile")).isEqualTo(profile);
      assertThat(config.getString("akka.actor.serialization-bindings.\"org.latticare.cluster.CborSerializable\""))
          .isEqualTo("jackson-cbor");
      assertThat(config.getBoolean("akka.actor.allow-java-serialization")).isFalse();
      assertThat(config.getString("akka.cluster.split-brain-resolver.active-strategy")).isEqualTo("keep-majority");
      assertThat(config.getString("akka.persistence.journal.plugin")).isEqualTo("akka.persistence.journal.leveldb");
    }
  }

  @Test
  void dataDirOverrideMovesJournalAndSnapshots() {
    Config config = LatticareConfig.load("local", Map.of("latticare.data-dir", "/srv/n7"));
    assertThat(config.getString("akka.persistence.journal.leveldb.dir")).isEqualTo("/srv/n7/journal");
    assertThat(config.getString("akka.persistence.snapshot-store.local.dir")).isEqualTo("/srv/n7/snapshots");
  }

  @Test
  void localProfileUsesEphemeralPortsAndKubernetesUsesBootstrap() {
    assertThat(LatticareConfig.load("local", Map.of()).getInt("akka.remote.artery.canonical.port")).isZero();
    Config k8s = LatticareConfig.load("kubernetes", Map.of());
    assertThat(k8s.getString("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
        .isEqualTo("kubernetes-api");
  }

  @Test
  void unknownProfileIsAClearError() {
    assertThatThrownBy(() -> LatticareConfig.load("prod", Map.of())).hasMessageContaining("unknown profile 'prod'");
  }
}
