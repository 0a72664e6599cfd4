package org.latticare.cluster;

import java.util.Map;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Loads a node's configuration: system properties, then the caller's overrides, then the profile file
 * ({@code latticare-<profile>.conf}, which includes {@code latticare.conf}), then every library's
 * {@code reference.conf}; resolved once, so an override of {@code latticare.data-dir} also moves the journal.
 */
public final class LatticareConfig {

  public static final Set<String> PROFILES = Set.of("local", "cluster", "kubernetes");

  private LatticareConfig() {}

  public static Config load(String profile, Config overrides) {
    if (!PROFILES.contains(profile)) {
      throw new IllegalArgumentException("unknown profile '" + profile + "': expected one of " + PROFILES);
    }
    Config profileConfig = ConfigFactory.parseResourcesAnySyntax("latticare-" + profile);
    if (profileConfig.isEmpty()) {
      throw new IllegalStateException("latticare-" + profile + ".conf is not on the class path");
    }
    ConfigFactory.invalidateCaches();
    return ConfigFactory.load(overrides.withFallback(profileConfig));
  }

  public static Config load(String profile, Map<String, ?> overrides) {
    return load(profile, ConfigFactory.parseMap(overrides));
  }
}
