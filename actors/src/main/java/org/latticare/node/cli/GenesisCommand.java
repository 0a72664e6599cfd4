package org.latticare.node.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.latticare.ledger.Block;
import org.latticare.node.ConsortiumFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latticare genesis}: founds a consortium for a multi-JVM or Kubernetes deployment — a key per
 * node and per client, and the genesis block listing them. Each node then gets the genesis file and
 * its own key (and nothing else); client keys go to their holders.
 */
@Command(name = "genesis", mixinStandardHelpOptions = true,
    description = "Found a consortium: write <out>/genesis.block, <out>/<node-id>/node.key and <out>/clients/<id>.key.")
final class GenesisCommand implements Callable<Integer> {

  @Option(names = "--consortium", required = true, description = "Name of the consortium")
  String consortium;

  @Option(names = "--out", required = true, description = "Directory to write into (must not hold a genesis.block)")
  Path out;

  @Option(names = "--node", required = true,
      description = "organisation:node-id:role+role (roles among verifier, producer), repeatable")
  List<String> nodes;

  @Option(names = "--client", description = "identity-id:role:organisation (roles: patient, clinician, hospital-admin,"
      + " researcher, operator), repeatable")
  List<String> clients = new ArrayList<>();

  @Override
  public Integer call() {
    if (out.resolve("genesis.block").toFile().exists()) {
      System.err.println("latticare: " + out.resolve("genesis.block") + " exists; a consortium is founded once");
      return 2;
    }
    List<ConsortiumFiles.Founder> founders = new ArrayList<>();
    List<ConsortiumFiles.Client> enrolled = new ArrayList<>();
    try {
      for (String node : nodes) {
        String[] parts = split(node, "--node");
        founders.add(new ConsortiumFiles.Founder(parts[0], parts[1], Arrays.asList(parts[2].split("\\+"))));
      }
      for (String client : clients) {
        String[] parts = split(client, "--client");
        enrolled.add(new ConsortiumFiles.Client(parts[0], parts[1], parts[2]));
      }
      Block genesis = ConsortiumFiles.found(consortium, founders, enrolled, out, out.resolve("clients"));
      ConsortiumFiles.writeGenesis(out.resolve("genesis.block"), genesis);
      System.out.printf("Founded '%s' with %d nodes and %d clients: genesis %s in %s%n", consortium, founders.size(),
          enrolled.size(), genesis.hash(), out.toAbsolutePath());
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("latticare: " + e.getMessage());
      return 2;
    }
  }

  private static String[] split(String value, String option) {
    String[] parts = value.split(":");
    if (parts.length != 3 || Arrays.stream(parts).anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(option + " '" + value + "' must have three ':'-separated parts");
    }
    return parts;
  }
}
