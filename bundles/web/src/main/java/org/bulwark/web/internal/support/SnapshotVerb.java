package org.bulwark.web.internal.support;

import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit snapshot -m AM /abs/file.zip} (spec F.6, G.12): a new dump, the last 3 dumps and
 * the last 3 configurations in one zip.
 */
@Component(service = CliVerb.class)
public final class SnapshotVerb implements CliVerb {
  private final SupportServices services;

  @Activate
  public SnapshotVerb(@Reference SupportServices services) {
    this.services = services;
  }

  @Override
  public String name() {
    return "snapshot";
  }

  @Override
  public String summary() {
    return "write a new dump, the last 3 dumps and the last 3 configurations of a module to a zip";
  }

  @Override
  public String usage() {
    return "Usage: safekit snapshot -m AM /absolute/file.zip\n"
        + "  A new dump, then AM/dump_*/ (the last 3 dumps) and AM/config_*/module/ (the last 3\n"
        + "  configurations applied) in one zip. Unlike SafeKit's, the zip has no password.";
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    return SupportVerbs.snapshot(services, request, out);
  }
}
