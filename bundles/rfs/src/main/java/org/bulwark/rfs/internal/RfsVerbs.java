package org.bulwark.rfs.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.rfs.ReplicationService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The replication commands of {@code safekit} (spec C.12, F.6): {@code rfsverify}, {@code rfsdiff},
 * {@code rfssync}. They act on the module's replication as this bundle holds it.
 */
@Component(immediate = true)
public final class RfsVerbs {
  /** How long a verify may take before the command gives up waiting (it goes on). */
  static final Duration VERIFY_LIMIT = Duration.ofHours(2);

  private final RfsService service;
  private final List<ServiceRegistration<CliVerb>> registrations = new ArrayList<>();

  @Activate
  public RfsVerbs(BundleContext context, @Reference ReplicationService service) {
    this.service = (RfsService) service;
    for (CliVerb verb : verbs()) {
      registrations.add(context.registerService(CliVerb.class, verb, null));
    }
  }

  /** The verbs alone, registered nowhere (tests). */
  RfsVerbs(RfsService service) {
    this.service = service;
  }

  @Deactivate
  void deactivate() {
    registrations.forEach(ServiceRegistration::unregister);
  }

  List<CliVerb> verbs() {
    return List.of(
        verb(
            "rfsverify",
            "mirror: compare the secondary's copy with the primary's, online",
            "Usage: safekit rfsverify [--resend] -m AM\n"
                + "  Checksums every zone, attribute and directory on both nodes while the\n"
                + "  application runs; lists what differs (exit 1), --resend sends it again.",
            true,
            (request, out) -> {
              List<String> args = new ArrayList<>(request.args());
              boolean resend = args.remove("--resend");
              noMore(args);
              ModuleRfs.Verified v = module(request).verify(resend, VERIFY_LIMIT);
              v.lines().forEach(out.out()::println);
              return v.same() ? CliExit.OK : CliExit.FAILED;
            }),
        verb(
            "rfsdiff",
            "mirror: what the next reintegration would copy",
            "Usage: safekit rfsdiff -m AM\n  On the ALONE or PRIM node: files and zones changed"
                + " since the last synchronisation.",
            false,
            (request, out) -> {
              noMore(request.args());
              module(request).diff().forEach(out.out()::println);
              return CliExit.OK;
            }),
        verb(
            "rfssync",
            "mirror: show or set the policy of the next synchronisation",
            RfssyncPolicy.USAGE
                + "\n  Without argument, the policy (default, full or external)."
                + "\n  full: the next synchronisation copies everything."
                + "\n  external prim UID on the source, external second UID on the destination,"
                + "\n  after a backup restored there: only what changed since the backup is"
                + "\n  copied (UID: at most "
                + RfssyncPolicy.MAX_UID
                + " characters). -d: the same, without looking for"
                + "\n  files modified between the backup and the start.",
            true,
            (request, out) -> {
              module(request).rfssync(request.args()).forEach(out.out()::println);
              return CliExit.OK;
            }));
  }

  private ModuleRfs module(CliRequest request) {
    if (request.module() == null) {
      throw new IllegalArgumentException("no module given: use -m AM");
    }
    return service
        .module(request.module())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "module " + request.module() + " is not a mirror module with <rfs> here"));
  }

  private static void noMore(List<String> args) {
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("unexpected argument '" + args.get(0) + "'");
    }
  }

  private interface Body {
    int run(CliRequest request, CliOutput out) throws Exception;
  }

  private static CliVerb verb(
      String name, String summary, String usage, boolean journaled, Body body) {
    return new CliVerb() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String summary() {
        return summary;
      }

      @Override
      public String usage() {
        return usage;
      }

      @Override
      public boolean journaled(CliRequest request) {
        return journaled;
      }

      @Override
      public int run(CliRequest request, CliOutput out) throws Exception {
        return body.run(request, out);
      }
    };
  }
}
