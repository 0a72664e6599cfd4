package org.latticare.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code latticare}: the command line of a node or of a whole embedded consortium. */
@Command(name = "latticare", mixinStandardHelpOptions = true, version = "latticare 0.1.0",
    description = "A permissioned, post-quantum health-data ledger.",
    subcommands = {UpCommand.class, NodeCommand.class, GenesisCommand.class, DemoCommand.class, BenchCommand.class,
        WalletCommand.class, RecordCommand.class, VerifyCommand.class, TlsCommand.class})
public final class LatticareCli implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommonPool.atLeastTwoThreads();
    int exit = new CommandLine(new LatticareCli()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
